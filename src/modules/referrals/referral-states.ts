import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../common/state-machine';

export enum ReferralStatus {
  ALLOCATED = 'ALLOCATED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
  ATTACHED = 'ATTACHED',
  EXITED = 'EXITED',
}
registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description:
    "A referral's lifecycle: ALLOCATED → ACKNOWLEDGED → ATTACHED → EXITED, with ALLOCATED or ACKNOWLEDGED → WITHDRAWN (the referring Jobcentre's answer to a prime's query); a returner's referral reopens EXITED → ATTACHED.",
  valuesConfig: {
    ALLOCATED: { description: 'Allocated to a prime contract (again after an override), not yet acknowledged.' },
    ACKNOWLEDGED: { description: 'The prime acknowledged it.' },
    REJECTED: {
      description: 'The prime rejected it, before queries existed; it is back with the Jobcentre.',
      deprecationReason: 'A prime no longer rejects a referral: it queries it, and the referring Jobcentre withdraws it (WITHDRAWN) or confirms it. Only referrals rejected before remain REJECTED.',
    },
    WITHDRAWN: { description: "The referring Jobcentre withdrew it, answering the prime's query; the same person referred again soon after goes back to the same contract." },
    ATTACHED: { description: 'The participant started: two years of allotted time run from the attachment.' },
    EXITED: { description: 'The participant left the programme; a return within the allotted time reopens it (ATTACHED again).' },
  },
});

/** The referral lifecycle (DOMAIN.md, "A participant's journey"), the one place it is written. */
export const REFERRAL_TRANSITIONS: Transitions<ReferralStatus> = {
  // ALLOCATED again: the referring Jobcentre moved it to another contract before attachment.
  [ReferralStatus.ALLOCATED]: [ReferralStatus.ACKNOWLEDGED, ReferralStatus.WITHDRAWN, ReferralStatus.ALLOCATED],
  [ReferralStatus.ACKNOWLEDGED]: [ReferralStatus.ATTACHED, ReferralStatus.WITHDRAWN, ReferralStatus.ALLOCATED],
  [ReferralStatus.ATTACHED]: [ReferralStatus.EXITED],
  // A prime no longer rejects: rejectReferral raises a query (referral-queries.ts).
  [ReferralStatus.REJECTED]: [],
  [ReferralStatus.WITHDRAWN]: [],
  [ReferralStatus.EXITED]: [],
};

/**
 * The one move a returner's referral makes, and only through a Jobcentre's submission (returns.ts):
 * its participation reopens. Kept apart from REFERRAL_TRANSITIONS so that no prime's move (an
 * attachment, which pays) can take an exited referral back.
 */
export const RETURN_TRANSITIONS: Transitions<ReferralStatus> = {
  [ReferralStatus.ALLOCATED]: [],
  [ReferralStatus.ACKNOWLEDGED]: [],
  [ReferralStatus.ATTACHED]: [],
  [ReferralStatus.REJECTED]: [],
  [ReferralStatus.WITHDRAWN]: [],
  [ReferralStatus.EXITED]: [ReferralStatus.ATTACHED],
};

/** A live referral holds its participant: one at a time per person. */
export const LIVE_STATUSES = [ReferralStatus.ALLOCATED, ReferralStatus.ACKNOWLEDGED, ReferralStatus.ATTACHED];

import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../common/state-machine';

export enum ReferralStatus {
  ALLOCATED = 'ALLOCATED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  REJECTED = 'REJECTED',
  ATTACHED = 'ATTACHED',
  EXITED = 'EXITED',
}
registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'A referral\'s lifecycle: ALLOCATED → ACKNOWLEDGED → ATTACHED → EXITED, with ALLOCATED or ACKNOWLEDGED → REJECTED.',
  valuesConfig: {
    ALLOCATED: { description: 'Allocated to a prime contract (again after an override), not yet acknowledged.' },
    ACKNOWLEDGED: { description: 'The prime acknowledged it.' },
    REJECTED: { description: 'The prime rejected it; it is back with the Jobcentre.' },
    ATTACHED: { description: 'The participant started: two years of allotted time run from the attachment.' },
    EXITED: { description: 'The participant left the programme.' },
  },
});

/** The referral lifecycle (DOMAIN.md, "A participant's journey"), the one place it is written. */
export const REFERRAL_TRANSITIONS: Transitions<ReferralStatus> = {
  // ALLOCATED again: the referring Jobcentre moved it to another contract before attachment.
  [ReferralStatus.ALLOCATED]: [ReferralStatus.ACKNOWLEDGED, ReferralStatus.REJECTED, ReferralStatus.ALLOCATED],
  [ReferralStatus.ACKNOWLEDGED]: [ReferralStatus.ATTACHED, ReferralStatus.REJECTED, ReferralStatus.ALLOCATED],
  [ReferralStatus.ATTACHED]: [ReferralStatus.EXITED],
  [ReferralStatus.REJECTED]: [],
  [ReferralStatus.EXITED]: [],
};

/** A live referral holds its participant: one at a time per person. */
export const LIVE_STATUSES = [ReferralStatus.ALLOCATED, ReferralStatus.ACKNOWLEDGED, ReferralStatus.ATTACHED];

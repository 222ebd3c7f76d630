import { ReferralStatus } from '../../auth/access.enums';
import type { Transitions } from '../../common/state-machine';

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

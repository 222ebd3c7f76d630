import { ReferralStatus } from '../../auth/access.enums';
import type { Transitions } from '../../common/state-machine';

/** The referral lifecycle (DOMAIN.md, "A participant's journey"), the one place it is written. */
export const REFERRAL_TRANSITIONS: Transitions<ReferralStatus> = {
  // ALLOCATED again: the referring Jobcentre moved it to another contract before attachment.
  [ReferralStatus.ALLOCATED]: [ReferralStatus.ACKNOWLEDGED, ReferralStatus.REJECTED, ReferralStatus.ALLOCATED],
  [ReferralStatus.ACKNOWLEDGED]: [ReferralStatus.ATTACHED, ReferralStatus.REJECTED, ReferralStatus.ALLOCATED],
  [ReferralStatus.ATTACHED]: [ReferralStatus.EXITED],
  [ReferralStatus.REJECTED]: [],
  [ReferralStatus.EXITED]: [],
};

import { ReferralStatus } from '../../auth/access.enums';
import type { Transitions } from '../../common/state-machine';

/** The referral lifecycle (DOMAIN.md, "A participant's journey"), the one place it is written. */
export const REFERRAL_TRANSITIONS: Transitions<ReferralStatus> = {
  [ReferralStatus.ALLOCATED]: [ReferralStatus.ACKNOWLEDGED, ReferralStatus.REJECTED],
  [ReferralStatus.ACKNOWLEDGED]: [ReferralStatus.ATTACHED, ReferralStatus.REJECTED],
  [ReferralStatus.ATTACHED]: [ReferralStatus.EXITED],
  [ReferralStatus.REJECTED]: [],
  [ReferralStatus.EXITED]: [],
};

import { HandoffStatus } from '../../auth/access.enums';
import type { Transitions } from '../../common/state-machine';

/** A handoff's lifecycle, the one place it is written. */
export const HANDOFF_TRANSITIONS: Transitions<HandoffStatus> = {
  [HandoffStatus.OFFERED]: [HandoffStatus.ACCEPTED, HandoffStatus.DECLINED, HandoffStatus.WITHDRAWN],
  [HandoffStatus.ACCEPTED]: [HandoffStatus.COMPLETED, HandoffStatus.WITHDRAWN],
  [HandoffStatus.DECLINED]: [],
  [HandoffStatus.COMPLETED]: [],
  [HandoffStatus.WITHDRAWN]: [],
};

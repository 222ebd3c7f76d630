import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../common/state-machine';

export enum HandoffStatus {
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  COMPLETED = 'COMPLETED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(HandoffStatus, { name: 'HandoffStatus' });

/** A handoff's lifecycle, the one place it is written. */
export const HANDOFF_TRANSITIONS: Transitions<HandoffStatus> = {
  [HandoffStatus.OFFERED]: [HandoffStatus.ACCEPTED, HandoffStatus.DECLINED, HandoffStatus.WITHDRAWN],
  [HandoffStatus.ACCEPTED]: [HandoffStatus.COMPLETED, HandoffStatus.WITHDRAWN],
  [HandoffStatus.DECLINED]: [],
  [HandoffStatus.COMPLETED]: [],
  [HandoffStatus.WITHDRAWN]: [],
};

/** While a handoff lives, its receiver reads the referral and the shared fields. */
export const LIVE_HANDOFF_STATUSES = [HandoffStatus.OFFERED, HandoffStatus.ACCEPTED];

export enum HandoffPurpose {
  END_TO_END_DELIVERY = 'END_TO_END_DELIVERY',
  SPECIALIST_SUPPORT = 'SPECIALIST_SUPPORT',
  SPOT_PROVISION = 'SPOT_PROVISION',
  IN_WORK_SUPPORT = 'IN_WORK_SUPPORT',
}
registerEnumType(HandoffPurpose, { name: 'HandoffPurpose' });

import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../common/state-machine';

export enum HandoffStatus {
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  COMPLETED = 'COMPLETED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(HandoffStatus, {
  name: 'HandoffStatus',
  description: "A handoff's lifecycle: OFFERED → ACCEPTED, DECLINED or WITHDRAWN; ACCEPTED → COMPLETED or WITHDRAWN.",
  valuesConfig: {
    OFFERED: { description: 'Waiting for the receiver, who already reads the referral.' },
    ACCEPTED: { description: 'The receiver is working with the participant.' },
    DECLINED: { description: 'The receiver declined it, with a reason.' },
    COMPLETED: { description: 'Either party ended it, with feedback.' },
    WITHDRAWN: { description: 'The sender or the prime withdrew it, or it ended with the referral (rejected, exited, moved) or with the handoff it came through.' },
  },
});

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
registerEnumType(HandoffPurpose, {
  name: 'HandoffPurpose',
  description: "What a handoff is for; it must fit the receiver's place in the chain.",
  valuesConfig: {
    END_TO_END_DELIVERY: { description: "The participant's whole journey: to an END_TO_END or SPECIALIST_END_TO_END place. A referral has at most one live." },
    SPECIALIST_SUPPORT: { description: 'Specialist support: to a SPECIALIST_END_TO_END place.' },
    SPOT_PROVISION: { description: 'A course, training or job brokerage: to a SPOT place.' },
    IN_WORK_SUPPORT: { description: 'Support in work: to an IN_WORK_SUPPORT place.' },
  },
});

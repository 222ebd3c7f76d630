import { registerEnumType } from 'type-graphql';

export enum Nation {
  ENGLAND = 'ENGLAND',
  SCOTLAND = 'SCOTLAND',
  WALES = 'WALES',
}
registerEnumType(Nation, { name: 'Nation' });

/** The Work Programme's nine payment groups (DOMAIN.md); their rules and fees are data elsewhere. */
export enum PaymentGroup {
  JSA_18_24 = 'JSA_18_24',
  JSA_25_PLUS = 'JSA_25_PLUS',
  JSA_EARLY_ACCESS = 'JSA_EARLY_ACCESS',
  JSA_EX_IB = 'JSA_EX_IB',
  ESA_VOLUNTEER = 'ESA_VOLUNTEER',
  ESA_NEW_CLAIMANT = 'ESA_NEW_CLAIMANT',
  ESA_EX_IB = 'ESA_EX_IB',
  IB_IS = 'IB_IS',
  JSA_PRISON_LEAVER = 'JSA_PRISON_LEAVER',
}
registerEnumType(PaymentGroup, { name: 'PaymentGroup' });

export const PAYMENT_GROUPS = Object.values(PaymentGroup);

/** How a subcontractor delivers for the prime (DOMAIN.md, "Who is in the chain"). */
export enum DeliveryModel {
  END_TO_END = 'END_TO_END',
  SPECIALIST_END_TO_END = 'SPECIALIST_END_TO_END',
  SPOT = 'SPOT',
  IN_WORK_SUPPORT = 'IN_WORK_SUPPORT',
}
registerEnumType(DeliveryModel, { name: 'DeliveryModel' });

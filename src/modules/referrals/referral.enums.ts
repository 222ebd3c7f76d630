import { registerEnumType } from 'type-graphql';

export enum RejectionReason {
  INELIGIBLE = 'INELIGIBLE',
  WRONG_PROGRAMME = 'WRONG_PROGRAMME',
  DUPLICATE = 'DUPLICATE',
  REFERRED_TO_ANOTHER_PROVIDER = 'REFERRED_TO_ANOTHER_PROVIDER',
  ALREADY_IN_WORK = 'ALREADY_IN_WORK',
  OTHER = 'OTHER',
}
registerEnumType(RejectionReason, { name: 'RejectionReason' });

export enum ExitReason {
  ALLOTTED_TIME_ENDED = 'ALLOTTED_TIME_ENDED',
  FINAL_PAYMENT_CLAIMED = 'FINAL_PAYMENT_CLAIMED',
  LEFT_BENEFIT = 'LEFT_BENEFIT',
  MOVED_TO_OTHER_PROVISION = 'MOVED_TO_OTHER_PROVISION',
  OTHER = 'OTHER',
}
registerEnumType(ExitReason, { name: 'ExitReason' });

/** What can travel with a participant's record; also what `visibleFields` reports. */
export enum SharedField {
  CONTACT_DETAILS = 'CONTACT_DETAILS',
  HEALTH = 'HEALTH',
  RISK_MARKERS = 'RISK_MARKERS',
  ACTION_PLAN = 'ACTION_PLAN',
  EMPLOYMENT_HISTORY = 'EMPLOYMENT_HISTORY',
}
registerEnumType(SharedField, { name: 'SharedField' });

import { registerEnumType } from 'type-graphql';

export enum PerformanceDimension {
  CPA = 'CPA',
  PRIME = 'PRIME',
  PAYMENT_GROUP = 'PAYMENT_GROUP',
  SUBCONTRACTOR = 'SUBCONTRACTOR',
  JOBCENTRE_DISTRICT = 'JOBCENTRE_DISTRICT',
  REFERRAL_MONTH = 'REFERRAL_MONTH',
}
registerEnumType(PerformanceDimension, { name: 'PerformanceDimension' });

import { registerEnumType } from 'type-graphql';

export enum PerformanceDimension {
  CPA = 'CPA',
  PRIME = 'PRIME',
  PAYMENT_GROUP = 'PAYMENT_GROUP',
  SUBCONTRACTOR = 'SUBCONTRACTOR',
  JOBCENTRE_DISTRICT = 'JOBCENTRE_DISTRICT',
  REFERRAL_MONTH = 'REFERRAL_MONTH',
}
registerEnumType(PerformanceDimension, {
  name: 'PerformanceDimension',
  description: 'What a performance report groups its rows by.',
  valuesConfig: {
    CPA: { description: "The referral's CPA." },
    PRIME: { description: 'The prime the referral is allocated to.' },
    PAYMENT_GROUP: { description: 'The payment group.' },
    SUBCONTRACTOR: { description: 'The first end-to-end subcontractor to accept the referral (none while the prime delivers).' },
    JOBCENTRE_DISTRICT: { description: 'The referring Jobcentre district.' },
    REFERRAL_MONTH: { description: 'The month the referral was made.' },
  },
});

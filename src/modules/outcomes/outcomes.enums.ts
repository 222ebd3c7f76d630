import { registerEnumType } from 'type-graphql';

export enum PaymentKind {
  ATTACHMENT = 'ATTACHMENT',
  JOB_OUTCOME = 'JOB_OUTCOME',
  SUSTAINMENT = 'SUSTAINMENT',
}
registerEnumType(PaymentKind, {
  name: 'PaymentKind',
  description: 'What a payment is for.',
  valuesConfig: {
    ATTACHMENT: { description: 'The attachment fee, written by recordAttachment (a £0 record in nil-rate years).' },
    JOB_OUTCOME: { description: "The job outcome fee, once the participant has been in work for the group's threshold." },
    SUSTAINMENT: { description: 'A sustainment payment, for a period in work after the job outcome, up to the cap.' },
  },
});

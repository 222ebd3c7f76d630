import { registerEnumType } from 'type-graphql';

export enum PaymentKind {
  ATTACHMENT = 'ATTACHMENT',
  JOB_OUTCOME = 'JOB_OUTCOME',
  SUSTAINMENT = 'SUSTAINMENT',
}
registerEnumType(PaymentKind, { name: 'PaymentKind' });

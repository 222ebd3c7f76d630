import { Extensions, Field, Float, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../common/scalars';
import { PaymentGroup } from '../contracts/contracts.enums';
import { PerformanceDimension } from './performance.enums';

@ObjectType({
  description:
    'Counts for referrals made in the report\'s period (a referral cohort), whatever date their later events fall on. A count under the disclosure threshold is null and the row is marked suppressed.',
})
export class PerformanceRow {
  cpaId!: string | null;
  primeId!: string | null;
  subcontractorId!: string | null;

  @Field(() => PaymentGroup, { nullable: true })
  paymentGroup!: PaymentGroup | null;

  @Field(() => String, { nullable: true })
  jobcentreDistrict!: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  referralMonth!: string | null;

  @Field(() => Int, { nullable: true })
  referrals!: number | null;

  @Field(() => Int, { nullable: true })
  attachments!: number | null;

  @Field(() => Int, { nullable: true })
  jobOutcomes!: number | null;

  @Field(() => Int, { nullable: true })
  sustainmentPayments!: number | null;

  @Field(() => Int, { nullable: true, description: 'Doubts submitted to a Decision Maker.' })
  complianceDoubts!: number | null;

  @Field(() => Int, { nullable: true })
  sanctionsApplied!: number | null;

  @Field(() => Float, { nullable: true, description: 'Attachments per referral.' })
  attachmentRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Job outcomes per referral.' })
  jobOutcomeRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Everything paid for the cohort so far, in pence.' })
  paymentsPence!: number | null;

  @Field(() => Boolean)
  suppressed!: boolean;
}

@ObjectType()
export class PerformanceReport {
  @Field(() => DateScalar, { description: 'The first day of the first month asked for: reports are over whole months.' })
  from!: string;

  @Field(() => DateScalar, { description: 'The last day of the last month asked for.' })
  to!: string;

  @Field(() => [PerformanceDimension])
  groupBy!: PerformanceDimension[];

  @Extensions({ listSize: 100 })
  @Field(() => [PerformanceRow])
  rows!: PerformanceRow[];
}

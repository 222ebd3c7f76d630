import { Extensions, Field, Float, Int, ObjectType } from 'type-graphql';
import { DateScalar, PenceScalar } from '../../common/scalars';
import { PaymentGroup } from '../contracts/contracts.enums';
import { PerformanceDimension } from './performance.enums';

@ObjectType({
  description:
    'Counts for referrals made in the report\'s period (a referral cohort), whatever date their later events fall on. A count under the disclosure threshold is null and the row is marked suppressed. The dimensions not grouped by are null.',
})
export class PerformanceRow {
  cpaId!: string | null;
  primeId!: string | null;
  subcontractorId!: string | null;

  @Field(() => PaymentGroup, { nullable: true, description: 'The payment group (grouped by PAYMENT_GROUP).' })
  paymentGroup!: PaymentGroup | null;

  @Field(() => String, { nullable: true, description: 'The Jobcentre district (grouped by JOBCENTRE_DISTRICT).' })
  jobcentreDistrict!: string | null;

  @Field(() => String, { nullable: true, description: 'The month of the referrals, YYYY-MM (grouped by REFERRAL_MONTH).' })
  referralMonth!: string | null;

  @Field(() => Int, { nullable: true, description: 'Referrals made in the period.' })
  referrals!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of them, attached.' })
  attachments!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of them, with a job outcome claimed.' })
  jobOutcomes!: number | null;

  @Field(() => Int, { nullable: true, description: 'Sustainment payments claimed for them.' })
  sustainmentPayments!: number | null;

  @Field(() => Int, { nullable: true, description: 'Doubts submitted to a Decision Maker.' })
  complianceDoubts!: number | null;

  @Field(() => Int, { nullable: true, description: 'Sanctions applied on their doubts.' })
  sanctionsApplied!: number | null;

  @Field(() => Int, { nullable: true, description: "Queries the prime raised on them (queryReferral, or the deprecated rejectReferral)." })
  referralQueries!: number | null;

  @Field(() => Int, { nullable: true, description: 'Those the referring Jobcentre withdrew, answering a query.' })
  withdrawals!: number | null;

  @Field(() => Float, { nullable: true, description: 'Attachments per referral.' })
  attachmentRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Job outcomes per referral.' })
  jobOutcomeRate!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Of them, whose first booked appointment was held: attended or missed (not one rescheduled, nor one the attachment recorded without a booking).',
  })
  firstAppointmentsHeld!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, attended.' })
  firstAppointmentsAttended!: number | null;

  @Field(() => Float, { nullable: true, description: 'First-appointment attendance: firstAppointmentsAttended per firstAppointmentsHeld; null when none was held or a count is withheld.' })
  firstAppointmentAttendanceRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The mean days from the referral to the first attended first appointment, over the referrals that had one (withheld when they are too few).',
  })
  meanDaysToFirstAppointment!: number | null;

  @Field(() => Float, { nullable: true, description: 'The mean days from the referral to the attachment, over the attached (withheld with `attachments`).' })
  meanDaysToAttachment!: number | null;

  @Field(() => PenceScalar, {
    nullable: true,
    description:
      'Everything paid for the cohort so far, exactly, in whole pence (a string of digits: a national total passes what an Int holds). Null when a count it is made of is withheld.',
  })
  paidPence!: bigint | null;

  @Field(() => Boolean, { description: 'True when any figure of the row is withheld.' })
  suppressed!: boolean;
}

@ObjectType({ description: "A performance report over a referral cohort: the referrals made in the period, with everything that has happened to them since." })
export class PerformanceReport {
  @Field(() => DateScalar, { description: 'The first day of the first month asked for: reports are over whole months.' })
  from!: string;

  @Field(() => DateScalar, { description: 'The last day of the last month asked for.' })
  to!: string;

  @Field(() => [PerformanceDimension], { description: 'The dimensions the rows are grouped by, each once.' })
  groupBy!: PerformanceDimension[];

  @Extensions({ listSize: 100 })
  @Field(() => [PerformanceRow], { description: 'One row per group; one row without groupBy.' })
  rows!: PerformanceRow[];
}

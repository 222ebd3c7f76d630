import { Field, Float, ID, InputType, Int, ObjectType, UseMiddleware } from 'type-graphql';
import { LIMITS, Limit } from '../../common/input-limits';
import { DateScalar } from '../../common/scalars';
import { Payload } from '../../common/payload';
import { AuditReadOnReferral } from '../audit/person-reads';
import { PaymentGroup } from '../contracts/contracts.enums';
import { ExitReason } from '../referrals/referral.enums';
import { ContactKind } from '../standards/standards.enums';
import { PaymentKind } from './outcomes.enums';
import { JobStart } from './job-start.entity';
import { Payment } from './payment.entity';
import { RateCard } from './rate-card.entity';

@InputType({ description: 'A job (or self-employment) a participant started.' })
export class RecordJobStartInput {
  @Field(() => ID, { description: 'An attached (or since exited) referral whose jobs you record.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'Its first day: from the attachment to today, overlapping no other spell.' })
  startedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'For a job that is over already: its last day.' })
  endedOn?: string | null;

  @Field(() => String, { nullable: true, description: "The employer's name." })
  @Limit({ chars: 200 })
  employerName?: string | null;

  @Field(() => Float, { nullable: true, description: 'Hours a week: more than 0, at most 168.' })
  hoursPerWeek?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'True for self-employment (false when absent).' })
  selfEmployed?: boolean | null;
}

@InputType({ description: 'The end of a job.' })
export class RecordJobEndInput {
  @Field(() => ID, { description: 'A job start on a referral whose jobs you record, not yet ended.' })
  jobStartId!: string;

  @Field(() => DateScalar, { description: 'Its last day: not before its start, not in the future, not before work a claimed payment counted.' })
  endedOn!: string;
}

@ObjectType({ description: 'The answer to `recordJobStart` and `recordJobEnd`.' })
export class JobStartPayload extends Payload('jobStart', () => JobStart, {
  field: 'The job as recorded; null when userErrors is not empty.',
  userErrors: 'Why nothing was recorded; empty on success.',
}) {}

@InputType({ description: 'A job outcome to claim.' })
export class ClaimJobOutcomeInput {
  @Field(() => ID, { description: 'An attached (or since exited) referral of one of your contracts.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'The day to count days in work up to: today or earlier.' })
  claimedOn!: string;
}

@InputType({ description: 'A sustainment payment to claim.' })
export class ClaimSustainmentInput {
  @Field(() => ID, { description: 'A referral of one of your contracts with a claimed job outcome.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'The last day of the next period to claim: periods run every `sustainmentPeriodWeeks` from the day the outcome was earned.' })
  periodEndsOn!: string;
}

@ObjectType({ description: 'The answer to a claim.' })
export class PaymentPayload extends Payload('payment', () => Payment, {
  field: 'The payment written; null when userErrors is not empty.',
  userErrors: 'Why nothing was paid; empty on success.',
}) {}

@InputType({ description: 'A rate for one programme, payment group and contract year. Amounts are whole pence.' })
export class SetRateCardInput {
  @Field(() => String, { defaultValue: 'WORK_PROGRAMME', description: "The programme's code." })
  @Limit(LIMITS.programme)
  programme!: string;

  @Field(() => PaymentGroup, { description: 'The payment group.' })
  paymentGroup!: PaymentGroup;

  @Field(() => Int, { description: 'From this contract year on, until a later year has its own rate.' })
  contractYear!: number;

  @Field(() => Int, { description: 'The attachment fee, in pence: 0 or more.' })
  attachmentFeePence!: number;

  @Field(() => Int, { description: 'The job outcome fee, in pence: 0 or more.' })
  jobOutcomeFeePence!: number;

  @Field(() => Int, { description: 'Weeks in work before a job outcome can be claimed: at least 1.' })
  outcomeThresholdWeeks!: number;

  @Field(() => Int, { description: 'The fee of each sustainment payment, in pence: 0 or more.' })
  sustainmentFeePence!: number;

  @Field(() => Int, { description: 'The most sustainment payments a participant earns: 0 or more.' })
  sustainmentMaxCount!: number;

  @Field(() => Int, { defaultValue: 4, description: 'The length of a sustainment period, in weeks: at least 1.' })
  sustainmentPeriodWeeks!: number;

  @Field(() => Int, { defaultValue: 7, description: 'The longest gap between two jobs, in days, that does not break a sustainment period: 0 or more.' })
  sustainmentGapDays!: number;

  @Field(() => String, { description: 'Where the figures come from (the contract, a variation).' })
  @Limit({ chars: 500 })
  source!: string;
}

@ObjectType({ description: 'The answer to `setRateCard`.' })
export class SetRateCardPayload extends Payload('rateCard', () => RateCard, {
  field: 'The rate set; null when userErrors is not empty.',
  userErrors: 'Why nothing was set; empty on success.',
}) {}

@ObjectType({ description: 'How many contacts of one kind the participant had.' })
export class HandbackContactCount {
  @Field(() => ContactKind, { description: 'The kind of contact.' })
  kind!: ContactKind;

  @Field(() => Int, { description: 'How many were recorded.' })
  count!: number;
}

@ObjectType({ description: 'A job the participant had on the programme: its dates only.' })
export class HandbackJob {
  @Field(() => DateScalar, { description: 'Its first day.' })
  startedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Its last day; null while it lasts.' })
  endedOn!: string | null;
}

@ObjectType({ description: 'An outcome paid for: which, and the day it was earned (the amounts are between DWP and the prime).' })
export class HandbackOutcome {
  @Field(() => PaymentKind, { description: 'Attachment, job outcome or a sustainment period.' })
  kind!: PaymentKind;

  @Field(() => DateScalar, { description: 'The day it was earned (a sustainment period: its last day).' })
  earnedOn!: string;
}

@ObjectType({
  description:
    "What the referring Jobcentre gets back at an exit, so that a returning claimant does not start again (001:785): the dates, contacts by kind, jobs, outcomes paid, and what the prime said. For the referring Jobcentre and the prime.",
})
export class Handback {
  /** The referral, for the audit of the free text's reads. */
  referralId!: string;

  @Field(() => ExitReason, { description: 'Why the participant left.' })
  reason!: ExitReason;

  @Field(() => DateScalar, { description: 'The day of the referral.' })
  referredOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The day of the attachment.' })
  attachedOn!: string | null;

  @Field(() => DateScalar, { description: 'The last day on the programme.' })
  exitedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The end of the allotted time.' })
  allottedUntil!: string | null;

  @Field(() => [HandbackContactCount], { description: 'Contacts recorded, by kind (kinds with none left out).' })
  contacts!: HandbackContactCount[];

  @Field(() => [HandbackJob], { description: 'Jobs on the programme, first first.' })
  jobs!: HandbackJob[];

  @Field(() => [HandbackOutcome], { description: 'Outcomes paid for, in the order they were earned.' })
  outcomesPaid!: HandbackOutcome[];

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => [String], { description: 'Barriers to work the prime says are left. A read of the person, kept in the audit trail.' })
  barriers!: string[];

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: 'What the prime (or, for a move to other provision, the Jobcentre) said. A read of the person, kept in the audit trail.' })
  summary!: string | null;
}

import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../common/scalars';
import { UserError } from '../../common/user-error';
import { PaymentGroup } from '../contracts/contracts.enums';
import { JobStart } from './job-start.entity';
import { Payment } from './payment.entity';
import { RateCard } from './rate-card.entity';

@InputType()
export class RecordJobStartInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => DateScalar)
  startedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'For a job that is over already: its last day.' })
  endedOn?: string | null;

  @Field(() => String, { nullable: true })
  employerName?: string | null;

  @Field(() => Float, { nullable: true })
  hoursPerWeek?: number | null;

  @Field(() => Boolean, { nullable: true })
  selfEmployed?: boolean | null;
}

@InputType()
export class RecordJobEndInput {
  @Field(() => ID)
  jobStartId!: string;

  @Field(() => DateScalar)
  endedOn!: string;
}

@ObjectType()
export class JobStartPayload {
  @Field(() => JobStart, { nullable: true })
  jobStart!: JobStart | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class ClaimJobOutcomeInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => DateScalar)
  claimedOn!: string;
}

@InputType()
export class ClaimSustainmentInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => DateScalar)
  periodEndsOn!: string;
}

@ObjectType()
export class PaymentPayload {
  @Field(() => Payment, { nullable: true })
  payment!: Payment | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class SetRateCardInput {
  @Field(() => String, { defaultValue: 'WORK_PROGRAMME' })
  programme!: string;

  @Field(() => PaymentGroup)
  paymentGroup!: PaymentGroup;

  @Field(() => Int, { description: 'From this contract year on, until a later year has its own rate.' })
  contractYear!: number;

  @Field(() => Int)
  attachmentFeePence!: number;

  @Field(() => Int)
  jobOutcomeFeePence!: number;

  @Field(() => Int)
  outcomeThresholdWeeks!: number;

  @Field(() => Int)
  sustainmentFeePence!: number;

  @Field(() => Int)
  sustainmentMaxCount!: number;

  @Field(() => Int, { defaultValue: 4 })
  sustainmentPeriodWeeks!: number;

  @Field(() => String, { description: 'Where the figures come from (the contract, a variation).' })
  source!: string;
}

@ObjectType()
export class SetRateCardPayload {
  @Field(() => RateCard, { nullable: true })
  rateCard!: RateCard | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

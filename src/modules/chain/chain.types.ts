import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserError } from '../../common/user-error';
import { SharedField } from '../referrals/referral.enums';
import { Handoff } from './handoff.entity';
import { HandoffPurpose } from './handoff-states';

@InputType()
export class PassReferralInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => ID)
  toOrganisationId!: string;

  @Field(() => HandoffPurpose)
  purpose!: HandoffPurpose;

  @Field(() => [SharedField])
  sharedFields!: SharedField[];

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class RespondToHandoffInput {
  @Field(() => ID)
  handoffId!: string;

  @Field(() => Boolean)
  accept!: boolean;

  @Field(() => String, { nullable: true })
  declineReason?: string | null;
}

@InputType()
export class CompleteHandoffInput {
  @Field(() => ID)
  handoffId!: string;

  @Field(() => String, { nullable: true })
  feedback?: string | null;
}

@InputType()
export class WithdrawHandoffInput {
  @Field(() => ID)
  handoffId!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType()
export class HandoffPayload {
  @Field(() => Handoff, { nullable: true })
  handoff!: Handoff | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

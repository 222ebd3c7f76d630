import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { LIMITS, Limit, oneOfEach } from '../../common/input-limits';
import { Payload } from '../../common/payload';
import { HandoffPurpose, SharedField } from '../../auth/access.enums';
import { Handoff } from './handoff.entity';

@InputType({ description: 'A referral to pass down the chain.' })
export class PassReferralInput {
  @Field(() => ID, { description: 'The referral: yours as prime, or handed to you by an accepted end-to-end handoff.' })
  referralId!: string;

  @Field(() => ID, { description: "The receiver: a provider with a place in the contract's supply chain that fits the purpose." })
  toOrganisationId!: string;

  @Field(() => HandoffPurpose, { description: 'What the receiver is to do; it must fit its place (END_TO_END_DELIVERY → end-to-end or specialist end-to-end, and so on).' })
  purpose!: HandoffPurpose;

  @Field(() => [SharedField], {
    description: "What of the participant's record travels: never a field you cannot see yourself, HEALTH only with consent, nothing of a MAPPA case.",
  })
  @Limit(oneOfEach(SharedField))
  sharedFields!: SharedField[];

  @Field(() => String, { nullable: true, description: 'A note for the receiver.' })
  @Limit(LIMITS.freeText)
  note?: string | null;
}

@InputType({ description: "The receiver's answer to an offered handoff." })
export class RespondToHandoffInput {
  @Field(() => ID, { description: 'A handoff offered to your organisation.' })
  handoffId!: string;

  @Field(() => Boolean, { description: 'True to accept, false to decline.' })
  accept!: boolean;

  @Field(() => String, { nullable: true, description: 'Why you decline: required to decline.' })
  @Limit(LIMITS.freeText)
  declineReason?: string | null;
}

@InputType({ description: 'The end of an accepted handoff.' })
export class CompleteHandoffInput {
  @Field(() => ID, { description: 'An accepted handoff your organisation sent or received.' })
  handoffId!: string;

  @Field(() => String, { nullable: true, description: 'What was done, for the other party.' })
  @Limit(LIMITS.freeText)
  feedback?: string | null;
}

@InputType({ description: 'A handoff to withdraw.' })
export class WithdrawHandoffInput {
  @Field(() => ID, { description: "An offered or accepted handoff your organisation sent, or any of your referral's as its prime." })
  handoffId!: string;

  @Field(() => String, { description: 'Why: required.' })
  @Limit(LIMITS.freeText)
  reason!: string;
}

@ObjectType({ description: 'The answer to a change of a handoff.' })
export class HandoffPayload extends Payload('handoff', () => Handoff, {
  field: 'The handoff as changed; null when userErrors is not empty.',
  userErrors: 'Why nothing was changed; empty on success.',
}) {}

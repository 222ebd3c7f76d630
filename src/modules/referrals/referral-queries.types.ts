import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { LIMITS, Limit } from '../../common/input-limits';
import { Payload } from '../../common/payload';
import { ReferralQuery } from './referral-query.entity';
import { RejectionReason } from './referral.enums';
import { ReferralQueryResolution } from './query-states';

@InputType({ description: 'A referral the prime thinks inappropriate, and why.' })
export class QueryReferralInput {
  @Field(() => ID, { description: "A referral allocated to one of your contracts, not yet attached, within the programme's query window (14 days from the allocation)." })
  referralId!: string;

  @Field(() => RejectionReason, { description: 'The grounds.' })
  grounds!: RejectionReason;

  @Field(() => String, { description: 'Why, in your words (required): the referring Jobcentre reads it.' })
  @Limit(LIMITS.freeText)
  reason!: string;
}

@InputType({ description: "The referring Jobcentre's answer to a query." })
export class ResolveReferralQueryInput {
  @Field(() => ID, { description: 'An open query of a referral your Jobcentre made (`Referral.openQuery`).' })
  referralQueryId!: string;

  @Field(() => ReferralQueryResolution, { description: 'WITHDRAW the referral, or CONFIRM it.' })
  resolution!: ReferralQueryResolution;

  @Field(() => String, { nullable: true, description: 'A note for the prime.' })
  @Limit(LIMITS.freeText)
  note?: string | null;
}

@ObjectType({ description: 'The answer to raising or resolving a referral query.' })
export class ReferralQueryPayload extends Payload('referralQuery', () => ReferralQuery, {
  field: 'The query as written; null when userErrors is not empty.',
  userErrors: 'Why nothing was changed; empty on success.',
}) {}

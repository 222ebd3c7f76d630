import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Limit } from '../../common/input-limits';
import { DateScalar } from '../../common/scalars';
import { Payload } from '../../common/payload';
import { DeliveryModel, Nation, PaymentGroup } from './contracts.enums';
import { Cpa } from './cpa.entity';
import { MarketShare } from './market-share.entity';
import { PrimeContract } from './prime-contract.entity';
import { Subcontract } from './subcontract.entity';

@InputType({ description: 'A new Contract Package Area.' })
export class CreateCpaInput {
  @Field(() => Int, { description: "DWP's number for the CPA, a positive whole number (1 to 18 in the Work Programme)." })
  code!: number;

  @Field(() => String, { description: 'Its name, e.g. "East of England".' })
  @Limit({ chars: 100 })
  name!: string;

  @Field(() => Nation, { description: 'The nation it lies in.' })
  nation!: Nation;
}

@ObjectType({ description: 'The answer to `createCpa`.' })
export class CreateCpaPayload extends Payload('cpa', () => Cpa, {
  field: 'The CPA created; null when userErrors is not empty.',
  userErrors: 'Why nothing was written; empty on success.',
}) {}

@InputType({ description: 'A prime contract to award.' })
export class AwardPrimeContractInput {
  @Field(() => Int, { description: 'The CPA the contract is for.' })
  cpaCode!: number;

  @Field(() => ID, { description: 'The PROVIDER organisation that becomes the prime.' })
  primeId!: string;

  @Field(() => String, { description: "DWP's reference for the contract, unique across the exchange." })
  @Limit({ chars: 50 })
  reference!: string;

  @Field(() => DateScalar, { description: 'Its first day; not before the latest set of market shares in the CPA.' })
  startsOn!: string;

  @Field(() => DateScalar, { description: 'Its last day (inclusive).' })
  endsOn!: string;
}

@ObjectType({ description: 'The answer to `awardPrimeContract`.' })
export class AwardPrimeContractPayload extends Payload('contract', () => PrimeContract, {
  field: 'The contract awarded; null when userErrors is not empty.',
  userErrors: 'Why nothing was written; empty on success.',
}) {}

@InputType({ description: "A place in a prime contract's supply chain." })
export class AddSubcontractorInput {
  @Field(() => ID, { description: 'The prime contract.' })
  contractId!: string;

  @Field(() => ID, { description: 'The PROVIDER organisation that takes the place (not the prime itself).' })
  subcontractorId!: string;

  @Field(() => DeliveryModel, { description: 'How it delivers for the prime.' })
  deliveryModel!: DeliveryModel;

  @Field(() => [String], { nullable: true, description: 'Groups or services it specialises in, e.g. "ex-offenders" (duplicates and blanks dropped).' })
  @Limit({ items: 20, chars: 100 })
  specialisms?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: 'For a SPOT place commissioned by an end-to-end subcontractor: that subcontractor\'s place on the same contract.',
  })
  parentSubcontractId?: string | null;
}

@ObjectType({ description: 'The answer to `addSubcontractor`.' })
export class AddSubcontractorPayload extends Payload('subcontract', () => Subcontract, {
  field: 'The place added; null when userErrors is not empty.',
  userErrors: 'Why nothing was written; empty on success.',
}) {}

@InputType({ description: "One contract's share." })
export class MarketShareInput {
  @Field(() => ID, { description: 'A prime contract in force in the CPA on the day.' })
  contractId!: string;

  @Field(() => Int, { description: 'Basis points of new referrals, 0 to 10000.' })
  shareBasisPoints!: number;
}

@InputType({ description: "A CPA's shares of new referrals in one payment group, from a day on." })
export class SetMarketSharesInput {
  @Field(() => Int, { description: 'The CPA.' })
  cpaCode!: number;

  @Field(() => PaymentGroup, { description: 'The payment group the shares are for.' })
  paymentGroup!: PaymentGroup;

  @Field(() => DateScalar, { description: 'From this day until the next set; a set on the same day replaces it.' })
  effectiveFrom!: string;

  @Field(() => [MarketShareInput], { description: 'One share for every contract in force in the CPA on the day, summing to 10000.' })
  @Limit({ items: 20 }) // 2 or 3 contracts a CPA in the Work Programme
  shares!: MarketShareInput[];
}

@ObjectType({ description: 'The answer to `setMarketShares`.' })
export class SetMarketSharesPayload extends Payload('marketShares', () => [MarketShare], {
  field: 'The shares set; null when userErrors is not empty.',
  userErrors: 'Why nothing was written; empty on success.',
}) {}

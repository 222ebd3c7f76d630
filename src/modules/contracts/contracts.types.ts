import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../common/scalars';
import { UserError } from '../../common/user-error';
import { DeliveryModel, Nation, PaymentGroup } from './contracts.enums';
import { Cpa } from './cpa.entity';
import { MarketShare } from './market-share.entity';
import { PrimeContract } from './prime-contract.entity';
import { Subcontract } from './subcontract.entity';

@InputType()
export class CreateCpaInput {
  @Field(() => Int)
  code!: number;

  @Field(() => String)
  name!: string;

  @Field(() => Nation)
  nation!: Nation;
}

@ObjectType()
export class CreateCpaPayload {
  @Field(() => Cpa, { nullable: true })
  cpa!: Cpa | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class AwardPrimeContractInput {
  @Field(() => Int)
  cpaCode!: number;

  @Field(() => ID)
  primeId!: string;

  @Field(() => String)
  reference!: string;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar)
  endsOn!: string;
}

@ObjectType()
export class AwardPrimeContractPayload {
  @Field(() => PrimeContract, { nullable: true })
  contract!: PrimeContract | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class AddSubcontractorInput {
  @Field(() => ID)
  contractId!: string;

  @Field(() => ID)
  subcontractorId!: string;

  @Field(() => DeliveryModel)
  deliveryModel!: DeliveryModel;

  @Field(() => [String], { nullable: true })
  specialisms?: string[] | null;

  @Field(() => ID, { nullable: true })
  parentSubcontractId?: string | null;
}

@ObjectType()
export class AddSubcontractorPayload {
  @Field(() => Subcontract, { nullable: true })
  subcontract!: Subcontract | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class MarketShareInput {
  @Field(() => ID)
  contractId!: string;

  @Field(() => Int)
  shareBasisPoints!: number;
}

@InputType()
export class SetMarketSharesInput {
  @Field(() => Int)
  cpaCode!: number;

  @Field(() => PaymentGroup)
  paymentGroup!: PaymentGroup;

  @Field(() => DateScalar)
  effectiveFrom!: string;

  @Field(() => [MarketShareInput])
  shares!: MarketShareInput[];
}

@ObjectType()
export class SetMarketSharesPayload {
  @Field(() => [MarketShare], { nullable: true })
  marketShares!: MarketShare[] | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

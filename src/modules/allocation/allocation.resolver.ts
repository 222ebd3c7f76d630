import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Action } from '../../auth/policy';
import { DateScalar } from '../../common/scalars';
import type { RequestContext } from '../../server/context';
import { PaymentGroup } from '../contracts/contracts.enums';
import { Cpa } from '../contracts/cpa.entity';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { allocationCheck } from './allocation.service';

@ObjectType()
export class AllocationShare {
  @Field(() => PrimeContract)
  contract!: PrimeContract;

  @Field(() => Float)
  expectedShare!: number;

  @Field(() => Float)
  observedShare!: number;

  @Field(() => Int)
  referrals!: number;
}

@ObjectType({
  description:
    'Whether random allocation in a CPA matched the market shares: a chi-square goodness-of-fit test over the period\'s randomly allocated referrals.',
})
export class AllocationCheck {
  @Field(() => Cpa)
  cpa!: Cpa;

  @Field(() => Int)
  referrals!: number;

  @Field(() => [AllocationShare])
  shares!: AllocationShare[];

  @Field(() => Float)
  chiSquare!: number;

  @Field(() => Int)
  degreesOfFreedom!: number;

  @Field(() => Float)
  pValue!: number;
}

/** Allocation figures for analysts: counts and shares, never a person. */
@Resolver()
export class AllocationCheckResolver {
  @Extensions({ cost: 10000 })
  @Authorized(Action.CheckAllocation)
  @Query(() => AllocationCheck)
  async allocationCheck(
    @Arg('cpaCode', () => Int) cpaCode: number,
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Ctx() ctx: RequestContext,
    @Arg('paymentGroup', () => PaymentGroup, { nullable: true }) paymentGroup?: PaymentGroup | null,
  ): Promise<AllocationCheck> {
    const result = await allocationCheck(ctx.db, { cpaCode, from, to, paymentGroup });
    if (!result) throw new GraphQLError(`No CPA has code ${cpaCode}`, { extensions: { code: 'NOT_FOUND' } });
    const contracts = await ctx.loaders.primeContract.loadMany(result.shares.map((s) => s.contractId));
    return { ...result, shares: result.shares.map((share, i) => ({ ...share, contract: contracts[i] as PrimeContract })) };
  }
}

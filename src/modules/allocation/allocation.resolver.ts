import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Action } from '../../auth/policy';
import { DateScalar } from '../../common/scalars';
import type { RequestContext } from '../../server/context';
import { PaymentGroup } from '../contracts/contracts.enums';
import { Cpa } from '../contracts/cpa.entity';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { allocationCheck } from './allocation.service';

@ObjectType({ description: "One contract's part in an allocation check." })
export class AllocationShare {
  @Field(() => PrimeContract, { description: 'The contract.' })
  contract!: PrimeContract;

  @Field(() => Float, { description: 'The share of the random allocations it should have had, from 0 to 1, by the shares each was drawn against.' })
  expectedShare!: number;

  @Field(() => Float, { description: 'The share it had, from 0 to 1.' })
  observedShare!: number;

  @Field(() => Int, { description: 'The random allocations it had.' })
  referrals!: number;
}

@ObjectType({
  description:
    'Whether random allocation in a CPA matched the market shares: a chi-square goodness-of-fit test over the period\'s randomly allocated referrals.',
})
export class AllocationCheck {
  @Field(() => Cpa, { description: 'The CPA checked.' })
  cpa!: Cpa;

  @Field(() => Int, { description: 'The randomly allocated referrals of the period (by their first allocation).' })
  referrals!: number;

  @Field(() => [AllocationShare], { description: 'Expected and observed, contract by contract.' })
  shares!: AllocationShare[];

  @Field(() => Float, { description: 'The chi-square statistic.' })
  chiSquare!: number;

  @Field(() => Int, { description: 'Degrees of freedom: the contracts with an expected share, less one.' })
  degreesOfFreedom!: number;

  @Field(() => Float, { description: 'The chance of a deviation at least this large if allocation followed the shares: a small value says it did not.' })
  pValue!: number;
}

/** Allocation figures for analysts: counts and shares, never a person. */
@Resolver()
export class AllocationCheckResolver {
  @Authorized(Action.CheckAllocation)
  @Query(() => AllocationCheck, {
    description: "Tests a CPA's random allocations of a period against the market shares they were drawn by. ANALYST, ADMIN. An unknown CPA is a NOT_FOUND error.",
  })
  async allocationCheck(
    @Arg('cpaCode', () => Int, { description: 'The CPA.' }) cpaCode: number,
    @Arg('from', () => DateScalar, { description: 'The first referral date counted.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'The last referral date counted.' }) to: string,
    @Ctx() ctx: RequestContext,
    @Arg('paymentGroup', () => PaymentGroup, { nullable: true, description: 'Only this payment group; all when absent.' }) paymentGroup?: PaymentGroup | null,
  ): Promise<AllocationCheck> {
    const result = await allocationCheck(ctx.db, { cpaCode, from, to, paymentGroup });
    if (!result) throw new GraphQLError(`No CPA has code ${cpaCode}`, { extensions: { code: 'NOT_FOUND' } });
    const contracts = await ctx.loaders.primeContract.loadMany(result.shares.map((s) => s.contractId));
    return { ...result, shares: result.shares.map((share, i) => ({ ...share, contract: contracts[i] as PrimeContract })) };
  }
}

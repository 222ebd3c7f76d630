import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Action } from '../../auth/policy';
import { DateScalar } from '../../common/scalars';
import type { RequestContext } from '../context';
import { PaymentGroup } from '../contracts/contracts.enums';
import { Cpa } from '../contracts/cpa.entity';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { allocationCheck } from './allocation.service';

/**
 * A figure of a deprecated non-null field: it cannot be null, so a withheld one fails the field
 * (and, being non-null up to the root, the whole check) with WITHHELD rather than show it.
 */
function shownOrFail<T>(value: T | null, field: string, instead: string): T {
  if (value !== null) return value;
  throw new GraphQLError(`${field} is withheld under the disclosure threshold; read ${instead}, which is null when withheld`, {
    extensions: { code: 'WITHHELD' },
  });
}

const WITHHELD_NOTE = 'Cannot be null: when the figure is withheld it fails with the error code WITHHELD, and so does the whole check.';

@ObjectType({ description: "One contract's part of an allocation check." })
export class AllocationShare {
  @Field(() => PrimeContract, { description: 'The contract.' })
  contract!: PrimeContract;

  @Field(() => Float, { description: "The contract's share of the draws, from the market shares in force at each; never withheld." })
  expectedShare!: number;

  @Field(() => Int, { nullable: true, description: 'Referrals allocated to this contract at random; null when withheld (see AllocationCheck.suppressed).' })
  randomReferrals!: number | null;

  @Field(() => Float, { nullable: true, description: "randomReferrals over the check's randomReferrals; null when withheld." })
  randomShare!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Referrals allocated to this contract as joint claims (to their partner's contract, outside the draw); null when withheld (all joint counts are when any is).",
  })
  jointClaimReferrals!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Referrals sent back to this contract (RETURNING: referred again soon after a withdrawal), outside the draw; null when withheld (all returning counts are when any is).',
  })
  returningReferrals!: number | null;
}

@ObjectType({ description: "Pearson's chi-square goodness-of-fit test of the contracts' counts against the market shares." })
export class ChiSquareTest {
  @Field(() => Float, { description: "Pearson's chi-square of the contracts' counts against their expected counts." })
  chiSquare!: number;

  @Field(() => Float, { description: 'The chance of a chi-square at least this large if allocation followed the shares; below 0.001, say, it did not.' })
  pValue!: number;
}

@ObjectType({
  description:
    "Whether random allocation in a CPA matched the market shares: a chi-square goodness-of-fit test over the randomly allocated referrals made in the period's whole months. " +
    'Disclosure control as for performance: a count from 1 to the disclosure threshold less one (SCX_DISCLOSURE_THRESHOLD, default 5) is withheld, ' +
    "and when any count is, every contract's count and observed share and the test are withheld too; the total is withheld only when it is itself under the threshold.",
})
export class AllocationCheck {
  @Field(() => Cpa, { description: 'The CPA checked.' })
  cpa!: Cpa;

  @Field(() => DateScalar, { description: 'The first day of the first month asked for: checks are over whole months.' })
  from!: string;

  @Field(() => DateScalar, { description: 'The last day of the last month asked for.' })
  to!: string;

  @Field(() => Int, { nullable: true, description: "The period's randomly allocated referrals (those tested); null when withheld." })
  randomReferrals!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "The period's referrals allocated as joint claims (to their partner's contract, outside the draw and the test); null when withheld.",
  })
  jointClaimReferrals!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "The period's referrals sent back to the contract they were withdrawn from (RETURNING), outside the draw and the test; null when withheld.",
  })
  returningReferrals!: number | null;

  @Field(() => [AllocationShare], { description: 'Each contract of the CPA that had a share in the period.' })
  shares!: AllocationShare[];

  @Field(() => Int, { description: 'The contracts with an expected count, less one; never withheld.' })
  degreesOfFreedom!: number;

  @Field(() => ChiSquareTest, { nullable: true, description: "The test; null when a contract's count is withheld (with two contracts, the chi-square would give it back)." })
  test!: ChiSquareTest | null;

  @Field(() => Boolean, { description: 'True when a figure of this check is withheld under the disclosure threshold (the null fields say which).' })
  suppressed!: boolean;
}

/** Allocation figures for analysts: counts and shares, never a person. */
@Resolver(() => AllocationCheck)
export class AllocationCheckResolver {
  @Extensions({ cost: 10000 })
  @Authorized(Action.CheckAllocation)
  @Query(() => AllocationCheck, {
    description:
      "Tests a CPA's random allocations of a period (widened to whole months) against the market shares they were drawn by. ANALYST, ADMIN. " +
      'An unknown CPA is a NOT_FOUND error. See AllocationCheck for what is withheld.',
  })
  async allocationCheck(
    @Arg('cpaCode', () => Int, { description: 'The CPA.' }) cpaCode: number,
    @Arg('from', () => DateScalar, { description: 'The first referral date counted; the check starts on the first day of its month.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'The last referral date counted; the check ends on the last day of its month.' }) to: string,
    @Ctx() ctx: RequestContext,
    @Arg('paymentGroup', () => PaymentGroup, { nullable: true, description: 'Only this payment group; all when absent.' }) paymentGroup?: PaymentGroup | null,
  ): Promise<AllocationCheck> {
    const result = await allocationCheck(ctx.db, { cpaCode, from, to, paymentGroup, disclosureThreshold: ctx.disclosureThreshold });
    if (!result) throw new GraphQLError(`No CPA has code ${cpaCode}`, { extensions: { code: 'NOT_FOUND' } });
    const contracts = await ctx.loaders.primeContract.loadMany(result.shares.map((s) => s.contractId));
    return { ...result, shares: result.shares.map((share, i) => ({ ...share, contract: contracts[i] as PrimeContract })) };
  }

  @FieldResolver(() => Int, { description: 'The randomly allocated referrals of the period.', deprecationReason: `Use randomReferrals. ${WITHHELD_NOTE}` })
  referrals(@Root() check: AllocationCheck): number {
    return shownOrFail(check.randomReferrals, 'referrals', 'randomReferrals');
  }

  @FieldResolver(() => Float, { description: 'The chi-square statistic.', deprecationReason: `Use test { chiSquare }. ${WITHHELD_NOTE}` })
  chiSquare(@Root() check: AllocationCheck): number {
    return shownOrFail(check.test, 'chiSquare', 'test').chiSquare;
  }

  @FieldResolver(() => Float, { description: 'The p-value of the test.', deprecationReason: `Use test { pValue }. ${WITHHELD_NOTE}` })
  pValue(@Root() check: AllocationCheck): number {
    return shownOrFail(check.test, 'pValue', 'test').pValue;
  }
}

@Resolver(() => AllocationShare)
export class AllocationShareResolver {
  @FieldResolver(() => Int, { description: 'The random allocations this contract had.', deprecationReason: `Use randomReferrals. ${WITHHELD_NOTE}` })
  referrals(@Root() share: AllocationShare): number {
    return shownOrFail(share.randomReferrals, 'referrals', 'randomReferrals');
  }

  @FieldResolver(() => Float, { description: 'The share of the random allocations this contract had, from 0 to 1.', deprecationReason: `Use randomShare. ${WITHHELD_NOTE}` })
  observedShare(@Root() share: AllocationShare): number {
    return shownOrFail(share.randomShare, 'observedShare', 'randomShare');
  }
}

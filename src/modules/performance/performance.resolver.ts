import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, FieldResolver, Float, Int, Query, Resolver, Root } from 'type-graphql';
import { Action, performanceScope } from '../../auth/policy';
import { Limit, oneOfEach } from '../../common/input-limits';
import { DateScalar } from '../../common/scalars';
import type { RequestContext } from '../context';
import { Cpa } from '../contracts/cpa.entity';
import { Organisation } from '../identity/organisation.entity';
import { PerformanceDimension } from './performance.enums';
import { cohortPerformance } from './performance.service';
import { PerformanceReport, PerformanceRow } from './performance.types';
import { wholeMonths } from './suppression';

const WHO_READS_PERFORMANCE =
  'ANALYST and ADMIN read every row; PROVIDER only the rows of its own prime contracts. Figures, never a person: counts from 1 to the disclosure threshold less one are withheld.';

function checkPeriod(from: string, to: string): void {
  if (from > to) throw new GraphQLError(`from (${from}) is after to (${to})`, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Performance by CPA for DWP (figures, never a person); a prime reads its own contracts' only. */
@Resolver(() => PerformanceRow)
export class PerformanceResolver {
  @Extensions({ cost: 10000 })
  @Authorized(Action.ReadPerformance)
  @Query(() => PerformanceReport, {
    description: `One CPA's performance over the referrals made in a period (whole months). ${WHO_READS_PERFORMANCE} An unknown CPA is NOT_FOUND; from after to is BAD_USER_INPUT.`,
  })
  async cpaPerformance(
    @Arg('cpaCode', () => Int, { description: 'The CPA.' }) cpaCode: number,
    @Arg('from', () => DateScalar, { description: 'Referrals made from this month (its first day on).' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Referrals made up to this month (to its last day).' }) to: string,
    @Ctx() ctx: RequestContext,
    @Arg('groupBy', () => [PerformanceDimension], { nullable: true, description: 'The dimensions to group rows by; one row when absent.' })
    @Limit(oneOfEach(PerformanceDimension))
    groupBy?: PerformanceDimension[] | null,
  ): Promise<PerformanceReport> {
    checkPeriod(from, to);
    const cpa = await ctx.db.getRepository(Cpa).findOneBy({ code: cpaCode });
    if (!cpa) throw new GraphQLError(`No CPA has code ${cpaCode}`, { extensions: { code: 'NOT_FOUND' } });
    return this.report(ctx, { from, to, groupBy: groupBy ?? [], cpaId: cpa.id });
  }

  @Extensions({ cost: 30000 })
  @Authorized(Action.ReadPerformance)
  @Query(() => PerformanceReport, {
    description: `National performance over the referrals made in a period (whole months). ${WHO_READS_PERFORMANCE} from after to is BAD_USER_INPUT.`,
  })
  async nationalPerformance(
    @Arg('from', () => DateScalar, { description: 'Referrals made from this month (its first day on).' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Referrals made up to this month (to its last day).' }) to: string,
    @Ctx() ctx: RequestContext,
    @Arg('groupBy', () => [PerformanceDimension], { nullable: true, description: 'The dimensions to group rows by; one row when absent.' })
    @Limit(oneOfEach(PerformanceDimension))
    groupBy?: PerformanceDimension[] | null,
  ): Promise<PerformanceReport> {
    checkPeriod(from, to);
    return this.report(ctx, { from, to, groupBy: groupBy ?? [], cpaId: null });
  }

  private async report(ctx: RequestContext, query: { from: string; to: string; groupBy: PerformanceDimension[]; cpaId: string | null }): Promise<PerformanceReport> {
    const { primeId } = performanceScope(ctx.viewer);
    const groupBy = [...new Set(query.groupBy)];
    const period = wholeMonths(query.from, query.to);
    const rows = await cohortPerformance(ctx.db, { ...query, ...period, groupBy, primeId, disclosureThreshold: ctx.disclosureThreshold });
    return { ...period, groupBy, rows };
  }

  @FieldResolver(() => Cpa, { nullable: true, description: 'The CPA (grouped by CPA).' })
  cpa(@Root() row: PerformanceRow, @Ctx() ctx: RequestContext): Promise<Cpa | null> | null {
    return row.cpaId ? ctx.loaders.cpa.load(row.cpaId) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The prime (grouped by PRIME).' })
  prime(@Root() row: PerformanceRow, @Ctx() ctx: RequestContext): Promise<Organisation | null> | null {
    return row.primeId ? ctx.loaders.organisation.load(row.primeId) : null;
  }

  @FieldResolver(() => Organisation, {
    nullable: true,
    description: 'The first end-to-end subcontractor to accept the referrals (grouped by SUBCONTRACTOR); null: the prime delivered them.',
  })
  subcontractor(@Root() row: PerformanceRow, @Ctx() ctx: RequestContext): Promise<Organisation | null> | null {
    return row.subcontractorId ? ctx.loaders.organisation.load(row.subcontractorId) : null;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Everything paid for the cohort so far, in pence, as a floating-point number.',
    deprecationReason: 'A Float is not exact for money: read paidPence (whole pence as a string of digits).',
  })
  paymentsPence(@Root() row: PerformanceRow): number | null {
    return row.paidPence === null ? null : Number(row.paidPence);
  }
}

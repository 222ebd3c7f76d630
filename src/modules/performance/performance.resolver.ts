import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Action, performanceScope } from '../../auth/policy';
import { DateScalar } from '../../common/scalars';
import type { RequestContext } from '../../server/context';
import { Cpa } from '../contracts/cpa.entity';
import { Organisation } from '../identity/organisation.entity';
import { PerformanceDimension } from './performance.enums';
import { cohortPerformance } from './performance.service';
import { PerformanceReport, PerformanceRow } from './performance.types';
import { wholeMonths } from './suppression';

function checkPeriod(from: string, to: string): void {
  if (from > to) throw new GraphQLError(`from (${from}) is after to (${to})`, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Performance by CPA for DWP (figures, never a person); a prime reads its own contracts' only. */
@Resolver(() => PerformanceRow)
export class PerformanceResolver {
  @Extensions({ cost: 10000 })
  @Authorized(Action.ReadPerformance)
  @Query(() => PerformanceReport)
  async cpaPerformance(
    @Arg('cpaCode', () => Int) cpaCode: number,
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Ctx() ctx: RequestContext,
    @Arg('groupBy', () => [PerformanceDimension], { nullable: true }) groupBy?: PerformanceDimension[] | null,
  ): Promise<PerformanceReport> {
    checkPeriod(from, to);
    const cpa = await ctx.db.getRepository(Cpa).findOneBy({ code: cpaCode });
    if (!cpa) throw new GraphQLError(`No CPA has code ${cpaCode}`, { extensions: { code: 'NOT_FOUND' } });
    return this.report(ctx, { from, to, groupBy: groupBy ?? [], cpaId: cpa.id });
  }

  @Extensions({ cost: 30000 })
  @Authorized(Action.ReadPerformance)
  @Query(() => PerformanceReport)
  async nationalPerformance(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Ctx() ctx: RequestContext,
    @Arg('groupBy', () => [PerformanceDimension], { nullable: true }) groupBy?: PerformanceDimension[] | null,
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

  @FieldResolver(() => Cpa, { nullable: true })
  cpa(@Root() row: PerformanceRow, @Ctx() ctx: RequestContext): Promise<Cpa | null> | null {
    return row.cpaId ? ctx.loaders.cpa.load(row.cpaId) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true })
  prime(@Root() row: PerformanceRow, @Ctx() ctx: RequestContext): Promise<Organisation | null> | null {
    return row.primeId ? ctx.loaders.organisation.load(row.primeId) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The first end-to-end subcontractor to accept the referrals; null: the prime delivered them.' })
  subcontractor(@Root() row: PerformanceRow, @Ctx() ctx: RequestContext): Promise<Organisation | null> | null {
    return row.subcontractorId ? ctx.loaders.organisation.load(row.subcontractorId) : null;
  }
}

import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Action } from '../../auth/policy';
import { accessTo } from '../../auth/referral-access';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { answer } from '../../common/payload';
import type { RequestContext } from '../context';
import { ReferralQueryStatus } from './query-states';
import { ReferralQuery } from './referral-query.entity';
import { Referral } from './referral.entity';
import * as queries from './referral-queries';
import { QueryReferralInput, ReferralQueryPayload, ResolveReferralQueryInput } from './referral-queries.types';
import { visibleReferral } from '../visible';
import { ReferralPayload, RejectReferralInput } from './referrals.types';

/** The referral's queries as the viewer may see them (the prime and the referring Jobcentre; nobody else). */
async function queriesOf(ctx: RequestContext, referralId: string): Promise<ReferralQuery[]> {
  const [access, all] = await Promise.all([accessTo(ctx, referralId), ctx.loaders.queriesByReferral.load(referralId)]);
  return access?.seesQueries ? all : [];
}

const openOf = async (ctx: RequestContext, referralId: string) =>
  (await queriesOf(ctx, referralId)).find((query) => query.status === ReferralQueryStatus.OPEN) ?? null;

/** Referral queries: the prime asks, the referring Jobcentre answers. Rules: referral-queries.ts. */
@Resolver(() => ReferralQuery)
export class ReferralQueryResolver {
  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralQueryPayload, {
    description: `Queries a referral the prime thinks inappropriate, with the grounds and a reason, within the programme's query window from the allocation (14 days) and before attachment; one open query at a time, and none on grounds the Jobcentre has confirmed the referral on. The referring Jobcentre hears of it (REFERRAL_QUERIED) and answers with resolveReferralQuery; the referral stays as it is meanwhile. PROVIDER: the prime holding its contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.QUERY_WINDOW_CLOSED,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.QUERY_OPEN,
      ErrorCode.QUERY_ALREADY_CONFIRMED,
      ErrorCode.TOO_LONG,
    )}`,
  })
  queryReferral(
    @Arg('input', () => QueryReferralInput, { description: 'The referral, the grounds and why.' }) input: QueryReferralInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReferralQueryPayload> {
    return answer('referralQuery', () => queries.queryReferral(ctx.db, viewer, input));
  }

  @Authorized(Action.ResolveReferralQuery)
  @Mutation(() => ReferralQueryPayload, {
    description: `Answers an open query of a referral the viewer's Jobcentre made: WITHDRAW ends the referral as WITHDRAWN (the chain's live handoffs end; the same person referred again within the programme's days, 90, goes back to the same contract), CONFIRM leaves it with the prime, which proceeds. The prime hears of it (REFERRAL_QUERY_RESOLVED). JOBCENTRE (the referring one). ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL_QUERY,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.TOO_LONG,
    )}`,
  })
  resolveReferralQuery(
    @Arg('input', () => ResolveReferralQueryInput, { description: 'The query and the answer.' }) input: ResolveReferralQueryInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReferralQueryPayload> {
    return answer('referralQuery', () => queries.resolveReferralQuery(ctx.db, viewer, input));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload, {
    deprecationReason: 'A prime no longer rejects a referral: use queryReferral, and the referring Jobcentre withdraws or confirms it (resolveReferralQuery).',
    description: `Raises a query of the referral on the reason's grounds (as queryReferral does, with the note as its reason) instead of ending it: the referral stays as it is, and the payload's \`openQuery\` is the query raised. PROVIDER: the prime holding its contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.NOTE_REQUIRED,
      ErrorCode.QUERY_WINDOW_CLOSED,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.QUERY_OPEN,
      ErrorCode.QUERY_ALREADY_CONFIRMED,
      ErrorCode.TOO_LONG,
    )}`,
  })
  rejectReferral(@Arg('input', () => RejectReferralInput, { description: 'The referral and why.' }) input: RejectReferralInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<ReferralPayload> {
    return answer('referral', () => queries.rejectReferral(ctx.db, viewer, input));
  }

  @FieldResolver(() => Referral, { nullable: true, description: 'The referral queried; null when the viewer may no longer see it.' })
  referral(@Root() query: ReferralQuery, @Ctx() ctx: RequestContext): Promise<Referral | null> {
    return visibleReferral(ctx, query.referralId);
  }
}

@Resolver(() => Referral)
export class ReferralQueriesOfReferralResolver {
  @FieldResolver(() => [ReferralQuery], { description: "The prime's queries of this referral and the Jobcentre's answers, oldest first: for the referring Jobcentre and the prime; empty for anyone else." })
  queries(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ReferralQuery[]> {
    return queriesOf(ctx, referral.id);
  }

  @FieldResolver(() => ReferralQuery, { nullable: true, description: 'The query waiting for the referring Jobcentre\'s answer; null when none (or for anyone but the Jobcentre and the prime).' })
  openQuery(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ReferralQuery | null> {
    return openOf(ctx, referral.id);
  }
}

@Resolver(() => ReferralPayload)
export class ReferralPayloadResolver {
  @FieldResolver(() => ReferralQuery, {
    nullable: true,
    description: "The referral's open query (the one the deprecated rejectReferral raised); null when refused or when none.",
  })
  openQuery(@Root() payload: ReferralPayload, @Ctx() ctx: RequestContext): Promise<ReferralQuery | null> {
    return payload.referral ? openOf(ctx, payload.referral.id) : Promise.resolve(null);
  }
}

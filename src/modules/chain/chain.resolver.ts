import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../auth/errors';
import { LIVE_HANDOFF_STATUSES } from '../../auth/access.enums';
import { Action } from '../../auth/policy';
import { accessTo } from '../../auth/referral-access';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { answer } from '../../common/payload';
import type { RequestContext } from '../context';
import { Organisation } from '../identity/organisation.entity';
import { Referral } from '../referrals/referral.entity';
import * as chain from './chain.service';
import { CompleteHandoffInput, HandoffPayload, PassReferralInput, RespondToHandoffInput, WithdrawHandoffInput } from './chain.types';
import { Handoff } from './handoff.entity';

/** Passing referrals down the supply chain. Rules: chain.service; who sees what: the policy. */
@Resolver(() => Handoff)
export class HandoffResolver {
  @Authorized(Action.PassReferrals)
  @Mutation(() => HandoffPayload, {
    description: `Offers a referral to another member of its contract's supply chain, with the fields that travel; the receiver finds it in its inbox. PROVIDER: the prime, or a subcontractor holding an accepted end-to-end handoff of the referral. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.NOT_ALLOWED_TO_PASS,
      ErrorCode.REFERRAL_NOT_LIVE,
      ErrorCode.NOT_IN_CHAIN,
      ErrorCode.PURPOSE_NOT_FIT,
      ErrorCode.SPOT_PARENT_ONLY,
      ErrorCode.RESTRICTED_RECORD,
      ErrorCode.HEALTH_WITHOUT_CONSENT,
      ErrorCode.RISK_WITHOUT_BASIS,
      ErrorCode.FIELD_NOT_VISIBLE_TO_SENDER,
      ErrorCode.DUPLICATE_HANDOFF,
      ErrorCode.LIVE_END_TO_END_EXISTS,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
    )}`,
  })
  passReferral(@Arg('input', () => PassReferralInput, { description: 'The referral, the receiver, the purpose and what travels.' }) input: PassReferralInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<HandoffPayload> {
    return answer('handoff', () => chain.passReferral(ctx.db, viewer, input));
  }

  @Authorized(Action.PassReferrals)
  @Mutation(() => HandoffPayload, {
    description: `Accepts or declines an OFFERED handoff; the sender is told. PROVIDER: the receiver. ${answersCodes(
      ErrorCode.UNKNOWN_HANDOFF,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.TOO_LONG,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
    )}`,
  })
  respondToHandoff(
    @Arg('input', () => RespondToHandoffInput, { description: 'The handoff and the answer.' }) input: RespondToHandoffInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<HandoffPayload> {
    return answer('handoff', () => chain.respondToHandoff(ctx.db, viewer, input));
  }

  @Authorized(Action.PassReferrals)
  @Mutation(() => HandoffPayload, {
    description: `Ends an ACCEPTED handoff as done, with feedback for the other party; handoffs passed on through it end too. PROVIDER: its sender or receiver. ${answersCodes(
      ErrorCode.UNKNOWN_HANDOFF,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.TOO_LONG,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
    )}`,
  })
  completeHandoff(
    @Arg('input', () => CompleteHandoffInput, { description: 'The handoff and the feedback.' }) input: CompleteHandoffInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<HandoffPayload> {
    return answer('handoff', () => chain.completeHandoff(ctx.db, viewer, input));
  }

  @Authorized(Action.PassReferrals)
  @Mutation(() => HandoffPayload, {
    description: `Withdraws an OFFERED or ACCEPTED handoff, with a reason; handoffs passed on through it end too. PROVIDER: its sender, or the prime holding the referral. ${answersCodes(
      ErrorCode.UNKNOWN_HANDOFF,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.TOO_LONG,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
    )}`,
  })
  withdrawHandoff(
    @Arg('input', () => WithdrawHandoffInput, { description: 'The handoff and why.' }) input: WithdrawHandoffInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<HandoffPayload> {
    return answer('handoff', () => chain.withdrawHandoff(ctx.db, viewer, input));
  }

  /** After a handoff ends its receiver keeps the handoff record, not the referral. */
  @FieldResolver(() => Referral, { description: 'The referral handed on; FORBIDDEN to a receiver once the handoff has ended.' })
  async referral(@Root() handoff: Handoff, @Ctx() ctx: RequestContext): Promise<Referral> {
    if (!(await accessTo(ctx, handoff.referralId))?.canRead) throw forbidden('this referral: the handoff has ended');
    return (await ctx.loaders.referral.load(handoff.referralId))!;
  }

  @FieldResolver(() => Organisation, { description: 'The sender: the prime or an end-to-end subcontractor.' })
  async from(@Root() handoff: Handoff, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(handoff.fromOrganisationId))!;
  }

  @FieldResolver(() => Organisation, { description: 'The receiver.' })
  async to(@Root() handoff: Handoff, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(handoff.toOrganisationId))!;
  }
}

@Resolver(() => Referral)
export class ReferralHandoffsResolver {
  @FieldResolver(() => [Handoff], {
    description: "The handoffs of this referral the viewer is party to; for the prime, all of those in its chain (none from a chain the referral was moved from).",
  })
  async handoffs(
    @Root() referral: Referral,
    @Ctx() ctx: RequestContext,
    @Arg('live', () => Boolean, { nullable: true, description: 'True: only the live ones (OFFERED, ACCEPTED); false: only the ended ones; absent: all.' }) live?: boolean | null,
  ): Promise<Handoff[]> {
    const [access, handoffs] = await Promise.all([accessTo(ctx, referral.id), ctx.loaders.handoffsByReferral.load(referral.id)]);
    return handoffs.filter((handoff) => access?.seesHandoff(handoff) && (live == null || LIVE_HANDOFF_STATUSES.includes(handoff.status) === live));
  }
}

import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../auth/errors';
import { Action, canSeeHandoff } from '../../auth/policy';
import { isUuid } from '../../common/ids';
import { attempt } from '../../common/user-error';
import type { RequestContext } from '../../server/context';
import { Organisation } from '../identity/organisation.entity';
import { referralAccess } from '../referrals/referral-access';
import { Referral } from '../referrals/referral.entity';
import * as chain from './chain.service';
import { CompleteHandoffInput, HandoffPayload, PassReferralInput, RespondToHandoffInput, WithdrawHandoffInput } from './chain.types';
import { Handoff } from './handoff.entity';

async function handoffPayload(run: () => Promise<Handoff>): Promise<HandoffPayload> {
  const { value, userErrors } = await attempt(run);
  return { handoff: value, userErrors };
}

/** The handoff if the viewer is party to it or the referral's prime; null otherwise, as if absent. */
export async function visibleHandoff(ctx: RequestContext, id: string): Promise<Handoff | null> {
  const handoff = isUuid(id) ? await ctx.loaders.handoff.load(id) : null;
  if (!handoff) return null;
  const referral = (await ctx.loaders.referral.load(handoff.referralId))!;
  const contract = (await ctx.loaders.primeContract.load(referral.contractId))!;
  return canSeeHandoff(ctx.viewer, handoff, contract) ? handoff : null;
}

/** Passing referrals down the supply chain. Rules: chain.service; who sees what: the policy. */
@Resolver(() => Handoff)
export class HandoffResolver {
  @Authorized(Action.PassReferrals)
  @Mutation(() => HandoffPayload)
  passReferral(@Arg('input', () => PassReferralInput) input: PassReferralInput, @Ctx() ctx: RequestContext): Promise<HandoffPayload> {
    return handoffPayload(() => chain.passReferral(ctx.db, ctx.viewer!, input));
  }

  @Authorized(Action.PassReferrals)
  @Mutation(() => HandoffPayload)
  respondToHandoff(
    @Arg('input', () => RespondToHandoffInput) input: RespondToHandoffInput,
    @Ctx() ctx: RequestContext,
  ): Promise<HandoffPayload> {
    return handoffPayload(() => chain.respondToHandoff(ctx.db, ctx.viewer!, input));
  }

  @Authorized(Action.PassReferrals)
  @Mutation(() => HandoffPayload)
  completeHandoff(
    @Arg('input', () => CompleteHandoffInput) input: CompleteHandoffInput,
    @Ctx() ctx: RequestContext,
  ): Promise<HandoffPayload> {
    return handoffPayload(() => chain.completeHandoff(ctx.db, ctx.viewer!, input));
  }

  @Authorized(Action.PassReferrals)
  @Mutation(() => HandoffPayload)
  withdrawHandoff(
    @Arg('input', () => WithdrawHandoffInput) input: WithdrawHandoffInput,
    @Ctx() ctx: RequestContext,
  ): Promise<HandoffPayload> {
    return handoffPayload(() => chain.withdrawHandoff(ctx.db, ctx.viewer!, input));
  }

  /** After a handoff ends its receiver keeps the handoff record, not the referral. */
  @FieldResolver(() => Referral)
  async referral(@Root() handoff: Handoff, @Ctx() ctx: RequestContext): Promise<Referral> {
    const referral = (await ctx.loaders.referral.load(handoff.referralId))!;
    if (!(await referralAccess(ctx, referral))) throw forbidden('this referral: the handoff has ended');
    return referral;
  }

  @FieldResolver(() => Organisation)
  async from(@Root() handoff: Handoff, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(handoff.fromOrganisationId))!;
  }

  @FieldResolver(() => Organisation)
  async to(@Root() handoff: Handoff, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(handoff.toOrganisationId))!;
  }
}

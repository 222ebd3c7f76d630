import { Arg, Authorized, Ctx, Extensions, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Action, jobAccess, seesPayments } from '../../auth/policy';
import { attempt } from '../../common/user-error';
import type { RequestContext } from '../../server/context';
import { isUuid } from '../../common/ids';
import { facts } from '../chain/chain.service';
import { referralAccess, seenOnReferral } from '../referrals/referral-access';
import { Referral } from '../referrals/referral.entity';
import { JobStart } from './job-start.entity';
import * as outcomes from './outcomes.service';
import {
  ClaimJobOutcomeInput,
  ClaimSustainmentInput,
  JobStartPayload,
  PaymentPayload,
  RecordJobEndInput,
  RecordJobStartInput,
  SetRateCardInput,
  SetRateCardPayload,
} from './outcomes.types';
import { Payment } from './payment.entity';
import { RateCard } from './rate-card.entity';

/** Job starts, payments by results and the rate card. Rules: outcomes.service; who: the policy. */
@Resolver()
export class OutcomesResolver {
  @Authorized(Action.RecordJobs)
  @Mutation(() => JobStartPayload)
  async recordJobStart(@Arg('input', () => RecordJobStartInput) input: RecordJobStartInput, @Ctx() ctx: RequestContext): Promise<JobStartPayload> {
    const { value, userErrors } = await attempt(() => outcomes.recordJobStart(ctx.db, ctx.viewer!, input));
    return { jobStart: value, userErrors };
  }

  @Authorized(Action.RecordJobs)
  @Mutation(() => JobStartPayload)
  async recordJobEnd(@Arg('input', () => RecordJobEndInput) input: RecordJobEndInput, @Ctx() ctx: RequestContext): Promise<JobStartPayload> {
    const { value, userErrors } = await attempt(() => outcomes.recordJobEnd(ctx.db, ctx.viewer!, input));
    return { jobStart: value, userErrors };
  }

  @Authorized(Action.ClaimPayments)
  @Mutation(() => PaymentPayload)
  async claimJobOutcome(@Arg('input', () => ClaimJobOutcomeInput) input: ClaimJobOutcomeInput, @Ctx() ctx: RequestContext): Promise<PaymentPayload> {
    const { value, userErrors } = await attempt(() => outcomes.claimJobOutcome(ctx.db, ctx.viewer!, input));
    return { payment: value, userErrors };
  }

  @Authorized(Action.ClaimPayments)
  @Mutation(() => PaymentPayload)
  async claimSustainment(@Arg('input', () => ClaimSustainmentInput) input: ClaimSustainmentInput, @Ctx() ctx: RequestContext): Promise<PaymentPayload> {
    const { value, userErrors } = await attempt(() => outcomes.claimSustainment(ctx.db, ctx.viewer!, input));
    return { payment: value, userErrors };
  }

  @Extensions({ listSize: 50 })
  @Authorized(Action.ReadRateCards)
  @Query(() => [RateCard], { description: 'The rates in force, by programme, payment group and contract year.' })
  rateCards(@Ctx() ctx: RequestContext, @Arg('programme', () => String, { nullable: true }) programme?: string | null): Promise<RateCard[]> {
    return outcomes.rateCardsInForce(ctx.db, programme);
  }

  @Authorized(Action.ManageRateCards)
  @Mutation(() => SetRateCardPayload, { description: 'Sets the rate of one programme, payment group and contract year; the rate it replaces is kept, as are the payments made at it.' })
  async setRateCard(@Arg('input', () => SetRateCardInput) input: SetRateCardInput, @Ctx() ctx: RequestContext): Promise<SetRateCardPayload> {
    const { value, userErrors } = await attempt(() => outcomes.setRateCard(ctx.db, ctx.viewer!, input));
    return { rateCard: value, userErrors };
  }
}

/** Whether the viewer reads this referral's job starts (the policy's jobAccess). */
async function readsJobs(ctx: RequestContext, referral: Referral): Promise<boolean> {
  const [access, handoffs] = await Promise.all([referralAccess(ctx, referral), ctx.loaders.handoffsByReferral.load(referral.id)]);
  return jobAccess(ctx.viewer, access?.relationship ?? null, handoffs.map(facts)) !== null;
}

/** A referral's job starts (the prime and the chain delivering its support) and payments (the prime only). */
@Resolver(() => Referral)
export class ReferralOutcomesResolver {
  @FieldResolver(() => [JobStart])
  async jobStarts(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<JobStart[]> {
    return (await readsJobs(ctx, referral)) ? ctx.loaders.jobStartsByReferral.load(referral.id) : [];
  }

  @Extensions({ listSize: 25 })
  @FieldResolver(() => [Payment])
  async payments(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Payment[]> {
    const access = await referralAccess(ctx, referral);
    return access && seesPayments(access.relationship) ? ctx.loaders.paymentsByReferral.load(referral.id) : [];
  }
}

export async function visibleJobStart(ctx: RequestContext, id: string): Promise<JobStart | null> {
  const job = isUuid(id) ? await ctx.loaders.jobStart.load(id) : null;
  const referral = job && (await ctx.loaders.referral.load(job.referralId));
  return referral && (await readsJobs(ctx, referral)) ? job : null;
}

export async function visiblePayment(ctx: RequestContext, id: string): Promise<Payment | null> {
  const payment = isUuid(id) ? await ctx.loaders.payment.load(id) : null;
  return payment && (await seenOnReferral(ctx, payment.referralId, seesPayments)) ? payment : null;
}

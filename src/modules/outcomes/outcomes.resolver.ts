import { Arg, Authorized, Ctx, Extensions, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Action } from '../../auth/policy';
import { accessTo } from '../../auth/referral-access';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { LIMITS, Limit } from '../../common/input-limits';
import { answer } from '../../common/payload';
import type { RequestContext } from '../context';
import { isUuid } from '../../common/ids';
import { Referral } from '../referrals/referral.entity';
import { handbackOf } from './handback';
import { JobStart } from './job-start.entity';
import * as outcomes from './outcomes.service';
import {
  ClaimJobOutcomeInput,
  ClaimSustainmentInput,
  Handback,
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
  @Mutation(() => JobStartPayload, {
    description: `Records a job a participant started (with \`endedOn\`, a past job whole). PROVIDER: the prime, or a subcontractor holding an accepted end-to-end or in-work support handoff. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.NOT_ATTACHED,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.BEFORE_ATTACHMENT,
      ErrorCode.END_BEFORE_START,
      ErrorCode.INVALID_HOURS,
      ErrorCode.JOBS_OVERLAP,
      ErrorCode.TOO_LONG,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.AFTER_EXIT,
    )}`,
  })
  async recordJobStart(@Arg('input', () => RecordJobStartInput, { description: 'The job.' }) input: RecordJobStartInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<JobStartPayload> {
    return answer('jobStart', () => outcomes.recordJobStart(ctx.db, viewer, input));
  }

  @Authorized(Action.RecordJobs)
  @Mutation(() => JobStartPayload, {
    description: `Records the end of a job. PROVIDER: as recordJobStart. ${answersCodes(
      ErrorCode.UNKNOWN_JOB_START,
      ErrorCode.JOB_ALREADY_ENDED,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.END_BEFORE_START,
      ErrorCode.END_BEFORE_CLAIMED_WORK,
    )}`,
  })
  async recordJobEnd(@Arg('input', () => RecordJobEndInput, { description: 'The job and its last day.' }) input: RecordJobEndInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<JobStartPayload> {
    return answer('jobStart', () => outcomes.recordJobEnd(ctx.db, viewer, input));
  }

  @Authorized(Action.ClaimPayments)
  @Mutation(() => PaymentPayload, {
    description: `Claims the job outcome once the days in work from attachment, within the allotted time, reach the group's threshold; it is earned on the day the threshold was reached and paid at that day's rate. One per referral. PROVIDER: the prime holding the contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.NOT_ATTACHED,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.OUTCOME_ALREADY_CLAIMED,
      ErrorCode.RATE_NOT_SET,
      ErrorCode.NOT_ENOUGH_TIME_IN_WORK,
      ErrorCode.ALREADY_PAID,
    )}`,
  })
  async claimJobOutcome(@Arg('input', () => ClaimJobOutcomeInput, { description: 'The referral and the day.' }) input: ClaimJobOutcomeInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<PaymentPayload> {
    return answer('payment', () => outcomes.claimJobOutcome(ctx.db, viewer, input));
  }

  @Authorized(Action.ClaimPayments)
  @Mutation(() => PaymentPayload, {
    description: `Claims the next sustainment period, in work every day of it; the last one the cap allows exits a participant still attached (FINAL_PAYMENT_CLAIMED). PROVIDER: the prime holding the contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.NOT_ATTACHED,
      ErrorCode.NO_JOB_OUTCOME,
      ErrorCode.PERIOD_ALREADY_CLAIMED,
      ErrorCode.RATE_NOT_SET,
      ErrorCode.SUSTAINMENT_CAP_REACHED,
      ErrorCode.PERIOD_OUT_OF_ORDER,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.NOT_IN_WORK_THROUGHOUT,
      ErrorCode.ALREADY_PAID,
      ErrorCode.AFTER_EXIT,
    )}`,
  })
  async claimSustainment(@Arg('input', () => ClaimSustainmentInput, { description: 'The referral and the end of the period.' }) input: ClaimSustainmentInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<PaymentPayload> {
    return answer('payment', () => outcomes.claimSustainment(ctx.db, viewer, input));
  }

  @Extensions({ listSize: 50 })
  @Authorized(Action.ReadRateCards)
  @Query(() => [RateCard], { description: 'The rates in force, by programme, payment group and contract year. Any key.' })
  rateCards(
    @Ctx() ctx: RequestContext,
    @Arg('programme', () => String, { nullable: true, description: "Only this programme's; every programme's when absent." })
    @Limit(LIMITS.programme)
    programme?: string | null,
  ): Promise<RateCard[]> {
    return outcomes.rateCardsInForce(ctx.db, programme);
  }

  @Authorized(Action.ManageRateCards)
  @Mutation(() => SetRateCardPayload, {
    description: `Sets the rate of one programme, payment group and contract year; the rate it replaces is kept, as are the payments made at it. ADMIN. ${answersCodes(
      ErrorCode.INVALID_RATE,
      ErrorCode.UNKNOWN_PROGRAMME,
      ErrorCode.TOO_LONG,
    )}`,
  })
  async setRateCard(@Arg('input', () => SetRateCardInput, { description: 'The rate.' }) input: SetRateCardInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<SetRateCardPayload> {
    return answer('rateCard', () => outcomes.setRateCard(ctx.db, viewer, input));
  }
}

/** Whether the viewer reads this referral's job starts (the access gate's `jobs`). */
async function readsJobs(ctx: RequestContext, referralId: string): Promise<boolean> {
  return Boolean((await accessTo(ctx, referralId))?.jobs);
}

/** Whether the viewer reads this referral's payments. */
async function readsPayments(ctx: RequestContext, referralId: string): Promise<boolean> {
  return Boolean((await accessTo(ctx, referralId))?.seesPayments);
}

/** A referral's job starts (the prime and the chain delivering its support) and payments (the prime only). */
@Resolver(() => Referral)
export class ReferralOutcomesResolver {
  @FieldResolver(() => [JobStart], {
    description: "The participant's jobs on this referral: for the prime, the chain delivering its support, and a handoff sharing EMPLOYMENT_HISTORY; empty for others.",
  })
  async jobStarts(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<JobStart[]> {
    return (await readsJobs(ctx, referral.id)) ? ctx.loaders.jobStartsByReferral.load(referral.id) : [];
  }

  @Extensions({ listSize: 25 })
  @FieldResolver(() => [Payment], { description: 'The payments earned on this referral: for the prime only; empty for others.' })
  async payments(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Payment[]> {
    return (await readsPayments(ctx, referral.id)) ? ctx.loaders.paymentsByReferral.load(referral.id) : [];
  }

  @FieldResolver(() => Handback, {
    nullable: true,
    description: 'Once EXITED, what goes back to the referring Jobcentre (also REFERRAL_EXITED in its inbox): for the referring Jobcentre and the prime; null for others and before the exit.',
  })
  async handback(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Handback | null> {
    if (!referral.exitedOn || !referral.exitReason || !(await accessTo(ctx, referral.id))?.seesHandback) return null;
    const [contacts, jobs, payments] = await Promise.all([
      ctx.loaders.contactKindsByReferral.load(referral.id),
      ctx.loaders.jobStartsByReferral.load(referral.id),
      ctx.loaders.paymentsByReferral.load(referral.id),
    ]);
    return handbackOf(referral, contacts, jobs, payments);
  }
}

export async function visibleJobStart(ctx: RequestContext, id: string): Promise<JobStart | null> {
  const job = isUuid(id) ? await ctx.loaders.jobStart.load(id) : null;
  return job && (await readsJobs(ctx, job.referralId)) ? job : null;
}

export async function visiblePayment(ctx: RequestContext, id: string): Promise<Payment | null> {
  const payment = isUuid(id) ? await ctx.loaders.payment.load(id) : null;
  return payment && (await readsPayments(ctx, payment.referralId)) ? payment : null;
}

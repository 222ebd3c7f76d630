/**
 * What a viewer may see, by id, as the access gate (src/auth/referral-access.ts) answers: null
 * otherwise, as if absent. These are asked beyond their own module (inbox items, other modules'
 * field resolvers, node(id)): here, no resolver imports another module's resolver.
 */

import { type ReferralAccessChecker, accessTo } from '../auth/referral-access';
import { isUuid } from '../common/ids';
import type { FirstAppointment } from './appointments/first-appointment.entity';
import type { Handoff } from './chain/handoff.entity';
import type { CircumstanceChange } from './compliance/circumstance-change.entity';
import { CHANGE_FIELD } from './compliance/circumstances';
import type { ComplianceDoubt } from './compliance/compliance-doubt.entity';
import type { RequestContext } from './context';
import type { ActionPlanReview } from './record/action-plan-review.entity';
import type { Assessment } from './record/assessment.entity';
import type { PlannedAction } from './record/planned-action.entity';
import type { ProgressUpdate } from './record/progress-update.entity';
import type { ReferralQuery } from './referrals/referral-query.entity';
import type { Referral } from './referrals/referral.entity';

/** The referral, if the viewer may read it now. */
export async function visibleReferral(ctx: RequestContext, id: string): Promise<Referral | null> {
  const access = await accessTo(ctx, id);
  return access?.canRead ? ctx.loaders.referral.load(id) : null;
}

/** The handoff, if the viewer is one of its parties or the prime holding the referral. */
export async function visibleHandoff(ctx: RequestContext, id: string): Promise<Handoff | null> {
  const handoff = isUuid(id) ? await ctx.loaders.handoff.load(id) : null;
  const access = handoff && (await accessTo(ctx, handoff.referralId));
  return access?.seesHandoff(handoff!) ? handoff : null;
}

/** The compliance doubt, if the viewer sees it (ReferralAccessChecker.seesDoubt). */
export async function visibleDoubt(ctx: RequestContext, id: string): Promise<ComplianceDoubt | null> {
  const doubt = isUuid(id) ? await ctx.loaders.complianceDoubt.load(id) : null;
  const access = doubt && (await accessTo(ctx, doubt.referralId));
  return access?.seesDoubt(doubt!) ? doubt : null;
}

/** The change of circumstances, to its reporter, or to whoever may read its referral now and see what it speaks of (ReferralAccessChecker.seesChange). */
export async function visibleCircumstanceChange(ctx: RequestContext, id: string): Promise<CircumstanceChange | null> {
  const change = isUuid(id) ? await ctx.loaders.circumstanceChange.load(id) : null;
  const access = change && (await accessTo(ctx, change.referralId));
  return access?.seesChange(change!, CHANGE_FIELD[change!.kind]) ? change : null;
}

/** A row kept on a referral, by id, if the access gate's question about it says the viewer sees it. */
async function visibleOn<T extends { referralId: string }>(
  ctx: RequestContext,
  id: string,
  load: (id: string) => Promise<T | null>,
  sees: (access: ReferralAccessChecker, row: T) => boolean,
): Promise<T | null> {
  const row = isUuid(id) ? await load(id) : null;
  const access = row && (await accessTo(ctx, row.referralId));
  return access && sees(access, row!) ? row : null;
}

/** The first appointment, where the viewer reads its referral's first appointments (ReferralAccessChecker.seesFirstAppointments). */
export const visibleFirstAppointment = (ctx: RequestContext, id: string): Promise<FirstAppointment | null> =>
  visibleOn(ctx, id, (key) => ctx.loaders.firstAppointment.load(key), (access) => access.seesFirstAppointments);

/** The referral query, to the referring Jobcentre and the prime (ReferralAccessChecker.seesQueries). */
export const visibleReferralQuery = (ctx: RequestContext, id: string): Promise<ReferralQuery | null> =>
  visibleOn(ctx, id, (key) => ctx.loaders.referralQuery.load(key), (access) => access.seesQueries);

/** An assessment, action or review, where the viewer sees the action plan as it was when it was recorded (ReferralAccessChecker.seesActionPlan). */
export const visibleAssessment = (ctx: RequestContext, id: string): Promise<Assessment | null> =>
  visibleOn(ctx, id, (key) => ctx.loaders.assessment.load(key), (access, row) => access.seesActionPlan(row.createdAt));
export const visiblePlannedAction = (ctx: RequestContext, id: string): Promise<PlannedAction | null> =>
  visibleOn(ctx, id, (key) => ctx.loaders.plannedAction.load(key), (access, row) => access.seesActionPlan(row.createdAt));
export const visibleActionPlanReview = (ctx: RequestContext, id: string): Promise<ActionPlanReview | null> =>
  visibleOn(ctx, id, (key) => ctx.loaders.actionPlanReview.load(key), (access, row) => access.seesActionPlan(row.createdAt));

/** A progress update, to the two parties of its handoff (ReferralAccessChecker.seesProgressOf). */
export const visibleProgressUpdate = (ctx: RequestContext, id: string): Promise<ProgressUpdate | null> =>
  visibleOn(ctx, id, (key) => ctx.loaders.progressUpdate.load(key), (access, row) => access.seesProgressOf(row.handoffId));

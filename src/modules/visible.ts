/**
 * What a viewer may see, by id, as the access gate (src/auth/referral-access.ts) answers: null
 * otherwise, as if absent. These are asked beyond their own module (inbox items, other modules'
 * field resolvers, node(id)): here, no resolver imports another module's resolver.
 */

import { accessTo } from '../auth/referral-access';
import { isUuid } from '../common/ids';
import type { Handoff } from './chain/handoff.entity';
import type { CircumstanceChange } from './compliance/circumstance-change.entity';
import { CHANGE_FIELD } from './compliance/circumstances';
import type { ComplianceDoubt } from './compliance/compliance-doubt.entity';
import type { RequestContext } from './context';
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

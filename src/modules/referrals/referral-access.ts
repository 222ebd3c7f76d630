import { DOUBT_STATUSES_FOR_DWP, type ReferralRelationship, handedFields, referralRelationship } from '../../auth/policy';
import { isUuid } from '../../common/ids';
import { Role } from '../identity/identity.enums';
import type { RequestContext } from '../context';
import { facts } from '../chain/chain.service';
import type { Referral } from './referral.entity';
import type { SharedField } from './referral.enums';

export interface ReferralAccess {
  relationship: ReferralRelationship;
  /** For a subcontractor: the fields its live handoffs share. */
  handed: SharedField[];
}

/**
 * How the request's viewer stands to a referral now, asked of the policy with the referral's
 * contract and handoffs (through the request's DataLoaders). Every read path uses this.
 */
export async function referralAccess(ctx: RequestContext, referral: Referral): Promise<ReferralAccess | null> {
  const [contract, handoffs, doubts] = await Promise.all([
    ctx.loaders.primeContract.load(referral.contractId),
    ctx.loaders.handoffsByReferral.load(referral.id),
    // Only a Decision Maker's access depends on the doubts: nobody else pays for reading them.
    ctx.viewer?.role === Role.DECISION_MAKER ? ctx.loaders.doubtsByReferral.load(referral.id) : Promise.resolve([]),
  ]);
  const known = handoffs.map(facts);
  const submitted = doubts.some((doubt) => DOUBT_STATUSES_FOR_DWP.includes(doubt.status));
  const relationship = referralRelationship(ctx.viewer, referral, contract!, known, submitted);
  return relationship && { relationship, handed: handedFields(ctx.viewer, known) };
}

/** The referral with this id if the viewer may see it now; null otherwise, as if absent. */
export async function visibleReferral(ctx: RequestContext, id: string): Promise<Referral | null> {
  const referral = isUuid(id) ? await ctx.loaders.referral.load(id) : null;
  return referral && (await referralAccess(ctx, referral)) ? referral : null;
}

/** Whether the viewer may see a record kept on a referral, by how it stands to that referral now. */
export async function seenOnReferral(ctx: RequestContext, referralId: string, sees: (relationship: ReferralRelationship) => boolean): Promise<boolean> {
  const referral = await ctx.loaders.referral.load(referralId);
  const access = referral && (await referralAccess(ctx, referral));
  return Boolean(access && sees(access.relationship));
}

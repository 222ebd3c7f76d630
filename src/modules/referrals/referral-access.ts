import { type ReferralRelationship, handedFields, referralRelationship } from '../../auth/policy';
import { isUuid } from '../../common/ids';
import type { RequestContext } from '../../server/context';
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
  const [contract, handoffs] = await Promise.all([
    ctx.loaders.primeContract.load(referral.contractId),
    ctx.loaders.handoffsByReferral.load(referral.id),
  ]);
  const known = handoffs.map(facts);
  const relationship = referralRelationship(ctx.viewer, referral, contract!, known);
  return relationship && { relationship, handed: handedFields(ctx.viewer, known) };
}

/** The referral with this id if the viewer may see it now; null otherwise, as if absent. */
export async function visibleReferral(ctx: RequestContext, id: string): Promise<Referral | null> {
  const referral = isUuid(id) ? await ctx.loaders.referral.load(id) : null;
  return referral && (await referralAccess(ctx, referral)) ? referral : null;
}

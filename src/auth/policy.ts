import { forbidden, unauthenticated } from './errors';
import type { Viewer } from './viewer';
import { Role } from '../modules/identity/identity.enums';
import { SharedField } from '../modules/referrals/referral.enums';

/**
 * The one place that decides who may do what. Resolvers name the action they perform
 * (`@Authorized(Action.X)`); services ask here for decisions that depend on relationships.
 * tests/unit/policy.test.ts checks the whole role × action matrix.
 */
export enum Action {
  /** `viewer`: who am I. */
  ReadViewer = 'viewer.read',
  /** CPAs, organisations, prime contracts, supply chains and market shares. */
  ReadRegistry = 'registry.read',
  /** createCpa, registerOrganisation, awardPrimeContract, addSubcontractor, setMarketShares. */
  ManageRegistry = 'registry.manage',
  /** issueApiKey. */
  IssueApiKey = 'apiKey.issue',
  /** submitReferrals. */
  SubmitReferrals = 'referrals.submit',
  /** overrideAllocation, for the referring Jobcentre's own referrals. */
  OverrideAllocation = 'allocation.override',
  /** acknowledge, reject, attach and exit, for the prime holding the referral's contract. */
  MoveReferral = 'referrals.move',
  /** referral, referrals: each viewer within its own scope (referralScope). */
  ReadReferrals = 'referrals.read',
  /** allocationCheck: figures, never a person. */
  CheckAllocation = 'allocation.check',
}

const EVERY_ROLE = Object.values(Role);

/**
 * Role grants. The registry is readable by every key holder: the chain's shape is what
 * partners route work by (DWP publishes its supply chains); nothing in it is personal data.
 */
const GRANTS: Record<Action, readonly Role[]> = {
  [Action.ReadViewer]: EVERY_ROLE,
  [Action.ReadRegistry]: EVERY_ROLE,
  [Action.ManageRegistry]: [Role.ADMIN],
  [Action.IssueApiKey]: [Role.ADMIN],
  [Action.SubmitReferrals]: [Role.JOBCENTRE],
  [Action.OverrideAllocation]: [Role.JOBCENTRE],
  [Action.MoveReferral]: [Role.PROVIDER],
  [Action.ReadReferrals]: [Role.JOBCENTRE, Role.PROVIDER],
  [Action.CheckAllocation]: [Role.ANALYST, Role.ADMIN],
};

export function can(viewer: Viewer | null, action: Action): boolean {
  return viewer !== null && GRANTS[action].includes(viewer.role);
}

/** Throws UNAUTHENTICATED without a viewer and FORBIDDEN when the viewer's role lacks the action. */
export function authorize(viewer: Viewer | null, action: Action): asserts viewer is Viewer {
  if (viewer === null) throw unauthenticated();
  if (!can(viewer, action)) throw forbidden(`${viewer.role} may not ${action}`);
}

// ---------------------------------------------------------------- referrals and participants

/** How a viewer stands to a referral; null: it may not see the referral at all. */
export enum ReferralRelationship {
  /** The Jobcentre that made the referral (DWP: it supplied the record). */
  ReferringJobcentre = 'REFERRING_JOBCENTRE',
  /** The prime holding the contract the referral is allocated to. */
  Prime = 'PRIME',
}

export function referralRelationship(
  viewer: Viewer | null,
  referral: { jobcentreId: string },
  contract: { primeId: string },
): ReferralRelationship | null {
  if (viewer?.role === Role.JOBCENTRE && viewer.organisation.id === referral.jobcentreId) {
    return ReferralRelationship.ReferringJobcentre;
  }
  if (viewer?.role === Role.PROVIDER && viewer.organisation.id === contract.primeId) return ReferralRelationship.Prime;
  return null;
}

/** Which referrals a viewer's lists hold: a Jobcentre the ones it made, a prime those on its contracts. */
export function referralScope(viewer: Viewer): { jobcentreId: string } | { primeId: string } {
  authorize(viewer, Action.ReadReferrals);
  return viewer.role === Role.JOBCENTRE ? { jobcentreId: viewer.organisation.id } : { primeId: viewer.organisation.id };
}

const EVERY_SHARED_FIELD = Object.values(SharedField);

/**
 * The participant's fields a viewer may see, beyond identity (NINO, name, date of birth).
 * Health goes to nobody outside DWP and the prime, and to the prime only with the claimant's
 * consent. A restricted (MAPPA) participant is held as a minimal record: identity only.
 */
export function visibleParticipantFields(
  relationship: ReferralRelationship,
  participant: { consentToShareHealth: boolean; restricted: boolean },
): SharedField[] {
  if (participant.restricted) return [];
  if (relationship === ReferralRelationship.ReferringJobcentre) return EVERY_SHARED_FIELD;
  return EVERY_SHARED_FIELD.filter((field) => field !== SharedField.HEALTH || participant.consentToShareHealth);
}

import { forbidden, unauthenticated } from './errors';
import type { Viewer } from './viewer';
import { Role } from '../modules/identity/identity.enums';
import { HandoffPurpose } from '../modules/chain/handoff-states';
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
  /** apiKeys, revokeApiKey. */
  ManageApiKeys = 'apiKeys.manage',
  /** personAccessLog: who read or changed a person's record (itself an audited read of the person). */
  ReadAccessLog = 'audit.read',
  /** subjectAccessExport: everything held about one person, for a subject access request (audited). */
  ExportSubjectAccess = 'audit.subjectAccess',
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
  /** passReferral, respondToHandoff, completeHandoff, withdrawHandoff: providers in a chain. */
  PassReferrals = 'chain.pass',
  /** inbox and its subscriptions: each organisation its own. */
  ReadInbox = 'inbox.read',
  /** publishServiceStandards, for the prime holding the contract. */
  PublishStandards = 'standards.publish',
  /** recordContact, for the prime or the holder of a live handoff. */
  RecordContacts = 'contacts.record',
  /** serviceStandardCompliance: each viewer its share (complianceAccess). */
  ReadCompliance = 'compliance.read',
  /** raise, submit, return and withdraw compliance doubts: providers in the chain. */
  RaiseDoubts = 'doubts.raise',
  /** decideComplianceDoubt. */
  DecideDoubts = 'doubts.decide',
  /** complianceDoubts: each viewer within doubtScope. */
  ReadDoubts = 'doubts.read',
  /** recordJobStart, recordJobEnd: the prime, or the chain delivering the job's support (jobAccess). */
  RecordJobs = 'jobs.record',
  /** claimJobOutcome, claimSustainment: the prime holding the contract. */
  ClaimPayments = 'payments.claim',
  /** rateCards: what the programme pays is public; every key holder reads it. */
  ReadRateCards = 'rateCards.read',
  /** setRateCard. */
  ManageRateCards = 'rateCards.manage',
  /** cpaPerformance, nationalPerformance: figures, never a person; a prime its own contracts (performanceScope). */
  ReadPerformance = 'performance.read',
  /** startMessageThread, replyToMessageThread, closeMessageThread, a thread by node(id): the Jobcentre and the chain holding the referral (seesMessages). */
  ExchangeMessages = 'messages.exchange',
  /** setContactPoints: an organisation names its own contact points per CPA. */
  SetContactPoints = 'contactPoints.set',
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
  [Action.ManageApiKeys]: [Role.ADMIN],
  [Action.ReadAccessLog]: [Role.ADMIN],
  [Action.ExportSubjectAccess]: [Role.ADMIN],
  [Action.SubmitReferrals]: [Role.JOBCENTRE],
  [Action.OverrideAllocation]: [Role.JOBCENTRE],
  [Action.MoveReferral]: [Role.PROVIDER],
  [Action.ReadReferrals]: [Role.JOBCENTRE, Role.PROVIDER],
  [Action.CheckAllocation]: [Role.ANALYST, Role.ADMIN],
  [Action.PassReferrals]: [Role.PROVIDER],
  [Action.ReadInbox]: EVERY_ROLE,
  [Action.PublishStandards]: [Role.PROVIDER],
  [Action.RecordContacts]: [Role.PROVIDER],
  [Action.ReadCompliance]: [Role.PROVIDER, Role.ADMIN, Role.ANALYST],
  [Action.RaiseDoubts]: [Role.PROVIDER],
  [Action.DecideDoubts]: [Role.DECISION_MAKER],
  [Action.ReadDoubts]: [Role.PROVIDER, Role.DECISION_MAKER],
  [Action.RecordJobs]: [Role.PROVIDER],
  [Action.ClaimPayments]: [Role.PROVIDER],
  [Action.ReadRateCards]: EVERY_ROLE,
  [Action.ManageRateCards]: [Role.ADMIN],
  [Action.ReadPerformance]: [Role.ANALYST, Role.ADMIN, Role.PROVIDER],
  [Action.ExchangeMessages]: [Role.JOBCENTRE, Role.PROVIDER],
  [Action.SetContactPoints]: [Role.JOBCENTRE, Role.PROVIDER],
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
  /** A member of the chain the referral was handed to, while that handoff lives. */
  Subcontractor = 'SUBCONTRACTOR',
  /** A DWP Decision Maker, for a referral with a doubt submitted to DWP. */
  DecisionMaker = 'DECISION_MAKER',
}

/** A handoff as the policy needs it: to whom, what travels, whether it still lives. */
export interface HandoffFacts {
  toOrganisationId: string;
  sharedFields: SharedField[];
  live: boolean;
  purpose: HandoffPurpose;
  /** Accepted and not ended. */
  accepted: boolean;
}

export function referralRelationship(
  viewer: Viewer | null,
  referral: { jobcentreId: string },
  contract: { primeId: string },
  handoffs: HandoffFacts[] = [],
  doubtSubmitted = false,
): ReferralRelationship | null {
  if (viewer?.role === Role.JOBCENTRE && viewer.organisation.id === referral.jobcentreId) {
    return ReferralRelationship.ReferringJobcentre;
  }
  if (viewer?.role === Role.DECISION_MAKER && doubtSubmitted) return ReferralRelationship.DecisionMaker;
  if (viewer?.role !== Role.PROVIDER) return null;
  if (viewer.organisation.id === contract.primeId) return ReferralRelationship.Prime;
  // Access follows the handoff: only while one to the viewer's organisation lives.
  if (handoffs.some((h) => h.live && h.toOrganisationId === viewer.organisation.id)) return ReferralRelationship.Subcontractor;
  return null;
}

/** Which referrals a viewer's lists hold: a Jobcentre's, a prime's, and those handed to it. */
export function referralScope(viewer: Viewer): { jobcentreId: string } | { providerId: string } {
  authorize(viewer, Action.ReadReferrals);
  return viewer.role === Role.JOBCENTRE ? { jobcentreId: viewer.organisation.id } : { providerId: viewer.organisation.id };
}

const EVERY_SHARED_FIELD = Object.values(SharedField);

/** What of a participant a viewer sees: the shared fields, and the whole identity or the name only. */
export interface ParticipantAccess {
  fields: SharedField[];
  identity: 'FULL' | 'NAME_ONLY';
}

/**
 * The participant's fields a viewer may see. Health goes to nobody outside DWP and the prime
 * unless the claimant consented, and down the chain only where a handoff shares it. A
 * restricted (MAPPA) participant is held as a minimal record, and goes down the chain as a name.
 * One record serves all of a person's referrals, so a prime whose referral is over (rejected,
 * exited) keeps the identity only, not the details a later referral brings.
 */
export function participantAccess(
  relationship: ReferralRelationship,
  participant: { consentToShareHealth: boolean; restricted: boolean },
  handedFields: SharedField[] = [],
  referralLive = true,
): ParticipantAccess {
  if (!referralLive && relationship === ReferralRelationship.Prime) return { fields: [], identity: 'FULL' };
  if (participant.restricted) {
    return { fields: [], identity: relationship === ReferralRelationship.Subcontractor ? 'NAME_ONLY' : 'FULL' };
  }
  if (relationship === ReferralRelationship.ReferringJobcentre) return { fields: EVERY_SHARED_FIELD, identity: 'FULL' };
  // A Decision Maker asks the claimant for good reason: who they are and how to reach them.
  if (relationship === ReferralRelationship.DecisionMaker) return { fields: [SharedField.CONTACT_DETAILS], identity: 'FULL' };
  const granted = relationship === ReferralRelationship.Prime ? EVERY_SHARED_FIELD : handedFields;
  return {
    fields: EVERY_SHARED_FIELD.filter((field) => granted.includes(field) && (field !== SharedField.HEALTH || participant.consentToShareHealth)),
    identity: 'FULL',
  };
}

/**
 * A subject access request (UK GDPR article 15): DWP, as controller, gives the person everything
 * held about them. Only through `subjectAccessExport`, which is audited like any read of a person.
 */
export function subjectAccess(viewer: Viewer | null): ParticipantAccess {
  authorize(viewer, Action.ExportSubjectAccess);
  return { fields: EVERY_SHARED_FIELD, identity: 'FULL' };
}

/** The fields handed to the viewer's organisation by its live handoffs of one referral. */
export function handedFields(viewer: Viewer | null, handoffs: HandoffFacts[]): SharedField[] {
  const mine = handoffs.filter((h) => h.live && h.toOrganisationId === viewer?.organisation.id);
  return [...new Set(mine.flatMap((h) => h.sharedFields))];
}

/** Why an allocation was overridden can be personal ("disabled claimant…"): not for the chain. */
export function seesAllocationDetail(relationship: ReferralRelationship): boolean {
  return relationship === ReferralRelationship.Prime || relationship === ReferralRelationship.ReferringJobcentre;
}

/** A handoff is seen by its two parties and by the prime holding the referral. */
export function canSeeHandoff(
  viewer: Viewer | null,
  handoff: { fromOrganisationId: string; toOrganisationId: string },
  contract: { primeId: string },
): boolean {
  if (viewer?.role !== Role.PROVIDER) return false;
  const organisation = viewer.organisation.id;
  return [handoff.fromOrganisationId, handoff.toOrganisationId, contract.primeId].includes(organisation);
}

// ---------------------------------------------------------------- messages

/**
 * Messages about a referral pass between the referring Jobcentre and the chain holding it now: a
 * subcontractor loses them when its handoff ends; a Decision Maker, who sees the referral through
 * a doubt, is not a party to them.
 */
export function seesMessages(relationship: ReferralRelationship): boolean {
  return relationship !== ReferralRelationship.DecisionMaker;
}

// ---------------------------------------------------------------- standards and contacts

/** The prime and the chain holding a live handoff read a referral's contacts; a Jobcentre does not. */
export function seesContacts(relationship: ReferralRelationship): boolean {
  return relationship === ReferralRelationship.Prime || relationship === ReferralRelationship.Subcontractor;
}

/**
 * How much of a contract's compliance report a viewer reads: the prime all of it; DWP's admins
 * and analysts the figures without the people in breach; a member of the chain its own part.
 */
export type ComplianceAccess = { kind: 'ALL' } | { kind: 'FIGURES' } | { kind: 'OWN'; organisationId: string };

export function complianceAccess(viewer: Viewer | null, contract: { primeId: string }, chainMembers: string[]): ComplianceAccess {
  if (viewer === null) throw unauthenticated();
  if (viewer.role === Role.ADMIN || viewer.role === Role.ANALYST) return { kind: 'FIGURES' };
  if (viewer.role === Role.PROVIDER && viewer.organisation.id === contract.primeId) return { kind: 'ALL' };
  if (viewer.role === Role.PROVIDER && chainMembers.includes(viewer.organisation.id)) return { kind: 'OWN', organisationId: viewer.organisation.id };
  throw forbidden('this contract\'s compliance');
}

// ---------------------------------------------------------------- compliance doubts

/** Doubts a Decision Maker works on: those DWP has been given. */
export const DOUBT_STATUSES_FOR_DWP = ['SUBMITTED', 'DECIDED'];

/**
 * Which doubts a viewer's lists hold: Decision Makers the submitted and decided ones nationally; a
 * provider those on its prime contracts and those it raised. Analysts see counts only, through
 * performance.
 */
export function doubtScope(viewer: Viewer): { statuses: string[] } | { providerId: string } {
  authorize(viewer, Action.ReadDoubts);
  return viewer.role === Role.DECISION_MAKER ? { statuses: DOUBT_STATUSES_FOR_DWP } : { providerId: viewer.organisation.id };
}

/** A doubt is seen by its raiser and the prime; by DWP once submitted; by the referring Jobcentre once decided. */
export function canSeeDoubt(
  viewer: Viewer | null,
  doubt: { raisedById: string; status: string; submittedAt: Date | null },
  contract: { primeId: string },
  referral: { jobcentreId: string },
): boolean {
  if (viewer?.role === Role.DECISION_MAKER) return DOUBT_STATUSES_FOR_DWP.includes(doubt.status);
  if (viewer?.role === Role.JOBCENTRE) return doubt.status === 'DECIDED' && viewer.organisation.id === referral.jobcentreId;
  if (viewer?.role !== Role.PROVIDER) return false;
  return viewer.organisation.id === contract.primeId || viewer.organisation.id === doubt.raisedById;
}

// ---------------------------------------------------------------- payments and performance

/** Down the chain, a participant's job is the work of end-to-end delivery and in-work support. */
const JOB_PURPOSES = [HandoffPurpose.END_TO_END_DELIVERY, HandoffPurpose.IN_WORK_SUPPORT];

/**
 * A participant's job starts: the prime records and reads them; down the chain, the holder of an
 * accepted end-to-end or in-work support handoff records them, an offered one reads them, and any
 * other live handoff reads them only if it shares EMPLOYMENT_HISTORY.
 */
export function jobAccess(viewer: Viewer | null, relationship: ReferralRelationship | null, handoffs: HandoffFacts[]): 'RECORD' | 'READ' | null {
  if (relationship === ReferralRelationship.Prime) return 'RECORD';
  if (relationship !== ReferralRelationship.Subcontractor) return null;
  const mine = handoffs.filter((h) => h.live && h.toOrganisationId === viewer?.organisation.id);
  if (mine.some((h) => h.accepted && JOB_PURPOSES.includes(h.purpose))) return 'RECORD';
  if (mine.some((h) => JOB_PURPOSES.includes(h.purpose) || h.sharedFields.includes(SharedField.EMPLOYMENT_HISTORY))) return 'READ';
  return null;
}

/** Payments are between DWP and the prime: nobody down the chain reads them. */
export function seesPayments(relationship: ReferralRelationship): boolean {
  return relationship === ReferralRelationship.Prime;
}

/** Whose figures a performance report holds: DWP's admins and analysts all; a provider only its own prime contracts. */
export function performanceScope(viewer: Viewer | null): { primeId: string | null } {
  authorize(viewer, Action.ReadPerformance);
  return { primeId: viewer.role === Role.PROVIDER ? viewer.organisation.id : null };
}

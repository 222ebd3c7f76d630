import { forbidden, unauthenticated } from './errors';
import type { Viewer } from './viewer';
import { Role, type RiskSharingBasis, SharedField } from './access.enums';

/**
 * What a role may do at all, and what of a participant each relationship sees. Resolvers name the
 * action they perform (`@Authorized(Action.X)`); what depends on a viewer's relationship to a
 * referral is decided by the access gate, referral-access.ts, which asks here for the rest.
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
  /** acknowledge, query (and the deprecated reject), attach, exit, recordOffBenefit and bookFirstAppointment, for the prime holding the referral's contract. */
  MoveReferral = 'referrals.move',
  /** resolveReferralQuery, for the referring Jobcentre's own referrals. */
  ResolveReferralQuery = 'referrals.resolveQuery',
  /** recordJobcentreExit: the referring Jobcentre moves its participant to other provision. */
  RecordJobcentreExit = 'referrals.jobcentreExit',
  /** referral, referrals: each viewer within its own scope (referral-access.ts, referralListSql). */
  ReadReferrals = 'referrals.read',
  /** allocationCheck: figures, never a person. */
  CheckAllocation = 'allocation.check',
  /** passReferral, respondToHandoff, completeHandoff, withdrawHandoff: providers in a chain. */
  PassReferrals = 'chain.pass',
  /** inbox and its subscriptions: each organisation its own. */
  ReadInbox = 'inbox.read',
  /** publishServiceStandards, for the prime holding the contract. */
  PublishStandards = 'standards.publish',
  /** recordContact, for the prime or the holder of a live handoff; recordFirstAppointmentOutcome (the prime, or the accepted end-to-end holder). */
  RecordContacts = 'contacts.record',
  /** serviceStandardCompliance: each viewer its share (complianceAccess). */
  ReadCompliance = 'compliance.read',
  /** raise, submit, return and withdraw compliance doubts: providers in the chain. */
  RaiseDoubts = 'doubts.raise',
  /** decideComplianceDoubt. */
  DecideDoubts = 'doubts.decide',
  /** complianceDoubts: each viewer within its list filter (referral-access.ts, doubtListFilter). */
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
  /** reportCircumstanceChange: the referring Jobcentre, and providers holding the referral (mayReportChange). */
  ReportCircumstanceChanges = 'circumstances.report',
  /** actionCircumstanceChange: the referring Jobcentre answers a provider's report (answersChanges). */
  AnswerCircumstanceChanges = 'circumstances.answer',
  /** setContactPoints: an organisation names its own contact points per CPA. */
  SetContactPoints = 'contactPoints.set',
  /** recordAssessment, addPlannedAction, reviewActionPlan: the prime, or the end-to-end holder the action plan was shared with (keepsActionPlan). */
  KeepActionPlans = 'actionPlans.keep',
  /** recordProgressUpdate: the receiver of an accepted spot provision handoff, to its sender. */
  ReturnProgress = 'progress.return',
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
  [Action.ResolveReferralQuery]: [Role.JOBCENTRE],
  [Action.RecordJobcentreExit]: [Role.JOBCENTRE],
  [Action.ReadReferrals]: [Role.JOBCENTRE, Role.PROVIDER],
  [Action.CheckAllocation]: [Role.ANALYST, Role.ADMIN],
  [Action.PassReferrals]: [Role.PROVIDER],
  [Action.ReadInbox]: EVERY_ROLE,
  [Action.PublishStandards]: [Role.PROVIDER],
  [Action.RecordContacts]: [Role.PROVIDER],
  [Action.ReadCompliance]: [Role.PROVIDER, Role.ADMIN, Role.ANALYST],
  [Action.RaiseDoubts]: [Role.PROVIDER],
  [Action.DecideDoubts]: [Role.DECISION_MAKER],
  [Action.ReadDoubts]: [Role.PROVIDER, Role.DECISION_MAKER, Role.JOBCENTRE],
  [Action.RecordJobs]: [Role.PROVIDER],
  [Action.ClaimPayments]: [Role.PROVIDER],
  [Action.ReadRateCards]: EVERY_ROLE,
  [Action.ManageRateCards]: [Role.ADMIN],
  [Action.ReadPerformance]: [Role.ANALYST, Role.ADMIN, Role.PROVIDER],
  [Action.ExchangeMessages]: [Role.JOBCENTRE, Role.PROVIDER],
  [Action.SetContactPoints]: [Role.JOBCENTRE, Role.PROVIDER],
  [Action.ReportCircumstanceChanges]: [Role.JOBCENTRE, Role.PROVIDER],
  [Action.AnswerCircumstanceChanges]: [Role.JOBCENTRE],
  [Action.KeepActionPlans]: [Role.PROVIDER],
  [Action.ReturnProgress]: [Role.PROVIDER],
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

/** The parts of a participant's record; CONTACT_NOTES travels with a handoff but is the referral's (its contacts). */
const EVERY_SHARED_FIELD = Object.values(SharedField).filter((field) => field !== SharedField.CONTACT_NOTES);

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
 * exited) keeps the identity only, not the details a later referral brings. Risk markers (criminal-record
 * data, UK GDPR art. 10) leave the Jobcentre only with the claimant's consent or a legal basis recorded.
 */
export function participantAccess(
  relationship: ReferralRelationship,
  participant: { consentToShareHealth: boolean; restricted: boolean; consentToShareRisk?: boolean; riskSharingBasis?: RiskSharingBasis | null },
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
  const mayTravel = (field: SharedField) =>
    (field !== SharedField.HEALTH || participant.consentToShareHealth) &&
    (field !== SharedField.RISK_MARKERS || Boolean(participant.consentToShareRisk || participant.riskSharingBasis));
  return { fields: EVERY_SHARED_FIELD.filter((field) => granted.includes(field) && mayTravel(field)), identity: 'FULL' };
}

/**
 * A subject access request (UK GDPR article 15): DWP, as controller, gives the person everything
 * held about them. Only through `subjectAccessExport`, which is audited like any read of a person.
 */
export function subjectAccess(viewer: Viewer | null): ParticipantAccess {
  authorize(viewer, Action.ExportSubjectAccess);
  return { fields: EVERY_SHARED_FIELD, identity: 'FULL' };
}

// ---------------------------------------------------------------- payments and performance

/** Whose figures a performance report holds: DWP's admins and analysts all; a provider only its own prime contracts. */
export function performanceScope(viewer: Viewer | null): { primeId: string | null } {
  authorize(viewer, Action.ReadPerformance);
  return { primeId: viewer.role === Role.PROVIDER ? viewer.organisation.id : null };
}

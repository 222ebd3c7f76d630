import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { HandoffPurpose, HandoffStatus, LIVE_HANDOFF_STATUSES, LIVE_STATUSES, type ReferralStatus, type RiskSharingBasis, Role, SharedField } from './access.enums';
import { isUuid } from '../common/ids';
import { Action, type ParticipantAccess, ReferralRelationship, authorize, participantAccess, subjectAccess } from './policy';
import { forbidden, unauthenticated } from './errors';
import type { Viewer } from './viewer';

/**
 * The access gate: everything a viewer may do with a referral and what hangs off it (handoffs,
 * contacts, doubts, jobs, payments) is answered here, from one load of the referral's facts —
 * through the request's DataLoader for reads, under the referral's row lock in the caller's
 * transaction for writes. Each list's SQL filter sits beside the question it mirrors
 * (tests/e2e/access.test.ts checks that they agree). Model: HMPPS interventions'
 * ReferralAccessChecker and ReferralAccessFilter.
 */

/** A handoff as access needs it. */
export interface HandoffFacts {
  id: string;
  fromOrganisationId: string;
  toOrganisationId: string;
  purpose: HandoffPurpose;
  status: HandoffStatus;
  sharedFields: SharedField[];
  /** The receiver's place is end-to-end (END_TO_END or SPECIALIST_END_TO_END): it may pass the referral on. */
  endToEndPlace: boolean;
  offeredAt: Date;
}

/** A compliance doubt as access needs it. */
export interface DoubtFacts {
  id: string;
  raisedById: string;
  status: string;
  raisedAt: Date;
}

/** What every access question about one referral is answered from. */
export interface ReferralFacts {
  id: string;
  jobcentreId: string;
  status: ReferralStatus;
  contractId: string;
  primeId: string;
  participantId: string;
  restricted: boolean;
  consentToShareHealth: boolean;
  /** Sent with this referral: the claimant consented to its risk markers travelling, or the basis they travel on without consent. */
  consentToShareRisk: boolean;
  riskSharingBasis: RiskSharingBasis | null;
  /** When the allocation in force was made: what was exchanged before it belongs to an earlier chain. */
  allocatedAt: Date;
  handoffs: HandoffFacts[];
  doubts: DoubtFacts[];
}

/** The facts of each referral `r` beyond its own columns, with the joins they read (`c`, `p`, `rr`). */
const FACTS_COLUMNS = `c.prime_id, p.restricted, p.consent_to_share_health,
         coalesce(rr.consent_to_share_risk, false) AS consent_to_share_risk, rr.risk_sharing_basis,
         -- A RETURNING allocation after others keeps the contract, and so the chain: it does not count.
         (SELECT coalesce(max(a.allocated_at) FILTER (WHERE a.method <> 'RETURNING'), min(a.allocated_at))
            FROM referral_allocation a WHERE a.referral_id = r.id) AS allocated_at,
         -- The place's delivery model by its key, per handoff: a join here was planned as a hash of every subcontract, per referral.
         coalesce((SELECT json_agg(json_build_object('id', h.id, 'from', h.from_organisation_id, 'to', h.to_organisation_id,
                     'purpose', h.purpose, 'status', h.status, 'sharedFields', h.shared_fields, 'offeredAt', h.offered_at,
                     'endToEnd', (SELECT s.delivery_model IN ('END_TO_END', 'SPECIALIST_END_TO_END') FROM subcontract s WHERE s.id = h.subcontract_id))
                     ORDER BY h.offered_at, h.id)
                     FROM handoff h WHERE h.referral_id = r.id), '[]') AS handoffs,
         coalesce((SELECT json_agg(json_build_object('id', d.id, 'raisedBy', d.raised_by, 'status', d.status, 'raisedAt', d.raised_at))
                     FROM compliance_doubt d WHERE d.referral_id = r.id), '[]') AS doubts`;
const FACTS_JOINS = `JOIN prime_contract c ON c.id = r.contract_id JOIN participant p ON p.id = r.participant_id
    LEFT JOIN referral_record rr ON rr.referral_id = r.id`;

const FACTS_SQL = `
  SELECT r.id, r.jobcentre_id, r.status, r.contract_id, r.participant_id, ${FACTS_COLUMNS}
    FROM referral r ${FACTS_JOINS}
   WHERE r.id = ANY($1::uuid[])`;

/**
 * The referrals a statement selects (`source`, of `referral` rows), each with its facts, in `seq`
 * order: a list reads its page and what the gate needs of it at once (`factsOf`, `knowFacts`).
 */
export const withFacts = (source: string): string => `SELECT r.*, ${FACTS_COLUMNS} FROM (${source}) r ${FACTS_JOINS} ORDER BY r.seq`;

interface FactsRow {
  id: string;
  jobcentre_id: string;
  status: ReferralStatus;
  contract_id: string;
  prime_id: string;
  participant_id: string;
  restricted: boolean;
  consent_to_share_health: boolean;
  consent_to_share_risk: boolean;
  risk_sharing_basis: RiskSharingBasis | null;
  allocated_at: Date;
  handoffs: Array<{ id: string; from: string; to: string; purpose: HandoffPurpose; status: HandoffStatus; sharedFields: SharedField[]; offeredAt: string; endToEnd: boolean }>;
  doubts: Array<{ id: string; raisedBy: string; status: string; raisedAt: string }>;
}

const toFacts = (row: FactsRow): ReferralFacts => ({
  id: row.id,
  jobcentreId: row.jobcentre_id,
  status: row.status,
  contractId: row.contract_id,
  primeId: row.prime_id,
  participantId: row.participant_id,
  restricted: row.restricted,
  consentToShareHealth: row.consent_to_share_health,
  consentToShareRisk: row.consent_to_share_risk,
  riskSharingBasis: row.risk_sharing_basis,
  allocatedAt: new Date(row.allocated_at),
  handoffs: row.handoffs.map((h) => ({
    id: h.id,
    fromOrganisationId: h.from,
    toOrganisationId: h.to,
    purpose: h.purpose,
    status: h.status,
    sharedFields: h.sharedFields,
    endToEndPlace: h.endToEnd,
    offeredAt: new Date(h.offeredAt),
  })),
  doubts: row.doubts.map((d) => ({ id: d.id, raisedById: d.raisedBy, status: d.status, raisedAt: new Date(d.raisedAt) })),
});

/** The facts of a row of `withFacts`. */
export const factsOf = (row: Record<string, unknown>): ReferralFacts => toFacts(row as unknown as FactsRow);

/** Facts read with a list's page (`withFacts`): the request's access questions about them read nothing more. */
export function knowFacts(ctx: AccessContext, facts: ReferralFacts[]): void {
  for (const known of facts) ctx.loaders.referralFacts.prime(known.id, known);
}

async function loadFacts(db: DataSource | EntityManager, ids: readonly string[]): Promise<Map<string, ReferralFacts>> {
  const rows: FactsRow[] = await db.query(FACTS_SQL, [ids]);
  return new Map(rows.map((row) => [row.id, toFacts(row)]));
}

/** The request's loader of referral facts: one statement for every referral a response touches. */
export function createAccessLoaders(db: DataSource, cache = true) {
  return {
    referralFacts: new DataLoader<string, ReferralFacts | null>(async (ids) => {
      const found = await loadFacts(db, ids);
      return ids.map((id) => found.get(id) ?? null);
    }, { cache }),
  };
}

/** What the gate needs of a request: who asks, and the request's loaders. */
export interface AccessContext {
  viewer: Viewer | null;
  loaders: ReturnType<typeof createAccessLoaders>;
}

/** The checker for a referral, for a read; null when there is no such referral. */
export async function accessTo(ctx: AccessContext, referralId: string): Promise<ReferralAccessChecker | null> {
  const facts = isUuid(referralId) ? await ctx.loaders.referralFacts.load(referralId) : null;
  return facts && new ReferralAccessChecker(ctx.viewer, facts);
}

/**
 * The checker for a referral, for a write: the referral's row is locked (`FOR UPDATE`) in the
 * caller's transaction first, so that changes to one referral and its chain go one at a time and
 * the facts read after the lock are the ones the change is judged on. Null for an unknown id.
 */
export async function lockAccess(tx: EntityManager, viewer: Viewer, referralId: string): Promise<ReferralAccessChecker | null> {
  if (!isUuid(referralId)) return null;
  const locked: unknown[] = await tx.query('SELECT id FROM referral WHERE id = $1 FOR UPDATE', [referralId]);
  if (locked.length === 0) return null;
  return new ReferralAccessChecker(viewer, (await loadFacts(tx, [referralId])).get(referralId)!);
}

/** The prime holding a contract: it publishes the contract's standards and reads all of its compliance. */
export function holdsContract(viewer: Viewer | null, contract: { primeId: string }): boolean {
  return viewer?.role === Role.PROVIDER && viewer.organisation.id === contract.primeId;
}

/**
 * How much of a contract's compliance report a viewer reads: the prime all of it; DWP's admins
 * and analysts the figures without the people in breach; a member of the chain its own part.
 */
export type ComplianceAccess = { kind: 'ALL' } | { kind: 'FIGURES' } | { kind: 'OWN'; organisationId: string };

export function complianceAccess(viewer: Viewer | null, contract: { primeId: string }, chainMembers: string[]): ComplianceAccess {
  if (viewer === null) throw unauthenticated();
  if (viewer.role === Role.ADMIN || viewer.role === Role.ANALYST) return { kind: 'FIGURES' };
  if (holdsContract(viewer, contract)) return { kind: 'ALL' };
  if (viewer.role === Role.PROVIDER && chainMembers.includes(viewer.organisation.id)) return { kind: 'OWN', organisationId: viewer.organisation.id };
  throw forbidden('this contract\'s compliance');
}

// ---------------------------------------------------------------- subject access

/**
 * Records a subject access export read for DWP, as controller, to give the person (UK GDPR art. 15,
 * `policy.subjectAccess`): no relationship to the referral is asked of them. Kept by object, so only
 * the rows the export itself read are opened, and only on that path (no other read shares them).
 */
const READ_FOR_SUBJECT_ACCESS = new WeakSet<object>();

/** Marks `rows`, read by a subject access export for `viewer` (who must be allowed to export), as shown whole. */
export function forSubjectAccess<T extends object>(viewer: Viewer | null, rows: T[]): T[] {
  subjectAccess(viewer);
  for (const row of rows) READ_FOR_SUBJECT_ACCESS.add(row);
  return rows;
}

/** Whether `row` was read by a subject access export (then its fields are shown whole). */
export function readForSubjectAccess(row: object): boolean {
  return READ_FOR_SUBJECT_ACCESS.has(row);
}

// ---------------------------------------------------------------- the checker

type HandoffParty = 'from' | 'to' | 'prime';
type DoubtActor = 'prime' | 'raiser' | 'decisionMaker';

/** Doubts a Decision Maker works on: those DWP has been given. */
export const DOUBT_STATUSES_FOR_DWP = ['SUBMITTED', 'DECIDED'];

/** Down the chain, a participant's job is the work of end-to-end delivery and in-work support. */
const JOB_PURPOSES = [HandoffPurpose.END_TO_END_DELIVERY, HandoffPurpose.IN_WORK_SUPPORT];
/** Who delivers the participant's support may raise a doubt about them. */
const DELIVERY_PURPOSES = [HandoffPurpose.END_TO_END_DELIVERY, HandoffPurpose.SPECIALIST_SUPPORT];
/** The shared fields that carry a referral's contacts and their notes down the chain. */
const CONTACT_FIELDS = [SharedField.CONTACT_NOTES, SharedField.ACTION_PLAN];

/** A viewer's view of one referral's contacts (ReferralAccessChecker.contactVisibility). */
export interface ContactVisibility {
  recordedBy: string | null;
  sharedFrom: Date | null;
}

/**
 * The SQL mirroring `seesContact`, for contacts `c` of many referrals at once, each given its
 * ContactVisibility as `k.recorded_by` and `k.shared_from` (a null shared_from admits none).
 */
export const CONTACT_VISIBLE_SQL = '(c.recorded_by = k.recorded_by OR c.created_at >= k.shared_from)';

/** How one viewer stands to one referral, and every capability that follows from it. */
export class ReferralAccessChecker {
  readonly relationship: ReferralRelationship | null;
  /** The viewer's live handoffs of this referral. */
  private readonly mine: HandoffFacts[];

  constructor(
    readonly viewer: Viewer | null,
    readonly facts: ReferralFacts,
  ) {
    const organisation = viewer?.organisation.id;
    this.mine = facts.handoffs.filter((h) => LIVE_HANDOFF_STATUSES.includes(h.status) && h.toOrganisationId === organisation);
    this.relationship = this.relate();
  }

  private relate(): ReferralRelationship | null {
    const { viewer, facts } = this;
    if (viewer?.role === Role.JOBCENTRE && viewer.organisation.id === facts.jobcentreId) return ReferralRelationship.ReferringJobcentre;
    if (viewer?.role === Role.DECISION_MAKER && facts.doubts.some((d) => DOUBT_STATUSES_FOR_DWP.includes(d.status))) {
      return ReferralRelationship.DecisionMaker;
    }
    if (viewer?.role !== Role.PROVIDER) return null;
    if (holdsContract(viewer, facts)) return ReferralRelationship.Prime;
    // Access follows the handoff: only while one to the viewer's organisation lives.
    return this.mine.length > 0 ? ReferralRelationship.Subcontractor : null;
  }

  /** May the viewer read the referral at all (`referral`, `node`, the lists)? */
  get canRead(): boolean {
    return this.relationship !== null;
  }

  get isPrime(): boolean {
    return this.relationship === ReferralRelationship.Prime;
  }

  get isReferringJobcentre(): boolean {
    return this.relationship === ReferralRelationship.ReferringJobcentre;
  }

  get live(): boolean {
    return LIVE_STATUSES.includes(this.facts.status);
  }

  /** The fields the viewer's live handoffs share. */
  get handed(): SharedField[] {
    return [...new Set(this.mine.flatMap((h) => h.sharedFields))];
  }

  /** What of the participant the viewer sees through this referral (null: nothing). */
  get participant(): ParticipantAccess | null {
    return this.relationship && participantAccess(this.relationship, this.facts, this.handed, this.live);
  }

  /** A prime's queries of a referral and the Jobcentre's answers are between the two (they can be personal: "health condition…"). */
  get seesQueries(): boolean {
    return this.isPrime || this.isReferringJobcentre;
  }

  /** Why an allocation was overridden can be personal ("disabled claimant…"): not for the chain. */
  get seesAllocationDetail(): boolean {
    return this.isPrime || this.isReferringJobcentre;
  }

  /** Exchanged within the chain the referral is allocated to now (not one it was moved from). */
  inCurrentChain(at: Date): boolean {
    return at >= this.facts.allocatedAt;
  }

  // ---------------------------------------------------------------- handoffs

  /** The prime, or a subcontractor holding an accepted handoff to an end-to-end place, passes it on. */
  get mayPass(): boolean {
    return this.isPrime || this.mine.some((h) => h.status === HandoffStatus.ACCEPTED && h.endToEndPlace);
  }

  private party(handoff: { fromOrganisationId: string; toOrganisationId: string; offeredAt: Date }, parties: HandoffParty[]): boolean {
    if (this.viewer?.role !== Role.PROVIDER) return false;
    const organisation = this.viewer.organisation.id;
    return (
      (parties.includes('from') && handoff.fromOrganisationId === organisation) ||
      (parties.includes('to') && handoff.toOrganisationId === organisation) ||
      // The prime answers for its own chain, not for one the referral was moved from.
      (parties.includes('prime') && this.isPrime && this.inCurrentChain(handoff.offeredAt))
    );
  }

  /** A handoff is seen by its two parties and by the prime holding the referral (in its chain). */
  seesHandoff(handoff: { fromOrganisationId: string; toOrganisationId: string; offeredAt: Date }): boolean {
    return this.party(handoff, ['from', 'to', 'prime']);
  }

  /** May the viewer change this handoff as one of `parties`? */
  changesHandoff(handoffId: string, parties: HandoffParty[]): boolean {
    const handoff = this.facts.handoffs.find((h) => h.id === handoffId);
    return Boolean(handoff && this.party(handoff, parties));
  }

  // ---------------------------------------------------------------- contacts

  /** The prime and the chain holding a live handoff record contacts; a Jobcentre does not. */
  get mayRecordContact(): boolean {
    return this.isPrime || this.relationship === ReferralRelationship.Subcontractor;
  }

  /**
   * Who reads the referral's contacts and their notes: the prime; down the chain, the holder of an
   * accepted handoff sharing CONTACT_NOTES or ACTION_PLAN, and never for a restricted (MAPPA) record.
   * Only those recorded in the chain the referral is allocated to now.
   */
  get seesContacts(): boolean {
    if (this.isPrime) return true;
    if (this.relationship !== ReferralRelationship.Subcontractor || this.facts.restricted) return false;
    return this.mine.some((h) => h.status === HandoffStatus.ACCEPTED && h.sharedFields.some((f) => CONTACT_FIELDS.includes(f)));
  }

  /** A contact is read by whoever reads the referral's contacts, and always by its recorder (it keeps what it wrote). */
  seesContact(contact: { recordedById: string; createdAt: Date }): boolean {
    return contact.recordedById === this.viewer?.organisation.id || (this.seesContacts && this.inCurrentChain(contact.createdAt));
  }

  /**
   * Which of the referral's contacts the viewer reads, as the parameters of CONTACT_VISIBLE_SQL:
   * its own always, the others recorded from `sharedFrom` on (null: none).
   */
  contactVisibility(): ContactVisibility {
    return { recordedBy: this.viewer?.organisation.id ?? null, sharedFrom: this.seesContacts ? this.facts.allocatedAt : null };
  }

  // ---------------------------------------------------------------- assessments and action plans

  /**
   * Who reads the prime's assessments and action plan: the prime; the referring Jobcentre, and down
   * the chain a live handoff, where ACTION_PLAN is among the fields they see (never for a
   * restricted record). The chain only what was recorded in the chain the referral is with now.
   */
  seesActionPlan(recordedAt: Date): boolean {
    return this.readsActionPlan && (this.isReferringJobcentre || this.inCurrentChain(recordedAt));
  }

  /** Whether the viewer reads the referral's action plan at all (`seesActionPlan` says which of its entries). */
  get readsActionPlan(): boolean {
    return this.isPrime || Boolean(this.participant?.fields.includes(SharedField.ACTION_PLAN));
  }

  /** The prime keeps the assessment and action plan, and so does the holder of an accepted end-to-end handoff that shares ACTION_PLAN. */
  get keepsActionPlan(): boolean {
    return (
      this.isPrime ||
      this.mine.some((h) => h.status === HandoffStatus.ACCEPTED && h.purpose === HandoffPurpose.END_TO_END_DELIVERY && h.sharedFields.includes(SharedField.ACTION_PLAN))
    );
  }

  /**
   * A spot provider's progress update is read by the two parties to its handoff: the receiver who
   * wrote it always (it keeps what it wrote), the sender it was returned to only while it still
   * reads the referral (a sender whose own handoff ended holds nothing of the person any more).
   */
  seesProgressOf(handoffId: string): boolean {
    return this.changesHandoff(handoffId, ['to']) || (this.canRead && this.changesHandoff(handoffId, ['from']));
  }

  // ---------------------------------------------------------------- messages

  /**
   * Messages about a referral pass between the referring Jobcentre and the chain holding it now: a
   * subcontractor loses them when its handoff ends; a Decision Maker, who sees the referral
   * through a doubt, is not a party to them.
   */
  get seesMessages(): boolean {
    return this.canRead && this.relationship !== ReferralRelationship.DecisionMaker;
  }

  /** Every party to the referral now, to its messages and changes of circumstances: the referring Jobcentre, the prime, each live handoff's receiver. */
  get parties(): string[] {
    const receivers = this.facts.handoffs.filter((h) => LIVE_HANDOFF_STATUSES.includes(h.status)).map((h) => h.toOrganisationId);
    return [...new Set([this.facts.jobcentreId, this.facts.primeId, ...receivers])];
  }

  // ---------------------------------------------------------------- first appointments

  /** The prime books the first appointment after allocation (the Jobcentre may book it when referring). */
  get booksFirstAppointment(): boolean {
    return this.isPrime;
  }

  /** Whoever holds the first meeting records its outcome: the prime, or the end-to-end subcontractor that accepted the referral. */
  get recordsFirstAppointment(): boolean {
    return this.isPrime || this.mine.some((h) => h.status === HandoffStatus.ACCEPTED && h.purpose === HandoffPurpose.END_TO_END_DELIVERY);
  }

  /** The referring Jobcentre (it books them and hears of a miss), the prime, and an end-to-end subcontractor while its handoff lives. */
  get seesFirstAppointments(): boolean {
    return this.isReferringJobcentre || this.isPrime || this.mine.some((h) => h.purpose === HandoffPurpose.END_TO_END_DELIVERY);
  }

  /** Changes of circumstances travel both ways: the referring Jobcentre reports to the chain, the prime and an accepted holder to the Jobcentre. */
  get mayReportChange(): boolean {
    return this.isReferringJobcentre || this.isPrime || this.mine.some((h) => h.status === HandoffStatus.ACCEPTED);
  }

  /**
   * Whether the viewer sees a change of circumstances: its reporter always; otherwise a reader of
   * the referral who may see the participant field the change speaks of (`field`: in hospital is
   * health, in custody a risk marker, a new address contact details), none for a kind that speaks of none.
   */
  seesChange(change: { reportedById: string }, field: SharedField | undefined): boolean {
    if (change.reportedById === this.viewer?.organisation.id) return true;
    return this.canRead && (field === undefined || (this.participant?.fields.includes(field) ?? false));
  }

  /** A change's free text (what changed, the Jobcentre's note) goes no further than the Jobcentre, the prime and its reporter. */
  seesChangeText(change: { reportedById: string }): boolean {
    return change.reportedById === this.viewer?.organisation.id || this.isReferringJobcentre || this.isPrime;
  }

  /** The parties (`parties`) a change speaking of `field` may reach: those who may see that field of the participant. */
  partiesSeeing(field: SharedField | undefined): string[] {
    return this.parties.filter((organisation) => {
      if (field === undefined) return true;
      const relationship =
        organisation === this.facts.jobcentreId ? ReferralRelationship.ReferringJobcentre : organisation === this.facts.primeId ? ReferralRelationship.Prime : ReferralRelationship.Subcontractor;
      const handed = this.facts.handoffs.filter((h) => LIVE_HANDOFF_STATUSES.includes(h.status) && h.toOrganisationId === organisation).flatMap((h) => h.sharedFields);
      return participantAccess(relationship, this.facts, handed, this.live).fields.includes(field);
    });
  }

  /** The referring Jobcentre answers a provider's report (actioned or not). */
  get answersChanges(): boolean {
    return this.isReferringJobcentre;
  }

  // ---------------------------------------------------------------- compliance doubts

  /** The prime, or a subcontractor holding an accepted end-to-end or specialist handoff, raises a doubt. */
  get mayRaiseDoubt(): boolean {
    return this.isPrime || this.mine.some((h) => h.status === HandoffStatus.ACCEPTED && DELIVERY_PURPOSES.includes(h.purpose));
  }

  private actor(doubt: DoubtFacts, actors: DoubtActor[]): boolean {
    const { viewer } = this;
    if (viewer === null) return false;
    return (
      (actors.includes('prime') && this.isPrime && this.inCurrentChain(doubt.raisedAt)) ||
      (actors.includes('raiser') && viewer.role === Role.PROVIDER && doubt.raisedById === viewer.organisation.id) ||
      (actors.includes('decisionMaker') && viewer.role === Role.DECISION_MAKER && DOUBT_STATUSES_FOR_DWP.includes(doubt.status))
    );
  }

  /** A doubt is seen by its raiser and the prime; by DWP once submitted; by the referring Jobcentre once decided. */
  seesDoubt(doubt: DoubtFacts): boolean {
    if (this.viewer?.role === Role.JOBCENTRE) return doubt.status === 'DECIDED' && this.isReferringJobcentre;
    return this.actor(doubt, ['prime', 'raiser', 'decisionMaker']);
  }

  /** May the viewer move this doubt as one of `actors`? */
  changesDoubt(doubtId: string, actors: DoubtActor[]): boolean {
    const doubt = this.facts.doubts.find((d) => d.id === doubtId);
    return Boolean(doubt && this.actor(doubt, actors));
  }

  // ---------------------------------------------------------------- jobs and payments

  /**
   * A participant's job starts: the prime records and reads them; down the chain, the holder of an
   * accepted end-to-end or in-work support handoff records them, an offered one reads them, and any
   * other live handoff reads them only if it shares EMPLOYMENT_HISTORY.
   */
  get jobs(): 'RECORD' | 'READ' | null {
    if (this.isPrime) return 'RECORD';
    if (this.mine.some((h) => h.status === HandoffStatus.ACCEPTED && JOB_PURPOSES.includes(h.purpose))) return 'RECORD';
    if (this.mine.some((h) => JOB_PURPOSES.includes(h.purpose) || h.sharedFields.includes(SharedField.EMPLOYMENT_HISTORY))) return 'READ';
    return null;
  }

  /** Payments are between DWP and the prime: nobody down the chain reads them. */
  get seesPayments(): boolean {
    return this.isPrime;
  }

  /** An exit's handback summary is for the referring Jobcentre (the work coach picks up from it) and the prime. */
  get seesHandback(): boolean {
    return this.isPrime || this.isReferringJobcentre;
  }
}

// ---------------------------------------------------------------- list filters

/**
 * The `referrals` list (alias `r`), mirroring `canRead` for the roles the list is granted to: a
 * Jobcentre's own referrals; a prime's, and those handed to a provider while the handoff lives.
 * `narrow` (conditions on `r`: the caller's filters, and its keyset for the page) goes into each
 * source, so that each reads its own index in `seq` order: the referrals of each of the prime's
 * contracts (the live ones, which a caseload asks for, by a partial index of their own), and those
 * behind the provider's live handoffs. The page comes with each referral's facts (`withFacts`).
 * `param` adds a parameter and names it ($n).
 */
export function referralListSql(
  viewer: Viewer,
  narrow: string,
  param: (value: unknown) => string,
): { count: string; page: (limit: string) => string } {
  authorize(viewer, Action.ReadReferrals);
  const organisation = param(viewer.organisation.id);
  if (viewer.role === Role.JOBCENTRE) {
    const where = `r.jobcentre_id = ${organisation} AND ${narrow}`;
    return { count: `SELECT count(*)::int AS n FROM referral r WHERE ${where}`, page: (limit) => withFacts(`SELECT r.* FROM referral r WHERE ${where} ORDER BY r.seq LIMIT ${limit}`) };
  }
  const contracts = `SELECT id FROM prime_contract WHERE prime_id = ${organisation}`;
  const handedOver = `SELECT h.referral_id FROM handoff h WHERE h.to_organisation_id = ${organisation} AND h.status = ANY(${param(LIVE_HANDOFF_STATUSES)})`;
  return {
    count: `SELECT count(*)::int AS n FROM referral r WHERE (r.contract_id IN (${contracts}) OR r.id IN (${handedOver})) AND ${narrow}`,
    // A referral both on a contract and handed over would come twice: DISTINCT ON its seq keeps one.
    page: (limit) => withFacts(`SELECT DISTINCT ON (r.seq) r.* FROM (
        SELECT held.* FROM prime_contract pc CROSS JOIN LATERAL (
          SELECT r.* FROM referral r WHERE r.contract_id = pc.id AND ${narrow} ORDER BY r.seq LIMIT ${limit}) held
         WHERE pc.prime_id = ${organisation}
        UNION ALL
        (SELECT r.* FROM referral r WHERE r.id IN (${handedOver}) AND ${narrow} ORDER BY r.seq LIMIT ${limit})) r
      ORDER BY r.seq LIMIT ${limit}`),
  };
}

/**
 * The `complianceDoubts` list's filter (aliases `d`, and `r` its referral), mirroring `seesDoubt`:
 * Decision Makers the submitted and decided ones nationally; a provider those it raised and those
 * its prime contracts raised in their own chain; a Jobcentre the decided ones on its referrals.
 */
export function doubtListFilter(viewer: Viewer): { where: string; params: Record<string, unknown> } {
  authorize(viewer, Action.ReadDoubts);
  const params = { viewerOrganisation: viewer.organisation.id, dwpStatuses: DOUBT_STATUSES_FOR_DWP };
  if (viewer.role === Role.DECISION_MAKER) return { where: 'd.status = ANY(:dwpStatuses)', params };
  if (viewer.role === Role.JOBCENTRE) return { where: `d.status = 'DECIDED' AND r.jobcentre_id = :viewerOrganisation`, params };
  return {
    where: `(d.raised_by = :viewerOrganisation OR (r.contract_id IN (SELECT id FROM prime_contract WHERE prime_id = :viewerOrganisation)
      AND d.raised_at >= (SELECT max(a.allocated_at) FROM referral_allocation a WHERE a.referral_id = r.id)))`,
    params,
  };
}

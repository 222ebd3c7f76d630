import type { DataSource, EntityManager } from 'typeorm';
import { type ReferralAccessChecker, lockAccess } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { todayUtc } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { reasonText, restrictedFreeText, trimmed } from '../../common/text';
import { Lifecycle } from '../../common/state-machine';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { isUniqueViolation } from '../../db/errors';
import { type InboxEvent, addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { Referral } from '../referrals/referral.entity';
import { ReferralStatus } from '../../auth/access.enums';
import { Participant } from '../referrals/participant.entity';
import { ReferralClaimant } from '../referrals/referral-claimant.entity';
import { CircumstanceChange } from './circumstance-change.entity';
import { CHANGE_FIELD, CircumstanceChangeAction, type CircumstanceDetails, CircumstanceKind, STATUS_CHANGES, checkCircumstanceDetails } from './circumstances';
import { ComplianceDoubt } from './compliance-doubt.entity';
import { Conditionality, conditionality } from './conditionality';
import {
  ComplianceDoubtStatus,
  ComplianceDoubtType,
  ComplianceOutcome,
  DOUBT_TRANSITIONS,
  MandatoryActivityKind,
  NOT_FOR_VOLUNTARY,
  type NotAppliedReason,
  SanctionWeeksSource,
} from './doubt-states';
import { sanctionSuggestions } from './sanctions';

/** Compliance doubts: raised along the chain, submitted by the prime, decided by DWP. */

export interface MandatoryActivityData {
  kind: MandatoryActivityKind;
  description: string;
  notifiedOn: string;
  notifiedInWriting: boolean;
  scheduledFor: Date;
}

/** The organisations whose Decision Makers take submitted doubts: those holding DECISION_MAKER keys. */
async function decisionMakers(tx: EntityManager): Promise<string[]> {
  const rows: Array<{ organisation_id: string }> = await tx.query(
    `SELECT DISTINCT organisation_id FROM api_key WHERE role = 'DECISION_MAKER'`,
  );
  return rows.map((row) => row.organisation_id);
}

const tell = (organisations: string[], kind: InboxItemKind, doubt: ComplianceDoubt): InboxEvent[] =>
  [...new Set(organisations)].map((organisationId) => ({ organisationId, kind, referralId: doubt.referralId, complianceDoubtId: doubt.id }));

/** The rules a doubt's own data must keep (WP07, WP08, WP10; 002:1654, 002:1900, 002:2182). */
function checkDoubt(
  referral: Referral,
  input: { type: ComplianceDoubtType; occurredOn: string; description: string; mandatoryActivity?: MandatoryActivityData | null },
  today: string,
  restricted: boolean,
): UserError[] {
  // A restricted (MAPPA) record: what happened is told by the type, the day and the activity's kind, never in words.
  const errors = restrictedFreeText(restricted, { description: input.description });
  errors.push(...restrictedFreeText(restricted, { description: input.mandatoryActivity?.description }, ['mandatoryActivity']));
  const activity = input.mandatoryActivity;
  if (input.type === ComplianceDoubtType.FAILURE_TO_PARTICIPATE) {
    if (!activity) {
      errors.push(userError(ErrorCode.MANDATORY_ACTIVITY_REQUIRED, 'A failure to participate names the mandatory activity', ['mandatoryActivity']));
    } else {
      if (!activity.notifiedInWriting) {
        errors.push(userError(ErrorCode.NOT_NOTIFIED_IN_WRITING, 'The activity must have been notified in writing', ['mandatoryActivity', 'notifiedInWriting']));
      }
      if (todayUtc(activity.scheduledFor) > today) {
        errors.push(userError(ErrorCode.DATE_IN_FUTURE, 'The activity has not happened yet', ['mandatoryActivity', 'scheduledFor']));
      }
      if (activity.notifiedOn >= todayUtc(activity.scheduledFor)) {
        errors.push(userError(ErrorCode.NOTIFIED_AFTER_ACTIVITY, 'The activity must have been notified before the day it was set for', ['mandatoryActivity', 'notifiedOn']));
      }
    }
  } else if (!input.description.trim() && !restricted) {
    errors.push(userError(ErrorCode.DESCRIPTION_REQUIRED, 'An entitlement doubt says what happened', ['description']));
  }
  const conditions = conditionality(referral.paymentGroup, referral.participationMode);
  if (conditions === Conditionality.NONE) {
    errors.push(userError(ErrorCode.NO_CONDITIONALITY, `A ${referral.paymentGroup} volunteer has no work-related conditionality: they cannot be doubted`, ['referralId']));
  } else if (conditions === Conditionality.ATTENDANCE_AND_ENGAGEMENT) {
    const notEngaging = input.type === ComplianceDoubtType.FAILURE_TO_PARTICIPATE && (!activity || !NOT_FOR_VOLUNTARY.includes(activity.kind));
    if (!notEngaging) {
      errors.push(
        userError(ErrorCode.VOLUNTARY_PARTICIPANT, 'A voluntary participant is doubted only for not attending or engaging, never over a job interview or offer', ['type']),
      );
    }
  }
  const firstAppointment =
    input.type === ComplianceDoubtType.FAILURE_TO_PARTICIPATE && activity?.kind === MandatoryActivityKind.APPOINTMENT;
  const attached = referral.status === ReferralStatus.ATTACHED;
  const awaiting = [ReferralStatus.ALLOCATED, ReferralStatus.ACKNOWLEDGED].includes(referral.status);
  if (!attached && !(awaiting && firstAppointment)) {
    errors.push(
      userError(ErrorCode.REFERRAL_NOT_ATTACHED, `The referral is ${referral.status}: a doubt needs an attached participant, or a missed first appointment`, ['referralId']),
    );
  }
  return [...errors, ...checkDay(referral, input.occurredOn, today)];
}

/** The day of a failure or a change: from the referral date to today. */
function checkDay(referral: Referral, day: string, today: string, field = 'occurredOn'): UserError[] {
  const errors: UserError[] = [];
  if (day > today) errors.push(userError(ErrorCode.DATE_IN_FUTURE, 'The day cannot be in the future', [field]));
  if (day < referral.referredOn) errors.push(userError(ErrorCode.DATE_BEFORE_REFERRAL, `The referral was made on ${referral.referredOn}`, [field]));
  return errors;
}

/**
 * The referral, if the viewer may raise a doubt on (or report a change about) it: the prime, or
 * a subcontractor holding an accepted end-to-end or specialist handoff.
 */
async function referralForRaiser(
  tx: EntityManager,
  viewer: Viewer,
  referralId: string,
): Promise<{ referral: Referral; primeId: string; byPrime: boolean; restricted: boolean }> {
  // Locked, as every change on a referral: judged on the chain as it stands.
  const access = await lockAccess(tx, viewer, referralId);
  if (!access?.canRead || !access.mayRaiseDoubt) {
    refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to raise a doubt on', ['referralId']);
  }
  const referral = await tx.getRepository(Referral).findOneByOrFail({ id: access.facts.id });
  return { referral, primeId: access.facts.primeId, byPrime: access.isPrime, restricted: access.facts.restricted };
}

/**
 * A change of circumstances (WP07) is a notification, never a doubt (002:1654, 002:1894), and it
 * travels both ways. The referring Jobcentre's report updates the participant's record (contact
 * details, consent) and reaches the prime and every live holder; a provider's reaches the
 * Jobcentre, which answers it. Anyone's change can be reported, whatever their conditionality.
 * A BENEFIT_ENDED change records the off-benefit marker (never an exit); a status change on or
 * before a submitted doubt's failure day flags the doubt to the Decision Makers.
 */
export async function reportCircumstanceChange(
  db: DataSource,
  viewer: Viewer,
  input: CircumstanceDetails & { referralId: string; effectiveOn: string },
  today: string = todayUtc(),
  dayField = 'effectiveOn',
): Promise<CircumstanceChange> {
  return db.transaction(async (tx) => {
    const access = await lockAccess(tx, viewer, input.referralId);
    if (!access?.mayReportChange) refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to report a change about', ['referralId']);
    const referral = await tx.getRepository(Referral).findOneByOrFail({ id: access.facts.id });
    const errors = checkDay(referral, input.effectiveOn, today, dayField);
    errors.push(...checkCircumstanceDetails(input, access.facts.restricted));
    assertNoUserErrors(errors);
    const repository = tx.getRepository(CircumstanceChange);
    const change = await repository.save(
      repository.create({
        referralId: referral.id,
        reportedById: viewer.organisation.id,
        effectiveOn: input.effectiveOn,
        kind: input.kind,
        description: trimmed(input.description),
        benefitEndedReason: input.benefitEndedReason ?? null,
        benefitFrom: input.benefitFrom ?? null,
        benefitTo: input.benefitTo ?? null,
        address: input.address ? { line1: input.address.line1.trim(), line2: trimmed(input.address.line2), town: trimmed(input.address.town), postcode: input.address.postcode.trim() } : null,
        phone: trimmed(input.phone),
        email: trimmed(input.email),
        consentToShareHealth: input.consentToShareHealth ?? null,
      }),
    );
    // The Jobcentre's own report is the record at once; a provider's waits for the Jobcentre's answer.
    const events = access.isReferringJobcentre
      ? await actOn(tx, referral, change, access, [viewer.organisation.id])
      : [{ organisationId: referral.jobcentreId, kind: InboxItemKind.CIRCUMSTANCES_CHANGED, referralId: referral.id, circumstanceChangeId: change.id }];
    await addToInbox(tx, events);
    return change;
  });
}

/**
 * A change the Jobcentre reported or confirmed (ACTIONED) acts: it updates the record, a
 * BENEFIT_ENDED records the off-benefit marker (never an exit), a status change overtakes
 * submitted doubts about a later day; and it reaches the chain holding the live referral, each
 * party only when it may see what the change speaks of. Answers the inbox events.
 */
async function actOn(tx: EntityManager, referral: Referral, change: CircumstanceChange, access: ReferralAccessChecker, notTold: string[]): Promise<InboxEvent[]> {
  await updateRecord(tx, referral, change);
  await updateBenefitClaim(tx, referral, change);
  if (change.kind === CircumstanceKind.BENEFIT_ENDED && referral.status === ReferralStatus.ATTACHED && !referral.offBenefitSince && change.effectiveOn >= referral.attachedOn!) {
    await tx.getRepository(Referral).update({ id: referral.id }, { offBenefitSince: change.effectiveOn });
  }
  const told = access.live ? access.partiesSeeing(CHANGE_FIELD[change.kind]).filter((organisation) => !notTold.includes(organisation)) : [];
  const events: InboxEvent[] = told.map((organisationId) => ({ organisationId, kind: InboxItemKind.CIRCUMSTANCES_CHANGED, referralId: referral.id, circumstanceChangeId: change.id }));
  if (STATUS_CHANGES.includes(change.kind)) events.push(...(await overtakeDoubts(tx, referral, change)));
  return events;
}

/**
 * The Jobcentre's report is the record: new contact details and consent go on the participant
 * (when this referral is the person's newest) and on what this referral was sent with. Never on a
 * restricted record (the report carried none).
 */
async function updateRecord(tx: EntityManager, referral: Referral, change: CircumstanceChange): Promise<void> {
  const values = {
    ...(change.address && { address: change.address }),
    ...(change.phone && { phone: change.phone }),
    ...(change.email && { email: change.email }),
    ...(change.consentToShareHealth != null && { consentToShareHealth: change.consentToShareHealth }),
  };
  if (Object.keys(values).length === 0) return;
  await tx.getRepository(ReferralClaimant).update({ referralId: referral.id }, values);
  const newest: Array<{ id: string }> = await tx.query('SELECT id FROM referral WHERE participant_id = $1 ORDER BY seq DESC LIMIT 1', [referral.participantId]);
  if (newest[0]?.id === referral.id) await tx.getRepository(Participant).update({ id: referral.participantId }, values);
}

/** The kinds that change the referral record's benefit claim. */
const BENEFIT_CHANGES = [CircumstanceKind.BENEFIT_CHANGED, CircumstanceKind.BENEFIT_ENDED];

/**
 * A change of benefit is the referral record's benefit claim (shared as BENEFIT): BENEFIT_CHANGED
 * is a new claim of `benefitTo` from its day, BENEFIT_ENDED ends the claim on its day. The changes
 * themselves are the history. A change reported late, behind one already acting from a later day,
 * leaves the record as that one made it. A referral sent without a record gains one.
 */
async function updateBenefitClaim(tx: EntityManager, referral: Referral, change: CircumstanceChange): Promise<void> {
  if (!BENEFIT_CHANGES.includes(change.kind)) return;
  const changed = change.kind === CircumstanceKind.BENEFIT_CHANGED;
  await tx.query(
    `INSERT INTO referral_record (referral_id, benefit, claim_started_on, claim_ended_on)
     SELECT $1, $2, $3, $4
      WHERE NOT EXISTS (SELECT 1 FROM circumstance_change WHERE referral_id = $1 AND kind = ANY($5) AND id <> $6 AND effective_on > $7
                          AND (reported_by = $8 OR action = 'ACTIONED'))
     ON CONFLICT (referral_id) DO UPDATE SET benefit = coalesce(EXCLUDED.benefit, referral_record.benefit),
       claim_started_on = coalesce(EXCLUDED.claim_started_on, referral_record.claim_started_on), claim_ended_on = EXCLUDED.claim_ended_on`,
    [referral.id, changed ? change.benefitTo : null, changed ? change.effectiveOn : null, changed ? null : change.effectiveOn, BENEFIT_CHANGES, change.id, change.effectiveOn, referral.jobcentreId],
  );
}

/** Submitted doubts about a day on or after a status change are flagged to the Decision Makers: they were raised before it was known. */
async function overtakeDoubts(tx: EntityManager, referral: Referral, change: CircumstanceChange): Promise<InboxEvent[]> {
  const [overtaken]: [Array<{ id: string }>, number] = await tx.query(
    `UPDATE compliance_doubt SET overtaken_by = $2 WHERE referral_id = $1 AND status = 'SUBMITTED' AND occurred_on >= $3 AND overtaken_by IS NULL RETURNING id`,
    [referral.id, change.id, change.effectiveOn],
  );
  if (overtaken.length === 0) return [];
  const deciders = await decisionMakers(tx);
  return overtaken.flatMap(({ id }) =>
    deciders.map((organisationId) => ({ organisationId, kind: InboxItemKind.COMPLIANCE_DOUBT_OVERTAKEN, referralId: referral.id, complianceDoubtId: id, circumstanceChangeId: change.id })),
  );
}

/** The referring Jobcentre answers a provider's report: actioned or not, with a note; the reporter hears back. */
export async function actionCircumstanceChange(
  db: DataSource,
  viewer: Viewer,
  input: { circumstanceChangeId: string; action: CircumstanceChangeAction; note?: string | null },
): Promise<CircumstanceChange> {
  return db.transaction(async (tx) => {
    const unknown = () => refuse(ErrorCode.UNKNOWN_CIRCUMSTANCE_CHANGE, 'No change of circumstances with this id is yours to answer', ['circumstanceChangeId']);
    const found = isUuid(input.circumstanceChangeId) ? await tx.getRepository(CircumstanceChange).findOneBy({ id: input.circumstanceChangeId }) : null;
    if (!found) return unknown();
    const access = await lockAccess(tx, viewer, found.referralId);
    if (!access?.answersChanges || found.reportedById === viewer.organisation.id) return unknown();
    const change = await tx.getRepository(CircumstanceChange).findOneByOrFail({ id: found.id });
    if (change.action) refuse(ErrorCode.CHANGE_ALREADY_ANSWERED, `Answered ${change.action} already`, ['circumstanceChangeId']);
    if (access.facts.restricted && trimmed(input.note)) {
      refuse(ErrorCode.RESTRICTED_RECORD_FREE_TEXT, 'A restricted (MAPPA) record takes no free text: leave out the note', ['note']);
    }
    Object.assign(change, { action: input.action, actionNote: trimmed(input.note), actionedAt: new Date(), actionedById: viewer.organisation.id });
    const saved = await tx.getRepository(CircumstanceChange).save(change);
    const events: InboxEvent[] = [{ organisationId: change.reportedById, kind: InboxItemKind.CIRCUMSTANCE_CHANGE_ACTIONED, referralId: change.referralId, circumstanceChangeId: change.id }];
    if (input.action === CircumstanceChangeAction.ACTIONED) {
      const referral = await tx.getRepository(Referral).findOneByOrFail({ id: change.referralId });
      events.push(...(await actOn(tx, referral, saved, access, [viewer.organisation.id, change.reportedById])));
    }
    await addToInbox(tx, events);
    return saved;
  });
}

/** The day of the latest status change (benefit ended, conditionality changed, off benefit) on or before `day`, if any: the Jobcentre's, or a provider's it confirmed. */
async function statusChangedBy(tx: EntityManager, referral: Referral, day: string): Promise<string | null> {
  const [row]: Array<{ on: string | null }> = await tx.query(
    // A return to the programme (referral_return) starts afresh: status changes before it no longer hold.
    `SELECT max(effective_on)::text AS on FROM circumstance_change
      WHERE referral_id = $1 AND kind = ANY($2) AND effective_on <= $3 AND (reported_by = $4 OR action = 'ACTIONED')
        AND effective_on >= coalesce((SELECT max(referred_on) FROM referral_return WHERE referral_id = $1 AND referred_on <= $3), '-infinity')`,
    [referral.id, STATUS_CHANGES, day, referral.jobcentreId],
  );
  const marker = referral.offBenefitSince && referral.offBenefitSince <= day ? referral.offBenefitSince : null;
  return [row?.on ?? null, marker].filter((on): on is string => on !== null).sort().at(-1) ?? null;
}

/**
 * The prime, or a subcontractor holding an accepted end-to-end or specialist handoff, raises a
 * doubt. The prime's goes straight to the Decision Makers; a subcontractor's to the prime first.
 */
export async function raiseComplianceDoubt(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; type: ComplianceDoubtType; occurredOn: string; description: string; mandatoryActivity?: MandatoryActivityData | null },
  today: string = todayUtc(),
): Promise<ComplianceDoubt> {
  return db.transaction(async (tx) => {
    const { referral, primeId, byPrime, restricted } = await referralForRaiser(tx, viewer, input.referralId);
    const errors = checkDoubt(referral, input, today, restricted);
    const changedOn = await statusChangedBy(tx, referral, input.occurredOn);
    if (changedOn) errors.push(userError(ErrorCode.STATUS_CHANGED, `The participant's status changed on ${changedOn}: no doubt about a later day`, ['occurredOn']));
    assertNoUserErrors(errors);
    const activity = input.mandatoryActivity;
    const repository = tx.getRepository(ComplianceDoubt);
    let doubt: ComplianceDoubt;
    try {
      doubt = await repository.save(
        repository.create({
          referralId: referral.id,
          raisedById: viewer.organisation.id,
          type: input.type,
          status: byPrime ? ComplianceDoubtStatus.SUBMITTED : ComplianceDoubtStatus.RAISED,
          occurredOn: input.occurredOn,
          description: input.description.trim(),
          activityKind: activity?.kind ?? null,
          activityDescription: activity ? activity.description.trim() : null,
          activityNotifiedOn: activity?.notifiedOn ?? null,
          activityNotifiedInWriting: activity?.notifiedInWriting ?? null,
          activityScheduledFor: activity?.scheduledFor ?? null,
          submittedAt: byPrime ? new Date() : null,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'compliance_doubt_open_key')) {
        refuse(ErrorCode.DUPLICATE_DOUBT, 'An open or sanctioned doubt of this type for this failure date exists already', ['occurredOn']);
      }
      throw error;
    }
    await addToInbox(
      tx,
      byPrime
        ? tell(await decisionMakers(tx), InboxItemKind.COMPLIANCE_DOUBT_SUBMITTED, doubt)
        : tell([primeId], InboxItemKind.COMPLIANCE_DOUBT_RAISED, doubt),
    );
    return doubt;
  });
}

const doubtLifecycle = new Lifecycle<ComplianceDoubtStatus, ComplianceDoubt, InboxEvent>('compliance doubt', DOUBT_TRANSITIONS, ComplianceDoubt, addToInbox);

type Actor = 'prime' | 'raiser' | 'decisionMaker';

/** Locks a doubt's referral, then the doubt, for a change by one of `actors` (asked of the access gate); anyone else is told it does not exist. */
async function moveDoubt(
  db: DataSource,
  viewer: Viewer,
  doubtId: string,
  actors: Actor[],
  to: ComplianceDoubtStatus,
  change: (tx: EntityManager, doubt: ComplianceDoubt, referral: Referral, primeId: string, restricted: boolean) => Promise<InboxEvent[]>,
): Promise<ComplianceDoubt> {
  return db.transaction(async (tx) => {
    const found = isUuid(doubtId) ? await tx.getRepository(ComplianceDoubt).findOneBy({ id: doubtId }) : null;
    const access = found && (await lockAccess(tx, viewer, found.referralId));
    if (!found || !access?.changesDoubt(found.id, actors)) {
      refuse(ErrorCode.UNKNOWN_COMPLIANCE_DOUBT, 'No compliance doubt with this id is yours to change', ['complianceDoubtId']);
    }
    const doubt = await tx.getRepository(ComplianceDoubt).findOneOrFail({ where: { id: found.id }, lock: { mode: 'pessimistic_write' } });
    const referral = await tx.getRepository(Referral).findOneByOrFail({ id: doubt.referralId });
    return doubtLifecycle.move(tx, doubt, to, { actorId: viewer.organisation.id, apply: () => change(tx, doubt, referral, access.facts.primeId, access.facts.restricted) });
  });
}

export function submitComplianceDoubt(db: DataSource, viewer: Viewer, doubtId: string): Promise<ComplianceDoubt> {
  return moveDoubt(db, viewer, doubtId, ['prime'], ComplianceDoubtStatus.SUBMITTED, async (tx, doubt, referral) => {
    // A subcontractor's doubt raised before a status change was known: it does not go to DWP.
    const changedOn = await statusChangedBy(tx, referral, doubt.occurredOn);
    if (changedOn) refuse(ErrorCode.STATUS_CHANGED, `The participant's status changed on ${changedOn}: return or withdraw this doubt`, ['complianceDoubtId']);
    doubt.submittedAt = new Date();
    return tell(await decisionMakers(tx), InboxItemKind.COMPLIANCE_DOUBT_SUBMITTED, doubt);
  });
}

/** The prime sends a subcontractor's doubt back with a reason; the raiser may amend and raise again. */
export function returnComplianceDoubt(db: DataSource, viewer: Viewer, input: { complianceDoubtId: string; reason: string }): Promise<ComplianceDoubt> {
  return moveDoubt(db, viewer, input.complianceDoubtId, ['prime'], ComplianceDoubtStatus.RETURNED, async (_tx, doubt, _referral, _primeId, restricted) => {
    doubt.returnReason = reasonText(restricted, input.reason, 'reason', 'A returned doubt says what to put right');
    return tell([doubt.raisedById], InboxItemKind.COMPLIANCE_DOUBT_RETURNED, doubt);
  });
}

/** The raiser or the prime withdraws a doubt before a decision (e.g. an administrative error). */
export function withdrawComplianceDoubt(db: DataSource, viewer: Viewer, input: { complianceDoubtId: string; reason: string }): Promise<ComplianceDoubt> {
  return moveDoubt(db, viewer, input.complianceDoubtId, ['prime', 'raiser'], ComplianceDoubtStatus.WITHDRAWN, async (tx, doubt, _referral, primeId, restricted) => {
    doubt.withdrawnReason = reasonText(restricted, input.reason, 'reason', 'A withdrawal says why');
    const told = [doubt.raisedById, primeId].filter((o) => o !== viewer.organisation.id);
    if (doubt.status === ComplianceDoubtStatus.SUBMITTED) told.push(...(await decisionMakers(tx)));
    return tell(told, InboxItemKind.COMPLIANCE_DOUBT_WITHDRAWN, doubt);
  });
}

/** The longest sanction any regime had (JSA from 2012, higher-level failures: three years). */
const MAX_SANCTION_WEEKS = 156;

/**
 * A Decision Maker decides a submitted doubt. The length of an applied sanction is theirs to set;
 * when they do not, the regime's suggestion is recorded and the decision says so. A change of
 * circumstances is never sanctioned. The decision goes back to whoever raised the doubt, the
 * prime and the referring Jobcentre.
 */
export function decideComplianceDoubt(
  db: DataSource,
  viewer: Viewer,
  input: { complianceDoubtId: string; outcome: ComplianceOutcome; reason: string; sanctionWeeks?: number | null; notAppliedReason?: NotAppliedReason | null },
): Promise<ComplianceDoubt> {
  return moveDoubt(db, viewer, input.complianceDoubtId, ['decisionMaker'], ComplianceDoubtStatus.DECIDED, async (tx, doubt, referral, primeId) => {
    const reason = trimmed(input.reason);
    const applied = input.outcome === ComplianceOutcome.SANCTION_APPLIED;
    const errors: UserError[] = [];
    if (!reason) errors.push(userError(ErrorCode.REASON_REQUIRED, 'A decision gives its reason', ['reason']));
    if (applied && doubt.type === ComplianceDoubtType.CHANGE_OF_CIRCUMSTANCES) {
      errors.push(userError(ErrorCode.NOT_SANCTIONABLE, 'A change of circumstances is a notification: it is never sanctioned', ['outcome']));
    }
    if (input.sanctionWeeks != null && !applied) {
      errors.push(userError(ErrorCode.DECISION_INCONSISTENT, 'sanctionWeeks goes only with SANCTION_APPLIED', ['sanctionWeeks']));
    } else if (input.sanctionWeeks != null && !(Number.isInteger(input.sanctionWeeks) && input.sanctionWeeks >= 1 && input.sanctionWeeks <= MAX_SANCTION_WEEKS)) {
      errors.push(userError(ErrorCode.INVALID_SANCTION_WEEKS, `A sanction lasts 1 to ${MAX_SANCTION_WEEKS} weeks`, ['sanctionWeeks']));
    }
    if (input.notAppliedReason != null && applied) {
      errors.push(userError(ErrorCode.DECISION_INCONSISTENT, 'notAppliedReason goes only with an outcome that applies no sanction', ['notAppliedReason']));
    }
    assertNoUserErrors(errors);
    let sanctionWeeks: number | null = null;
    let sanctionWeeksSource: SanctionWeeksSource | null = null;
    if (applied && input.sanctionWeeks != null) {
      sanctionWeeks = input.sanctionWeeks;
      sanctionWeeksSource = SanctionWeeksSource.DECISION_MAKER;
    } else if (applied) {
      // One participant's sanctions are decided one at a time, so each suggestion sees the one before it.
      await tx.query('SELECT id FROM participant WHERE id = $1 FOR UPDATE', [referral.participantId]);
      [sanctionWeeks] = await sanctionSuggestions(tx, [doubt.id]);
      sanctionWeeksSource = sanctionWeeks === null ? null : SanctionWeeksSource.SUGGESTED;
    }
    Object.assign(doubt, {
      outcome: input.outcome,
      decisionReason: reason,
      sanctionWeeks,
      sanctionWeeksSource,
      notAppliedReason: input.notAppliedReason ?? null,
      decidedAt: new Date(),
      decidedById: viewer.organisation.id,
    });
    return tell([doubt.raisedById, primeId, referral.jobcentreId], InboxItemKind.COMPLIANCE_DECISION, doubt);
  });
}

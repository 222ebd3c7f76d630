import type { DataSource, EntityManager } from 'typeorm';
import { HandoffPurpose, HandoffStatus } from '../../auth/access.enums';
import { type ReferralAccessChecker, lockAccess } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { todayUtc } from '../../common/dates';
import { ErrorCode } from '../../common/error-codes';
import { isUuid } from '../../common/ids';
import { restrictedFreeText, trimmed } from '../../common/text';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { Handoff } from '../chain/handoff.entity';
import { addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { Referral } from '../referrals/referral.entity';
import { ActionPlanReview } from './action-plan-review.entity';
import { Assessment } from './assessment.entity';
import { PlannedAction } from './planned-action.entity';
import { ProgressUpdate } from './progress-update.entity';
import type { ActionKind, Barrier, JobReadiness } from './record.enums';
import { progressErrors, type referralRecordRow } from './record.rules';

/**
 * The referral record: what the Jobcentre sent with a referral (written at submission), the
 * prime's assessments and action plan, and spot providers' progress updates. Who may do what is
 * the access gate's (`keepsActionPlan`, `changesHandoff`); the rules are here and in record.rules.ts.
 */

/** Writes the records sent with a batch of referrals, in the submission's transaction: one statement. */
export async function writeReferralRecords(tx: EntityManager, rows: Array<NonNullable<ReturnType<typeof referralRecordRow>> & { referral_id: string }>): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO referral_record (referral_id, benefit, claim_started_on, reason, qualifications, work_history, barriers, barrier_notes, job_goals,
       welsh, interpreter, interpreter_language, esol, caring_responsibilities, consent_to_share_risk, risk_sharing_basis)
     SELECT referral_id, benefit, claim_started_on, reason, qualifications, work_history, barriers, barrier_notes, job_goals,
       welsh, interpreter, interpreter_language, esol, caring_responsibilities, consent_to_share_risk, risk_sharing_basis
       FROM jsonb_to_recordset($1::jsonb) AS x(referral_id uuid, benefit text, claim_started_on date, reason text, qualifications text[],
         work_history text, barriers text[], barrier_notes text, job_goals text, welsh boolean, interpreter boolean, interpreter_language text,
         esol boolean, caring_responsibilities text, consent_to_share_risk boolean, risk_sharing_basis text)`,
    [JSON.stringify(rows)],
  );
}

/** A live referral whose action plan the viewer keeps, locked; anyone else is told it does not exist. */
async function lockPlan(tx: EntityManager, viewer: Viewer, referralId: string): Promise<{ access: ReferralAccessChecker; referral: Referral }> {
  const access = await lockAccess(tx, viewer, referralId);
  if (!access?.keepsActionPlan) refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to keep an action plan for', ['referralId']);
  const referral = await tx.getRepository(Referral).findOneByOrFail({ id: referralId });
  if (!access.live) refuse(ErrorCode.REFERRAL_NOT_LIVE, `The referral is ${referral.status}`, ['referralId']);
  return { access, referral };
}

/** A day from the referral date to today. */
function dayErrors(date: string, field: string, referral: Referral, today: string): UserError[] {
  if (date < referral.referredOn) return [userError(ErrorCode.DATE_BEFORE_REFERRAL, `${field} ${date} is before the referral (${referral.referredOn})`, [field])];
  if (date > today) return [userError(ErrorCode.DATE_IN_FUTURE, `${field} ${date} is after today (${today})`, [field])];
  return [];
}

export function recordAssessment(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; assessedOn: string; jobReadiness: JobReadiness; barriers?: Barrier[] | null; notes?: string | null },
  today: string = todayUtc(),
): Promise<Assessment> {
  return db.transaction(async (tx) => {
    const { access, referral } = await lockPlan(tx, viewer, input.referralId);
    assertNoUserErrors([...dayErrors(input.assessedOn, 'assessedOn', referral, today), ...restrictedFreeText(access.facts.restricted, { notes: input.notes })]);
    return tx.getRepository(Assessment).save(
      tx.getRepository(Assessment).create({
        referralId: referral.id,
        assessedById: viewer.organisation.id,
        assessedOn: input.assessedOn,
        jobReadiness: input.jobReadiness,
        barriers: [...new Set(input.barriers ?? [])],
        notes: trimmed(input.notes),
      }),
    );
  });
}

export function addPlannedAction(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; kind: ActionKind; description?: string | null; dueOn: string; mandatory: boolean; notifiedInWritingOn?: string | null },
  today: string = todayUtc(),
): Promise<PlannedAction> {
  return db.transaction(async (tx) => {
    const { access, referral } = await lockPlan(tx, viewer, input.referralId);
    const errors = restrictedFreeText(access.facts.restricted, { description: input.description });
    if (input.dueOn < referral.referredOn) errors.push(userError(ErrorCode.DATE_BEFORE_REFERRAL, `dueOn ${input.dueOn} is before the referral (${referral.referredOn})`, ['dueOn']));
    const notified = input.notifiedInWritingOn;
    if (notified) {
      errors.push(...dayErrors(notified, 'notifiedInWritingOn', referral, today));
      if (notified > input.dueOn) errors.push(userError(ErrorCode.NOTIFIED_AFTER_DUE, `Notified on ${notified}, after it was due (${input.dueOn})`, ['notifiedInWritingOn']));
    }
    assertNoUserErrors(errors);
    return tx.getRepository(PlannedAction).save(
      tx.getRepository(PlannedAction).create({
        referralId: referral.id,
        recordedById: viewer.organisation.id,
        kind: input.kind,
        description: trimmed(input.description),
        dueOn: input.dueOn,
        mandatory: input.mandatory,
        notifiedInWritingOn: notified ?? null,
        completedOn: null,
      }),
    );
  });
}

/** A review of the plan, marking the actions it found done (on the review's day). */
export function reviewActionPlan(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; reviewedOn: string; note?: string | null; completedActionIds?: string[] | null },
  today: string = todayUtc(),
): Promise<ActionPlanReview> {
  return db.transaction(async (tx) => {
    const { access, referral } = await lockPlan(tx, viewer, input.referralId);
    const errors = [...dayErrors(input.reviewedOn, 'reviewedOn', referral, today), ...restrictedFreeText(access.facts.restricted, { note: input.note })];
    const done = [...new Set(input.completedActionIds ?? [])];
    const actions = await tx.getRepository(PlannedAction).findBy({ referralId: referral.id });
    // Only the chain the referral is with now: an earlier prime's plan is not this one's to mark.
    const ours = new Set(actions.filter((action) => access.inCurrentChain(action.createdAt)).map((action) => action.id));
    done.forEach((id, index) => {
      if (!isUuid(id) || !ours.has(id)) errors.push(userError(ErrorCode.UNKNOWN_PLANNED_ACTION, 'No action with this id is on this plan', ['completedActionIds', index]));
    });
    assertNoUserErrors(errors);
    if (done.length > 0) {
      await tx.query('UPDATE planned_action SET completed_on = $2 WHERE id = ANY($1) AND completed_on IS NULL', [done, input.reviewedOn]);
    }
    return tx.getRepository(ActionPlanReview).save(
      tx.getRepository(ActionPlanReview).create({ referralId: referral.id, reviewedById: viewer.organisation.id, reviewedOn: input.reviewedOn, note: trimmed(input.note) }),
    );
  });
}

/**
 * A spot provider tells whoever passed it the referral how the participant got on (PROGRESS_UPDATE
 * in the sender's inbox), while its handoff is accepted: assessments no longer arrive "only on the
 * day" (002:1381), and results go back up the chain.
 */
export function recordProgressUpdate(
  db: DataSource,
  viewer: Viewer,
  input: { handoffId: string; attended: boolean; completed: boolean; certificate?: string | null; recommendation?: string | null },
): Promise<ProgressUpdate> {
  return db.transaction(async (tx) => {
    const unknown = () => refuse(ErrorCode.UNKNOWN_HANDOFF, 'No handoff with this id is yours', ['handoffId']);
    const found = isUuid(input.handoffId) ? await tx.getRepository(Handoff).findOneBy({ id: input.handoffId }) : null;
    if (!found) return unknown();
    const access = await lockAccess(tx, viewer, found.referralId);
    if (!access?.changesHandoff(found.id, ['to'])) return unknown();
    // Read again under the referral's lock: a handoff changes only under it.
    const handoff = await tx.getRepository(Handoff).findOneByOrFail({ id: found.id });
    if (handoff.purpose !== HandoffPurpose.SPOT_PROVISION) refuse(ErrorCode.NOT_SPOT_PROVISION, `The handoff is for ${handoff.purpose}`, ['handoffId']);
    if (handoff.status !== HandoffStatus.ACCEPTED) refuse(ErrorCode.ILLEGAL_TRANSITION, `The handoff is ${handoff.status}: a progress update is returned while it is accepted`, ['handoffId']);
    assertNoUserErrors([
      ...progressErrors(input),
      ...restrictedFreeText(access.facts.restricted, { certificate: input.certificate, recommendation: input.recommendation }),
    ]);
    const update = await tx.getRepository(ProgressUpdate).save(
      tx.getRepository(ProgressUpdate).create({
        handoffId: handoff.id,
        referralId: handoff.referralId,
        recordedById: viewer.organisation.id,
        attended: input.attended,
        completed: input.completed,
        certificate: trimmed(input.certificate),
        recommendation: trimmed(input.recommendation),
      }),
    );
    await addToInbox(tx, [{ organisationId: handoff.fromOrganisationId, kind: InboxItemKind.PROGRESS_UPDATE, referralId: handoff.referralId, handoffId: handoff.id }]);
    return update;
  });
}

import { GraphQLError } from 'graphql';
import { type DataSource, type FindOptionsOrder, In, type ObjectLiteral } from 'typeorm';
import { subjectAccess } from '../../auth/policy';
import { forSubjectAccess } from '../../auth/referral-access';
import { isUuid } from '../../common/ids';
import { type Page, type PageArgs, decodeCursor, emptyPage, isSeqPosition, pageOf, pageSize } from '../../common/pagination';
import type { RequestContext } from '../context';
import { ReferralAllocation } from '../allocation/referral-allocation.entity';
import { FirstAppointment } from '../appointments/first-appointment.entity';
import { Handoff } from '../chain/handoff.entity';
import { CircumstanceChange } from '../compliance/circumstance-change.entity';
import { ComplianceDoubt } from '../compliance/compliance-doubt.entity';
import { MessageThread } from '../messages/message-thread.entity';
import { handbackOf } from '../outcomes/handback';
import { JobStart } from '../outcomes/job-start.entity';
import { Payment } from '../outcomes/payment.entity';
import { ActionPlanReview } from '../record/action-plan-review.entity';
import { Assessment } from '../record/assessment.entity';
import { PlannedAction } from '../record/planned-action.entity';
import { ProgressUpdate } from '../record/progress-update.entity';
import { normaliseNino } from '../referrals/nino';
import { Participant } from '../referrals/participant.entity';
import { participantView } from '../referrals/participant.view';
import { ReferralClaimant } from '../referrals/referral-claimant.entity';
import { ReferralQuery } from '../referrals/referral-query.entity';
import { Referral } from '../referrals/referral.entity';
import { Contact } from '../standards/contact.entity';
import { AuditAction, type AuditRecord, type PersonAccessEvent, type SubjectAccessExport, type SubjectAccessReferral } from './audit.types';

interface AccessRow {
  seq: string;
  occurred_at: Date;
  action: AuditAction;
  record: AuditRecord;
  api_key_id: string | null;
  organisation_id: string | null;
  request_id: string | null;
  operation: string | null;
  db_role: string;
  /** READ: the fields read; a write: this person's rows of the event. */
  mine: string[] | Array<{ id: string; changed?: string[] }> | null;
}

/** Column names (acknowledged_at) as the API spells fields (acknowledgedAt). */
const camel = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Who read or changed a person's record, newest first: the audit events naming the participant,
 * each cut down to this person's part of it (a page of 500 referrals read at once is one event).
 */
export async function personAccessLog(db: DataSource, participantId: string, page: PageArgs): Promise<Page<PersonAccessEvent>> {
  const first = pageSize(page.first);
  const before = decodeCursor(page.after, isSeqPosition);
  if (!isUuid(participantId)) return emptyPage();
  const rows: AccessRow[] = await db.query(
    `SELECT e.seq::text AS seq, occurred_at, action, record, api_key_id, organisation_id, request_id, operation, db_role,
            CASE WHEN action = 'READ' THEN details -> 'fields' -> $1::text
                 ELSE jsonb_path_query_array(details -> 'rows', '$[*] ? (@.participant == $p)', jsonb_build_object('p', $1::text)) END AS mine
       FROM audit_event e
      WHERE participant_ids @> ARRAY[$1::uuid] AND ($2::bigint IS NULL OR e.seq < $2::bigint)
      ORDER BY e.seq DESC
      LIMIT $3`,
    [participantId, before, first + 1],
  );
  const events = rows.map((row): PersonAccessEvent => {
    const read = row.action === AuditAction.READ;
    const written = read ? [] : ((row.mine ?? []) as Array<{ id: string; changed?: string[] }>);
    return {
      sequence: row.seq,
      at: row.occurred_at,
      action: row.action,
      record: row.record,
      fields: read ? ((row.mine ?? []) as string[]) : [...new Set(written.flatMap((w) => w.changed ?? []))].map(camel),
      recordIds: written.map((w) => w.id),
      operation: row.operation,
      requestId: row.request_id,
      databaseRole: row.db_role,
      apiKeyId: row.api_key_id,
      organisationId: row.organisation_id,
    };
  });
  return pageOf(events, first, (event) => event.sequence);
}

/** Rows of `entity` on these referrals, grouped by referral. One statement. */
async function byReferral<T extends ObjectLiteral & { referralId: string }>(
  db: DataSource,
  entity: new () => T,
  referralIds: string[],
  order: FindOptionsOrder<T>,
): Promise<(referralId: string) => T[]> {
  if (referralIds.length === 0) return () => [];
  const rows = await db.getRepository(entity).find({ where: { referralId: In(referralIds) } as never, order });
  return (referralId) => rows.filter((row) => row.referralId === referralId);
}

/**
 * Everything held about one person, found by participant id or NINO: the whole record (decrypted,
 * as the policy's subject access allows) and every referral with what was recorded on it. The
 * access log is read through `accessLog`. The person's fields are audited as read like any other.
 */
export async function subjectAccessExport(
  ctx: RequestContext,
  by: { participantId?: string | null; nino?: string | null },
): Promise<SubjectAccessExport | null> {
  const access = subjectAccess(ctx.viewer);
  if ((by.participantId == null) === (by.nino == null)) {
    throw new GraphQLError('Give participantId or nino, not both', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const participants = ctx.db.getRepository(Participant);
  const participant = by.participantId
    ? isUuid(by.participantId)
      ? await participants.findOneBy({ id: by.participantId })
      : null
    : await participants.findOneBy({ nino: normaliseNino(by.nino!) });
  if (!participant) return null;
  ctx.audit.read(participant.id, 'subjectAccessExport');
  const referrals = await ctx.db.getRepository(Referral).find({ where: { participantId: participant.id }, order: { seq: 'ASC' } });
  const ids = referrals.map((r) => r.id);
  const [allocations, handoffs, contacts, doubts, jobs, payments, claimants, queries, appointments, changes, assessments, actions, reviews, progress, threads] =
    await Promise.all([
      byReferral(ctx.db, ReferralAllocation, ids, { allocatedAt: 'ASC', id: 'ASC' }),
      byReferral(ctx.db, Handoff, ids, { offeredAt: 'ASC', id: 'ASC' }),
      byReferral(ctx.db, Contact, ids, { occurredAt: 'ASC', id: 'ASC' }),
      byReferral(ctx.db, ComplianceDoubt, ids, { seq: 'ASC' }),
      byReferral(ctx.db, JobStart, ids, { startedOn: 'ASC', id: 'ASC' }),
      byReferral(ctx.db, Payment, ids, { earnedOn: 'ASC', kind: 'ASC', sequence: 'ASC' }),
      byReferral(ctx.db, ReferralClaimant, ids, { id: 'ASC' }),
      byReferral(ctx.db, ReferralQuery, ids, { raisedAt: 'ASC', id: 'ASC' }),
      byReferral(ctx.db, FirstAppointment, ids, { startsAt: 'ASC', bookedAt: 'ASC' }),
      byReferral(ctx.db, CircumstanceChange, ids, { effectiveOn: 'ASC', reportedAt: 'ASC' }),
      byReferral(ctx.db, Assessment, ids, { assessedOn: 'ASC', createdAt: 'ASC' }),
      byReferral(ctx.db, PlannedAction, ids, { dueOn: 'ASC', createdAt: 'ASC' }),
      byReferral(ctx.db, ActionPlanReview, ids, { reviewedOn: 'ASC', createdAt: 'ASC' }),
      byReferral(ctx.db, ProgressUpdate, ids, { createdAt: 'ASC' }),
      byReferral(ctx.db, MessageThread, ids, { seq: 'ASC' }),
    ]);
  // The handback counts contacts by kind: one statement for every exited referral.
  const contactKinds = await Promise.all(referrals.map((r) => (r.exitedOn ? ctx.loaders.contactKindsByReferral.load(r.id) : [])));
  return {
    // The record the newest referral was sent with (the participant row's details are the newest's too).
    participant: participantView(participant, access, ctx.cipher, undefined, referrals.at(-1)?.id ?? null),
    referrals: referrals.map(
      (referral, i): SubjectAccessReferral => ({
        referral,
        allocations: allocations(referral.id),
        handoffs: handoffs(referral.id),
        contacts: contacts(referral.id),
        complianceDoubts: doubts(referral.id),
        jobStarts: jobs(referral.id),
        payments: payments(referral.id),
        sentWith: participantView(participant, access, ctx.cipher, async () => claimants(referral.id)[0] ?? null, referral.id),
        queries: queries(referral.id),
        firstAppointments: appointments(referral.id),
        // A change's text and new details are otherwise shown by relationship to the referral, which DWP's export has none of.
        circumstanceChanges: forSubjectAccess(ctx.viewer, changes(referral.id)),
        assessments: assessments(referral.id),
        actionPlan: { actions: actions(referral.id), reviews: reviews(referral.id) },
        progressUpdates: progress(referral.id),
        handback: handbackOf(referral, contactKinds[i], jobs(referral.id), payments(referral.id)),
        messageThreads: threads(referral.id),
      }),
    ),
    exportedAt: new Date(),
  };
}

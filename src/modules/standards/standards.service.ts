import type { DataSource } from 'typeorm';
import { onReplica } from '../../db/data-source';
import { holdsContract, lockAccess } from '../../auth/referral-access';
import { restrictedFreeText } from '../../common/text';
import type { Viewer } from '../../auth/viewer';
import { todayUtc } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import type { PaymentGroup } from '../contracts/contracts.enums';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { Subcontract } from '../contracts/subcontract.entity';
import { LIVE_STATUSES } from '../../auth/access.enums';
import { Referral } from '../referrals/referral.entity';
import { type ThresholdSpan, firstOverdueDaySql, lastDayBefore, setInForce, thresholdTimeline } from './clocks';
import { Contact } from './contact.entity';
import { ServiceStandard } from './service-standard.entity';
import { type ContactChannel, type ContactKind, METRICS, type ServiceStandardMetric, ServiceStandardScope } from './standards.enums';

/** Minimum service standards down the chain, the contacts that meet them, and compliance. */

export interface StandardData {
  paymentGroup?: PaymentGroup | null;
  metric: ServiceStandardMetric;
  thresholdDays: number;
  scope: ServiceStandardScope;
  minimumPercent?: number | null;
  description: string;
}

function checkStandard(standard: StandardData, i: number): UserError[] {
  const errors: UserError[] = [];
  const at = (field: string) => ['standards', i, field];
  if (!Number.isInteger(standard.thresholdDays) || standard.thresholdDays < 1) {
    errors.push(userError(ErrorCode.INVALID_THRESHOLD, 'thresholdDays is a whole number of days, at least 1', at('thresholdDays')));
  }
  const percent = standard.minimumPercent;
  if (standard.scope === ServiceStandardScope.PERCENT_OF_PARTICIPANTS && (percent == null || !Number.isInteger(percent) || percent < 1 || percent > 100)) {
    errors.push(userError(ErrorCode.MINIMUM_PERCENT_REQUIRED, 'A percentage standard needs minimumPercent from 1 to 100', at('minimumPercent')));
  }
  if (standard.scope === ServiceStandardScope.ALL_PARTICIPANTS && percent != null) {
    errors.push(userError(ErrorCode.MINIMUM_PERCENT_NOT_ALLOWED, 'A standard for all participants has no minimumPercent', at('minimumPercent')));
  }
  if (!standard.description.trim()) errors.push(userError(ErrorCode.DESCRIPTION_REQUIRED, 'A standard says what it asks', at('description')));
  return errors;
}

/**
 * The prime replaces its contract's standards with a new version from `effectiveFrom` (today
 * when absent; never a day already past, which would breach days measured under the old set):
 * every set still in force on or after that day ends the day before (kept, superseded), and
 * every member of the chain finds the new set in its inbox.
 */
export async function publishServiceStandards(
  db: DataSource,
  viewer: Viewer,
  input: { contractId: string; effectiveFrom?: string | null; standards: StandardData[] },
  now: Date = new Date(),
): Promise<ServiceStandard[]> {
  const effectiveFrom = input.effectiveFrom ?? todayUtc(now);
  return db.transaction(async (tx) => {
    // Locked: versions of one contract's standards are taken one at a time.
    const contract = isUuid(input.contractId)
      ? await tx.getRepository(PrimeContract).findOne({ where: { id: input.contractId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!contract || !holdsContract(viewer, contract)) {
      refuse(ErrorCode.UNKNOWN_CONTRACT, 'No contract with this id is yours', ['contractId']);
    }
    const errors = input.standards.flatMap(checkStandard);
    if (effectiveFrom < todayUtc(now)) {
      errors.push(userError(ErrorCode.EFFECTIVE_FROM_IN_PAST, `Standards take effect from today (${todayUtc(now)}) or later`, ['effectiveFrom']));
    }
    if (input.standards.length === 0) {
      errors.push(userError(ErrorCode.STANDARDS_REQUIRED, 'A published set has at least one standard', ['standards']));
    }
    const seen = new Set<string>();
    input.standards.forEach((standard, i) => {
      const key = `${standard.metric}/${standard.paymentGroup ?? '*'}`;
      if (seen.has(key)) {
        errors.push(userError(ErrorCode.DUPLICATE_STANDARD, 'The set has this metric for this payment group twice', ['standards', i, 'metric']));
      }
      seen.add(key);
    });
    assertNoUserErrors(errors);
    const [{ version }] = await tx.query('SELECT coalesce(max(version), 0) + 1 AS version FROM service_standard WHERE contract_id = $1', [contract.id]);
    await tx.query(
      `UPDATE service_standard SET superseded_at = coalesce(superseded_at, now()), effective_until = $2::date
        WHERE contract_id = $1 AND (effective_until IS NULL OR effective_until > $2::date)`,
      [contract.id, lastDayBefore(effectiveFrom)],
    );
    const repository = tx.getRepository(ServiceStandard);
    const saved = await repository.save(
      input.standards.map((standard) =>
        repository.create({
          contractId: contract.id,
          version,
          paymentGroup: standard.paymentGroup ?? null,
          metric: standard.metric,
          thresholdDays: standard.thresholdDays,
          scope: standard.scope,
          minimumPercent: standard.minimumPercent ?? null,
          description: standard.description.trim(),
          publishedAt: now,
          effectiveFrom,
          effectiveUntil: null,
        }),
      ),
    );
    const chain = [...new Set((await tx.getRepository(Subcontract).findBy({ contractId: contract.id })).map((p) => p.subcontractorId))];
    await addToInbox(tx, chain.map((organisationId) => ({ organisationId, kind: InboxItemKind.SERVICE_STANDARDS_PUBLISHED, contractId: contract.id })));
    return saved;
  });
}

/**
 * A contact recorded by the prime or by the holder of a live handoff. The same contact (referral,
 * time, kind, recorder) recorded again is the same contact: the first is returned.
 */
export async function recordContact(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; occurredAt: Date; channel: ContactChannel; kind: ContactKind; attended: boolean; note?: string | null },
  now: Date = new Date(),
): Promise<Contact> {
  // In a transaction, as every write to a person's record: the audit learns who wrote it.
  return db.transaction(async (tx) => {
    const access = await lockAccess(tx, viewer, input.referralId);
    if (!access?.mayRecordContact) refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to record against', ['referralId']);
    const referral = await tx.getRepository(Referral).findOneByOrFail({ id: access.facts.id });
    const errors = restrictedFreeText(access.facts.restricted, { note: input.note });
    if (!LIVE_STATUSES.includes(referral.status)) errors.push(userError(ErrorCode.REFERRAL_NOT_LIVE, `The referral is ${referral.status}`, ['referralId']));
    if (input.occurredAt > now) errors.push(userError(ErrorCode.DATE_IN_FUTURE, 'A contact is recorded once it has happened', ['occurredAt']));
    if (todayUtc(input.occurredAt) < referral.referredOn) {
      errors.push(userError(ErrorCode.DATE_BEFORE_REFERRAL, `The referral was made on ${referral.referredOn}`, ['occurredAt']));
    }
    assertNoUserErrors(errors);
    const key = { referralId: referral.id, occurredAt: input.occurredAt, kind: input.kind, recordedById: viewer.organisation.id };
    await tx
      .getRepository(Contact)
      .createQueryBuilder()
      .insert()
      .values({ ...key, channel: input.channel, attended: input.attended, note: input.note?.trim() || null })
      .orIgnore()
      .execute();
    return tx.getRepository(Contact).findOneByOrFail(key);
  });
}

// ---------------------------------------------------------------- compliance

export interface ComplianceScope {
  contract: PrimeContract;
  asOf: string;
  /** Only this organisation's participants (a subcontractor's own part); null for all. */
  holder: string | null;
}

export interface StandardEvaluation {
  /** Participants in scope and meeting the standard, per delivering organisation. */
  counts: Array<{ holder: string; inScope: number; meeting: number }>;
  /** The first participants in breach, earliest due first (up to the largest page). */
  breaches: Array<{ referralId: string; dueBy: string }>;
}

/** A standard in force on the day measured, with the threshold each earlier day is measured against. */
export interface StandardInForce {
  standard: ServiceStandard;
  timeline: ThresholdSpan[];
}

/** Where each metric's clock starts, as a column of the participants' subquery below. */
const CLOCK_START = { REFERRAL: 's.referred_on', ATTACHMENT: 's.attached_on', JOB_START: 's.job_start_on' } as const;

/**
 * Standards over their participants on `asOf`, all in one statement and one pass over the
 * contract's referrals and their attended contacts: for each standard the counts, and the first
 * `breaches` participants in breach (none asked: 0), earliest due first.
 *
 * In scope on `asOf`: a referral made by then, not rejected or exited by then, within its
 * allotted time (it ends on `allotted_until`, the day the exchange records the exit), whose clock has started (METRICS: at the referral date, at attachment, or at the
 * first job start) and not stopped (adviser-contact and review standards stop at the first job
 * start). Per participant and standard, the date by which a missing contact was due (the day
 * before the first day overdue; null when they meet it): FIRST asks for a counting contact within
 * N days of the clock's start, INTERVAL for no gap longer than N days between the start, the
 * counting contacts, and the report date, N being on each day the threshold in force that day
 * (`thresholdTimeline`, `firstOverdueDaySql`). Contacts come in time order once for all
 * standards; each standard keeps, on each contact, the date of its own previous counting contact
 * (a running max over the rows before). Who delivers: the holder of the END_TO_END handoff on
 * that date, else the prime.
 *
 * Each subquery is used once, so every join is estimated from the base tables' statistics (a CTE
 * used twice is materialised, and before PostgreSQL 17 has no statistics: a nested loop over two
 * of them was quadratic on 15 and 16); the one materialised result is only grouped and sorted.
 * The pass sorts more than the default work_mem, and JIT compiling it costs more than it saves.
 * On the replica when there is one (so is `lastContacts`, which must agree with it): a contact
 * recorded a moment ago counts a moment later.
 */
export async function evaluateStandards(
  db: DataSource,
  standards: StandardInForce[],
  scope: ComplianceScope,
  breaches: number,
): Promise<StandardEvaluation[]> {
  if (standards.length === 0) return [];
  const parameters: unknown[] = [scope.contract.id, scope.asOf, scope.contract.primeId, scope.holder, breaches, LIVE_STATUSES];
  const bind = (value: unknown) => `$${parameters.push(value)}`;
  const window = 'OVER (PARTITION BY s.id ORDER BY c.occurred_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)';
  const perRow: string[] = [];
  const perParticipant: string[] = [];
  standards.forEach(({ standard, timeline }, i) => {
    const metric = METRICS[standard.metric];
    const start = metric.stopsAtJobStart ? `CASE WHEN s.job_start_on IS NULL THEN ${CLOCK_START[metric.from]} END` : CLOCK_START[metric.from];
    const overdue = (after: string, upTo: string) => firstOverdueDaySql(after, upTo, timeline, bind);
    const counts = `c.kind = ANY(${bind(metric.kinds)}::text[]) AND c.d ${metric.measure === 'FIRST' ? '>=' : '>'} ${start}`;
    perRow.push(`${start} AS start${i}`, `${counts} AS counts${i}`);
    if (metric.measure === 'INTERVAL') perRow.push(`max(c.d) FILTER (WHERE ${counts}) ${window} AS prev${i}`);
    const group = standard.paymentGroup ? ` AND min(payment_group) = ${bind(standard.paymentGroup)}` : '';
    perParticipant.push(`min(start${i}) IS NOT NULL${group} AS in${i}`);
    // Between contacts, only a gap longer than the smallest threshold can hold an overdue day.
    const due =
      metric.measure === 'FIRST'
        ? overdue(`min(start${i})`, `coalesce(min(d) FILTER (WHERE counts${i}), $2::date)`)
        : `coalesce(min(${overdue(`coalesce(prev${i}, start${i})`, 'd')})
                      FILTER (WHERE counts${i} AND d - coalesce(prev${i}, start${i}) > ${bind(Math.min(...timeline.map((span) => span.days)))}::int),
                    ${overdue(`coalesce(max(d) FILTER (WHERE counts${i}), min(start${i}))`, '$2::date')})`;
    perParticipant.push(`(${due}) - 1 AS due${i}`);
  });
  // A lateral join, looked up once per referral: a scalar subquery here would be pulled up into
  // every expression that reads job_start_on, and run for each contact row, several times.
  const jobStart = standards.some(({ standard }) => METRICS[standard.metric].from === 'JOB_START' || METRICS[standard.metric].stopsAtJobStart)
    ? 'LEFT JOIN LATERAL (SELECT min(j.started_on) AS job_start_on FROM job_start j WHERE j.referral_id = r.id AND j.started_on <= $2::date) j ON true'
    : 'CROSS JOIN (SELECT NULL::date AS job_start_on) j';
  const rejectedOn = `(r.rejected_at AT TIME ZONE 'UTC')::date`;
  const results = standards.map((_, i) => `
    SELECT ${i} AS standard, holder, count(*)::int AS in_scope, count(*) FILTER (WHERE due${i} IS NULL)::int AS meeting, NULL::uuid AS id, NULL AS due_by
      FROM mine WHERE in${i} GROUP BY holder
    UNION ALL
    (SELECT ${i}, NULL, NULL, NULL, id, due${i}::text FROM mine WHERE in${i} AND due${i} IS NOT NULL ORDER BY due${i}, id LIMIT $5)`);
  const sql = `
    WITH participants AS (
      SELECT id, ${perParticipant.join(',\n             ')}
        FROM (
          SELECT s.id, s.payment_group, c.d, ${perRow.join(',\n                 ')}
            FROM (
              SELECT r.id, r.payment_group, r.referred_on, CASE WHEN r.attached_on <= $2::date THEN r.attached_on END AS attached_on, j.job_start_on
                FROM referral r ${jobStart}
               WHERE r.contract_id = $1 AND r.referred_on <= $2::date
                 AND (r.allotted_until IS NULL OR r.allotted_until > $2::date)
                 AND (r.exited_on IS NULL OR r.exited_on > $2::date) AND (r.rejected_at IS NULL OR ${rejectedOn} > $2::date)
                 -- Ended in a way whose day this does not know: left out.
                 AND (r.status = ANY($6::text[]) OR r.exited_on > $2::date OR ${rejectedOn} > $2::date)
            ) s
            LEFT JOIN (
              SELECT c.referral_id, c.occurred_at, c.kind, (c.occurred_at AT TIME ZONE 'UTC')::date AS d FROM contact c
               WHERE c.attended AND c.occurred_at < (($2::date + 1)::timestamp AT TIME ZONE 'UTC')
            ) c ON c.referral_id = s.id
        ) p
       GROUP BY id
    ), mine AS (
      SELECT participants.*, coalesce(holder.to_organisation_id, $3::uuid) AS holder
        FROM participants
        LEFT JOIN (
          SELECT DISTINCT ON (h.referral_id) h.referral_id, h.to_organisation_id
            FROM handoff h JOIN referral r ON r.id = h.referral_id AND r.contract_id = $1
           WHERE h.purpose = 'END_TO_END_DELIVERY' AND h.responded_at IS NOT NULL AND h.status IN ('ACCEPTED', 'COMPLETED', 'WITHDRAWN')
             AND (h.responded_at AT TIME ZONE 'UTC')::date <= $2::date
             AND (h.ended_at IS NULL OR (h.ended_at AT TIME ZONE 'UTC')::date > $2::date)
           ORDER BY h.referral_id, h.responded_at DESC
        ) holder ON holder.referral_id = participants.id
       WHERE $4::uuid IS NULL OR coalesce(holder.to_organisation_id, $3::uuid) = $4::uuid
    )
    ${results.join('\n    UNION ALL')}`;
  const rows: Array<{ standard: number; holder: string | null; in_scope: number | null; meeting: number | null; id: string | null; due_by: string | null }> =
    await onReplica(db, (replica) =>
      replica.manager.transaction(async (tx) => {
        await tx.query(`SET LOCAL work_mem = '64MB'`);
        await tx.query('SET LOCAL jit = off');
        return tx.query(sql, parameters);
      }),
    );
  return standards.map((_, i) => {
    const mine = rows.filter((row) => row.standard === i);
    return {
      counts: mine
        .filter((row) => row.id === null)
        .map((row) => ({ holder: row.holder!, inScope: row.in_scope!, meeting: row.meeting! }))
        .sort((a, b) => a.holder.localeCompare(b.holder)),
      breaches: mine.filter((row) => row.id !== null).map((row) => ({ referralId: row.id!, dueBy: row.due_by! })),
    };
  });
}

/**
 * The last counting contact of each participant shown in breach, by the date it was due: one
 * index look-up each (contact_attended_idx), for the page only.
 */
export async function lastContacts(
  db: DataSource,
  standard: ServiceStandard,
  asOf: string,
  breaches: Array<{ referralId: string; dueBy: string }>,
): Promise<Map<string, string | null>> {
  if (breaches.length === 0) return new Map();
  const metric = METRICS[standard.metric];
  const rows: Array<{ id: string; last_contact_on: string | null }> = await onReplica(db, (replica) => replica.query(
    `SELECT b.id, (
              SELECT max((c.occurred_at AT TIME ZONE 'UTC')::date) FROM contact c
               WHERE c.referral_id = b.id AND c.attended AND c.kind = ANY($3)
                 AND c.occurred_at < ((b.due_by + 1)::timestamp AT TIME ZONE 'UTC')
                 AND (c.occurred_at AT TIME ZONE 'UTC')::date >= CASE $4::text WHEN 'REFERRAL' THEN r.referred_on WHEN 'ATTACHMENT' THEN r.attached_on
                   ELSE (SELECT min(j.started_on) FROM job_start j WHERE j.referral_id = r.id AND j.started_on <= $5::date) END
            )::text AS last_contact_on
       FROM unnest($1::uuid[], $2::date[]) b(id, due_by) JOIN referral r ON r.id = b.id`,
    [breaches.map((b) => b.referralId), breaches.map((b) => b.dueBy), metric.kinds, metric.from, asOf],
  ));
  return new Map(rows.map((row) => [row.id, row.last_contact_on]));
}

/**
 * Whether a standard is met: by everyone in scope, or by at least its minimum percentage, in
 * whole numbers (29 of 100 meets 29%; 29 / 100 * 100 is 28.999… in floating point).
 */
export function isMet(standard: { scope: ServiceStandardScope; minimumPercent: number | null }, inScope: number, meeting: number): boolean {
  return standard.scope === ServiceStandardScope.ALL_PARTICIPANTS ? meeting === inScope : meeting * 100 >= standard.minimumPercent! * inScope;
}

/**
 * The standards of a contract in force on a date, each with its thresholds on the days before
 * (its earlier versions'), from one read of every version that had taken effect by then.
 */
export async function standardsInForce(db: DataSource, contractId: string, asOf: string): Promise<StandardInForce[]> {
  const history = await db
    .getRepository(ServiceStandard)
    .createQueryBuilder('s')
    .where('s.contract_id = :contractId', { contractId })
    .andWhere('s.effective_from <= :asOf', { asOf })
    .orderBy('s.metric')
    .addOrderBy('s.payment_group', 'ASC', 'NULLS FIRST')
    .getMany();
  return setInForce(history, asOf).map((standard) => ({ standard, timeline: thresholdTimeline(standard, history, asOf) }));
}

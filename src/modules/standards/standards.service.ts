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

/** Where each metric's clock starts, as a column of the referrals' subquery below. */
const CLOCK_START = { REFERRAL: 's.referred_on', ATTACHMENT: 's.attached_on', JOB_START: 's.job_start_on' } as const;

/** The report statement's first parameters, in the places HOLDER_JOIN names them ($1 to $4): both passes start from these. */
export function scopeParameters(scope: ComplianceScope, breaches: number): unknown[] {
  return [scope.contract.id, scope.asOf, scope.contract.primeId, scope.holder, breaches, LIVE_STATUSES];
}

/**
 * Who delivers to each of `participants` on the report's day ($2): the holder of the END_TO_END
 * handoff on that day (accepted by then, not yet ended), else the prime ($3); only the holder
 * asked for ($4) when there is one. Shared with the bench's reference pass over the contacts.
 */
export const HOLDER_JOIN = `LEFT JOIN (
          SELECT DISTINCT ON (h.referral_id) h.referral_id, h.to_organisation_id
            FROM handoff h JOIN referral r ON r.id = h.referral_id AND r.contract_id = $1
           WHERE h.purpose = 'END_TO_END_DELIVERY' AND h.responded_at IS NOT NULL AND h.status IN ('ACCEPTED', 'COMPLETED', 'WITHDRAWN')
             AND (h.responded_at AT TIME ZONE 'UTC')::date <= $2::date
             AND (h.ended_at IS NULL OR (h.ended_at AT TIME ZONE 'UTC')::date > $2::date)
           ORDER BY h.referral_id, h.responded_at DESC
        ) holder ON holder.referral_id = participants.id
       WHERE $4::uuid IS NULL OR coalesce(holder.to_organisation_id, $3::uuid) = $4::uuid`;

/**
 * Standards over their participants on `asOf`, all in one statement over the contract's referrals
 * and their `contact_days` (one row each: the sorted days of their attended contacts per metric,
 * and the record gaps between them): for each standard the counts, and the first `breaches`
 * participants in breach (none asked: 0), earliest due first. No contact row is read.
 *
 * In scope on `asOf`: a referral made by then, not rejected or exited by then, within its
 * allotted time (it ends on `allotted_until`, the day the exchange records the exit), whose clock has started (METRICS: at the referral date, at attachment, or at the
 * first job start) and not stopped (adviser-contact and review standards stop at the first job
 * start). Per participant and standard, the date by which a missing contact was due (the day
 * before the first day overdue; null when they meet it): FIRST asks for a counting contact within
 * N days of the clock's start, INTERVAL for no gap longer than N days between the start, the
 * counting contacts, and the report date, N being on each day the threshold in force that day
 * (`thresholdTimeline`, `firstOverdueDaySql`). Who delivers: the holder of the END_TO_END handoff
 * on that date, else the prime.
 *
 * The counting days are the slice days[lo..hi] of the participant's sorted days: after the start
 * (on or after it, for FIRST) and up to `asOf`, found by binary search (`width_bucket`: how many
 * days fall on or before a day). INTERVAL, when one threshold N applies from a day F on, no day
 * of the kind is on or before the start (lo = 1), and no gap before the one holding F is longer
 * than N: the first overdue day is in the gap holding F, else in the first record gap longer than
 * N (a binary search of the record gaps), else in the gap up to `asOf`. Otherwise (thresholds
 * changed, contacts before the start, a long gap before F) the gaps of the slice that end on or
 * after the first day any threshold applied are walked one by one.
 *
 * No plan depends on a CTE's statistics: the one materialised result is only grouped and sorted.
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
  const parameters = scopeParameters(scope, breaches);
  const bind = (value: unknown) => `$${parameters.push(value)}`;
  const starts: string[] = [];
  const bounds: string[] = [];
  const perParticipant: string[] = [];
  standards.forEach(({ standard, timeline }, i) => {
    const metric = METRICS[standard.metric];
    starts.push(`${metric.stopsAtJobStart ? `CASE WHEN s.job_start_on IS NULL THEN ${CLOCK_START[metric.from]} END` : CLOCK_START[metric.from]} AS start${i}`);
    const [start, lo, hi, days] = [`p.start${i}`, `p.lo${i}`, `p.hi${i}`, `p.${metric.days}_days`];
    const overdue = (after: string, upTo: string) => firstOverdueDaySql(after, upTo, timeline, bind);
    const group = standard.paymentGroup ? ` AND p.payment_group = ${bind(standard.paymentGroup)}` : '';
    perParticipant.push(`${start} IS NOT NULL${group} AS in${i}`);
    let due: string;
    if (metric.measure === 'FIRST') {
      bounds.push(`b.${metric.days}_days[width_bucket(b.start${i} - 1, b.${metric.days}_days) + 1] AS lo${i}`);
      due = overdue(start, `CASE WHEN ${lo} <= $2::date THEN ${lo} ELSE $2::date END`);
    } else {
      const first = bind(timeline[0].from);
      const shortest = `${bind(Math.min(...timeline.map((span) => span.days)))}::int`;
      const [daysOf, lowest] = [`b.${metric.days}_days`, `width_bucket(b.start${i}, b.${metric.days}_days) + 1`];
      const holding = `greatest(${lowest}, width_bucket(${first}::date - 1, ${daysOf}) + 1)`;
      bounds.push(
        `${lowest} AS lo${i}`,
        `width_bucket($2::date, ${daysOf}) AS hi${i}`,
        // Only a gap ending on or after the first day measured, and longer than the shortest threshold, can hold an overdue
        // day: the gap holding that day (w), then from the first longer than the shortest threshold after it (a record
        // gap: no gap between days before it is longer), not the ones in between.
        `${holding} AS w${i}`,
        `greatest(${holding} + 1, coalesce(b.${metric.days}_record_at[width_bucket(${shortest}, b.${metric.days}_record_gap) + 1], width_bucket($2::date, ${daysOf}) + 1)) AS next${i}`,
      );
      const upToAsOf = overdue(`CASE WHEN ${hi} >= ${lo} THEN ${days}[${hi}] ELSE ${start} END`, '$2::date');
      const inGap = (k: string) => `CASE WHEN ${k} <= ${hi} THEN ${overdue(`CASE WHEN ${k} = ${lo} THEN ${start} ELSE ${days}[${k} - 1] END`, `${days}[${k}]`)} END`;
      const [w, next] = [`p.w${i}`, `p.next${i}`];
      // The gaps in time order: the first overdue day is in the first gap that has one. The rest is walked (a subquery)
      // only when neither of the first two candidates holds it.
      const rest = `CASE WHEN ${next} < ${hi} THEN (SELECT min(${overdue('g.a', 'g.b')})
           FROM (SELECT ${days}[k - 1] AS a, ${days}[k] AS b FROM generate_series(${next} + 1, ${hi}) k) g
          WHERE g.b - g.a > ${shortest}) END`;
      due = `coalesce(${inGap(w)}, ${inGap(next)}, ${rest}, ${upToAsOf})`;
      if (timeline.length === 1 && timeline[0].until === null) {
        const n = `${bind(timeline[0].days)}::int`;
        // The gap holding the first day measured (days[f - 1], or the start, to days[f], or asOf), then the first record gap longer than N.
        // With lo = 1 (this branch's condition) that gap is w.
        const f = w;
        const from = `greatest(CASE WHEN ${f} = 1 THEN ${start} ELSE ${days}[${f} - 1] END + ${n} + 1, ${first}::date)`;
        const record = `p.${metric.days}_record_at[width_bucket(${n}, p.${metric.days}_record_gap) + 1]`;
        due = `CASE WHEN ${lo} = 1 AND coalesce(${record} >= ${f}, true) THEN
                 CASE WHEN ${from} <= CASE WHEN ${f} <= ${hi} THEN ${days}[${f}] ELSE $2::date END THEN ${from}
                      WHEN ${record} <= ${hi} THEN ${days}[${record} - 1] + ${n} + 1
                      ELSE ${upToAsOf} END
               ELSE ${due} END`;
      }
    }
    perParticipant.push(`(${due}) - 1 AS due${i}`);
  });
  const columns = [
    ...new Set(
      standards.flatMap(({ standard }) => {
        const { days, measure } = METRICS[standard.metric];
        return measure === 'FIRST' ? [`${days}_days`] : [`${days}_days`, `${days}_record_at`, `${days}_record_gap`];
      }),
    ),
  ];
  const jobStart = standards.some(({ standard }) => METRICS[standard.metric].from === 'JOB_START' || METRICS[standard.metric].stopsAtJobStart)
    ? `LEFT JOIN (SELECT j.referral_id, min(j.started_on) AS job_start_on FROM job_start j JOIN referral jr ON jr.id = j.referral_id AND jr.contract_id = $1
                   WHERE j.started_on <= $2::date GROUP BY j.referral_id) j ON j.referral_id = r.id`
    : 'CROSS JOIN (SELECT NULL::date AS job_start_on) j';
  const rejectedOn = `(r.rejected_at AT TIME ZONE 'UTC')::date`;
  // The counts of every standard in one pass over the participants; each standard's page of breaches by its own top-N sort.
  const counts = standards.flatMap((_, i) => [`count(*) FILTER (WHERE in${i})::int`, `count(*) FILTER (WHERE in${i} AND due${i} IS NULL)::int`]);
  const pages = standards.map(
    (_, i) => `
    UNION ALL
    (SELECT ${i}, NULL, NULL, id, due${i}::text FROM mine WHERE in${i} AND due${i} IS NOT NULL ORDER BY mine.due${i}, id LIMIT $5)`,
  );
  // OFFSET 0 keeps each level's columns computed once, not copied into every expression above that reads them.
  const sql = `
    WITH mine AS (
      SELECT participants.*, coalesce(holder.to_organisation_id, $3::uuid) AS holder
        FROM (
          SELECT p.id, ${perParticipant.join(',\n                 ')}
            FROM (
              SELECT b.*, ${bounds.join(', ')}
                FROM (
                  SELECT s.*, ${starts.join(', ')}
                    FROM (
                      SELECT r.id, r.payment_group, r.referred_on, CASE WHEN r.attached_on <= $2::date THEN r.attached_on END AS attached_on, j.job_start_on,
                             ${columns.map((column) => `coalesce(d.${column}, '{}') AS ${column}`).join(', ')}
                        FROM referral r ${jobStart}
                        LEFT JOIN contact_days d ON d.referral_id = r.id
                       WHERE r.contract_id = $1 AND r.referred_on <= $2::date
                         AND (r.allotted_until IS NULL OR r.allotted_until > $2::date)
                         AND (r.exited_on IS NULL OR r.exited_on > $2::date) AND (r.rejected_at IS NULL OR ${rejectedOn} > $2::date)
                         -- Ended in a way whose day this does not know: left out.
                         AND (r.status = ANY($6::text[]) OR r.exited_on > $2::date OR ${rejectedOn} > $2::date)
                    ) s OFFSET 0
                ) b OFFSET 0
            ) p
        ) participants
        ${HOLDER_JOIN}
    )
    SELECT NULL::int AS standard, holder, ARRAY[${counts.join(', ')}] AS counts, NULL::uuid AS id, NULL AS due_by FROM mine GROUP BY holder
    ${pages.join('')}`;
  const rows: Array<{ standard: number | null; holder: string | null; counts: number[] | null; id: string | null; due_by: string | null }> =
    await onReplica(db, (replica) =>
      replica.manager.transaction(async (tx) => {
        // JIT compiling the per-participant expressions costs more than running them.
        await tx.query('SET LOCAL jit = off');
        await tx.query(`SET LOCAL work_mem = '32MB'`);
        return tx.query(sql, parameters);
      }),
    );
  const holders = rows.filter((row) => row.standard === null).sort((a, b) => a.holder!.localeCompare(b.holder!));
  return standards.map((_, i) => ({
    counts: holders
      .filter((row) => row.counts![2 * i] > 0)
      .map((row) => ({ holder: row.holder!, inScope: row.counts![2 * i], meeting: row.counts![2 * i + 1] })),
    breaches: rows.filter((row) => row.standard === i).map((row) => ({ referralId: row.id!, dueBy: row.due_by! })),
  }));
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

import type { DataSource } from 'typeorm';
import { firstOverdueDaySql } from '../src/modules/standards/clocks';
import { type ComplianceScope, HOLDER_JOIN, type StandardEvaluation, type StandardInForce, scopeParameters } from '../src/modules/standards/standards.service';
import { METRICS } from '../src/modules/standards/standards.enums';

/**
 * The compliance report as it was computed before `contact_days` (issue 16, item 3): one pass
 * over the contract's attended contacts in time order, a window per participant. The bench
 * checks the report against it, standard by standard; it is the reference, not the product.
 */

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
 */
export async function evaluateFromContacts(
  db: DataSource,
  standards: StandardInForce[],
  scope: ComplianceScope,
  breaches: number,
): Promise<StandardEvaluation[]> {
  if (standards.length === 0) return [];
  const parameters = scopeParameters(scope, breaches);
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
        ${HOLDER_JOIN}
    )
    ${results.join('\n    UNION ALL')}`;
  const rows: Array<{ standard: number; holder: string | null; in_scope: number | null; meeting: number | null; id: string | null; due_by: string | null }> =
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL work_mem = '64MB'`);
      await tx.query('SET LOCAL jit = off');
      return tx.query(sql, parameters);
    });
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

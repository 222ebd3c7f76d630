import type { DataSource } from 'typeorm';
import { onReplica } from '../../db/data-source';
import { PAYMENT_GROUPS, type PaymentGroup } from '../contracts/contracts.enums';
import { PerformanceDimension } from './performance.enums';
import { type CohortCounts, type DisclosedCounts, disclose } from './suppression';

/** One group of a cohort: the values of its dimensions (null where not grouped by) and its figures. */
export interface PerformanceFigures extends DisclosedCounts {
  cpaId: string | null;
  primeId: string | null;
  paymentGroup: PaymentGroup | null;
  subcontractorId: string | null;
  jobcentreDistrict: string | null;
  referralMonth: string | null;
}

/**
 * How each dimension groups the figures: by what the performance cell holds (c), or by the month
 * of the referral (f, from the scan); and how its groups are ordered (by code, name, group order).
 */
const DIMENSIONS: Record<PerformanceDimension, { column: string; alias: keyof PerformanceFigures; orderBy: string }> = {
  [PerformanceDimension.CPA]: { column: 'c.cpa_id', alias: 'cpaId', orderBy: '(SELECT code FROM cpa WHERE id = a."cpaId")' },
  [PerformanceDimension.PRIME]: { column: 'c.prime_id', alias: 'primeId', orderBy: '(SELECT name FROM organisation WHERE id = a."primeId")' },
  [PerformanceDimension.PAYMENT_GROUP]: {
    column: 'c.payment_group',
    alias: 'paymentGroup',
    orderBy: `array_position(ARRAY[${PAYMENT_GROUPS.map((g) => `'${g}'`).join(', ')}], a."paymentGroup")`,
  },
  [PerformanceDimension.SUBCONTRACTOR]: {
    column: 'c.subcontractor_id',
    alias: 'subcontractorId',
    orderBy: '(SELECT name FROM organisation WHERE id = a."subcontractorId") NULLS FIRST',
  },
  [PerformanceDimension.JOBCENTRE_DISTRICT]: { column: 'c.jobcentre_district', alias: 'jobcentreDistrict', orderBy: 'a."jobcentreDistrict"' },
  [PerformanceDimension.REFERRAL_MONTH]: { column: 'f.month', alias: 'referralMonth', orderBy: 'a."referralMonth"' },
};

export interface PerformanceQuery {
  from: string;
  to: string;
  groupBy: PerformanceDimension[];
  /** One CPA, or the nation. */
  cpaId?: string | null;
  /** A prime reads only its own contracts' figures. */
  primeId?: string | null;
  /** Counts below this are withheld. */
  disclosureThreshold: number;
}

/**
 * The figures of the referrals made from `from` to `to` (a referral cohort, whatever date their
 * later events fall on), grouped by the dimensions asked for. One scan of referral_performance
 * (the per-referral facts the database keeps in each event's own transaction) sums them by
 * performance cell, and by month if asked; the few thousand sums are then grouped by what their
 * cells hold. On the replica when there is one: a cohort's figures a moment old are the figures.
 */
export async function cohortPerformance(db: DataSource, query: PerformanceQuery): Promise<PerformanceFigures[]> {
  const dimensions = [...new Set(query.groupBy)].map((dimension) => DIMENSIONS[dimension]);
  const byMonth = query.groupBy.includes(PerformanceDimension.REFERRAL_MONTH);
  const parameters: unknown[] = [query.from, query.to];
  const cells: string[] = [];
  if (query.cpaId) cells.push(`cpa_id = $${parameters.push(query.cpaId)}`);
  if (query.primeId) cells.push(`prime_id = $${parameters.push(query.primeId)}`);
  const rows: Array<Record<string, string | null>> = await onReplica(db, (replica) => replica.query(
    `WITH f AS (
       SELECT rp.cell_id${byMonth ? `, to_char(rp.referred_on, 'YYYY-MM') AS month` : ''},
         count(*) AS referrals,
         count(*) FILTER (WHERE rp.attached) AS attachments,
         count(*) FILTER (WHERE rp.job_outcome) AS job_outcomes,
         sum(rp.sustainment_payments) AS sustainment_payments,
         sum(rp.compliance_doubts) AS compliance_doubts,
         sum(rp.sanctions_applied) AS sanctions_applied,
         sum(rp.referral_queries) AS referral_queries,
         count(*) FILTER (WHERE rp.withdrawn) AS withdrawals,
         sum(rp.payments_pence) AS payments_pence,
         count(rp.first_appointment_attended) AS first_held,
         count(*) FILTER (WHERE rp.first_appointment_attended) AS first_attended,
         count(rp.days_to_first_appointment) AS reached_first,
         sum(rp.days_to_first_appointment) AS days_to_first,
         sum(rp.days_to_attachment) AS days_to_attachment
       FROM referral_performance rp
       WHERE rp.referred_on BETWEEN $1 AND $2
         ${cells.length ? `AND rp.cell_id IN (SELECT id FROM performance_cell WHERE ${cells.join(' AND ')})` : ''}
       GROUP BY rp.cell_id${byMonth ? ', month' : ''}
     )
     SELECT a.* FROM (
       SELECT ${dimensions.map((d) => `${d.column} AS "${d.alias}", `).join('')}
         coalesce(sum(f.referrals), 0) AS referrals,
         coalesce(sum(f.attachments), 0) AS attachments,
         coalesce(sum(f.job_outcomes), 0) AS "jobOutcomes",
         coalesce(sum(f.sustainment_payments), 0) AS "sustainmentPayments",
         coalesce(sum(f.compliance_doubts), 0) AS "complianceDoubts",
         coalesce(sum(f.sanctions_applied), 0) AS "sanctionsApplied",
         coalesce(sum(f.referral_queries), 0) AS "referralQueries",
         coalesce(sum(f.withdrawals), 0) AS withdrawals,
         coalesce(sum(f.payments_pence), 0)::text AS "paidPence",
         coalesce(sum(f.first_held), 0) AS "firstAppointmentsHeld",
         coalesce(sum(f.first_attended), 0) AS "firstAppointmentsAttended",
         coalesce(sum(f.reached_first), 0) AS "reachedFirstAppointment",
         coalesce(sum(f.days_to_first), 0) AS "daysToFirstAppointment",
         coalesce(sum(f.days_to_attachment), 0) AS "daysToAttachment"
       FROM f JOIN performance_cell c ON c.id = f.cell_id
       ${dimensions.length ? `GROUP BY ${dimensions.map((d) => d.column).join(', ')}` : ''}
     ) a
     ${dimensions.length ? `ORDER BY ${dimensions.map((d) => d.orderBy).join(', ')}` : ''}`,
    parameters,
  ));
  return rows.map((row) => {
    const counts = { ...Object.fromEntries(COUNT_KEYS.map((key) => [key, Number(row[key])])), paidPence: BigInt(row.paidPence!) } as CohortCounts;
    const group = Object.fromEntries(Object.values(DIMENSIONS).map((d) => [d.alias, row[d.alias] ?? null]));
    return { ...group, ...disclose(counts, query.disclosureThreshold) } as PerformanceFigures;
  });
}

const COUNT_KEYS: Array<Exclude<keyof CohortCounts, 'paidPence'>> = [
  'referrals',
  'attachments',
  'jobOutcomes',
  'sustainmentPayments',
  'complianceDoubts',
  'sanctionsApplied',
  'referralQueries',
  'withdrawals',
  'firstAppointmentsHeld',
  'firstAppointmentsAttended',
  'reachedFirstAppointment',
  'daysToFirstAppointment',
  'daysToAttachment',
];

import type { DataSource } from 'typeorm';
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

/** How each dimension groups referral_performance, and how its groups are ordered (by code, name, group order). */
const DIMENSIONS: Record<PerformanceDimension, { column: string; alias: keyof PerformanceFigures; orderBy: string }> = {
  [PerformanceDimension.CPA]: { column: 'rp.cpa_id', alias: 'cpaId', orderBy: '(SELECT code FROM cpa WHERE id = a."cpaId")' },
  [PerformanceDimension.PRIME]: { column: 'rp.prime_id', alias: 'primeId', orderBy: '(SELECT name FROM organisation WHERE id = a."primeId")' },
  [PerformanceDimension.PAYMENT_GROUP]: {
    column: 'rp.payment_group',
    alias: 'paymentGroup',
    orderBy: `array_position(ARRAY[${PAYMENT_GROUPS.map((g) => `'${g}'`).join(', ')}], a."paymentGroup")`,
  },
  [PerformanceDimension.SUBCONTRACTOR]: {
    column: 'rp.subcontractor_id',
    alias: 'subcontractorId',
    orderBy: '(SELECT name FROM organisation WHERE id = a."subcontractorId") NULLS FIRST',
  },
  [PerformanceDimension.JOBCENTRE_DISTRICT]: { column: 'rp.jobcentre_district', alias: 'jobcentreDistrict', orderBy: 'a."jobcentreDistrict"' },
  [PerformanceDimension.REFERRAL_MONTH]: { column: `to_char(rp.referred_on, 'YYYY-MM')`, alias: 'referralMonth', orderBy: 'a."referralMonth"' },
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
 * later events fall on), grouped by the dimensions asked for: one scan of referral_performance,
 * the per-referral facts the database keeps in each event's own transaction.
 */
export async function cohortPerformance(db: DataSource, query: PerformanceQuery): Promise<PerformanceFigures[]> {
  const dimensions = [...new Set(query.groupBy)].map((dimension) => DIMENSIONS[dimension]);
  const parameters: unknown[] = [query.from, query.to];
  const where = ['rp.referred_on BETWEEN $1 AND $2'];
  if (query.cpaId) where.push(`rp.cpa_id = $${parameters.push(query.cpaId)}`);
  if (query.primeId) where.push(`rp.prime_id = $${parameters.push(query.primeId)}`);
  const rows: Array<Record<string, string | null>> = await db.query(
    `SELECT a.* FROM (
       SELECT ${dimensions.map((d) => `${d.column} AS "${d.alias}", `).join('')}
         count(*) AS referrals,
         count(*) FILTER (WHERE rp.attached) AS attachments,
         count(*) FILTER (WHERE rp.job_outcome) AS "jobOutcomes",
         coalesce(sum(rp.sustainment_payments), 0) AS "sustainmentPayments",
         coalesce(sum(rp.compliance_doubts), 0) AS "complianceDoubts",
         coalesce(sum(rp.sanctions_applied), 0) AS "sanctionsApplied",
         coalesce(sum(rp.payments_pence), 0) AS "paymentsPence"
       FROM referral_performance rp
       WHERE ${where.join(' AND ')}
       ${dimensions.length ? `GROUP BY ${dimensions.map((d) => d.column).join(', ')}` : ''}
     ) a
     ${dimensions.length ? `ORDER BY ${dimensions.map((d) => d.orderBy).join(', ')}` : ''}`,
    parameters,
  );
  return rows.map((row) => {
    const counts = Object.fromEntries(COUNT_KEYS.map((key) => [key, Number(row[key])])) as unknown as CohortCounts;
    const group = Object.fromEntries(Object.values(DIMENSIONS).map((d) => [d.alias, row[d.alias] ?? null]));
    return { ...group, ...disclose(counts, query.disclosureThreshold) } as PerformanceFigures;
  });
}

const COUNT_KEYS: Array<keyof CohortCounts> = ['referrals', 'attachments', 'jobOutcomes', 'sustainmentPayments', 'complianceDoubts', 'sanctionsApplied', 'paymentsPence'];

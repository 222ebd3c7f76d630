import type { DataSource } from 'typeorm';
import type { PaymentGroup } from '../contracts/contracts.enums';
import { findCpaByCode } from '../contracts/contracts.service';
import type { Cpa } from '../contracts/cpa.entity';
import { chiSquarePValue } from './chi-square';

export interface AllocationCheckResult {
  cpa: Cpa;
  referrals: number;
  shares: Array<{ contractId: string; expectedShare: number; observedShare: number; referrals: number }>;
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
}

/**
 * Whether random allocation in a CPA matched the market shares: over the referrals made in the
 * period (optionally of one payment group) whose first allocation was RANDOM, each contract's
 * observed count against its expected count — the sum, over those referrals, of the share it had
 * in the draw (stored with each allocation, so changing shares are accounted for) — and
 * Pearson's chi-square goodness-of-fit test. Later overrides do not count against the draw.
 * Null for an unknown CPA.
 */
export async function allocationCheck(
  db: DataSource,
  input: { cpaCode: number; from: string; to: string; paymentGroup?: PaymentGroup | null },
): Promise<AllocationCheckResult | null> {
  const cpa = await findCpaByCode(db, input.cpaCode);
  if (!cpa) return null;
  const rows: Array<{ contract_id: string; observed: string; expected: string }> = await db.query(
    `WITH draws AS (
       SELECT DISTINCT ON (a.referral_id) a.contract_id, a.shares, a.method
         FROM referral r JOIN referral_allocation a ON a.referral_id = r.id
        WHERE r.cpa_id = $1 AND r.referred_on BETWEEN $2 AND $3 AND ($4::text IS NULL OR r.payment_group = $4)
        ORDER BY a.referral_id, a.allocated_at, a.id
     ), random AS (SELECT * FROM draws WHERE method = 'RANDOM'),
     expected AS (
       SELECT (s.share->>'contractId')::uuid AS contract_id,
              sum((s.share->>'shareBasisPoints')::numeric / t.total) AS expected
         FROM random d
         CROSS JOIN LATERAL (SELECT sum((e->>'shareBasisPoints')::numeric) AS total FROM jsonb_array_elements(d.shares) e) t
         CROSS JOIN LATERAL jsonb_array_elements(d.shares) AS s(share)
        GROUP BY 1
     ), observed AS (SELECT contract_id, count(*) AS observed FROM random GROUP BY 1)
     SELECT coalesce(e.contract_id, o.contract_id) AS contract_id,
            coalesce(o.observed, 0)::text AS observed, coalesce(e.expected, 0)::text AS expected
       FROM expected e FULL JOIN observed o ON o.contract_id = e.contract_id`,
    [cpa.id, input.from, input.to, input.paymentGroup ?? null],
  );
  const counted = rows.map((row) => ({ contractId: row.contract_id, observed: Number(row.observed), expected: Number(row.expected) }));
  const total = counted.reduce((sum, row) => sum + row.observed, 0);
  const tested = counted.filter((row) => row.expected > 0);
  const chiSquare = tested.reduce((sum, row) => sum + (row.observed - row.expected) ** 2 / row.expected, 0);
  const degreesOfFreedom = Math.max(tested.length - 1, 0);
  return {
    cpa,
    referrals: total,
    shares: counted
      .map((row) => ({
        contractId: row.contractId,
        referrals: row.observed,
        observedShare: total ? row.observed / total : 0,
        expectedShare: total ? row.expected / total : 0,
      }))
      .sort((a, b) => b.expectedShare - a.expectedShare || a.contractId.localeCompare(b.contractId)),
    chiSquare,
    degreesOfFreedom,
    pValue: chiSquarePValue(chiSquare, degreesOfFreedom),
  };
}

import type { DataSource } from 'typeorm';
import type { PaymentGroup } from '../contracts/contracts.enums';
import { findCpaByCode } from '../contracts/contracts.service';
import type { Cpa } from '../contracts/cpa.entity';
import { shownCount, wholeMonths } from '../performance/suppression';
import { chiSquarePValue } from './chi-square';

export interface AllocationCheckResult {
  cpa: Cpa;
  /** The whole months checked. */
  from: string;
  to: string;
  /** The randomly allocated referrals of the period; null when withheld. */
  randomReferrals: number | null;
  shares: Array<{
    contractId: string;
    expectedShare: number;
    randomShare: number | null;
    randomReferrals: number | null;
    jointClaimReferrals: number | null;
    returningReferrals: number | null;
  }>;
  /** The period's referrals allocated to their partner's contract as joint claims, outside the draw; null when withheld. */
  jointClaimReferrals: number | null;
  /** The period's referrals sent back to the contract they were withdrawn from (RETURNING), outside the draw; null when withheld. */
  returningReferrals: number | null;
  degreesOfFreedom: number;
  /** Pearson's chi-square and its p-value; null when a contract's count is withheld. */
  test: { chiSquare: number; pValue: number } | null;
  /** Whether anything above is withheld. */
  suppressed: boolean;
}

/**
 * Whether random allocation in a CPA matched the market shares: over the referrals made in the
 * period's whole months (optionally of one payment group) whose first allocation was RANDOM, each
 * contract's observed count against its expected count — the sum, over those referrals, of the
 * share it had in the draw (stored with each allocation, so changing shares are accounted for) —
 * and Pearson's chi-square goodness-of-fit test. Later overrides do not count against the draw;
 * referrals first allocated outside it (joint claims, RETURNING) are counted apart.
 *
 * Disclosure control, as for performance (suppression.ts): whole months, so that periods a day
 * apart cannot be subtracted to isolate one referral; and a count from 1 to threshold-1 withheld.
 * When any count is, so is every contract's count and observed share (one withheld count among
 * shown ones is the total minus the others), and the test (with two contracts, the chi-square
 * gives the count back). Expected shares come from the market shares, not from people: always shown.
 * Null for an unknown CPA.
 */
export async function allocationCheck(
  db: DataSource,
  input: { cpaCode: number; from: string; to: string; paymentGroup?: PaymentGroup | null; disclosureThreshold: number },
): Promise<AllocationCheckResult | null> {
  const { from, to } = wholeMonths(input.from, input.to);
  const cpa = await findCpaByCode(db, input.cpaCode);
  if (!cpa) return null;
  const rows: Array<{ contract_id: string; observed: string; expected: string; joint: string; sent_back: string }> = await db.query(
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
     ), observed AS (SELECT contract_id, count(*) AS observed FROM random GROUP BY 1),
     joint AS (SELECT contract_id, count(*) AS joint FROM draws WHERE method = 'JOINT_CLAIM' GROUP BY 1),
     sent_back AS (SELECT contract_id, count(*) AS sent_back FROM draws WHERE method = 'RETURNING' GROUP BY 1)
     SELECT coalesce(e.contract_id, o.contract_id, j.contract_id, b.contract_id) AS contract_id,
            coalesce(o.observed, 0)::text AS observed, coalesce(e.expected, 0)::text AS expected, coalesce(j.joint, 0)::text AS joint,
            coalesce(b.sent_back, 0)::text AS sent_back
       FROM expected e FULL JOIN observed o ON o.contract_id = e.contract_id
       FULL JOIN joint j ON j.contract_id = coalesce(e.contract_id, o.contract_id)
       FULL JOIN sent_back b ON b.contract_id = coalesce(e.contract_id, o.contract_id, j.contract_id)`,
    [cpa.id, from, to, input.paymentGroup ?? null],
  );
  const counted = rows.map((row) => ({
    contractId: row.contract_id,
    observed: Number(row.observed),
    expected: Number(row.expected),
    joint: Number(row.joint),
    returning: Number(row.sent_back),
  }));
  const total = counted.reduce((sum, row) => sum + row.observed, 0);
  const tested = counted.filter((row) => row.expected > 0);
  const chiSquare = tested.reduce((sum, row) => sum + (row.observed - row.expected) ** 2 / row.expected, 0);
  const degreesOfFreedom = Math.max(tested.length - 1, 0);
  const shown = (count: number) => shownCount(count, input.disclosureThreshold);
  const suppressed = [total, ...counted.map((row) => row.observed)].some((count) => shown(count) === null);
  // Counts outside the draw are withheld as the random counts are: all of a kind when any is.
  const outsideDraw = (count: (row: (typeof counted)[number]) => number) => {
    const total = counted.reduce((sum, row) => sum + count(row), 0);
    const withheld = [total, ...counted.map(count)].some((n) => shown(n) === null);
    return { total: withheld ? null : total, of: (row: (typeof counted)[number]) => (withheld ? null : count(row)) };
  };
  const joint = outsideDraw((row) => row.joint);
  const returning = outsideDraw((row) => row.returning);
  return {
    cpa,
    from,
    to,
    randomReferrals: shown(total),
    jointClaimReferrals: joint.total,
    returningReferrals: returning.total,
    shares: counted
      .map((row) => ({
        jointClaimReferrals: joint.of(row),
        returningReferrals: returning.of(row),
        contractId: row.contractId,
        randomReferrals: suppressed ? null : row.observed,
        randomShare: suppressed ? null : total ? row.observed / total : 0,
        expectedShare: total ? row.expected / total : 0,
      }))
      .sort((a, b) => b.expectedShare - a.expectedShare || a.contractId.localeCompare(b.contractId)),
    degreesOfFreedom,
    test: suppressed ? null : { chiSquare, pValue: chiSquarePValue(chiSquare, degreesOfFreedom) },
    suppressed,
  };
}

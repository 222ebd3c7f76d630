import { PAYMENT_GROUPS, PaymentGroup } from './contracts.enums';

/** Shares are basis points of a CPA's new referrals in one payment group; each set sums to this. */
export const WHOLE_MARKET = 10000;

/**
 * Equal shares for `count` contracts that sum to exactly 10000: the remainder of the division
 * goes one basis point each to the first contracts, so 3 contracts get 3334, 3333, 3333.
 */
export function equalShares(count: number): number[] {
  const base = Math.floor(WHOLE_MARKET / count);
  const remainder = WHOLE_MARKET - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** One row per contract and payment group: the equal split a new contract starts the CPA on. */
export function equalSharesForEveryGroup(
  contractIds: string[],
  effectiveFrom: string,
): Array<{ contractId: string; paymentGroup: PaymentGroup; effectiveFrom: string; shareBasisPoints: number }> {
  const shares = equalShares(contractIds.length);
  return PAYMENT_GROUPS.flatMap((paymentGroup) =>
    contractIds.map((contractId, i) => ({ contractId, paymentGroup, effectiveFrom, shareBasisPoints: shares[i] })),
  );
}

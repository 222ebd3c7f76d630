import { randomInt } from 'node:crypto';
import type { DrawnShare } from './referral-allocation.entity';

export interface ShareRow {
  contractId: string;
  effectiveFrom: string;
  shareBasisPoints: number;
}

/**
 * The shares in force on `date` among `contractIds` (the contracts in force that day): each
 * contract's latest share from on or before the date. Contracts with no share, or a zero one,
 * cannot be drawn and are left out.
 */
export function sharesInForce(contractIds: string[], rows: ShareRow[], date: string): DrawnShare[] {
  return contractIds
    .map((contractId) => {
      const latest = rows
        .filter((row) => row.contractId === contractId && row.effectiveFrom <= date)
        .reduce<ShareRow | undefined>((best, row) => (!best || row.effectiveFrom > best.effectiveFrom ? row : best), undefined);
      return { contractId, shareBasisPoints: latest?.shareBasisPoints ?? 0 };
    })
    .filter((share) => share.shareBasisPoints > 0);
}

/**
 * Random allocation: a uniform draw in [0, total) from the operating system's cryptographic
 * source, walked along the shares — contract i wins when the draw falls in its slice. Given the
 * stored draw and shares, anyone can check the result.
 */
export function drawContract(
  shares: DrawnShare[],
  random: (max: number) => number = (max) => randomInt(max),
): { contractId: string; draw: number } {
  const total = shares.reduce((sum, share) => sum + share.shareBasisPoints, 0);
  if (total <= 0) throw new Error('No contract has a share to draw from');
  const draw = random(total);
  let upTo = 0;
  for (const share of shares) {
    upTo += share.shareBasisPoints;
    if (draw < upTo) return { contractId: share.contractId, draw };
  }
  throw new Error(`Draw ${draw} outside [0, ${total})`);
}

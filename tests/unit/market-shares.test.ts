import { PAYMENT_GROUPS } from '../../src/modules/contracts/contracts.enums';
import { equalShares, equalSharesForEveryGroup } from '../../src/modules/contracts/market-shares';

describe('equal market shares', () => {
  it.each([
    [1, [10000]],
    [2, [5000, 5000]],
    [3, [3334, 3333, 3333]],
    [7, [1429, 1429, 1429, 1429, 1428, 1428, 1428]],
  ])('%i contracts → %j, summing to 10000', (count, expected) => {
    expect(equalShares(count)).toEqual(expected);
    expect(equalShares(count).reduce((a, b) => a + b, 0)).toBe(10000);
  });

  it('gives every payment group a full set', () => {
    const rows = equalSharesForEveryGroup(['a', 'b'], '2024-04-01');
    expect(rows).toHaveLength(2 * PAYMENT_GROUPS.length);
    for (const group of PAYMENT_GROUPS) {
      expect(rows.filter((r) => r.paymentGroup === group).map((r) => r.shareBasisPoints)).toEqual([5000, 5000]);
    }
  });
});

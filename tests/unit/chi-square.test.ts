import { chiSquarePValue, lnGamma } from '../../src/modules/allocation/chi-square';
import { drawContract, sharesInForce } from '../../src/modules/allocation/draw';

describe('chi-square p-value', () => {
  // Reference values: Q(df/2, x/2) computed with mpmath at 30 digits.
  it.each([
    [3.841458820694124, 1, 0.05000000000000006],
    [6.634896601021214, 1, 0.010000000000000009],
    [10.827566170662733, 1, 0.0009999999999999996],
    [5.991464547107979, 2, 0.05000000000000007],
    [13.815510557964274, 2, 0.0010000000000000002],
    [1, 1, 0.3173105078629141],
    [0.5, 2, 0.7788007830714049],
    [7.5, 3, 0.057558451972636406],
    [10, 5, 0.07523524614651218],
    [20, 10, 0.029252688076961072],
    [100, 80, 0.06457036892113298],
    [0.001, 3, 0.9999915920809419],
    [150, 9, 8.819629954805413e-28],
  ])('P(X ≥ %d | df %d) = %d', (x, df, expected) => {
    expect(chiSquarePValue(x, df)).toBeCloseTo(expected, 12);
    expect(Math.abs(chiSquarePValue(x, df) - expected) / expected).toBeLessThan(1e-9);
  });

  it('is 1 at zero or with no degrees of freedom', () => {
    expect(chiSquarePValue(0, 3)).toBe(1);
    expect(chiSquarePValue(5, 0)).toBe(1);
  });

  it('lnGamma matches known values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
  });
});

describe('the weighted draw', () => {
  const shares = [
    { contractId: 'a', shareBasisPoints: 4000 },
    { contractId: 'b', shareBasisPoints: 3000 },
    { contractId: 'c', shareBasisPoints: 3000 },
  ];

  it('gives each contract its slice of [0, total)', () => {
    expect(drawContract(shares, () => 0).contractId).toBe('a');
    expect(drawContract(shares, () => 3999).contractId).toBe('a');
    expect(drawContract(shares, () => 4000).contractId).toBe('b');
    expect(drawContract(shares, () => 6999).contractId).toBe('b');
    expect(drawContract(shares, () => 7000).contractId).toBe('c');
    expect(drawContract(shares, () => 9999)).toEqual({ contractId: 'c', draw: 9999 });
  });

  it('takes each contract\'s latest share on or before the date, and leaves out zero shares', () => {
    const rows = [
      { contractId: 'a', effectiveFrom: '2024-01-01', shareBasisPoints: 5000 },
      { contractId: 'b', effectiveFrom: '2024-01-01', shareBasisPoints: 5000 },
      { contractId: 'a', effectiveFrom: '2024-06-01', shareBasisPoints: 10000 },
      { contractId: 'b', effectiveFrom: '2024-06-01', shareBasisPoints: 0 },
    ];
    expect(sharesInForce(['a', 'b'], rows, '2024-05-31')).toEqual([
      { contractId: 'a', shareBasisPoints: 5000 },
      { contractId: 'b', shareBasisPoints: 5000 },
    ]);
    expect(sharesInForce(['a', 'b'], rows, '2024-06-01')).toEqual([{ contractId: 'a', shareBasisPoints: 10000 }]);
  });
});

import { PaymentGroup } from '../../src/modules/contracts/contracts.enums';
import { type DatedStandard, inForceOn, lastDayBefore, setInForce, thresholdTimeline } from '../../src/modules/standards/clocks';
import { ServiceStandardMetric } from '../../src/modules/standards/standards.enums';

const standard = (version: number, thresholdDays: number, effectiveFrom: string, effectiveUntil: string | null, more: Partial<DatedStandard> = {}): DatedStandard => ({
  version,
  metric: ServiceStandardMetric.CONTACT_INTERVAL_DAYS,
  paymentGroup: null,
  thresholdDays,
  effectiveFrom,
  effectiveUntil,
  ...more,
});

describe('the set in force on a day', () => {
  const v1 = standard(1, 30, '2025-01-01', '2025-01-31');
  const v2 = standard(2, 14, '2025-02-01', null);
  it('is the version whose days hold it, first and last day included', () => {
    expect(setInForce([v1, v2], '2024-12-31')).toEqual([]);
    expect(setInForce([v1, v2], '2025-01-01')).toEqual([v1]);
    expect(setInForce([v1, v2], '2025-01-31')).toEqual([v1]);
    expect(setInForce([v1, v2], '2025-02-01')).toEqual([v2]);
    expect(setInForce([v1, v2], '2030-01-01')).toEqual([v2]);
  });

  it('is never a set replaced before it took effect', () => {
    const replaced = standard(2, 14, '2025-03-01', '2025-01-31');
    for (const day of ['2025-01-31', '2025-02-15', '2025-03-01', '2026-01-01']) expect(inForceOn(replaced, day)).toBe(false);
  });

  it('ends a set on the day before the next takes effect', () => {
    expect(lastDayBefore('2025-03-01')).toBe('2025-02-28');
    expect(lastDayBefore('2024-03-01')).toBe('2024-02-29');
  });
});

describe('thresholdTimeline: the threshold of each day up to the day measured', () => {
  it('takes each earlier version of the same metric and group for its own days, the last one open', () => {
    const history = [standard(1, 30, '2025-01-01', '2025-01-31'), standard(2, 14, '2025-02-01', null)];
    expect(thresholdTimeline(history[1], history, '2025-03-15')).toEqual([
      { from: '2025-01-01', until: '2025-01-31', days: 30 },
      { from: '2025-02-01', until: null, days: 14 },
    ]);
  });

  it('joins runs that meet with the same threshold, and leaves days without a version out', () => {
    const history = [
      standard(1, 14, '2025-01-01', '2025-01-31'),
      standard(2, 14, '2025-02-01', '2025-02-28'),
      standard(3, 14, '2025-03-10', null),
    ];
    expect(thresholdTimeline(history[2], history, '2025-04-01')).toEqual([
      { from: '2025-01-01', until: '2025-02-28', days: 14 },
      { from: '2025-03-10', until: null, days: 14 },
    ]);
  });

  it('ignores other metrics, other payment groups, sets never in force and sets not in force yet', () => {
    const current = standard(4, 14, '2025-02-01', '2025-03-31');
    const history = [
      standard(1, 7, '2025-01-01', '2025-01-31', { paymentGroup: PaymentGroup.JSA_18_24 }),
      standard(1, 5, '2025-01-01', '2025-01-31', { metric: ServiceStandardMetric.ACTION_PLAN_REVIEW_INTERVAL_DAYS }),
      standard(2, 3, '2025-03-01', '2025-01-31'),
      current,
      standard(5, 1, '2025-04-01', null),
    ];
    // The day measured is within the current set's days: its end is beyond it.
    expect(thresholdTimeline(current, history, '2025-03-15')).toEqual([{ from: '2025-02-01', until: null, days: 14 }]);
  });
});

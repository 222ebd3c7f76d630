import { Conditionality, type SanctionRegime, conditionality, suggestSanctionWeeks } from '../../src/modules/compliance/conditionality';
import { PaymentGroup } from '../../src/modules/contracts/contracts.enums';
import { Benefit, ParticipationMode } from '../../src/modules/referrals/programme';

describe('conditionality: who can be doubted, from the group and the participation mode', () => {
  it.each([
    [PaymentGroup.IB_IS, ParticipationMode.VOLUNTARY, Conditionality.NONE],
    [PaymentGroup.ESA_VOLUNTEER, ParticipationMode.VOLUNTARY, Conditionality.NONE],
    [PaymentGroup.JSA_EARLY_ACCESS, ParticipationMode.VOLUNTARY, Conditionality.ATTENDANCE_AND_ENGAGEMENT],
    [PaymentGroup.ESA_EX_IB, ParticipationMode.VOLUNTARY, Conditionality.ATTENDANCE_AND_ENGAGEMENT],
    [PaymentGroup.ESA_NEW_CLAIMANT, ParticipationMode.MANDATORY, Conditionality.FULL],
    [PaymentGroup.JSA_18_24, ParticipationMode.MANDATORY, Conditionality.FULL],
  ])('%s %s → %s', (group, mode, expected) => {
    expect(conditionality(group, mode)).toBe(expected);
  });
});

describe('suggestSanctionWeeks: the regime in force on the failure day, counting earlier applied sanctions', () => {
  const regimes: SanctionRegime[] = [
    { benefit: Benefit.JSA, effectiveFrom: '2011-06-01', weeks: [2, 4, 26], repeatWithinWeeks: null },
    { benefit: Benefit.JSA, effectiveFrom: '2012-10-22', weeks: [4, 13], repeatWithinWeeks: 52 },
  ];

  it('climbs the 2011–12 ladder and stays on its last rung', () => {
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2011-08-01', [])).toBe(2);
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2011-09-01', ['2011-08-01'])).toBe(4);
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2012-10-21', ['2011-08-01', '2011-09-01'])).toBe(26);
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2012-10-21', ['2011-08-01', '2011-09-01', '2012-01-01'])).toBe(26);
  });

  it('from 22 October 2012: 4 weeks, 13 for a repeat within 52 weeks, 4 again after', () => {
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2012-10-22', ['2012-10-01'])).toBe(13);
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2013-10-21', ['2012-10-23'])).toBe(13); // 363 days before
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2013-10-21', ['2012-10-22'])).toBe(4); // 364 days: a full 52 weeks before
  });

  it('ignores later failures, and suggests nothing without a regime (before the first, or for ESA)', () => {
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2013-01-01', ['2013-02-01', '2013-01-01'])).toBe(4);
    expect(suggestSanctionWeeks(regimes, Benefit.JSA, '2011-05-31', [])).toBeNull();
    expect(suggestSanctionWeeks(regimes, Benefit.ESA, '2013-01-01', [])).toBeNull();
  });
});

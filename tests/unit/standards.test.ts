import { ServiceStandardScope } from '../../src/modules/standards/standards.enums';
import { isMet } from '../../src/modules/standards/standards.service';

describe('whether a standard is met', () => {
  const percent = (minimumPercent: number) => ({ scope: ServiceStandardScope.PERCENT_OF_PARTICIPANTS, minimumPercent });
  it.each([
    [29, 100, 29, true],
    [57, 100, 57, true],
    [28, 100, 29, false],
    [1, 3, 33, true],
    [1, 3, 34, false],
    [0, 0, 50, true],
  ])('%i of %i against %i%% → %s', (meeting, inScope, minimum, met) => {
    expect(isMet(percent(minimum), inScope, meeting)).toBe(met);
  });

  it('needs everyone for an all-participants standard', () => {
    const all = { scope: ServiceStandardScope.ALL_PARTICIPANTS, minimumPercent: null };
    expect(isMet(all, 4, 4)).toBe(true);
    expect(isMet(all, 4, 3)).toBe(false);
    expect(isMet(all, 0, 0)).toBe(true);
  });
});

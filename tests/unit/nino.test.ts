import { isValidNino, normaliseNino } from '../../src/modules/referrals/nino';

describe('NINO', () => {
  it.each(['AB123456C', 'ab 12 34 56 c', 'JG103759A', 'CE000000D', 'ZY999999B'])('%s is valid', (nino) =>
    expect(isValidNino(nino)).toBe(true),
  );
  it.each([
    ['DA123456A', 'first letter D'],
    ['FA123456A', 'first letter F'],
    ['IA123456A', 'first letter I'],
    ['QA123456A', 'first letter Q'],
    ['UA123456A', 'first letter U'],
    ['VA123456A', 'first letter V'],
    ['AO123456A', 'second letter O'],
    ['AD123456A', 'second letter D'],
    ['BG123456A', 'prefix BG'],
    ['GB123456A', 'prefix GB'],
    ['NK123456A', 'prefix NK'],
    ['KN123456A', 'prefix KN'],
    ['TN123456A', 'prefix TN'],
    ['NT123456A', 'prefix NT'],
    ['ZZ123456A', 'prefix ZZ'],
    ['AB123456E', 'suffix E'],
    ['AB12345C', 'five digits'],
    ['AB123456', 'no suffix'],
    ['', 'empty'],
  ])('%s is invalid (%s)', (nino) => expect(isValidNino(nino)).toBe(false));

  it('normalises spacing and case', () => expect(normaliseNino(' ab 12 34 56 c ')).toBe('AB123456C'));
});

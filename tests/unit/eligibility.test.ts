import { ageOn, eligibilityErrors } from '../../src/modules/referrals/eligibility';
import { Nation, PaymentGroup } from '../../src/modules/contracts/contracts.enums';

const england = { id: 'cpa-england', code: 1, nation: Nation.ENGLAND };
const scotland = { id: 'cpa-scotland', code: 8, nation: Nation.SCOTLAND };
const codes = (facts: Partial<Parameters<typeof eligibilityErrors>[0]>) =>
  eligibilityErrors({ paymentGroup: PaymentGroup.JSA_25_PLUS, referredOn: '2024-06-15', dateOfBirth: '1980-01-01', cpa: england, jobcentreCpaId: null, ...facts }).map((e) => e.code);

describe('ageOn', () => {
  it('counts whole years, a birthday counting on the day', () => {
    expect(ageOn('2000-06-15', '2024-06-14')).toBe(23);
    expect(ageOn('2000-06-15', '2024-06-15')).toBe(24);
    expect(ageOn('2000-02-29', '2023-02-28')).toBe(22);
    expect(ageOn('2000-02-29', '2023-03-01')).toBe(23);
  });
});

describe('eligibilityErrors', () => {
  it('JSA 18–24 is 18 to 24 on the referral date; JSA 25+ is 25 or over; other groups have no band', () => {
    expect(codes({ paymentGroup: PaymentGroup.JSA_18_24, dateOfBirth: '1999-06-16' })).toEqual([]); // 24, a day before 25
    expect(codes({ paymentGroup: PaymentGroup.JSA_18_24, dateOfBirth: '1999-06-15' })).toEqual(['AGE_OUTSIDE_GROUP']); // 25 that day
    expect(codes({ paymentGroup: PaymentGroup.JSA_18_24, dateOfBirth: '2006-06-15' })).toEqual([]); // 18 that day
    expect(codes({ paymentGroup: PaymentGroup.JSA_18_24, dateOfBirth: '2006-06-16' })).toEqual(['AGE_OUTSIDE_GROUP']); // 17
    expect(codes({ paymentGroup: PaymentGroup.JSA_18_24, dateOfBirth: '1964-01-01' })).toEqual(['AGE_OUTSIDE_GROUP']); // 60
    expect(codes({ paymentGroup: PaymentGroup.JSA_25_PLUS, dateOfBirth: '2000-01-01' })).toEqual(['AGE_OUTSIDE_GROUP']);
    expect(codes({ paymentGroup: PaymentGroup.ESA_EX_IB, dateOfBirth: '1960-01-01' })).toEqual([]);
  });

  it('leaves a date of birth that is not one to INVALID_DATE_OF_BIRTH', () => {
    expect(codes({ paymentGroup: PaymentGroup.JSA_18_24, dateOfBirth: '2030-01-01' })).toEqual([]);
  });

  it('IB/IS is referred in England only', () => {
    expect(codes({ paymentGroup: PaymentGroup.IB_IS, cpa: scotland })).toEqual(['GROUP_NOT_AVAILABLE_IN_CPA']);
    expect(codes({ paymentGroup: PaymentGroup.IB_IS, cpa: england })).toEqual([]);
    expect(codes({ paymentGroup: PaymentGroup.ESA_VOLUNTEER, cpa: scotland })).toEqual([]);
  });

  it('a Jobcentre placed in a CPA refers into that CPA only', () => {
    expect(codes({ jobcentreCpaId: 'cpa-england' })).toEqual([]);
    expect(codes({ jobcentreCpaId: 'cpa-scotland' })).toEqual(['CPA_NOT_SERVED']);
    expect(codes({ jobcentreCpaId: null })).toEqual([]);
  });
});

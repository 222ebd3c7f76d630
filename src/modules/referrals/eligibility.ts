import { ErrorCode } from '../../common/error-codes';
import { isCalendarDate } from '../../common/scalars';
import { type UserError, userError } from '../../common/user-error';
import type { Nation, PaymentGroup } from '../contracts/contracts.enums';
import { GROUP_AGE_BANDS, GROUP_NATIONS } from './programme';

/**
 * Who may be referred where (issue 14, item 5): pure functions over the programme's data
 * (programme.ts), called when a referral is judged at submission; tests/unit/eligibility.test.ts.
 */

/** Whole years of age on `day` (someone born on 29 February turns a year older on 1 March). */
export function ageOn(dateOfBirth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return day.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

export interface EligibilityFacts {
  paymentGroup: PaymentGroup;
  referredOn: string;
  dateOfBirth: string;
  /** The CPA referred into. */
  cpa: { id: string; code: number; nation: Nation };
  /** The CPA whose districts the referring Jobcentre serves; null for one not yet placed in a CPA. */
  jobcentreCpaId: string | null;
}

/** The group's rules a referral breaks: age band on the referral date, nation, and the Jobcentre's own CPA. */
export function eligibilityErrors(facts: EligibilityFacts): UserError[] {
  const errors: UserError[] = [];
  const band = GROUP_AGE_BANDS[facts.paymentGroup];
  if (band && isCalendarDate(facts.dateOfBirth) && facts.dateOfBirth < facts.referredOn) {
    const age = ageOn(facts.dateOfBirth, facts.referredOn);
    if (age < band.min || (band.max !== null && age > band.max)) {
      const range = band.max === null ? `${band.min} or over` : `${band.min} to ${band.max}`;
      errors.push(userError(ErrorCode.AGE_OUTSIDE_GROUP, `${facts.paymentGroup} is for people aged ${range} on the referral date; this claimant is ${age}`, ['claimant', 'dateOfBirth']));
    }
  }
  const nations = GROUP_NATIONS[facts.paymentGroup];
  if (nations && !nations.includes(facts.cpa.nation)) {
    errors.push(userError(ErrorCode.GROUP_NOT_AVAILABLE_IN_CPA, `${facts.paymentGroup} is referred only in ${nations.join(', ')}; CPA ${facts.cpa.code} is in ${facts.cpa.nation}`, ['paymentGroup']));
  }
  if (facts.jobcentreCpaId !== null && facts.jobcentreCpaId !== facts.cpa.id) {
    errors.push(userError(ErrorCode.CPA_NOT_SERVED, `This Jobcentre refers into its own CPA, not CPA ${facts.cpa.code}`, ['cpaCode']));
  }
  return errors;
}

import { registerEnumType } from 'type-graphql';
import { Nation, PaymentGroup } from '../contracts/contracts.enums';

export enum ParticipationMode {
  MANDATORY = 'MANDATORY',
  VOLUNTARY = 'VOLUNTARY',
}
registerEnumType(ParticipationMode, {
  name: 'ParticipationMode',
  description: 'Whether the claimant must take part; each payment group allows one or both.',
  valuesConfig: {
    MANDATORY: { description: 'Referral is a condition of benefit.' },
    VOLUNTARY: { description: 'The claimant chose to take part: doubted only for not attending or engaging.' },
  },
});

/**
 * The Work Programme's rules that referrals keep, as data (DOMAIN.md, "Payment groups"):
 * a successor programme is a new table here, not new code.
 */
export const PARTICIPATION_BASIS: Readonly<Record<PaymentGroup, readonly ParticipationMode[]>> = {
  [PaymentGroup.JSA_18_24]: [ParticipationMode.MANDATORY],
  [PaymentGroup.JSA_25_PLUS]: [ParticipationMode.MANDATORY],
  [PaymentGroup.JSA_EARLY_ACCESS]: [ParticipationMode.MANDATORY, ParticipationMode.VOLUNTARY],
  [PaymentGroup.JSA_EX_IB]: [ParticipationMode.MANDATORY],
  [PaymentGroup.ESA_VOLUNTEER]: [ParticipationMode.VOLUNTARY],
  [PaymentGroup.ESA_NEW_CLAIMANT]: [ParticipationMode.MANDATORY, ParticipationMode.VOLUNTARY],
  [PaymentGroup.ESA_EX_IB]: [ParticipationMode.MANDATORY, ParticipationMode.VOLUNTARY],
  [PaymentGroup.IB_IS]: [ParticipationMode.VOLUNTARY],
  [PaymentGroup.JSA_PRISON_LEAVER]: [ParticipationMode.MANDATORY],
};

/** The benefit each group claims: sanction regimes are dated rows per benefit (table `sanction_regime`). */
export enum Benefit {
  JSA = 'JSA',
  ESA = 'ESA',
  IB_IS = 'IB_IS',
}
export const GROUP_BENEFIT: Readonly<Record<PaymentGroup, Benefit>> = {
  [PaymentGroup.JSA_18_24]: Benefit.JSA,
  [PaymentGroup.JSA_25_PLUS]: Benefit.JSA,
  [PaymentGroup.JSA_EARLY_ACCESS]: Benefit.JSA,
  [PaymentGroup.JSA_EX_IB]: Benefit.JSA,
  [PaymentGroup.ESA_VOLUNTEER]: Benefit.ESA,
  [PaymentGroup.ESA_NEW_CLAIMANT]: Benefit.ESA,
  [PaymentGroup.ESA_EX_IB]: Benefit.ESA,
  [PaymentGroup.IB_IS]: Benefit.IB_IS,
  [PaymentGroup.JSA_PRISON_LEAVER]: Benefit.JSA,
};

/**
 * Groups whose volunteers have no work-related conditionality at all (002:1908; DOMAIN.md,
 * journey step 7): they cannot be doubted. Other volunteers can be, for attendance and engagement.
 */
export const NO_CONDITIONALITY_WHEN_VOLUNTARY: readonly PaymentGroup[] = [PaymentGroup.ESA_VOLUNTEER, PaymentGroup.IB_IS];

/** Age bands on the referral date (002:474-485: group 1 is 18–24, group 2 25+); groups not named have none. */
export const GROUP_AGE_BANDS: Readonly<Partial<Record<PaymentGroup, { min: number; max: number | null }>>> = {
  [PaymentGroup.JSA_18_24]: { min: 18, max: 24 },
  [PaymentGroup.JSA_25_PLUS]: { min: 25, max: null },
};

/** The nations a group is referred in (002:484: IB/IS is England only); groups not named: everywhere. */
export const GROUP_NATIONS: Readonly<Partial<Record<PaymentGroup, readonly Nation[]>>> = {
  [PaymentGroup.IB_IS]: [Nation.ENGLAND],
};

/** Support lasts up to two years from attachment (002:501). */
export const ALLOTTED_TIME_MONTHS = 24;

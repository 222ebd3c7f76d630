import { registerEnumType } from 'type-graphql';
import { PaymentGroup } from '../contracts/contracts.enums';

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

/** Support lasts up to two years from attachment (002:501). */
export const ALLOTTED_TIME_MONTHS = 24;

import { registerEnumType } from 'type-graphql';

export enum Nation {
  ENGLAND = 'ENGLAND',
  SCOTLAND = 'SCOTLAND',
  WALES = 'WALES',
}
registerEnumType(Nation, {
  name: 'Nation',
  description: 'A nation of Great Britain (the programmes do not cover Northern Ireland).',
  valuesConfig: {
    ENGLAND: { description: 'England.' },
    SCOTLAND: { description: 'Scotland.' },
    WALES: { description: 'Wales.' },
  },
});

/** The Work Programme's nine payment groups (DOMAIN.md); their rules and fees are data elsewhere. */
export enum PaymentGroup {
  JSA_18_24 = 'JSA_18_24',
  JSA_25_PLUS = 'JSA_25_PLUS',
  JSA_EARLY_ACCESS = 'JSA_EARLY_ACCESS',
  JSA_EX_IB = 'JSA_EX_IB',
  ESA_VOLUNTEER = 'ESA_VOLUNTEER',
  ESA_NEW_CLAIMANT = 'ESA_NEW_CLAIMANT',
  ESA_EX_IB = 'ESA_EX_IB',
  IB_IS = 'IB_IS',
  JSA_PRISON_LEAVER = 'JSA_PRISON_LEAVER',
}
registerEnumType(PaymentGroup, {
  name: 'PaymentGroup',
  description: "The claimant group a referral is paid under: it sets when a job outcome is due and the fees (rate cards). Referred in the modes `ParticipationMode` names.",
  valuesConfig: {
    JSA_18_24: { description: 'Group 1: JSA claimants aged 18 to 24, after 9 months on JSA; mandatory.' },
    JSA_25_PLUS: { description: 'Group 2: JSA claimants aged 25 or over, after 12 months on JSA; mandatory.' },
    JSA_EARLY_ACCESS: { description: 'Group 3: JSA early access, after 3 months on JSA; mandatory or voluntary.' },
    JSA_EX_IB: { description: 'Group 4: JSA claimants who had Incapacity Benefit; mandatory.' },
    ESA_VOLUNTEER: { description: 'Group 5: ESA claimants who volunteer, any time after the Work Capability Assessment; voluntary.' },
    ESA_NEW_CLAIMANT: { description: 'Group 6: new ESA claimants expected to be fit for work in 3 to 6 months; mandatory or voluntary.' },
    ESA_EX_IB: { description: 'Group 7: ESA claimants who had Incapacity Benefit; mandatory or voluntary.' },
    IB_IS: { description: 'Group 8: Incapacity Benefit or Income Support claimants (England only); voluntary.' },
    JSA_PRISON_LEAVER: { description: 'Group 9: JSA claimants leaving prison, from the day after release; mandatory.' },
  },
});

export const PAYMENT_GROUPS = Object.values(PaymentGroup);

/** How a subcontractor delivers for the prime (DOMAIN.md, "Who is in the chain"). */
export enum DeliveryModel {
  END_TO_END = 'END_TO_END',
  SPECIALIST_END_TO_END = 'SPECIALIST_END_TO_END',
  SPOT = 'SPOT',
  IN_WORK_SUPPORT = 'IN_WORK_SUPPORT',
}
registerEnumType(DeliveryModel, {
  name: 'DeliveryModel',
  description: 'How a subcontractor delivers for the prime.',
  valuesConfig: {
    END_TO_END: { description: "A generalist carrying participants' whole journey, allocated by geography." },
    SPECIALIST_END_TO_END: { description: 'The whole journey for one group (ex-offenders, disabled people, young people…).' },
    SPOT: { description: 'Short courses, training or job brokerage, commissioned by the prime or by an end-to-end subcontractor.' },
    IN_WORK_SUPPORT: { description: 'Support for participants once in work.' },
  },
});

import { registerEnumType } from 'type-graphql';

export enum RejectionReason {
  INELIGIBLE = 'INELIGIBLE',
  WRONG_PROGRAMME = 'WRONG_PROGRAMME',
  DUPLICATE = 'DUPLICATE',
  REFERRED_TO_ANOTHER_PROVIDER = 'REFERRED_TO_ANOTHER_PROVIDER',
  ALREADY_IN_WORK = 'ALREADY_IN_WORK',
  OTHER = 'OTHER',
}
registerEnumType(RejectionReason, {
  name: 'RejectionReason',
  description: "Why a prime rejected a referral; it goes back to the referring Jobcentre's inbox.",
  valuesConfig: {
    INELIGIBLE: { description: 'The claimant is not eligible for the programme.' },
    WRONG_PROGRAMME: { description: 'Another programme suits the claimant.' },
    DUPLICATE: { description: 'The claimant was referred already.' },
    REFERRED_TO_ANOTHER_PROVIDER: { description: 'The claimant belongs with another provider.' },
    ALREADY_IN_WORK: { description: 'The claimant is in work.' },
    OTHER: { description: 'Another reason, said in the note (required).' },
  },
});

export enum ExitReason {
  ALLOTTED_TIME_ENDED = 'ALLOTTED_TIME_ENDED',
  FINAL_PAYMENT_CLAIMED = 'FINAL_PAYMENT_CLAIMED',
  LEFT_BENEFIT = 'LEFT_BENEFIT',
  MOVED_TO_OTHER_PROVISION = 'MOVED_TO_OTHER_PROVISION',
  OTHER = 'OTHER',
}
registerEnumType(ExitReason, {
  name: 'ExitReason',
  description: 'Why a participant left the programme; the referring Jobcentre hears of every exit (REFERRAL_EXITED, with `Referral.handback`).',
  valuesConfig: {
    ALLOTTED_TIME_ENDED: {
      description: 'The two years of allotted time are over: the exchange records this exit itself from `allottedUntil` (the first day after them; hourly), on their last day; `recordExit` refuses it before that day.',
    },
    FINAL_PAYMENT_CLAIMED: { description: "The last sustainment payment the group's cap allows was claimed (claimSustainment records this exit itself)." },
    LEFT_BENEFIT: {
      description: 'Left benefit. No longer an exit: `recordExit` with it records the off-benefit marker (`Referral.offBenefitSince`) and the participant stays.',
      deprecationReason: 'Leaving benefit does not end participation (participants stay up to two years whether or not they work). Use recordOffBenefit; recordExit with LEFT_BENEFIT now records the marker and does not exit.',
    },
    MOVED_TO_OTHER_PROVISION: { description: "The Jobcentre moved the participant to other provision (e.g. Work Choice): the Jobcentre's decision, recorded with `recordJobcentreExit`." },
    OTHER: { description: 'Another reason.' },
  },
});

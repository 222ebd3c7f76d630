import { registerEnumType } from 'type-graphql';

export enum AllocationMethod {
  RANDOM = 'RANDOM',
  JOINT_CLAIM = 'JOINT_CLAIM',
  MANUAL_OVERRIDE = 'MANUAL_OVERRIDE',
  RETURNING = 'RETURNING',
}
registerEnumType(AllocationMethod, {
  name: 'AllocationMethod',
  description: 'How a referral came to its contract.',
  valuesConfig: {
    RANDOM: { description: "Drawn at random, weighted by the market shares in force on the referral's date in its CPA and payment group." },
    JOINT_CLAIM: { description: "To the contract of the joint claimant's live referral: joint claimants go to the same prime." },
    MANUAL_OVERRIDE: { description: 'Moved by the referring Jobcentre before attachment, with a reason.' },
    RETURNING: {
      description:
        "Back to the contract the person was on, outside the draw: referred again within the programme's days of a withdrawal, or returning within the allotted time (the participation reopens: same allottedUntil, no second attachment payment).",
    },
  },
});

export enum OverrideReasonCategory {
  ACCESSIBILITY = 'ACCESSIBILITY',
  SPECIALIST_NEEDS = 'SPECIALIST_NEEDS',
  NO_LOCAL_PRESENCE = 'NO_LOCAL_PRESENCE',
  JOINT_CLAIM = 'JOINT_CLAIM',
  ADMINISTRATIVE_ERROR = 'ADMINISTRATIVE_ERROR',
  OTHER = 'OTHER',
}
registerEnumType(OverrideReasonCategory, {
  name: 'OverrideReasonCategory',
  description: 'Why a Jobcentre overrode the random allocation, in categories that can be counted (002:1136); the free-text reason says more.',
  valuesConfig: {
    ACCESSIBILITY: { description: "The provider's premises are not accessible to the claimant (e.g. mobility)." },
    SPECIALIST_NEEDS: { description: "The claimant's disability or health condition needs skills the provider lacks." },
    NO_LOCAL_PRESENCE: { description: 'The provider has no local presence the claimant can reach.' },
    JOINT_CLAIM: { description: "To keep joint claimants with the same prime." },
    ADMINISTRATIVE_ERROR: { description: 'The allocation was made in error.' },
    OTHER: { description: 'Another reason, in the free text.' },
  },
});

import { registerEnumType } from 'type-graphql';

export enum AllocationMethod {
  RANDOM = 'RANDOM',
  JOINT_CLAIM = 'JOINT_CLAIM',
  MANUAL_OVERRIDE = 'MANUAL_OVERRIDE',
}
registerEnumType(AllocationMethod, {
  name: 'AllocationMethod',
  description: 'How a referral came to its contract.',
  valuesConfig: {
    RANDOM: { description: "Drawn at random, weighted by the market shares in force on the referral's date in its CPA and payment group." },
    JOINT_CLAIM: { description: "To the contract of the joint claimant's live referral: joint claimants go to the same prime." },
    MANUAL_OVERRIDE: { description: 'Moved by the referring Jobcentre before attachment, with a reason.' },
  },
});

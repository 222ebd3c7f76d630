import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Limit, LIMITS, oneOfEach } from '../../common/input-limits';
import { CountedConnection } from '../../common/pagination';
import { DateScalar } from '../../common/scalars';
import { Payload } from '../../common/payload';
import { Address } from '../referrals/participant.view';
import { Benefit } from '../referrals/programme';
import { CircumstanceChange } from './circumstance-change.entity';
import { BenefitEndedReason, CircumstanceChangeAction, CircumstanceKind } from './circumstances';
import { ComplianceDoubt } from './compliance-doubt.entity';
import { ComplianceDoubtStatus, ComplianceDoubtType, ComplianceOutcome, MandatoryActivityKind, NotAppliedReason, SanctionWeeksSource } from './doubt-states';

/** The same shape in and out: one class serves as both GraphQL types. */
@ObjectType({ description: 'The mandatory activity a participant failed to take part in (WP08).' })
@InputType('MandatoryActivityInput', { description: 'The mandatory activity a participant failed to take part in (WP08).' })
export class MandatoryActivity {
  @Field(() => MandatoryActivityKind, { description: 'What it was.' })
  kind!: MandatoryActivityKind;

  @Field(() => String, { description: 'What the participant was asked to do.' })
  @Limit(LIMITS.freeText)
  description!: string;

  @Field(() => DateScalar, { description: 'The day the participant was told of it: before the day it was set for.' })
  notifiedOn!: string;

  @Field(() => Boolean, { description: 'Whether it was notified in dated, written form: required for a doubt.' })
  notifiedInWriting!: boolean;

  @Field(() => Date, { description: 'When it was set for: not after today.' })
  scheduledFor!: Date;
}

@ObjectType({ description: "A Decision Maker's decision on a doubt." })
export class ComplianceDecisionRecord {
  @Field(() => ComplianceOutcome, { description: 'What was decided.' })
  outcome!: ComplianceOutcome;

  @Field(() => String, { description: 'Why: it travels back to the raiser, the prime and the referring Jobcentre.' })
  reason!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "For SANCTION_APPLIED: the length the Decision Maker set, or else the exchange's suggestion (`sanctionWeeksSource` says which); null otherwise, and where no regime gives lengths (e.g. ESA).",
  })
  sanctionWeeks!: number | null;

  @Field(() => SanctionWeeksSource, { nullable: true, description: 'Where `sanctionWeeks` came from; null when it is null.' })
  sanctionWeeksSource!: SanctionWeeksSource | null;

  @Field(() => NotAppliedReason, { nullable: true, description: 'Why a sanction was not applied, when the Decision Maker said; null for SANCTION_APPLIED.' })
  notAppliedReason!: NotAppliedReason | null;

  @Field(() => Date, { description: 'When.' })
  decidedAt!: Date;
}

@ObjectType({ description: 'A page of compliance doubts, in the order they were raised.' })
export class ComplianceDoubtConnection extends CountedConnection(ComplianceDoubt, {
  edge: {
    name: 'ComplianceDoubtEdge',
    description: 'A doubt in a list, with its cursor.',
    cursor: 'Pass as `after` to read the doubts after this one.',
    node: 'The doubt.',
  },
  edges: 'The doubts of this page.',
  pageInfo: 'Whether more follow, and the cursor to read them from.',
  totalCount: 'How many doubts the filter matches, on every page.',
}) {}

@InputType({ description: "A doubt about a participant's compliance." })
export class RaiseComplianceDoubtInput {
  @Field(() => ID, { description: 'The referral: yours as prime, or handed to you by an accepted end-to-end or specialist handoff.' })
  referralId!: string;

  @Field(() => ComplianceDoubtType, { description: 'WP08, WP10 or WP07.' })
  type!: ComplianceDoubtType;

  @Field(() => DateScalar, { description: 'The day of the failure or event: from the referral date to today.' })
  occurredOn!: string;

  @Field(() => String, { description: 'What happened: required except for FAILURE_TO_PARTICIPATE (which names its activity).' })
  @Limit(LIMITS.freeText)
  description!: string;

  @Field(() => MandatoryActivity, { nullable: true, description: 'For FAILURE_TO_PARTICIPATE: the activity (required).' })
  mandatoryActivity?: MandatoryActivity | null;
}

@InputType({ description: 'A doubt to submit to DWP.' })
export class SubmitComplianceDoubtInput {
  @Field(() => ID, { description: 'A RAISED doubt on a referral of one of your contracts.' })
  complianceDoubtId!: string;
}

@InputType({ description: 'A doubt to send back to its raiser.' })
export class ReturnComplianceDoubtInput {
  @Field(() => ID, { description: 'A RAISED doubt on a referral of one of your contracts.' })
  complianceDoubtId!: string;

  @Field(() => String, { description: 'What to put right: required.' })
  @Limit(LIMITS.freeText)
  reason!: string;
}

@InputType({ description: 'A doubt to withdraw.' })
export class WithdrawComplianceDoubtInput {
  @Field(() => ID, { description: 'A RAISED or SUBMITTED doubt you raised, or on a referral of one of your contracts.' })
  complianceDoubtId!: string;

  @Field(() => String, { description: 'Why: required.' })
  @Limit(LIMITS.freeText)
  reason!: string;
}

@InputType({ description: 'A decision on a submitted doubt.' })
export class DecideComplianceDoubtInput {
  @Field(() => ID, { description: 'A SUBMITTED doubt.' })
  complianceDoubtId!: string;

  @Field(() => ComplianceOutcome, { description: 'What is decided.' })
  outcome!: ComplianceOutcome;

  @Field(() => String, { description: 'Why: required; it travels back to the raiser, the prime and the referring Jobcentre.' })
  @Limit(LIMITS.freeText)
  reason!: string;

  @Field(() => Int, {
    nullable: true,
    description: "For SANCTION_APPLIED only: the sanction's length in weeks, 1 to 156, under the regime in force on the failure day. When absent, `suggestedSanctionWeeks` is recorded.",
  })
  sanctionWeeks?: number | null;

  @Field(() => NotAppliedReason, { nullable: true, description: 'For an outcome other than SANCTION_APPLIED: why it was not applied.' })
  notAppliedReason?: NotAppliedReason | null;
}

@ObjectType({ description: 'The answer to a change of a compliance doubt.' })
export class ComplianceDoubtPayload extends Payload('complianceDoubt', () => ComplianceDoubt, {
  field: 'The doubt as changed; null when userErrors is not empty.',
  userErrors: 'Why nothing was changed; empty on success.',
}) {
  @Field(() => CircumstanceChange, {
    nullable: true,
    description: 'When raiseComplianceDoubt was given CHANGE_OF_CIRCUMSTANCES: the change-of-circumstances report filed instead of a doubt (complianceDoubt is then null); null otherwise.',
  })
  circumstanceChange?: CircumstanceChange | null;
}

@InputType({ description: 'Which doubts to list; every condition given must hold.' })
export class ComplianceDoubtFilter {
  @Field(() => [ComplianceDoubtStatus], { nullable: true, description: 'Any of these statuses.' })
  @Limit(oneOfEach(ComplianceDoubtStatus))
  status?: ComplianceDoubtStatus[] | null;

  @Field(() => Int, { nullable: true, description: "On referrals of this CPA." })
  cpaCode?: number | null;
}

@InputType({ description: "A change in a participant's circumstances, reported by the referring Jobcentre or by a provider holding the referral." })
export class ReportCircumstanceChangeInput {
  @Field(() => ID, { description: 'A referral your Jobcentre made, or one you hold as prime or through a live handoff.' })
  referralId!: string;

  @Field(() => CircumstanceKind, { description: 'What changed.' })
  kind!: CircumstanceKind;

  @Field(() => DateScalar, { description: 'The day it took effect: from the referral date to today.' })
  effectiveOn!: string;

  @Field(() => String, { nullable: true, description: 'What changed, in words: required for OTHER; none on a restricted (MAPPA) record.' })
  @Limit(LIMITS.freeText)
  description?: string | null;

  @Field(() => BenefitEndedReason, { nullable: true, description: 'BENEFIT_ENDED (required): why.' })
  benefitEndedReason?: BenefitEndedReason | null;

  @Field(() => Benefit, { nullable: true, description: 'BENEFIT_CHANGED: the benefit before.' })
  benefitFrom?: Benefit | null;

  @Field(() => Benefit, { nullable: true, description: 'BENEFIT_CHANGED (required): the benefit now.' })
  benefitTo?: Benefit | null;

  @Field(() => Address, { nullable: true, description: 'ADDRESS (required): the new address.' })
  address?: Address | null;

  @Field(() => String, { nullable: true, description: 'PHONE (required): the new number.' })
  @Limit({ chars: 30 })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'EMAIL (required): the new address.' })
  @Limit({ chars: 254 })
  email?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'CONSENT_CHANGED (required): whether the claimant now consents to share health information.' })
  consentToShareHealth?: boolean | null;
}

@InputType({ description: "The referring Jobcentre's answer to a provider's report of a change." })
export class ActionCircumstanceChangeInput {
  @Field(() => ID, { description: "A provider's report about a referral your Jobcentre made." })
  circumstanceChangeId!: string;

  @Field(() => CircumstanceChangeAction, { description: 'Whether you acted on it.' })
  action!: CircumstanceChangeAction;

  @Field(() => String, { nullable: true, description: 'What you did, or why not (none on a restricted record).' })
  @Limit(LIMITS.freeText)
  note?: string | null;
}

@ObjectType({ description: 'The answer to a report of, or an answer to, a change of circumstances.' })
export class CircumstanceChangePayload extends Payload('circumstanceChange', () => CircumstanceChange, {
  field: 'The change as recorded; null when userErrors is not empty.',
  userErrors: 'Why nothing was recorded; empty on success.',
}) {}

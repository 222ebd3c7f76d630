import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { LIMITS, Limit } from '../../common/input-limits';
import { Payload } from '../../common/payload';
import { DateScalar } from '../../common/scalars';
import { Benefit } from '../referrals/programme';
import { ActionPlanReview } from './action-plan-review.entity';
import { Assessment } from './assessment.entity';
import { PlannedAction } from './planned-action.entity';
import { ProgressUpdate } from './progress-update.entity';
import { ActionKind, Barrier, JobReadiness } from './record.enums';

// ---------------------------------------------------------------- what the Jobcentre sends

/** The same shape in and out. */
@ObjectType({ description: 'Access and language needs (shared as ACCESS_NEEDS).' })
@InputType('AccessNeedsInput', { description: 'Access and language needs; each optional.' })
export class AccessNeeds {
  @Field(() => Boolean, { nullable: true, description: 'Wants to be served in Welsh.' })
  welsh?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Needs an interpreter.' })
  interpreter?: boolean | null;

  @Field(() => String, { nullable: true, description: 'The language to interpret (none on a restricted record).' })
  @Limit({ chars: 100 })
  interpreterLanguage?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Needs English for Speakers of Other Languages (ESOL).' })
  esol?: boolean | null;
}

@InputType({
  description:
    'What the Jobcentre knows beyond the claimant, each part optional and shared down the chain as its own SharedField. A restricted (MAPPA) record takes no free text here (RESTRICTED_RECORD_FREE_TEXT) and keeps none of it.',
})
export class ReferralRecordInput {
  @Field(() => Benefit, { nullable: true, description: 'The benefit claimed (BENEFIT).' })
  benefit?: Benefit | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the claim started, on or before the referral (BENEFIT).' })
  claimStartedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the claimant is referred (REFERRAL_REASON).' })
  @Limit(LIMITS.freeText)
  reason?: string | null;

  @Field(() => [String], { nullable: true, description: 'Qualifications, one per entry (QUALIFICATIONS).' })
  @Limit({ items: 20, chars: 200 })
  qualifications?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Work history (WORK_HISTORY).' })
  @Limit(LIMITS.freeText)
  workHistory?: string | null;

  @Field(() => [Barrier], { nullable: true, description: 'Barriers to work (BARRIERS).' })
  @Limit({ items: 20 })
  barriers?: Barrier[] | null;

  @Field(() => String, { nullable: true, description: 'More about the barriers (BARRIERS).' })
  @Limit(LIMITS.freeText)
  barrierNotes?: string | null;

  @Field(() => String, { nullable: true, description: 'The work the claimant is looking for (JOB_GOALS).' })
  @Limit(LIMITS.freeText)
  jobGoals?: string | null;

  @Field(() => AccessNeeds, { nullable: true, description: 'Access and language needs (ACCESS_NEEDS).' })
  accessNeeds?: AccessNeeds | null;

  @Field(() => String, { nullable: true, description: 'Caring responsibilities (CARING_RESPONSIBILITIES).' })
  @Limit(LIMITS.freeText)
  caringResponsibilities?: string | null;
}

// ---------------------------------------------------------------- what a viewer reads of it

@ObjectType({ description: 'The benefit claimed (shared as BENEFIT): as the Jobcentre sent it, then as its changes of circumstances (BENEFIT_CHANGED, BENEFIT_ENDED) left it.' })
export class BenefitClaim {
  @Field(() => Benefit, { nullable: true, description: 'The benefit.' })
  benefit!: Benefit | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the claim started (a BENEFIT_CHANGED change of circumstances: its effective day).' })
  claimStartedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the claim ended (a BENEFIT_ENDED change of circumstances); null while it lasts.' })
  endedOn!: string | null;
}

@ObjectType({ description: 'Barriers to work as the Jobcentre sent them (shared as BARRIERS).' })
export class Barriers {
  @Field(() => [Barrier], { description: 'From the fixed list.' })
  kinds!: Barrier[];

  @Field(() => String, { nullable: true, description: 'More about them.' })
  notes!: string | null;
}

@ObjectType({ description: "A participant's action plan: its actions by due date, and its reviews (seen where ACTION_PLAN is)." })
export class ActionPlan {
  @Field(() => [PlannedAction], { description: 'The actions, by due date.' })
  actions!: PlannedAction[];

  @Field(() => [ActionPlanReview], { description: 'The reviews, oldest first.' })
  reviews!: ActionPlanReview[];
}

// ---------------------------------------------------------------- the prime's record

@InputType({ description: 'An assessment of a participant.' })
export class RecordAssessmentInput {
  @Field(() => ID, { description: 'A live referral whose action plan you keep.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'The day of the assessment: from the referral date to today.' })
  assessedOn!: string;

  @Field(() => JobReadiness, { description: 'How close to work.' })
  jobReadiness!: JobReadiness;

  @Field(() => [Barrier], { nullable: true, description: 'The barriers found.' })
  @Limit({ items: 20 })
  barriers?: Barrier[] | null;

  @Field(() => String, { nullable: true, description: 'Notes (none on a restricted record).' })
  @Limit(LIMITS.freeText)
  notes?: string | null;
}

@ObjectType({ description: 'The answer to `recordAssessment`.' })
export class AssessmentPayload extends Payload('assessment', () => Assessment, {
  field: 'The assessment as recorded; null when userErrors is not empty.',
  userErrors: 'Why nothing was recorded; empty on success.',
}) {}

@InputType({ description: 'An action added to the action plan.' })
export class AddPlannedActionInput {
  @Field(() => ID, { description: 'A live referral whose action plan you keep.' })
  referralId!: string;

  @Field(() => ActionKind, { description: 'What kind of action.' })
  kind!: ActionKind;

  @Field(() => String, { nullable: true, description: 'What is to be done (none on a restricted record).' })
  @Limit(LIMITS.freeText)
  description?: string | null;

  @Field(() => DateScalar, { description: 'When it is due: not before the referral date.' })
  dueOn!: string;

  @Field(() => Boolean, { description: 'Whether it is a mandatory activity.' })
  mandatory!: boolean;

  @Field(() => DateScalar, { nullable: true, description: 'The day the participant was notified in writing: from the referral date to today, not after the due date.' })
  notifiedInWritingOn?: string | null;
}

@ObjectType({ description: 'The answer to `addPlannedAction`.' })
export class PlannedActionPayload extends Payload('plannedAction', () => PlannedAction, {
  field: 'The action as recorded; null when userErrors is not empty.',
  userErrors: 'Why nothing was recorded; empty on success.',
}) {}

@InputType({ description: 'A review of the action plan.' })
export class ReviewActionPlanInput {
  @Field(() => ID, { description: 'A live referral whose action plan you keep.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'The day of the review: from the referral date to today.' })
  reviewedOn!: string;

  @Field(() => String, { nullable: true, description: 'What the review found (none on a restricted record).' })
  @Limit(LIMITS.freeText)
  note?: string | null;

  @Field(() => [ID], { nullable: true, description: "Actions of this plan found done: each is marked done on the review's day." })
  @Limit({ items: 50 })
  completedActionIds?: string[] | null;
}

@ObjectType({ description: 'The answer to `reviewActionPlan`.' })
export class ActionPlanReviewPayload extends Payload('actionPlanReview', () => ActionPlanReview, {
  field: 'The review as recorded; null when userErrors is not empty.',
  userErrors: 'Why nothing was recorded; empty on success.',
}) {}

@InputType({ description: "A spot provider's progress update, for whoever passed it the referral." })
export class RecordProgressUpdateInput {
  @Field(() => ID, { description: 'An accepted SPOT_PROVISION handoff to your organisation.' })
  handoffId!: string;

  @Field(() => Boolean, { description: 'Whether the participant attended.' })
  attended!: boolean;

  @Field(() => Boolean, { description: 'Whether the participant completed it (only if they attended).' })
  completed!: boolean;

  @Field(() => String, { nullable: true, description: 'The certificate or qualification gained (only if completed; none on a restricted record).' })
  @Limit({ chars: 200 })
  certificate?: string | null;

  @Field(() => String, { nullable: true, description: 'What you recommend next (none on a restricted record).' })
  @Limit(LIMITS.freeText)
  recommendation?: string | null;
}

@ObjectType({ description: 'The answer to `recordProgressUpdate`.' })
export class ProgressUpdatePayload extends Payload('progressUpdate', () => ProgressUpdate, {
  field: 'The progress update as recorded; null when userErrors is not empty.',
  userErrors: 'Why nothing was recorded; empty on success.',
}) {}

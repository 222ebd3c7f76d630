import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root, UseMiddleware } from 'type-graphql';
import { SharedField } from '../../auth/access.enums';
import { CurrentViewer } from '../../auth/current-viewer';
import { Action } from '../../auth/policy';
import { accessTo } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { answer } from '../../common/payload';
import { AuditRead } from '../audit/person-reads';
import { Handoff } from '../chain/handoff.entity';
import type { RequestContext } from '../context';
import { ParticipantView } from '../referrals/participant.view';
import { Referral } from '../referrals/referral.entity';
import { Assessment } from './assessment.entity';
import { ProgressUpdate } from './progress-update.entity';
import type { ReferralRecord } from './referral-record.entity';
import * as record from './record.service';
import {
  AccessNeeds,
  ActionPlan,
  ActionPlanReviewPayload,
  AddPlannedActionInput,
  AssessmentPayload,
  Barriers,
  BenefitClaim,
  PlannedActionPayload,
  ProgressUpdatePayload,
  RecordAssessmentInput,
  RecordProgressUpdateInput,
  ReviewActionPlanInput,
} from './record.types';

const KEEPS = 'PROVIDER: the prime holding the referral, or the subcontractor holding its accepted END_TO_END_DELIVERY handoff sharing ACTION_PLAN.';

/** The prime's assessment and action plan, and spot providers' progress updates. Rules: record.service; who: the access gate. */
@Resolver()
export class RecordResolver {
  @Authorized(Action.KeepActionPlans)
  @Mutation(() => AssessmentPayload, {
    description: `Records an assessment of a live referral's participant (job readiness, barriers). ${KEEPS} ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.REFERRAL_NOT_LIVE,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
    )}`,
  })
  async recordAssessment(@Arg('input', () => RecordAssessmentInput, { description: 'The assessment.' }) input: RecordAssessmentInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<AssessmentPayload> {
    return answer('assessment', () => record.recordAssessment(ctx.db, viewer, input));
  }

  @Authorized(Action.KeepActionPlans)
  @Mutation(() => PlannedActionPayload, {
    description: `Adds an action to a live referral's action plan: due when, whether mandatory, and when notified in writing (what a WP08 doubt rests on). ${KEEPS} ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.REFERRAL_NOT_LIVE,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.NOTIFIED_AFTER_DUE,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
    )}`,
  })
  async addPlannedAction(@Arg('input', () => AddPlannedActionInput, { description: 'The action.' }) input: AddPlannedActionInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<PlannedActionPayload> {
    return answer('plannedAction', () => record.addPlannedAction(ctx.db, viewer, input));
  }

  @Authorized(Action.KeepActionPlans)
  @Mutation(() => ActionPlanReviewPayload, {
    description: `Records a review of a live referral's action plan, marking the actions it found done. ${KEEPS} ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.REFERRAL_NOT_LIVE,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.UNKNOWN_PLANNED_ACTION,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
    )}`,
  })
  async reviewActionPlan(@Arg('input', () => ReviewActionPlanInput, { description: 'The review.' }) input: ReviewActionPlanInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<ActionPlanReviewPayload> {
    return answer('actionPlanReview', () => record.reviewActionPlan(ctx.db, viewer, input));
  }

  @Authorized(Action.ReturnProgress)
  @Mutation(() => ProgressUpdatePayload, {
    description: `Returns a progress update (attended, completed, certificate, recommendation) to whoever passed the referral on (PROGRESS_UPDATE in its inbox). PROVIDER: the receiver of an accepted SPOT_PROVISION handoff. ${answersCodes(
      ErrorCode.UNKNOWN_HANDOFF,
      ErrorCode.NOT_SPOT_PROVISION,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.PROGRESS_INCONSISTENT,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
    )}`,
  })
  async recordProgressUpdate(@Arg('input', () => RecordProgressUpdateInput, { description: 'The update.' }) input: RecordProgressUpdateInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<ProgressUpdatePayload> {
    return answer('progressUpdate', () => record.recordProgressUpdate(ctx.db, viewer, input));
  }
}

/** A referral's assessments and action plan, where the viewer sees ACTION_PLAN. */
@Resolver(() => Referral)
export class ReferralRecordResolver {
  @FieldResolver(() => [Assessment], { description: "The participant's assessments, oldest first: where the viewer sees ACTION_PLAN (the prime, the referring Jobcentre, a handoff sharing it); empty for others." })
  async assessments(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Assessment[]> {
    const access = await accessTo(ctx, referral.id);
    return access ? (await ctx.loaders.assessmentsByReferral.load(referral.id)).filter((a) => access.seesActionPlan(a.createdAt)) : [];
  }

  @FieldResolver(() => ActionPlan, { nullable: true, description: "The participant's action plan: where the viewer sees ACTION_PLAN (as `assessments`); null for others." })
  async actionPlan(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ActionPlan | null> {
    const access = await accessTo(ctx, referral.id);
    if (!access?.readsActionPlan) return null;
    const [actions, reviews] = await Promise.all([ctx.loaders.plannedActionsByReferral.load(referral.id), ctx.loaders.actionPlanReviewsByReferral.load(referral.id)]);
    return { actions: actions.filter((a) => access.seesActionPlan(a.createdAt)), reviews: reviews.filter((r) => access.seesActionPlan(r.createdAt)) };
  }
}

/** A spot handoff's progress updates, for its two parties. */
@Resolver(() => Handoff)
export class HandoffProgressResolver {
  @FieldResolver(() => [ProgressUpdate], { description: 'A SPOT_PROVISION handoff\'s progress updates, oldest first: for its receiver, and its sender while it holds the referral; empty for others.' })
  async progressUpdates(@Root() handoff: Handoff, @Ctx() ctx: RequestContext): Promise<ProgressUpdate[]> {
    const access = await accessTo(ctx, handoff.referralId);
    return access?.seesProgressOf(handoff.id) ? ctx.loaders.progressUpdatesByHandoff.load(handoff.id) : [];
  }
}

/** The record sent with the referral a participant is seen through, part by part as the viewer's shared fields allow. */
@Resolver(() => ParticipantView)
export class ParticipantRecordResolver {
  private async part<T>(view: ParticipantView, ctx: RequestContext, field: SharedField, pick: (sent: ReferralRecord) => T | null): Promise<T | null> {
    if (!view.referralId || !view.visibleFields.includes(field)) return null;
    const [sent] = await ctx.loaders.referralRecord.load(view.referralId);
    return sent ? pick(sent) : null;
  }

  @UseMiddleware(AuditRead)
  @FieldResolver(() => BenefitClaim, { nullable: true, description: 'Null unless `visibleFields` has BENEFIT and the Jobcentre sent it.' })
  benefitClaim(@Root() view: ParticipantView, @Ctx() ctx: RequestContext): Promise<BenefitClaim | null> {
    return this.part(view, ctx, SharedField.BENEFIT, (r) =>
      r.benefit || r.claimStartedOn || r.claimEndedOn ? { benefit: r.benefit, claimStartedOn: r.claimStartedOn, endedOn: r.claimEndedOn } : null,
    );
  }

  @UseMiddleware(AuditRead)
  @FieldResolver(() => String, { nullable: true, description: 'Null unless `visibleFields` has REFERRAL_REASON and the Jobcentre sent it.' })
  referralReason(@Root() view: ParticipantView, @Ctx() ctx: RequestContext): Promise<string | null> {
    return this.part(view, ctx, SharedField.REFERRAL_REASON, (r) => r.reason);
  }

  @UseMiddleware(AuditRead)
  @FieldResolver(() => [String], { nullable: true, description: 'Null unless `visibleFields` has QUALIFICATIONS and the Jobcentre sent some.' })
  qualifications(@Root() view: ParticipantView, @Ctx() ctx: RequestContext): Promise<string[] | null> {
    return this.part(view, ctx, SharedField.QUALIFICATIONS, (r) => (r.qualifications.length ? r.qualifications : null));
  }

  @UseMiddleware(AuditRead)
  @FieldResolver(() => String, { nullable: true, description: 'Null unless `visibleFields` has WORK_HISTORY and the Jobcentre sent it.' })
  workHistory(@Root() view: ParticipantView, @Ctx() ctx: RequestContext): Promise<string | null> {
    return this.part(view, ctx, SharedField.WORK_HISTORY, (r) => r.workHistory);
  }

  @UseMiddleware(AuditRead)
  @FieldResolver(() => Barriers, { nullable: true, description: 'Null unless `visibleFields` has BARRIERS and the Jobcentre sent some.' })
  barriers(@Root() view: ParticipantView, @Ctx() ctx: RequestContext): Promise<Barriers | null> {
    return this.part(view, ctx, SharedField.BARRIERS, (r) => (r.barriers.length || r.barrierNotes ? { kinds: r.barriers, notes: r.barrierNotes } : null));
  }

  @UseMiddleware(AuditRead)
  @FieldResolver(() => String, { nullable: true, description: 'Null unless `visibleFields` has JOB_GOALS and the Jobcentre sent them.' })
  jobGoals(@Root() view: ParticipantView, @Ctx() ctx: RequestContext): Promise<string | null> {
    return this.part(view, ctx, SharedField.JOB_GOALS, (r) => r.jobGoals);
  }

  @UseMiddleware(AuditRead)
  @FieldResolver(() => AccessNeeds, { nullable: true, description: 'Null unless `visibleFields` has ACCESS_NEEDS and the Jobcentre sent some.' })
  accessNeeds(@Root() view: ParticipantView, @Ctx() ctx: RequestContext): Promise<AccessNeeds | null> {
    return this.part(view, ctx, SharedField.ACCESS_NEEDS, (r) => {
      const needs = { welsh: r.welsh, interpreter: r.interpreter, interpreterLanguage: r.interpreterLanguage, esol: r.esol };
      return Object.values(needs).some((value) => value !== null) ? needs : null;
    });
  }

  @UseMiddleware(AuditRead)
  @FieldResolver(() => String, { nullable: true, description: 'Null unless `visibleFields` has CARING_RESPONSIBILITIES and the Jobcentre sent them.' })
  caringResponsibilities(@Root() view: ParticipantView, @Ctx() ctx: RequestContext): Promise<string | null> {
    return this.part(view, ctx, SharedField.CARING_RESPONSIBILITIES, (r) => r.caringResponsibilities);
  }
}

import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { ActionPlanReview } from './action-plan-review.entity';
import { Assessment } from './assessment.entity';
import { PlannedAction } from './planned-action.entity';
import { ProgressUpdate } from './progress-update.entity';
import { ReferralRecord } from './referral-record.entity';

export function createRecordLoaders(db: DataSource, cache = true) {
  return {
    assessment: byIdLoader(db, Assessment, cache),
    plannedAction: byIdLoader(db, PlannedAction, cache),
    actionPlanReview: byIdLoader(db, ActionPlanReview, cache),
    progressUpdate: byIdLoader(db, ProgressUpdate, cache),
    referralRecord: groupLoader(db, ReferralRecord, 'referralId', { id: 'ASC' }, cache),
    assessmentsByReferral: groupLoader(db, Assessment, 'referralId', { assessedOn: 'ASC', createdAt: 'ASC' }, cache),
    plannedActionsByReferral: groupLoader(db, PlannedAction, 'referralId', { dueOn: 'ASC', createdAt: 'ASC' }, cache),
    actionPlanReviewsByReferral: groupLoader(db, ActionPlanReview, 'referralId', { reviewedOn: 'ASC', createdAt: 'ASC' }, cache),
    progressUpdatesByHandoff: groupLoader(db, ProgressUpdate, 'handoffId', { createdAt: 'ASC' }, cache),
  };
}

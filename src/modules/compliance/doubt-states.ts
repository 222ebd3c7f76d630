import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../common/state-machine';

export enum ComplianceDoubtStatus {
  RAISED = 'RAISED',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  DECIDED = 'DECIDED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(ComplianceDoubtStatus, {
  name: 'ComplianceDoubtStatus',
  description: "A doubt's lifecycle: RAISED → SUBMITTED, RETURNED or WITHDRAWN; SUBMITTED → DECIDED or WITHDRAWN. A prime's own doubt starts SUBMITTED.",
  valuesConfig: {
    RAISED: { description: "A subcontractor's doubt, waiting for the prime to submit or return it." },
    SUBMITTED: { description: 'With DWP, waiting for a Decision Maker.' },
    RETURNED: { description: 'Sent back to its raiser, who may raise an amended one.' },
    DECIDED: { description: 'A Decision Maker decided it.' },
    WITHDRAWN: { description: 'Withdrawn by its raiser or the prime before a decision.' },
  },
});

/**
 * A doubt's lifecycle, the one place it is written: a subcontractor's doubt waits for the prime
 * (submit or return); a submitted one for a Decision Maker. A returned doubt is amended and
 * raised again as a new one.
 */
export const DOUBT_TRANSITIONS: Transitions<ComplianceDoubtStatus> = {
  [ComplianceDoubtStatus.RAISED]: [ComplianceDoubtStatus.SUBMITTED, ComplianceDoubtStatus.RETURNED, ComplianceDoubtStatus.WITHDRAWN],
  [ComplianceDoubtStatus.SUBMITTED]: [ComplianceDoubtStatus.DECIDED, ComplianceDoubtStatus.WITHDRAWN],
  [ComplianceDoubtStatus.RETURNED]: [],
  [ComplianceDoubtStatus.DECIDED]: [],
  [ComplianceDoubtStatus.WITHDRAWN]: [],
};

/** Waiting for someone: the prime (RAISED) or a Decision Maker (SUBMITTED). */
export const OPEN_DOUBT_STATUSES: readonly ComplianceDoubtStatus[] = [ComplianceDoubtStatus.RAISED, ComplianceDoubtStatus.SUBMITTED];

export enum ComplianceDoubtType {
  FAILURE_TO_PARTICIPATE = 'FAILURE_TO_PARTICIPATE',
  ENTITLEMENT_DOUBT = 'ENTITLEMENT_DOUBT',
  CHANGE_OF_CIRCUMSTANCES = 'CHANGE_OF_CIRCUMSTANCES',
}
registerEnumType(ComplianceDoubtType, {
  name: 'ComplianceDoubtType',
  description: 'The form a doubt takes.',
  valuesConfig: {
    FAILURE_TO_PARTICIPATE: { description: 'WP08: the participant failed to take part in a mandatory activity notified in writing.' },
    ENTITLEMENT_DOUBT: { description: "WP10: a doubt about the participant's entitlement to benefit." },
    CHANGE_OF_CIRCUMSTANCES: {
      description: "WP07: a change in the participant's circumstances. Raising one files a change-of-circumstances report to the referring Jobcentre instead of a doubt (`ComplianceDoubtPayload.circumstanceChange`).",
      deprecationReason: 'A change of circumstances is a notification, never a doubt (only WP08 and WP10 can lead to a sanction): raising one files a report to the referring Jobcentre (`ComplianceDoubtPayload.circumstanceChange`), and an existing one cannot be decided SANCTION_APPLIED.',
    },
  },
});

export enum MandatoryActivityKind {
  APPOINTMENT = 'APPOINTMENT',
  WORKSHOP = 'WORKSHOP',
  TRAINING = 'TRAINING',
  WORK_PLACEMENT = 'WORK_PLACEMENT',
  JOB_INTERVIEW = 'JOB_INTERVIEW',
  JOB_OFFER = 'JOB_OFFER',
}
registerEnumType(MandatoryActivityKind, {
  name: 'MandatoryActivityKind',
  description: 'A kind of mandatory activity.',
  valuesConfig: {
    APPOINTMENT: { description: 'An appointment (a missed first appointment can be doubted before attachment).' },
    WORKSHOP: { description: 'A workshop.' },
    TRAINING: { description: 'Training.' },
    WORK_PLACEMENT: { description: 'A work placement.' },
    JOB_INTERVIEW: { description: 'A job interview (never doubted for a voluntary participant).' },
    JOB_OFFER: { description: 'A job offer (never doubted for a voluntary participant).' },
  },
});

export enum ComplianceOutcome {
  SANCTION_APPLIED = 'SANCTION_APPLIED',
  NOT_APPLIED_GOOD_REASON = 'NOT_APPLIED_GOOD_REASON',
  NOT_APPLIED_PROCEDURAL_ERROR = 'NOT_APPLIED_PROCEDURAL_ERROR',
  NOT_APPLIED_STATUS_CHANGED = 'NOT_APPLIED_STATUS_CHANGED',
  NOT_APPLIED_VOLUNTARY_PARTICIPANT = 'NOT_APPLIED_VOLUNTARY_PARTICIPANT',
}
registerEnumType(ComplianceOutcome, {
  name: 'ComplianceOutcome',
  description: "A Decision Maker's decision.",
  valuesConfig: {
    SANCTION_APPLIED: { description: 'A sanction is applied (its weeks in `sanctionWeeks`).' },
    NOT_APPLIED_GOOD_REASON: { description: 'Not applied: the claimant had good reason.' },
    NOT_APPLIED_PROCEDURAL_ERROR: { description: 'Not applied: the doubt was procedurally flawed.' },
    NOT_APPLIED_STATUS_CHANGED: { description: "Not applied: the claimant's status had changed (e.g. off benefit)." },
    NOT_APPLIED_VOLUNTARY_PARTICIPANT: { description: 'Not applied: the participant takes part voluntarily.' },
  },
});

export enum SanctionWeeksSource {
  SUGGESTED = 'SUGGESTED',
  DECISION_MAKER = 'DECISION_MAKER',
}
registerEnumType(SanctionWeeksSource, {
  name: 'SanctionWeeksSource',
  description: "Where an applied sanction's length came from.",
  valuesConfig: {
    SUGGESTED: { description: "The Decision Maker did not enter one: the exchange's suggestion (`suggestedSanctionWeeks`) was recorded." },
    DECISION_MAKER: { description: 'The Decision Maker entered it.' },
  },
});

export enum NotAppliedReason {
  WRONG_ADDRESS = 'WRONG_ADDRESS',
  SHORT_NOTICE = 'SHORT_NOTICE',
  NOT_IN_WRITING = 'NOT_IN_WRITING',
  STATUS_CHANGED = 'STATUS_CHANGED',
  GOOD_REASON = 'GOOD_REASON',
  VOLUNTARY = 'VOLUNTARY',
  OTHER = 'OTHER',
}
registerEnumType(NotAppliedReason, {
  name: 'NotAppliedReason',
  description: 'Why a sanction was not applied, so that the raiser learns what to do differently (002:348).',
  valuesConfig: {
    WRONG_ADDRESS: { description: 'The notification went to a wrong address.' },
    SHORT_NOTICE: { description: 'The activity was notified at too short notice.' },
    NOT_IN_WRITING: { description: 'The activity was not notified in dated, written form.' },
    STATUS_CHANGED: { description: "The claimant's status had changed (e.g. off benefit, another benefit)." },
    GOOD_REASON: { description: 'The claimant had good reason.' },
    VOLUNTARY: { description: 'The participant takes part voluntarily and could not be doubted for this.' },
    OTHER: { description: 'Another reason, in the decision reason.' },
  },
});

/** Voluntary participants can be doubted only for not attending or engaging (002:2182). */
export const NOT_FOR_VOLUNTARY: readonly MandatoryActivityKind[] = [MandatoryActivityKind.JOB_INTERVIEW, MandatoryActivityKind.JOB_OFFER];

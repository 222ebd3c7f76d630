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
    CHANGE_OF_CIRCUMSTANCES: { description: 'WP07: a change in the participant\'s circumstances.' },
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

/** Sanction lengths (JSA from 2012, DOMAIN.md): data, not code. */
export const SANCTION_RULES = { firstWeeks: 4, repeatWeeks: 13, repeatWithinWeeks: 52 } as const;

/** Voluntary participants can be doubted only for not attending or engaging (002:2182). */
export const NOT_FOR_VOLUNTARY: readonly MandatoryActivityKind[] = [MandatoryActivityKind.JOB_INTERVIEW, MandatoryActivityKind.JOB_OFFER];

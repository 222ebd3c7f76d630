import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../common/state-machine';

export enum ComplianceDoubtStatus {
  RAISED = 'RAISED',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  DECIDED = 'DECIDED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(ComplianceDoubtStatus, { name: 'ComplianceDoubtStatus' });

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
registerEnumType(ComplianceDoubtType, { name: 'ComplianceDoubtType' });

export enum MandatoryActivityKind {
  APPOINTMENT = 'APPOINTMENT',
  WORKSHOP = 'WORKSHOP',
  TRAINING = 'TRAINING',
  WORK_PLACEMENT = 'WORK_PLACEMENT',
  JOB_INTERVIEW = 'JOB_INTERVIEW',
  JOB_OFFER = 'JOB_OFFER',
}
registerEnumType(MandatoryActivityKind, { name: 'MandatoryActivityKind' });

export enum ComplianceOutcome {
  SANCTION_APPLIED = 'SANCTION_APPLIED',
  NOT_APPLIED_GOOD_REASON = 'NOT_APPLIED_GOOD_REASON',
  NOT_APPLIED_PROCEDURAL_ERROR = 'NOT_APPLIED_PROCEDURAL_ERROR',
  NOT_APPLIED_STATUS_CHANGED = 'NOT_APPLIED_STATUS_CHANGED',
  NOT_APPLIED_VOLUNTARY_PARTICIPANT = 'NOT_APPLIED_VOLUNTARY_PARTICIPANT',
}
registerEnumType(ComplianceOutcome, { name: 'ComplianceOutcome' });

/** Sanction lengths (JSA from 2012, DOMAIN.md): data, not code. */
export const SANCTION_RULES = { firstWeeks: 4, repeatWeeks: 13, repeatWithinWeeks: 52 } as const;

/** Voluntary participants can be doubted only for not attending or engaging (002:2182). */
export const NOT_FOR_VOLUNTARY: readonly MandatoryActivityKind[] = [MandatoryActivityKind.JOB_INTERVIEW, MandatoryActivityKind.JOB_OFFER];

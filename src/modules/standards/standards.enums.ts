import { registerEnumType } from 'type-graphql';

export enum ServiceStandardMetric {
  FIRST_CONTACT_WITHIN_DAYS = 'FIRST_CONTACT_WITHIN_DAYS',
  CONTACT_INTERVAL_DAYS = 'CONTACT_INTERVAL_DAYS',
  ACTION_PLAN_REVIEW_INTERVAL_DAYS = 'ACTION_PLAN_REVIEW_INTERVAL_DAYS',
  IN_WORK_CONTACT_INTERVAL_DAYS = 'IN_WORK_CONTACT_INTERVAL_DAYS',
}
registerEnumType(ServiceStandardMetric, { name: 'ServiceStandardMetric' });

export enum ServiceStandardScope {
  ALL_PARTICIPANTS = 'ALL_PARTICIPANTS',
  PERCENT_OF_PARTICIPANTS = 'PERCENT_OF_PARTICIPANTS',
}
registerEnumType(ServiceStandardScope, { name: 'ServiceStandardScope' });

export enum ContactChannel {
  FACE_TO_FACE = 'FACE_TO_FACE',
  TELEPHONE = 'TELEPHONE',
  VIDEO = 'VIDEO',
  GROUP = 'GROUP',
  WRITTEN = 'WRITTEN',
}
registerEnumType(ContactChannel, { name: 'ContactChannel' });

export enum ContactKind {
  INITIAL_MEETING = 'INITIAL_MEETING',
  ADVISER_CONTACT = 'ADVISER_CONTACT',
  ACTION_PLAN_REVIEW = 'ACTION_PLAN_REVIEW',
  IN_WORK_SUPPORT = 'IN_WORK_SUPPORT',
}
registerEnumType(ContactKind, { name: 'ContactKind' });

export interface MetricDefinition {
  /** The attended contacts that count. */
  kinds: readonly ContactKind[];
  /** FIRST: a first contact within N days; INTERVAL: no gap longer than N days up to the report date. */
  measure: 'FIRST' | 'INTERVAL';
  /**
   * Where the clock starts: at attachment, or at the participant's first job start (in-work
   * support; participants not yet in work are not in scope).
   */
  from: 'ATTACHMENT' | 'JOB_START';
}

/** What each metric measures, as data (DOMAIN.md, "A participant's journey", 6). */
export const METRICS: Readonly<Record<ServiceStandardMetric, MetricDefinition>> = {
  [ServiceStandardMetric.FIRST_CONTACT_WITHIN_DAYS]: { kinds: Object.values(ContactKind), measure: 'FIRST', from: 'ATTACHMENT' },
  // An initial meeting is an adviser contact too.
  [ServiceStandardMetric.CONTACT_INTERVAL_DAYS]: {
    kinds: [ContactKind.INITIAL_MEETING, ContactKind.ADVISER_CONTACT],
    measure: 'INTERVAL',
    from: 'ATTACHMENT',
  },
  [ServiceStandardMetric.ACTION_PLAN_REVIEW_INTERVAL_DAYS]: { kinds: [ContactKind.ACTION_PLAN_REVIEW], measure: 'INTERVAL', from: 'ATTACHMENT' },
  [ServiceStandardMetric.IN_WORK_CONTACT_INTERVAL_DAYS]: { kinds: [ContactKind.IN_WORK_SUPPORT], measure: 'INTERVAL', from: 'JOB_START' },
};

import { registerEnumType } from 'type-graphql';

export enum ServiceStandardMetric {
  FIRST_CONTACT_WITHIN_DAYS = 'FIRST_CONTACT_WITHIN_DAYS',
  CONTACT_INTERVAL_DAYS = 'CONTACT_INTERVAL_DAYS',
  ACTION_PLAN_REVIEW_INTERVAL_DAYS = 'ACTION_PLAN_REVIEW_INTERVAL_DAYS',
  IN_WORK_CONTACT_INTERVAL_DAYS = 'IN_WORK_CONTACT_INTERVAL_DAYS',
}
registerEnumType(ServiceStandardMetric, {
  name: 'ServiceStandardMetric',
  description: 'What a standard measures, from attended contacts, with N its thresholdDays.',
  valuesConfig: {
    FIRST_CONTACT_WITHIN_DAYS: {
      description: 'A first contact of any kind at most N days after the referral date (day N counts), attached or not yet: a referral nobody contacted is in breach once N days have passed.',
    },
    CONTACT_INTERVAL_DAYS: {
      description: 'Initial meetings and adviser contacts: no gap longer than N days from attachment up to the day measured, for participants looking for work (it stops at the first job start).',
    },
    ACTION_PLAN_REVIEW_INTERVAL_DAYS: {
      description: 'Action plan reviews: no gap longer than N days from attachment up to the day measured, for participants looking for work (it stops at the first job start).',
    },
    IN_WORK_CONTACT_INTERVAL_DAYS: { description: 'In-work support contacts: no gap longer than N days from the first job start (participants not in work are out of scope).' },
  },
});

export enum ServiceStandardScope {
  ALL_PARTICIPANTS = 'ALL_PARTICIPANTS',
  PERCENT_OF_PARTICIPANTS = 'PERCENT_OF_PARTICIPANTS',
}
registerEnumType(ServiceStandardScope, {
  name: 'ServiceStandardScope',
  description: 'Whom a standard promises to.',
  valuesConfig: {
    ALL_PARTICIPANTS: { description: 'Every participant in scope.' },
    PERCENT_OF_PARTICIPANTS: { description: 'At least minimumPercent of the participants in scope.' },
  },
});

export enum ContactChannel {
  FACE_TO_FACE = 'FACE_TO_FACE',
  TELEPHONE = 'TELEPHONE',
  VIDEO = 'VIDEO',
  GROUP = 'GROUP',
  WRITTEN = 'WRITTEN',
}
registerEnumType(ContactChannel, {
  name: 'ContactChannel',
  description: 'How a contact took place.',
  valuesConfig: {
    FACE_TO_FACE: { description: 'In person, one to one.' },
    TELEPHONE: { description: 'By telephone.' },
    VIDEO: { description: 'By video call.' },
    GROUP: { description: 'In a group session.' },
    WRITTEN: { description: 'In writing (letter, email, message).' },
  },
});

export enum ContactKind {
  INITIAL_MEETING = 'INITIAL_MEETING',
  ADVISER_CONTACT = 'ADVISER_CONTACT',
  ACTION_PLAN_REVIEW = 'ACTION_PLAN_REVIEW',
  IN_WORK_SUPPORT = 'IN_WORK_SUPPORT',
}
registerEnumType(ContactKind, {
  name: 'ContactKind',
  description: 'What a contact was; it decides which standards it counts for (ServiceStandardMetric).',
  valuesConfig: {
    INITIAL_MEETING: { description: 'The first meeting (it counts as an adviser contact too).' },
    ADVISER_CONTACT: { description: 'A contact with an adviser.' },
    ACTION_PLAN_REVIEW: { description: 'A review of the action plan.' },
    IN_WORK_SUPPORT: { description: 'Support once in work.' },
  },
});

export interface MetricDefinition {
  /** The attended contacts that count. */
  kinds: readonly ContactKind[];
  /** FIRST: a first contact within N days; INTERVAL: no gap longer than N days up to the report date. */
  measure: 'FIRST' | 'INTERVAL';
  /**
   * Where the clock starts: at the referral date (JCP's worry was the wait for a first contact,
   * 002:1120), at attachment, or at the participant's first job start (in-work support;
   * participants not yet in work are not in scope).
   */
  from: 'REFERRAL' | 'ATTACHMENT' | 'JOB_START';
  /**
   * Whether it stops at the first job start: support for people looking for work passes to
   * in-work support then (002:1439). Every clock stops at the end of the allotted time (allottedUntil, the exit day) and at exit.
   */
  stopsAtJobStart: boolean;
  /**
   * The columns of `contact_days` with each participant's days of these kinds of attended contact
   * (`<days>_days`) and, for INTERVAL, their record gaps (`<days>_record_at`, `<days>_record_gap`).
   * Its migration lists the kinds again.
   */
  days: 'attended' | 'adviser' | 'review' | 'in_work';
}

/** What each metric measures, as data (DOMAIN.md, "A participant's journey", 6). */
export const METRICS: Readonly<Record<ServiceStandardMetric, MetricDefinition>> = {
  [ServiceStandardMetric.FIRST_CONTACT_WITHIN_DAYS]: { kinds: Object.values(ContactKind), measure: 'FIRST', from: 'REFERRAL', stopsAtJobStart: false, days: 'attended' },
  // An initial meeting is an adviser contact too.
  [ServiceStandardMetric.CONTACT_INTERVAL_DAYS]: {
    kinds: [ContactKind.INITIAL_MEETING, ContactKind.ADVISER_CONTACT],
    measure: 'INTERVAL',
    from: 'ATTACHMENT',
    stopsAtJobStart: true,
    days: 'adviser',
  },
  [ServiceStandardMetric.ACTION_PLAN_REVIEW_INTERVAL_DAYS]: {
    kinds: [ContactKind.ACTION_PLAN_REVIEW],
    measure: 'INTERVAL',
    from: 'ATTACHMENT',
    stopsAtJobStart: true,
    days: 'review',
  },
  [ServiceStandardMetric.IN_WORK_CONTACT_INTERVAL_DAYS]: {
    kinds: [ContactKind.IN_WORK_SUPPORT],
    measure: 'INTERVAL',
    from: 'JOB_START',
    stopsAtJobStart: false,
    days: 'in_work',
  },
};

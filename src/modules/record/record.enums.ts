import { registerEnumType } from 'type-graphql';

/**
 * A barrier to work, from a fixed list (what primes said they lacked, 002:1186, 004:295). Health
 * conditions and criminal records are not on it: they travel as HEALTH (with the claimant's consent)
 * and RISK_MARKERS (with consent or a legal basis), never as a barrier that any handoff may carry.
 */
export enum Barrier {
  HOUSING = 'HOUSING',
  TRANSPORT = 'TRANSPORT',
  CHILDCARE = 'CHILDCARE',
  CARING = 'CARING',
  BASIC_SKILLS = 'BASIC_SKILLS',
  DIGITAL_SKILLS = 'DIGITAL_SKILLS',
  ENGLISH_LANGUAGE = 'ENGLISH_LANGUAGE',
  DEBT = 'DEBT',
  CONFIDENCE = 'CONFIDENCE',
  WORK_EXPERIENCE = 'WORK_EXPERIENCE',
  QUALIFICATIONS = 'QUALIFICATIONS',
  LONG_TERM_UNEMPLOYMENT = 'LONG_TERM_UNEMPLOYMENT',
  OTHER = 'OTHER',
}
registerEnumType(Barrier, {
  name: 'Barrier',
  description: 'A barrier to work, from a fixed list; health and criminal records are not barriers here (they travel as HEALTH and RISK_MARKERS).',
  valuesConfig: {
    HOUSING: { description: 'No settled home, or housing at risk.' },
    TRANSPORT: { description: 'Cannot get to work or training.' },
    CHILDCARE: { description: 'No childcare.' },
    CARING: { description: 'Caring for an adult.' },
    BASIC_SKILLS: { description: 'Literacy or numeracy.' },
    DIGITAL_SKILLS: { description: 'Using a computer or the internet.' },
    ENGLISH_LANGUAGE: { description: 'English (or Welsh) is not a first language.' },
    DEBT: { description: 'Debt or money worries.' },
    CONFIDENCE: { description: 'Confidence or motivation.' },
    WORK_EXPERIENCE: { description: 'Little or no work experience.' },
    QUALIFICATIONS: { description: 'Few or no qualifications.' },
    LONG_TERM_UNEMPLOYMENT: { description: 'Out of work for a long time.' },
    OTHER: { description: 'Another barrier: the note says which.' },
  },
});

/** How close to work the prime judges a participant. */
export enum JobReadiness {
  RED = 'RED',
  AMBER = 'AMBER',
  GREEN = 'GREEN',
}
registerEnumType(JobReadiness, {
  name: 'JobReadiness',
  description: "The prime's judgement of how close to work a participant is.",
  valuesConfig: {
    RED: { description: 'Far from work: barriers to address first.' },
    AMBER: { description: 'Some way from work.' },
    GREEN: { description: 'Ready for work.' },
  },
});

/** What an action on the action plan is. */
export enum ActionKind {
  JOB_SEARCH = 'JOB_SEARCH',
  APPLICATIONS = 'APPLICATIONS',
  TRAINING = 'TRAINING',
  WORK_EXPERIENCE = 'WORK_EXPERIENCE',
  INTERVIEW = 'INTERVIEW',
  APPOINTMENT = 'APPOINTMENT',
  HEALTH_AND_WELLBEING = 'HEALTH_AND_WELLBEING',
  OTHER = 'OTHER',
}
registerEnumType(ActionKind, {
  name: 'ActionKind',
  description: 'What an action on the action plan is (a restricted record has its kind and dates only).',
  valuesConfig: {
    JOB_SEARCH: { description: 'Looking for work.' },
    APPLICATIONS: { description: 'A CV or job applications.' },
    TRAINING: { description: 'A course or training.' },
    WORK_EXPERIENCE: { description: 'A work placement.' },
    INTERVIEW: { description: 'A job interview, or preparing for one.' },
    APPOINTMENT: { description: 'A meeting with an adviser or another service.' },
    HEALTH_AND_WELLBEING: { description: 'Health or wellbeing support.' },
    OTHER: { description: 'Something else: the description says what.' },
  },
});

import { registerEnumType } from 'type-graphql';

/**
 * The enums access is decided on (src/auth/policy.ts, src/auth/referral-access.ts): a key's role,
 * and of a referral its status, its handoffs' status and purpose, and the fields they share. They
 * sit below the modules, which write their lifecycles over them (referral-states, handoff-states).
 */

/** A key's role: what its holder may do, always on behalf of the key's organisation. */
export enum Role {
  ADMIN = 'ADMIN',
  JOBCENTRE = 'JOBCENTRE',
  DECISION_MAKER = 'DECISION_MAKER',
  PROVIDER = 'PROVIDER',
  ANALYST = 'ANALYST',
}
registerEnumType(Role, {
  name: 'Role',
  description: "What a key's holder may do, always on behalf of the key's organisation.",
  valuesConfig: {
    ADMIN: { description: 'DWP: the contract registry (CPAs, organisations, contracts, chains, market shares), keys, rate cards, and the figures; never a participant.' },
    JOBCENTRE: { description: 'A Jobcentre: submits referrals, overrides the allocation of its own, reads the referrals it made.' },
    DECISION_MAKER: { description: 'DWP: reads submitted compliance doubts and decides them.' },
    PROVIDER: { description: 'A provider: as a prime, the referrals allocated to its contracts; as a subcontractor, what was handed to it while the handoff lives.' },
    ANALYST: { description: 'DWP: allocation, compliance and performance figures; never a participant.' },
  },
});

/** What can travel with a participant's record; also what `visibleFields` reports. */
export enum SharedField {
  CONTACT_DETAILS = 'CONTACT_DETAILS',
  HEALTH = 'HEALTH',
  RISK_MARKERS = 'RISK_MARKERS',
  ACTION_PLAN = 'ACTION_PLAN',
  EMPLOYMENT_HISTORY = 'EMPLOYMENT_HISTORY',
  CONTACT_NOTES = 'CONTACT_NOTES',
  BENEFIT = 'BENEFIT',
  REFERRAL_REASON = 'REFERRAL_REASON',
  QUALIFICATIONS = 'QUALIFICATIONS',
  WORK_HISTORY = 'WORK_HISTORY',
  BARRIERS = 'BARRIERS',
  JOB_GOALS = 'JOB_GOALS',
  ACCESS_NEEDS = 'ACCESS_NEEDS',
  CARING_RESPONSIBILITIES = 'CARING_RESPONSIBILITIES',
}
registerEnumType(SharedField, {
  name: 'SharedField',
  description: "A part of a participant's record that can travel down the chain with a handoff; also what a viewer may see (`Participant.visibleFields`).",
  valuesConfig: {
    CONTACT_DETAILS: { description: 'Address, phone and email.' },
    HEALTH: { description: 'Health conditions: only with the claimant\'s consent.' },
    RISK_MARKERS: { description: 'Risk markers (e.g. a history of violence): only with the claimant\'s consent or a legal basis recorded (`consentToShareRisk`, `riskSharingBasis`).' },
    ACTION_PLAN: { description: "The prime's assessments and action plan (`Referral.assessments`, `Referral.actionPlan`), and the contacts as CONTACT_NOTES." },
    EMPLOYMENT_HISTORY: { description: "The participant's job starts and ends (`Referral.jobStarts`)." },
    CONTACT_NOTES: {
      description:
        "The contacts recorded on the referral and their notes (`Referral.contacts`), once the handoff is ACCEPTED (ACTION_PLAN carries them too); never for a restricted (MAPPA) record. Not a field of `Participant`.",
    },
    BENEFIT: { description: 'The benefit claimed and the claim\'s start, as the Jobcentre sent them (`Participant.benefitClaim`).' },
    REFERRAL_REASON: { description: "Why the Jobcentre referred the claimant (`Participant.referralReason`)." },
    QUALIFICATIONS: { description: 'Qualifications, as the Jobcentre sent them (`Participant.qualifications`).' },
    WORK_HISTORY: { description: 'Work history, as the Jobcentre sent it (`Participant.workHistory`).' },
    BARRIERS: { description: 'Barriers to work, from a fixed list with a note (`Participant.barriers`).' },
    JOB_GOALS: { description: 'The work the claimant is looking for (`Participant.jobGoals`).' },
    ACCESS_NEEDS: { description: 'Access and language needs: Welsh, an interpreter, ESOL (`Participant.accessNeeds`).' },
    CARING_RESPONSIBILITIES: { description: 'Caring responsibilities (`Participant.caringResponsibilities`).' },
  },
});

/**
 * The lawful basis on which risk and criminal-record markers travel without the claimant's consent
 * (consent is `consentToShareRisk`). Criminal-record data needs an article 6 basis and, under
 * article 10, official authority or a DPA 2018 Schedule 1 condition: DWP refers in the exercise of
 * its statutory functions (art. 6(1)(e), Sch. 1 para. 6), may be bound to share (art. 6(1)(c), e.g.
 * a duty to co-operate with MAPPA authorities) and may have to protect someone's life (art.
 * 6(1)(d)). Legitimate interests (6(1)(f)) is not open to a public authority doing its tasks.
 */
export enum RiskSharingBasis {
  PUBLIC_TASK = 'PUBLIC_TASK',
  LEGAL_OBLIGATION = 'LEGAL_OBLIGATION',
  VITAL_INTERESTS = 'VITAL_INTERESTS',
}
registerEnumType(RiskSharingBasis, {
  name: 'RiskSharingBasis',
  description: "The lawful basis (UK GDPR articles 6 and 10) on which risk markers travel without the claimant's consent.",
  valuesConfig: {
    PUBLIC_TASK: { description: "Art. 6(1)(e): DWP's statutory functions (DPA 2018 Sch. 1 para. 6), e.g. the safety of the provider's staff." },
    LEGAL_OBLIGATION: { description: 'Art. 6(1)(c): a legal duty to share (e.g. to co-operate with MAPPA authorities).' },
    VITAL_INTERESTS: { description: "Art. 6(1)(d): to protect someone's life." },
  },
});

export enum ReferralStatus {
  ALLOCATED = 'ALLOCATED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
  ATTACHED = 'ATTACHED',
  EXITED = 'EXITED',
}
registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description:
    "A referral's lifecycle: ALLOCATED → ACKNOWLEDGED → ATTACHED → EXITED, with ALLOCATED or ACKNOWLEDGED → WITHDRAWN (the referring Jobcentre's answer to a prime's query); a returner's referral reopens EXITED → ATTACHED.",
  valuesConfig: {
    ALLOCATED: { description: 'Allocated to a prime contract (again after an override), not yet acknowledged.' },
    ACKNOWLEDGED: { description: 'The prime acknowledged it.' },
    REJECTED: {
      description: 'The prime rejected it, before queries existed; it is back with the Jobcentre.',
      deprecationReason: 'A prime no longer rejects a referral: it queries it, and the referring Jobcentre withdraws it (WITHDRAWN) or confirms it. Only referrals rejected before remain REJECTED.',
    },
    WITHDRAWN: { description: "The referring Jobcentre withdrew it, answering the prime's query; the same person referred again soon after goes back to the same contract." },
    ATTACHED: { description: 'The participant started: two years of allotted time run from the attachment.' },
    EXITED: { description: 'The participant left the programme; a return within the allotted time reopens it (ATTACHED again).' },
  },
});

/** A live referral holds its participant: one at a time per person. */
export const LIVE_STATUSES = [ReferralStatus.ALLOCATED, ReferralStatus.ACKNOWLEDGED, ReferralStatus.ATTACHED];

export enum HandoffStatus {
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  COMPLETED = 'COMPLETED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(HandoffStatus, {
  name: 'HandoffStatus',
  description: "A handoff's lifecycle: OFFERED → ACCEPTED, DECLINED or WITHDRAWN; ACCEPTED → COMPLETED or WITHDRAWN.",
  valuesConfig: {
    OFFERED: { description: 'Waiting for the receiver, who already reads the referral.' },
    ACCEPTED: { description: 'The receiver is working with the participant.' },
    DECLINED: { description: 'The receiver declined it, with a reason.' },
    COMPLETED: { description: 'Either party ended it, with feedback.' },
    WITHDRAWN: { description: 'The sender or the prime withdrew it, or it ended with the referral (rejected, exited, moved) or with the handoff it came through.' },
  },
});

/** While a handoff lives, its receiver reads the referral and the shared fields. */
export const LIVE_HANDOFF_STATUSES = [HandoffStatus.OFFERED, HandoffStatus.ACCEPTED];

export enum HandoffPurpose {
  END_TO_END_DELIVERY = 'END_TO_END_DELIVERY',
  SPECIALIST_SUPPORT = 'SPECIALIST_SUPPORT',
  SPOT_PROVISION = 'SPOT_PROVISION',
  IN_WORK_SUPPORT = 'IN_WORK_SUPPORT',
}
registerEnumType(HandoffPurpose, {
  name: 'HandoffPurpose',
  description: "What a handoff is for; it must fit the receiver's place in the chain.",
  valuesConfig: {
    END_TO_END_DELIVERY: { description: "The participant's whole journey: to an END_TO_END or SPECIALIST_END_TO_END place. A referral has at most one live." },
    SPECIALIST_SUPPORT: { description: 'Specialist support: to a SPECIALIST_END_TO_END place.' },
    SPOT_PROVISION: { description: 'A course, training or job brokerage: to a SPOT place.' },
    IN_WORK_SUPPORT: { description: 'Support in work: to an IN_WORK_SUPPORT place.' },
  },
});

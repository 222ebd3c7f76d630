import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum InboxItemKind {
  REFERRAL_ALLOCATED = 'REFERRAL_ALLOCATED',
  REFERRAL_REJECTED = 'REFERRAL_REJECTED',
  HANDOFF_OFFERED = 'HANDOFF_OFFERED',
  HANDOFF_RESPONDED = 'HANDOFF_RESPONDED',
  HANDOFF_ENDED = 'HANDOFF_ENDED',
  COMPLIANCE_DOUBT_RAISED = 'COMPLIANCE_DOUBT_RAISED',
  COMPLIANCE_DOUBT_SUBMITTED = 'COMPLIANCE_DOUBT_SUBMITTED',
  COMPLIANCE_DOUBT_RETURNED = 'COMPLIANCE_DOUBT_RETURNED',
  COMPLIANCE_DECISION = 'COMPLIANCE_DECISION',
  /** Not in the partner contract's list: a doubt withdrawn before a decision. */
  COMPLIANCE_DOUBT_WITHDRAWN = 'COMPLIANCE_DOUBT_WITHDRAWN',
  SERVICE_STANDARDS_PUBLISHED = 'SERVICE_STANDARDS_PUBLISHED',
  REFERRAL_MESSAGE = 'REFERRAL_MESSAGE',
  CIRCUMSTANCES_CHANGED = 'CIRCUMSTANCES_CHANGED',
  REFERRAL_EXITED = 'REFERRAL_EXITED',
  FIRST_APPOINTMENT_MISSED = 'FIRST_APPOINTMENT_MISSED',
  NOT_STARTED = 'NOT_STARTED',
  CIRCUMSTANCE_CHANGE_ACTIONED = 'CIRCUMSTANCE_CHANGE_ACTIONED',
  COMPLIANCE_DOUBT_OVERTAKEN = 'COMPLIANCE_DOUBT_OVERTAKEN',
  PROGRESS_UPDATE = 'PROGRESS_UPDATE',
  REFERRAL_QUERIED = 'REFERRAL_QUERIED',
  REFERRAL_QUERY_RESOLVED = 'REFERRAL_QUERY_RESOLVED',
  PARTICIPANT_RETURNED = 'PARTICIPANT_RETURNED',
}
registerEnumType(InboxItemKind, {
  name: 'InboxItemKind',
  description: 'What an inbox item tells its organisation.',
  valuesConfig: {
    REFERRAL_ALLOCATED: { description: 'To a prime: a referral was allocated to its contract (also after an override).' },
    REFERRAL_REJECTED: {
      description: 'To the referring Jobcentre: the prime rejected its referral.',
      deprecationReason: 'A prime no longer rejects a referral: it queries it (REFERRAL_QUERIED). Only items sent before remain.',
    },
    HANDOFF_OFFERED: { description: 'To the receiver: a referral was offered to it down the chain.' },
    HANDOFF_RESPONDED: { description: 'To the sender: the receiver accepted or declined a handoff.' },
    HANDOFF_ENDED: { description: 'To the other party, or to the receiver when the referral left the prime: a handoff ended.' },
    COMPLIANCE_DOUBT_RAISED: { description: "To the prime: a subcontractor raised a doubt on one of its referrals." },
    COMPLIANCE_DOUBT_SUBMITTED: { description: "To the Decision Makers' organisations: a doubt was submitted to DWP." },
    COMPLIANCE_DOUBT_RETURNED: { description: 'To the raiser: the prime returned its doubt.' },
    COMPLIANCE_DECISION: { description: 'To the raiser, the prime and the referring Jobcentre: a doubt was decided.' },
    COMPLIANCE_DOUBT_WITHDRAWN: { description: 'To the raiser or the prime (whichever did not withdraw it), and to DWP once submitted: a doubt was withdrawn.' },
    SERVICE_STANDARDS_PUBLISHED: { description: "To every member of a contract's chain: the prime published new service standards." },
    REFERRAL_MESSAGE: {
      description: 'To every other party to a referral\'s messages now (the referring Jobcentre, the prime, live handoffs\' receivers): a message thread was started, answered or closed (`messageThread`).',
    },
    CIRCUMSTANCES_CHANGED: {
      description:
        "A change in a participant's circumstances (`circumstanceChange`): to the referring Jobcentre when a provider reported it; to the prime and every live holder when the Jobcentre did (with only the details each may see).",
    },
    CIRCUMSTANCE_CHANGE_ACTIONED: { description: "To the provider that reported a change: the referring Jobcentre answered it (`circumstanceChange { action actionNote }`)." },
    COMPLIANCE_DOUBT_OVERTAKEN: {
      description: "To the Decision Makers' organisations: a report that the participant's benefit ended or conditionality changed, on or before the failure day, overtook a submitted doubt (`complianceDoubt { overtakenBy }`).",
    },
    PROGRESS_UPDATE: { description: "To the sender of a SPOT_PROVISION handoff: the spot provider returned a progress update (`handoff { progressUpdates }`)." },
    REFERRAL_EXITED: {
      description: "To the referring Jobcentre, with the handback summary (`referral { handback }`), and to the prime when it did not record the exit itself (the Jobcentre's decision, or the allotted time's end): a participant left the programme.",
    },
    REFERRAL_QUERIED: { description: "To the referring Jobcentre: the prime queried its referral (the open query is the referral's `openQuery`); answer with resolveReferralQuery." },
    REFERRAL_QUERY_RESOLVED: { description: "To the prime: the referring Jobcentre answered its query (`Referral.queries`): the referral was withdrawn or confirmed." },
    PARTICIPANT_RETURNED: { description: 'To the prime: a participant came back within the allotted time and their participation reopened on its contract (same allottedUntil, no second attachment payment).' },
    FIRST_APPOINTMENT_MISSED: { description: 'To the referring Jobcentre: the participant did not attend the first appointment (`referral { firstAppointments }`).' },
    NOT_STARTED: { description: "To the referring Jobcentre and the prime, once: the referral was not attached within the programme's days from the referral (15 by default)." },
  },
});

/** Something addressed to an organisation; `seq` orders one organisation's items. */
@ObjectType('InboxItem', {
  description: "Something addressed to the viewer's organisation. Items are kept and can be read again from any cursor.",
})
@Entity('inbox_item')
export class InboxItemRecord {
  @PrimaryColumn('uuid', { name: 'organisation_id' })
  organisationId!: string;

  /** bigint, so a string. */
  @PrimaryColumn('bigint')
  seq!: string;

  @Field(() => InboxItemKind, { description: 'What happened.' })
  @Column('text')
  kind!: InboxItemKind;

  @Column('uuid', { name: 'referral_id', nullable: true })
  referralId!: string | null;

  @Column('uuid', { name: 'handoff_id', nullable: true })
  handoffId!: string | null;

  @Column('uuid', { name: 'contract_id', nullable: true })
  contractId!: string | null;

  @Column('uuid', { name: 'compliance_doubt_id', nullable: true })
  complianceDoubtId!: string | null;

  @Column('uuid', { name: 'message_thread_id', nullable: true })
  messageThreadId!: string | null;
  @Column('uuid', { name: 'circumstance_change_id', nullable: true })
  circumstanceChangeId!: string | null;

  @Field(() => Date, { description: 'When the change it tells of was made.' })
  @Column('timestamptz', { name: 'occurred_at', default: () => 'now()' })
  occurredAt!: Date;
}

import { Extensions, Field, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';
import { ReferralAllocation } from '../allocation/referral-allocation.entity';
import { FirstAppointment } from '../appointments/first-appointment.entity';
import { Handoff } from '../chain/handoff.entity';
import { CircumstanceChange } from '../compliance/circumstance-change.entity';
import { ComplianceDoubt } from '../compliance/compliance-doubt.entity';
import { MessageThread } from '../messages/message-thread.entity';
import { JobStart } from '../outcomes/job-start.entity';
import { Handback } from '../outcomes/outcomes.types';
import { Payment } from '../outcomes/payment.entity';
import { Assessment } from '../record/assessment.entity';
import { ProgressUpdate } from '../record/progress-update.entity';
import { ActionPlan } from '../record/record.types';
import { ReferralQuery } from '../referrals/referral-query.entity';
import { ParticipantView } from '../referrals/participant.view';
import { Referral } from '../referrals/referral.entity';
import { Contact } from '../standards/contact.entity';

/** What an audit event did to a person's record. */
export enum AuditAction {
  READ = 'READ',
  INSERT = 'INSERT',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
}
registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: "What an audit event did to a person's record.",
  valuesConfig: {
    READ: { description: "Fields of the person were disclosed to a key (`fields` names them)." },
    INSERT: { description: 'A record about the person was written.' },
    UPDATE: { description: 'A record about the person was changed (`fields` names the columns changed, never their values).' },
    DELETE: { description: 'A record about the person was removed (e.g. a joint claim undone in the same transaction).' },
  },
});

/** Which part of a person's record an audit event is about. */
export enum AuditRecord {
  PARTICIPANT = 'participant',
  REFERRAL = 'referral',
  REFERRAL_ALLOCATION = 'referral_allocation',
  REFERRAL_CLAIMANT = 'referral_claimant',
  HANDOFF = 'handoff',
  CONTACT = 'contact',
  COMPLIANCE_DOUBT = 'compliance_doubt',
  JOB_START = 'job_start',
  PAYMENT = 'payment',
  FIRST_APPOINTMENT = 'first_appointment',
  REFERRAL_QUERY = 'referral_query',
  REFERRAL_RETURN = 'referral_return',
  CIRCUMSTANCE_CHANGE = 'circumstance_change',
  MESSAGE_THREAD = 'message_thread',
  MESSAGE = 'message',
  REFERRAL_RECORD = 'referral_record',
  ASSESSMENT = 'assessment',
  PLANNED_ACTION = 'planned_action',
  ACTION_PLAN_REVIEW = 'action_plan_review',
  PROGRESS_UPDATE = 'progress_update',
}
registerEnumType(AuditRecord, {
  name: 'AuditRecord',
  description: "The part of a person's record an audit event is about (a read is always PARTICIPANT: the person's fields).",
  valuesConfig: {
    PARTICIPANT: { description: 'The person: identity, contact details, health, risk markers.' },
    REFERRAL: { description: 'A referral of the person, and its lifecycle.' },
    REFERRAL_ALLOCATION: { description: "An allocation of the person's referral to a prime contract." },
    REFERRAL_CLAIMANT: { description: 'What a referral was sent with about the person (contact details, health, risk markers), kept per referral.' },
    HANDOFF: { description: 'A handoff of the referral down the supply chain.' },
    CONTACT: { description: 'A contact with the person.' },
    COMPLIANCE_DOUBT: { description: 'A compliance doubt about the person, and its decision.' },
    JOB_START: { description: "A job of the person's." },
    PAYMENT: { description: 'A payment earned on the referral (recorded whole: `npm run audit:verify` checks it has not changed).' },
    FIRST_APPOINTMENT: { description: "The referral's first appointment: its booking and outcome." },
    REFERRAL_QUERY: { description: "The prime's query of the referral, and the Jobcentre's answer." },
    REFERRAL_RETURN: { description: 'A return of the person to the programme on the same referral (its clientReference).' },
    CIRCUMSTANCE_CHANGE: { description: "A change of the person's circumstances, and the Jobcentre's answer." },
    MESSAGE_THREAD: { description: 'A message thread about the referral.' },
    MESSAGE: { description: 'A message in a thread about the referral.' },
    REFERRAL_RECORD: { description: 'What the Jobcentre sent with the referral beyond the claimant (benefit, reason, barriers…).' },
    ASSESSMENT: { description: "The prime's assessment of the person." },
    PLANNED_ACTION: { description: "An action on the person's action plan." },
    ACTION_PLAN_REVIEW: { description: "A review of the person's action plan." },
    PROGRESS_UPDATE: { description: "A spot provider's progress update on the person." },
  },
});

@ObjectType({ description: "One entry of a person's access log: who read or changed their record, when, and through which request." })
export class PersonAccessEvent {
  /** The audit event's key: its organisation and key are loaded by the resolver. */
  apiKeyId!: string | null;
  organisationId!: string | null;

  @Field(() => String, { description: "The event's position in the audit chain (`npm run audit:verify` names a broken event by it)." })
  sequence!: string;

  @Field(() => Date, { description: 'When it happened.' })
  at!: Date;

  @Field(() => AuditAction, { description: 'A read of the person, or a write to their record.' })
  action!: AuditAction;

  @Field(() => AuditRecord, { description: 'Which part of the record.' })
  record!: AuditRecord;

  @Field(() => [String], {
    description: 'READ: the fields disclosed (e.g. contact, health; personAccessLog and subjectAccessExport name themselves). UPDATE: the fields changed. Otherwise empty.',
  })
  fields!: string[];

  @Field(() => [String], { description: "The ids of this person's records written (a referral, a handoff…); empty for a read." })
  recordIds!: string[];

  @Field(() => String, { nullable: true, description: 'The GraphQL operation (its name, or its type when anonymous); null outside the API.' })
  operation!: string | null;

  @Field(() => String, { nullable: true, description: "The request's id (the x-request-id header of HTTP requests, in the logs too); null outside the API." })
  requestId!: string | null;

  @Field(() => String, {
    description: "The database login role that wrote the event: the API's own, or someone's at a database console (then apiKey is null).",
  })
  databaseRole!: string;
}

@ObjectType({ description: "A page of a person's access log, newest first." })
export class PersonAccessConnection extends Connection(PersonAccessEvent, {
  edge: { name: 'PersonAccessEdge', description: 'An entry of a page of the access log.', cursor: 'Pass as `after` to read older entries.', node: 'The entry.' },
  edges: 'The entries of this page.',
  pageInfo: 'Whether older entries follow, and the cursor to read them from.',
}) {}

@ObjectType({ description: "One of the person's referrals, with everything recorded on it." })
export class SubjectAccessReferral {
  @Field(() => Referral, {
    description: "The referral (its own fields; paths from it to other records follow the caller's usual access, so read them here instead).",
  })
  referral!: Referral;

  @Extensions({ listSize: 5 })
  @Field(() => [ReferralAllocation], { description: 'Every allocation, oldest first, with reasons.' })
  allocations!: ReferralAllocation[];

  @Extensions({ listSize: 10 })
  @Field(() => [Handoff], { description: 'Every handoff down the supply chain, oldest first.' })
  handoffs!: Handoff[];

  @Extensions({ listSize: 100 })
  @Field(() => [Contact], { description: 'Every contact recorded, oldest first.' })
  contacts!: Contact[];

  @Extensions({ listSize: 10 })
  @Field(() => [ComplianceDoubt], { description: 'Every compliance doubt, oldest first.' })
  complianceDoubts!: ComplianceDoubt[];

  @Extensions({ listSize: 10 })
  @Field(() => [JobStart], { description: 'Every job recorded, oldest first.' })
  jobStarts!: JobStart[];

  @Extensions({ listSize: 25 })
  @Field(() => [Payment], { description: 'Every payment earned on the referral.' })
  payments!: Payment[];

  @Field(() => ParticipantView, {
    description:
      'The person as this referral was sent: the contact details, health and risk markers sent with it, and its referral record (benefit and claim, reason, qualifications, work history, barriers, job goals, access needs, caring responsibilities) as it stands after the changes of circumstances that updated it.',
  })
  sentWith!: ParticipantView;

  @Extensions({ listSize: 10 })
  @Field(() => [ReferralQuery], { description: "Every query of the referral by the prime, with the Jobcentre's answer, oldest first." })
  queries!: ReferralQuery[];

  @Extensions({ listSize: 10 })
  @Field(() => [FirstAppointment], { description: 'Every first appointment booked, in time order, with its outcome.' })
  firstAppointments!: FirstAppointment[];

  @Extensions({ listSize: 50 })
  @Field(() => [CircumstanceChange], { description: 'Every change of circumstances reported, by anyone, oldest effective day first, with its description, new details and answer.' })
  circumstanceChanges!: CircumstanceChange[];

  @Extensions({ listSize: 10 })
  @Field(() => [Assessment], { description: 'Every assessment, oldest first.' })
  assessments!: Assessment[];

  @Field(() => ActionPlan, { description: 'The whole action plan: every action and every review.' })
  actionPlan!: ActionPlan;

  @Extensions({ listSize: 10 })
  @Field(() => [ProgressUpdate], { description: "Every spot provider's progress update, oldest first." })
  progressUpdates!: ProgressUpdate[];

  @Field(() => Handback, { nullable: true, description: 'What went back to the referring Jobcentre at the exit; null before one.' })
  handback!: Handback | null;

  @Extensions({ listSize: 10 })
  @Field(() => [MessageThread], { description: 'Every message thread about the referral, oldest first (each with its messages), whoever was a party to it.' })
  messageThreads!: MessageThread[];
}

@ObjectType({ description: 'Everything the exchange holds about one person, for a subject access request.' })
export class SubjectAccessExport {
  @Field(() => ParticipantView, { description: 'The whole record: identity, contact details, health, risk markers.' })
  participant!: ParticipantView;

  @Extensions({ listSize: 5 })
  @Field(() => [SubjectAccessReferral], { description: 'Every referral of the person, oldest first (a handful: one live at a time).' })
  referrals!: SubjectAccessReferral[];

  @Field(() => Date, { description: 'When the export was made.' })
  exportedAt!: Date;
}

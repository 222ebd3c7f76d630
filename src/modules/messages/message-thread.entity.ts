import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { AuditReadOnReferral } from '../audit/person-reads';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { MessageThreadStatus, MessageTopic } from './thread-states';

/** A conversation about one referral between the referring Jobcentre and the chain holding it. */
@ObjectType({
  implements: Node,
  description:
    'A conversation about one referral between the referring Jobcentre and the chain holding it (the prime, and a subcontractor while its handoff lives). Read by those organisations only, as long as they can see the referral; to anyone else it does not exist. On a restricted (MAPPA) record it carries a topic and a due date, no free text.',
})
@Entity('message_thread')
export class MessageThread implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Keyset order (bigint, so a string). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Field(() => MessageTopic, { description: 'What it is about.' })
  @Column('text')
  topic!: MessageTopic;

  @Field(() => String, { nullable: true, description: 'Its subject; null on a restricted (MAPPA) record. Reading it is recorded in the audit trail.' })
  @UseMiddleware(AuditReadOnReferral)
  @Column('text', { nullable: true })
  subject!: string | null;

  @Field(() => MessageThreadStatus, { description: 'Whether it waits for an answer, was answered, or is closed.' })
  @Column('text')
  status!: MessageThreadStatus;

  @Field(() => DateScalar, { nullable: true, description: 'The day an answer is wanted by; null when none was asked for.' })
  @Column('date', { name: 'due_on', nullable: true })
  dueOn!: string | null;

  @Column('uuid', { name: 'started_by' })
  startedById!: string;

  @Field(() => Date, { description: 'When it was started.' })
  @Column('timestamptz', { name: 'started_at', default: () => 'now()' })
  startedAt!: Date;

  @Field(() => Date, { description: 'When its last message was sent (or it was closed).' })
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was closed; null while it is not.' })
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt!: Date | null;

  @Column('uuid', { name: 'closed_by', nullable: true })
  closedById!: string | null;
}

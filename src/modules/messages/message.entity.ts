import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { AuditReadOnReferral } from '../audit/person-reads';

/** One message of a thread. */
@ObjectType({ description: 'One message of a thread: who sent it, when, and what it says.' })
@Entity('message')
export class Message {
  @Field(() => ID, { description: 'Unique across the exchange.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Keyset order (bigint, so a string). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'thread_id' })
  threadId!: string;

  /** The thread's referral, kept on the row so that the audit trigger names the person. */
  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'from_organisation_id' })
  fromOrganisationId!: string;

  @Field(() => String, { nullable: true, description: 'What it says; null on a restricted (MAPPA) record. Reading it is recorded in the audit trail.' })
  @UseMiddleware(AuditReadOnReferral)
  @Column('text', { nullable: true })
  body!: string | null;

  @Field(() => Date, { description: 'When it was sent.' })
  @Column('timestamptz', { name: 'sent_at', default: () => 'now()' })
  sentAt!: Date;
}

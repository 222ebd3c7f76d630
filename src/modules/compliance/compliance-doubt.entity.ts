import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { ComplianceDoubtStatus, ComplianceDoubtType, type ComplianceOutcome, type MandatoryActivityKind } from './doubt-states';

/** A provider's doubt about a participant's compliance, on its way to a DWP Decision Maker and back. */
@ObjectType({ implements: Node })
@Entity('compliance_doubt')
export class ComplianceDoubt implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Keyset order (bigint, so a string). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'raised_by' })
  raisedById!: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'raised_at', default: () => 'now()' })
  raisedAt!: Date;

  @Field(() => ComplianceDoubtType)
  @Column('text')
  type!: ComplianceDoubtType;

  @Field(() => ComplianceDoubtStatus)
  @Column('text')
  status!: ComplianceDoubtStatus;

  @Field(() => DateScalar)
  @Column('date', { name: 'occurred_on' })
  occurredOn!: string;

  @Field(() => String)
  @Column('text')
  description!: string;

  @Column('text', { name: 'activity_kind', nullable: true })
  activityKind!: MandatoryActivityKind | null;

  @Column('text', { name: 'activity_description', nullable: true })
  activityDescription!: string | null;

  @Column('date', { name: 'activity_notified_on', nullable: true })
  activityNotifiedOn!: string | null;

  @Column('boolean', { name: 'activity_notified_in_writing', nullable: true })
  activityNotifiedInWriting!: boolean | null;

  @Column('timestamptz', { name: 'activity_scheduled_for', nullable: true })
  activityScheduledFor!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt!: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'return_reason', nullable: true })
  returnReason!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'withdrawn_reason', nullable: true })
  withdrawnReason!: string | null;

  @Column('text', { nullable: true })
  outcome!: ComplianceOutcome | null;

  @Column('text', { name: 'decision_reason', nullable: true })
  decisionReason!: string | null;

  @Column('int', { name: 'sanction_weeks', nullable: true })
  sanctionWeeks!: number | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedById!: string | null;
}

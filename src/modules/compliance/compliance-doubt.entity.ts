import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import {
  ComplianceDoubtStatus,
  ComplianceDoubtType,
  type ComplianceOutcome,
  type MandatoryActivityKind,
  type NotAppliedReason,
  type SanctionWeeksSource,
} from './doubt-states';

/** A provider's doubt about a participant's compliance, on its way to a DWP Decision Maker and back. */
@ObjectType({
  implements: Node,
  description:
    "A provider's doubt about a participant's compliance (WP07, WP08, WP10), on its way to a DWP Decision Maker and back. Seen by its raiser and the prime; by Decision Makers once submitted; by the referring Jobcentre once decided.",
})
@Entity('compliance_doubt')
export class ComplianceDoubt implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Keyset order (bigint, so a string). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'raised_by' })
  raisedById!: string;

  @Field(() => Date, { description: 'When it was raised.' })
  @Column('timestamptz', { name: 'raised_at', default: () => 'now()' })
  raisedAt!: Date;

  @Field(() => ComplianceDoubtType, { description: 'WP08, WP10 or WP07.' })
  @Column('text')
  type!: ComplianceDoubtType;

  @Field(() => ComplianceDoubtStatus, { description: 'Where it is in its lifecycle.' })
  @Column('text')
  status!: ComplianceDoubtStatus;

  @Field(() => DateScalar, { description: 'The day of the failure or event.' })
  @Column('date', { name: 'occurred_on' })
  occurredOn!: string;

  @Field(() => String, { description: 'What happened, as the raiser described it.' })
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

  @Field(() => Date, { nullable: true, description: 'When it went to DWP; null before.' })
  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the prime returned it, when RETURNED." })
  @Column('text', { name: 'return_reason', nullable: true })
  returnReason!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was withdrawn, when WITHDRAWN.' })
  @Column('text', { name: 'withdrawn_reason', nullable: true })
  withdrawnReason!: string | null;

  @Column('text', { nullable: true })
  outcome!: ComplianceOutcome | null;

  @Column('text', { name: 'decision_reason', nullable: true })
  decisionReason!: string | null;

  @Column('int', { name: 'sanction_weeks', nullable: true })
  sanctionWeeks!: number | null;

  @Column('text', { name: 'sanction_weeks_source', nullable: true })
  sanctionWeeksSource!: SanctionWeeksSource | null;

  @Column('text', { name: 'not_applied_reason', nullable: true })
  notAppliedReason!: NotAppliedReason | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  /** A report of a status change (benefit ended, conditionality changed) on or before the failure day, made after submission. */
  @Column('uuid', { name: 'overtaken_by', nullable: true })
  overtakenById!: string | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedById!: string | null;
}

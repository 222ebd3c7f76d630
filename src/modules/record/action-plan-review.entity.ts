import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { AuditReadOnReferral } from '../audit/person-reads';

/** A review of the action plan (standards such as "action plan reviewed monthly", 002:863). */
@ObjectType({ implements: Node, description: "A review of a participant's action plan." })
@Entity('action_plan_review')
export class ActionPlanReview implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'reviewed_by' })
  reviewedById!: string;

  @Field(() => DateScalar, { description: 'The day of the review.' })
  @Column('date', { name: 'reviewed_on' })
  reviewedOn!: string;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: 'What the review found (none on a restricted record).' })
  @Column('text', { nullable: true })
  note!: string | null;

  @Field(() => Date, { description: 'When it was recorded.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

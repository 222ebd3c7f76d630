import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { AuditReadOnReferral } from '../audit/person-reads';
import { ActionKind } from './record.enums';

/**
 * An action on a participant's action plan. A mandatory one notified in dated, written form is what a
 * failure to participate (WP08) can rest on (002:1900).
 */
@ObjectType({ implements: Node, description: "An action on a participant's action plan." })
@Entity('planned_action')
export class PlannedAction implements Node {
  @Field(() => ID, { description: 'Its id (`reviewActionPlan` marks it done), unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'recorded_by' })
  recordedById!: string;

  @Field(() => ActionKind, { description: 'What kind of action.' })
  @Column('text')
  kind!: ActionKind;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: 'What is to be done (none on a restricted record).' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => DateScalar, { description: 'When it is due.' })
  @Column('date', { name: 'due_on' })
  dueOn!: string;

  @Field(() => Boolean, { description: 'Whether it is a mandatory activity (a failure can be doubted as WP08 only if it was notified in writing).' })
  @Column('boolean')
  mandatory!: boolean;

  @Field(() => DateScalar, { nullable: true, description: 'The day the participant was notified of it in writing; null: not notified in writing.' })
  @Column('date', { name: 'notified_in_writing_on', nullable: true })
  notifiedInWritingOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day a review found it done; null: not yet.' })
  @Column('date', { name: 'completed_on', nullable: true })
  completedOn!: string | null;

  @Field(() => Date, { description: 'When it was recorded.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

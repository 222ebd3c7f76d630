import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { AuditReadOnReferral } from '../audit/person-reads';
import { Barrier, JobReadiness } from './record.enums';

/** The prime's assessment of a participant (002:1381: results that arrived "only on the day"). */
@ObjectType({ implements: Node, description: "An assessment of a participant by the prime (or the end-to-end subcontractor keeping the action plan): seen where ACTION_PLAN is." })
@Entity('assessment')
export class Assessment implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'assessed_by' })
  assessedById!: string;

  @Field(() => DateScalar, { description: 'The day of the assessment.' })
  @Column('date', { name: 'assessed_on' })
  assessedOn!: string;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => JobReadiness, { description: 'How close to work.' })
  @Column('text', { name: 'job_readiness' })
  jobReadiness!: JobReadiness;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => [Barrier], { description: 'The barriers found.' })
  @Column('text', { array: true, default: () => "'{}'" })
  barriers!: Barrier[];

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: 'Notes (none on a restricted record).' })
  @Column('text', { nullable: true })
  notes!: string | null;

  @Field(() => Date, { description: 'When it was recorded.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';

/** A spell in work (employed or self-employed) of a participant on one referral. */
@ObjectType({
  implements: Node,
  description:
    "A spell in work (employed or self-employed) of a participant. Read by the prime and the chain delivering the participant's support, and by another member of the chain only if its handoff shares EMPLOYMENT_HISTORY.",
})
@Entity('job_start')
export class JobStart implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'Its first day.' })
  @Column('date', { name: 'started_on' })
  startedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Its last day; null while it lasts.' })
  @Column('date', { name: 'ended_on', nullable: true })
  endedOn!: string | null;

  @Field(() => String, { nullable: true, description: "The employer's name." })
  @Column('text', { name: 'employer_name', nullable: true })
  employerName!: string | null;

  // numeric comes back from pg as a string: read it as a number.
  @Field(() => Float, { nullable: true, description: 'Hours a week.' })
  @Column('numeric', { name: 'hours_per_week', precision: 5, scale: 2, nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  hoursPerWeek!: number | null;

  @Field(() => Boolean, { description: 'True for self-employment.' })
  @Column('boolean', { name: 'self_employed', default: false })
  selfEmployed!: boolean;

  @Column('uuid', { name: 'recorded_by' })
  recordedById!: string;

  @Column({ type: 'timestamptz', name: 'recorded_at', insert: false, update: false, default: () => 'now()' })
  recordedAt!: Date;

  @Column('uuid', { name: 'ended_by', nullable: true })
  endedById!: string | null;
}

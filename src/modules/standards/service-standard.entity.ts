import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { PaymentGroup } from '../contracts/contracts.enums';
import { ServiceStandardMetric, ServiceStandardScope } from './standards.enums';

/** One minimum service standard a prime published for its contract, in one version of the set. */
@ObjectType({
  implements: Node,
  description: 'A minimum service standard a prime published for its contract, in one version of the set. Any key reads them: the chain must know its prime\'s standards.',
})
@Entity('service_standard')
export class ServiceStandard implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'contract_id' })
  contractId!: string;

  @Field(() => Int, { description: 'The version of the contract\'s set this standard belongs to.' })
  @Column('int')
  version!: number;

  @Field(() => PaymentGroup, { nullable: true, description: 'Null: applies to every payment group.' })
  @Column('text', { name: 'payment_group', nullable: true })
  paymentGroup!: PaymentGroup | null;

  @Field(() => ServiceStandardMetric, { description: 'What it measures.' })
  @Column('text')
  metric!: ServiceStandardMetric;

  @Field(() => Int, { description: 'N in the metric, in days.' })
  @Column('int', { name: 'threshold_days' })
  thresholdDays!: number;

  @Field(() => ServiceStandardScope, { description: 'Everyone, or a percentage.' })
  @Column('text')
  scope!: ServiceStandardScope;

  @Field(() => Int, { nullable: true, description: 'For PERCENT_OF_PARTICIPANTS: the percentage that must meet it.' })
  @Column('int', { name: 'minimum_percent', nullable: true })
  minimumPercent!: number | null;

  @Field(() => String, { description: 'The standard as the prime published it.' })
  @Column('text')
  description!: string;

  @Field(() => Date, { description: 'When its set was published.' })
  @Column('timestamptz', { name: 'published_at', default: () => 'now()' })
  publishedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a later set was published; null while none is. Its set stays in force up to effectiveUntil.' })
  @Column('timestamptz', { name: 'superseded_at', nullable: true })
  supersededAt!: Date | null;

  @Field(() => DateScalar, { description: 'The first day its set is in force: compliance on earlier days does not use it.' })
  @Column('date', { name: 'effective_from' })
  effectiveFrom!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'The last day its set is in force (the day before a later set takes effect); null while no later set is published. Before effectiveFrom: replaced before it took effect, never in force.',
  })
  @Column('date', { name: 'effective_until', nullable: true })
  effectiveUntil!: string | null;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateScalar } from '../../common/scalars';

/**
 * A change of circumstances (WP07) a provider reported: a notification to the referring
 * Jobcentre, never a doubt (002:1654, 002:1894). The minimal record; issue 15 adds kinds and the
 * Jobcentre's side.
 */
@ObjectType({
  description:
    "A change in a participant's circumstances (WP07) a provider reported to the referring Jobcentre: a notification, never a doubt or a sanction. Seen by whoever may see its referral now, and by its reporter.",
})
@Entity('circumstance_change')
export class CircumstanceChange {
  @Field(() => ID, { description: 'Its id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'reported_by' })
  reportedById!: string;

  @Field(() => Date, { description: 'When it was reported.' })
  @Column('timestamptz', { name: 'reported_at', default: () => 'now()' })
  reportedAt!: Date;

  @Field(() => DateScalar, { description: 'The day the change took effect.' })
  @Column('date', { name: 'effective_on' })
  effectiveOn!: string;

  /** What changed: a read of the person (CircumstanceChangeResolver.description audits it). */
  @Column('text')
  description!: string;
}

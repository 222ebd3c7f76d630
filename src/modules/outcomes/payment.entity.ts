import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { PaymentKind } from './outcomes.enums';

/** A payment by results, written once, at the rate card's amount in force when it was earned. */
@ObjectType({
  implements: Node,
  description: 'A payment by results, written once and never changed, at the rate in force on the day it was earned. Read by the prime only.',
})
@Entity('payment')
export class Payment implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'contract_id' })
  contractId!: string;

  @Field(() => PaymentKind, { description: 'What it pays for.' })
  @Column('text')
  kind!: PaymentKind;

  /** 1 for attachment and job outcome; the period's number for sustainment. */
  @Column('int')
  sequence!: number;

  @Field(() => Int, { description: 'The amount, in whole pence.' })
  @Column('int', { name: 'amount_pence' })
  amountPence!: number;

  /** The day it was earned: attachment, job outcome, or the end of the sustainment period. */
  @Field(() => DateScalar, { description: 'The day the payment was earned: the attachment, the job outcome, or the end of the sustainment period.' })
  @Column('date', { name: 'earned_on' })
  earnedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'For sustainment: the end of the four-week period it pays for.' })
  @Column('date', { name: 'period_ends_on', nullable: true })
  periodEndsOn!: string | null;

  @Column('uuid', { name: 'rate_card_id' })
  rateCardId!: string;

  @Field(() => Int, { description: 'The contract year whose rate was paid.' })
  @Column('int', { name: 'contract_year' })
  contractYear!: number;

  @Column('uuid', { name: 'claimed_by' })
  claimedById!: string;

  @Field(() => Date, { description: 'When it was claimed.' })
  @Column({ type: 'timestamptz', name: 'claimed_at', insert: false, update: false, default: () => 'now()' })
  claimedAt!: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PaymentGroup } from '../contracts/contracts.enums';

/**
 * What a programme pays for one payment group in one contract year, and its outcome rules. Rows
 * are never edited: setting a rate supersedes the row in force, and payments point at the row
 * they were paid from.
 */
@ObjectType({ description: 'The fees and outcome rules of one programme, payment group and contract year. Amounts are whole pence.' })
@Entity('rate_card')
export class RateCard {
  @Field(() => ID, { description: 'The id of this row (a superseded row keeps its own).' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String, { description: "The programme's code, e.g. WORK_PROGRAMME." })
  @Column('text')
  programme!: string;

  @Field(() => PaymentGroup, { description: 'The payment group.' })
  @Column('text', { name: 'payment_group' })
  paymentGroup!: PaymentGroup;

  @Field(() => Int, { description: 'From this contract year on, until a later year has its own row.' })
  @Column('int', { name: 'contract_year' })
  contractYear!: number;

  @Field(() => Int, { description: 'The attachment fee, in pence.' })
  @Column('int', { name: 'attachment_fee_pence' })
  attachmentFeePence!: number;

  @Field(() => Int, { description: 'The job outcome fee, in pence.' })
  @Column('int', { name: 'job_outcome_fee_pence' })
  jobOutcomeFeePence!: number;

  @Field(() => Int, { description: 'Weeks in work, within the allotted time, before a job outcome can be claimed.' })
  @Column('int', { name: 'outcome_threshold_weeks' })
  outcomeThresholdWeeks!: number;

  @Field(() => Int, { description: 'The fee of each sustainment payment, in pence.' })
  @Column('int', { name: 'sustainment_fee_pence' })
  sustainmentFeePence!: number;

  @Field(() => Int, { description: 'The most sustainment payments a participant earns.' })
  @Column('int', { name: 'sustainment_max_count' })
  sustainmentMaxCount!: number;

  @Field(() => Int, { description: 'The length of a sustainment period, in weeks.' })
  @Column('int', { name: 'sustainment_period_weeks' })
  sustainmentPeriodWeeks!: number;

  @Field(() => Int, { description: 'The longest gap between two jobs, in days, that does not break a sustainment period (job changes are normal).' })
  @Column('int', { name: 'sustainment_gap_days', default: 7 })
  sustainmentGapDays!: number;

  @Field(() => String, { description: 'Where the figures come from.' })
  @Column('text')
  source!: string;

  @Field(() => Date, { description: 'When it was set.' })
  @Column({ type: 'timestamptz', name: 'set_at', insert: false, update: false, default: () => 'now()' })
  setAt!: Date;

  @Column('uuid', { name: 'set_by', nullable: true })
  setById!: string | null;

  @Field(() => Date, { nullable: true, description: 'When a newer rate replaced it; null while in force.' })
  @Column('timestamptz', { name: 'superseded_at', nullable: true })
  supersededAt!: Date | null;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { PaymentGroup } from '../contracts/contracts.enums';
import { ExitReason, RejectionReason } from './referral.enums';
import { ReferralStatus } from './referral-states';
import { ParticipationMode } from './programme';

/** A Jobcentre's referral of one claimant, allocated to one prime contract in the claimant's CPA. */
@ObjectType({ implements: Node })
@Entity('referral')
export class Referral implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Arrival order, for keyset pagination (bigint, so a string). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'jobcentre_id' })
  jobcentreId!: string;

  @Field(() => String)
  @Column('text', { name: 'client_reference' })
  clientReference!: string;

  @Column('uuid', { name: 'participant_id' })
  participantId!: string;

  @Column('uuid', { name: 'cpa_id' })
  cpaId!: string;

  @Field(() => String)
  @Column('text', { name: 'jobcentre_district' })
  jobcentreDistrict!: string;

  @Field(() => PaymentGroup)
  @Column('text', { name: 'payment_group' })
  paymentGroup!: PaymentGroup;

  @Field(() => ParticipationMode)
  @Column('text', { name: 'participation_mode' })
  participationMode!: ParticipationMode;

  @Field(() => DateScalar)
  @Column('date', { name: 'referred_on' })
  referredOn!: string;

  @Field(() => ReferralStatus)
  @Column('text')
  status!: ReferralStatus;

  /** The contract of the allocation in force. */
  @Column('uuid', { name: 'contract_id' })
  contractId!: string;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true })
  acknowledgedAt!: Date | null;

  @Column('text', { name: 'rejection_reason', nullable: true })
  rejectionReason!: RejectionReason | null;

  @Column('text', { name: 'rejection_note', nullable: true })
  rejectionNote!: string | null;

  @Column('timestamptz', { name: 'rejected_at', nullable: true })
  rejectedAt!: Date | null;

  @Field(() => DateScalar, { nullable: true })
  @Column('date', { name: 'attached_on', nullable: true })
  attachedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'End of the two years of allotted time, once attached.' })
  @Column('date', { name: 'allotted_until', nullable: true })
  allottedUntil!: string | null;

  @Column('text', { name: 'exit_reason', nullable: true })
  exitReason!: ExitReason | null;

  @Column('date', { name: 'exited_on', nullable: true })
  exitedOn!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { PaymentGroup } from '../contracts/contracts.enums';
import { ExitReason, RejectionReason } from './referral.enums';
import { ReferralStatus } from '../../auth/access.enums';
import { ParticipationMode } from './programme';

/** A Jobcentre's referral of one claimant, allocated to one prime contract in the claimant's CPA. */
@ObjectType({
  implements: Node,
  description:
    "A Jobcentre's referral of one claimant to the programme, allocated to a prime contract in the claimant's CPA. Read by the referring Jobcentre (JOBCENTRE), the prime holding the contract (PROVIDER), a subcontractor while a handoff of it to them lives (the fields shared), and a Decision Maker through a submitted doubt; to anyone else it does not exist.",
})
@Entity('referral')
export class Referral implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Arrival order, for keyset pagination (bigint, so a string). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'jobcentre_id' })
  jobcentreId!: string;

  @Field(() => String, { description: "The referring Jobcentre's own reference, unique per Jobcentre." })
  @Column('text', { name: 'client_reference' })
  clientReference!: string;

  @Column('uuid', { name: 'participant_id' })
  participantId!: string;

  @Column('uuid', { name: 'cpa_id' })
  cpaId!: string;

  @Field(() => String, { description: 'The Jobcentre district that referred the claimant.' })
  @Column('text', { name: 'jobcentre_district' })
  jobcentreDistrict!: string;

  @Field(() => PaymentGroup, { description: 'The group the referral is paid under.' })
  @Column('text', { name: 'payment_group' })
  paymentGroup!: PaymentGroup;

  @Field(() => ParticipationMode, { description: 'Mandatory or voluntary: it limits what the participant can be doubted for.' })
  @Column('text', { name: 'participation_mode' })
  participationMode!: ParticipationMode;

  @Field(() => DateScalar, { description: 'The day the Jobcentre made the referral.' })
  @Column('date', { name: 'referred_on' })
  referredOn!: string;

  @Field(() => ReferralStatus, { description: 'Where the referral is in its lifecycle.' })
  @Column('text')
  status!: ReferralStatus;

  /** The contract of the allocation in force. */
  @Column('uuid', { name: 'contract_id' })
  contractId!: string;

  @Field(() => Date, { nullable: true, description: 'When the prime acknowledged it; null before, and again after an override moves it.' })
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true })
  acknowledgedAt!: Date | null;

  @Column('text', { name: 'rejection_reason', nullable: true })
  rejectionReason!: RejectionReason | null;

  @Column('text', { name: 'rejection_note', nullable: true })
  rejectionNote!: string | null;

  @Column('timestamptz', { name: 'rejected_at', nullable: true })
  rejectedAt!: Date | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the participant started on the programme (attachment); null before.' })
  @Column('date', { name: 'attached_on', nullable: true })
  attachedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'End of the two years of allotted time, once attached.' })
  @Column('date', { name: 'allotted_until', nullable: true })
  allottedUntil!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "The day the referring Jobcentre withdrew it, answering the prime's query; null unless WITHDRAWN." })
  @Column('date', { name: 'withdrawn_on', nullable: true })
  withdrawnOn!: string | null;

  @Column('text', { name: 'exit_reason', nullable: true })
  exitReason!: ExitReason | null;

  @Column('date', { name: 'exited_on', nullable: true })
  exitedOn!: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Since when the participant is recorded as off benefit (`recordOffBenefit`); they stay on the programme. Null while on benefit, and again once they return.',
  })
  @Column('date', { name: 'off_benefit_since', nullable: true })
  offBenefitSince!: string | null;

  /** What the prime said at the exit, for the handback summary: barriers left, and free text. */
  @Column('text', { name: 'handback_barriers', array: true, nullable: true })
  handbackBarriers!: string[] | null;

  @Column('text', { name: 'handback_summary', nullable: true })
  handbackSummary!: string | null;

  /** A joint claim: the partner's referral, whose contract this one followed. */
  @Column('uuid', { name: 'joint_claimant_referral_id', nullable: true })
  jointClaimantReferralId!: string | null;

  /** Why the Jobcentre made the claim a joint one. */
  @Column('text', { name: 'joint_claim_reason', nullable: true })
  jointClaimReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

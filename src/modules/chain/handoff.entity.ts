import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { SharedField } from '../referrals/referral.enums';
import { HandoffPurpose, HandoffStatus } from './handoff-states';

/** A referral passed from one member of the chain to another, with the fields that travel. */
@ObjectType({ implements: Node })
@Entity('handoff')
export class Handoff implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'from_organisation_id' })
  fromOrganisationId!: string;

  @Column('uuid', { name: 'to_organisation_id' })
  toOrganisationId!: string;

  @Column('uuid', { name: 'subcontract_id' })
  subcontractId!: string;

  @Field(() => HandoffPurpose)
  @Column('text')
  purpose!: HandoffPurpose;

  @Field(() => HandoffStatus)
  @Column('text')
  status!: HandoffStatus;

  @Field(() => [SharedField])
  @Column('text', { name: 'shared_fields', array: true, default: () => "'{}'" })
  sharedFields!: SharedField[];

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note!: string | null;

  @Field(() => Date)
  @Column('timestamptz', { name: 'offered_at', default: () => 'now()' })
  offeredAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'responded_at', nullable: true })
  respondedAt!: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'decline_reason', nullable: true })
  declineReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was completed, declined or withdrawn.' })
  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  feedback!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'withdrawn_reason', nullable: true })
  withdrawnReason!: string | null;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { AllocationMethod, OverrideReasonCategory } from './allocation.enums';

export interface DrawnShare {
  contractId: string;
  shareBasisPoints: number;
}

/** One allocation of a referral to a contract; a referral's allocations are its history. */
@ObjectType('Allocation', { description: 'One allocation of a referral to a prime contract.' })
@Entity('referral_allocation')
export class ReferralAllocation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'contract_id' })
  contractId!: string;

  @Field(() => AllocationMethod, { description: 'How the contract was chosen.' })
  @Column('text')
  method!: AllocationMethod;

  @Field(() => String, {
    nullable: true,
    description: 'For MANUAL_OVERRIDE: why. Only the referring Jobcentre and the prime read it (it can be personal); null for others.',
  })
  @Column('text', { nullable: true })
  reason!: string | null;

  @Field(() => OverrideReasonCategory, { nullable: true, description: 'For MANUAL_OVERRIDE: the category of the reason, when the Jobcentre gave one; read as `reason` is.' })
  @Column('text', { name: 'reason_category', nullable: true })
  reasonCategory!: OverrideReasonCategory | null;

  /** RANDOM: the number drawn, 0 <= draw < the shares' total. */
  @Column('int', { nullable: true })
  draw!: number | null;

  /** RANDOM: the shares drawn against, in the order the draw walked them. */
  @Column('jsonb', { nullable: true })
  shares!: DrawnShare[] | null;

  @Column('uuid', { name: 'allocated_by' })
  allocatedBy!: string;

  @Field(() => Date, { description: 'When it was allocated.' })
  @Column('timestamptz', { name: 'allocated_at', default: () => 'clock_timestamp()' })
  allocatedAt!: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { AllocationMethod } from './allocation.enums';

export interface DrawnShare {
  contractId: string;
  shareBasisPoints: number;
}

/** One allocation of a referral to a contract; a referral's allocations are its history. */
@ObjectType('Allocation')
@Entity('referral_allocation')
export class ReferralAllocation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'contract_id' })
  contractId!: string;

  @Field(() => AllocationMethod)
  @Column('text')
  method!: AllocationMethod;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  reason!: string | null;

  /** RANDOM: the number drawn, 0 <= draw < the shares' total. */
  @Column('int', { nullable: true })
  draw!: number | null;

  /** RANDOM: the shares drawn against, in the order the draw walked them. */
  @Column('jsonb', { nullable: true })
  shares!: DrawnShare[] | null;

  @Column('uuid', { name: 'allocated_by' })
  allocatedBy!: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'allocated_at', default: () => 'clock_timestamp()' })
  allocatedAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DeliveryModel } from './contracts.enums';

/** A place in a prime contract's supply chain, held by a subcontractor. */
@ObjectType({ implements: Node })
@Entity('subcontract')
export class Subcontract implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'contract_id' })
  contractId!: string;

  @Column('uuid', { name: 'subcontractor_id' })
  subcontractorId!: string;

  @Field(() => DeliveryModel)
  @Column('text', { name: 'delivery_model' })
  deliveryModel!: DeliveryModel;

  @Field(() => [String])
  @Column('text', { array: true, default: () => "'{}'" })
  specialisms!: string[];

  /** Set for a spot provider commissioned by an end-to-end subcontractor rather than the prime. */
  @Column('uuid', { name: 'parent_id', nullable: true })
  parentId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

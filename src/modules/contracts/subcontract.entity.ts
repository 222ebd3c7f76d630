import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DeliveryModel } from './contracts.enums';

/** A place in a prime contract's supply chain, held by a subcontractor. */
@ObjectType({ implements: Node, description: "A place in a prime contract's supply chain, held by a subcontractor. Any key reads the registry." })
@Entity('subcontract')
export class Subcontract implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'contract_id' })
  contractId!: string;

  @Column('uuid', { name: 'subcontractor_id' })
  subcontractorId!: string;

  @Field(() => DeliveryModel, { description: 'How the subcontractor delivers in this place; it decides which handoffs it can receive.' })
  @Column('text', { name: 'delivery_model' })
  deliveryModel!: DeliveryModel;

  @Field(() => [String], { description: 'Groups or services it specialises in.' })
  @Column('text', { array: true, default: () => "'{}'" })
  specialisms!: string[];

  /** Set for a spot provider commissioned by an end-to-end subcontractor rather than the prime. */
  @Column('uuid', { name: 'parent_id', nullable: true })
  parentId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';

/** A prime provider's contract for one CPA; it is paid by results and runs the supply chain. */
@ObjectType({
  implements: Node,
  description: "A prime provider's contract for one CPA: paid by results, it runs a supply chain of subcontractors. Any key reads the registry.",
})
@Entity('prime_contract')
export class PrimeContract implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String, { description: "DWP's reference for the contract, unique across the exchange." })
  @Column('text')
  reference!: string;

  @Column('uuid', { name: 'cpa_id' })
  cpaId!: string;

  @Column('uuid', { name: 'prime_id' })
  primeId!: string;

  @Field(() => String, { description: 'The programme whose rate card pays this contract.' })
  @Column('text', { default: 'WORK_PROGRAMME' })
  programme!: string;

  @Field(() => DateScalar, { description: 'Its first day.' })
  @Column('date', { name: 'starts_on' })
  startsOn!: string;

  /** Inclusive: the contract is in force on its last day. */
  @Field(() => DateScalar, { description: 'Its last day: the contract is in force on it.' })
  @Column('date', { name: 'ends_on' })
  endsOn!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

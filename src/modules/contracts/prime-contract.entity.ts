import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';

/** A prime provider's contract for one CPA; it is paid by results and runs the supply chain. */
@ObjectType({ implements: Node })
@Entity('prime_contract')
export class PrimeContract implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String)
  @Column('text')
  reference!: string;

  @Column('uuid', { name: 'cpa_id' })
  cpaId!: string;

  @Column('uuid', { name: 'prime_id' })
  primeId!: string;

  @Field(() => String, { description: 'The programme whose rate card pays this contract.' })
  @Column('text', { default: 'WORK_PROGRAMME' })
  programme!: string;

  @Field(() => DateScalar)
  @Column('date', { name: 'starts_on' })
  startsOn!: string;

  /** Inclusive: the contract is in force on its last day. */
  @Field(() => DateScalar)
  @Column('date', { name: 'ends_on' })
  endsOn!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

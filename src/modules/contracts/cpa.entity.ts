import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { Nation } from './contracts.enums';

/** A Contract Package Area: the area DWP buys employment support for (18 in the Work Programme). */
@ObjectType({ implements: Node })
@Entity('cpa')
export class Cpa implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => Int)
  @Column('int')
  code!: number;

  @Field(() => String)
  @Column('text')
  name!: string;

  @Field(() => Nation)
  @Column('text')
  nation!: Nation;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

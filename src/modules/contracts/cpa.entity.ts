import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { Nation } from './contracts.enums';

/** A Contract Package Area: the area DWP buys employment support for (18 in the Work Programme). */
@ObjectType({ implements: Node, description: 'A Contract Package Area: an area DWP buys employment support for (18 in the Work Programme). Any key reads the registry.' })
@Entity('cpa')
export class Cpa implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => Int, { description: "DWP's number for the CPA; referrals and reports name a CPA by it." })
  @Column('int')
  code!: number;

  @Field(() => String, { description: 'Its name, e.g. "East of England".' })
  @Column('text')
  name!: string;

  @Field(() => Nation, { description: 'The nation it lies in.' })
  @Column('text')
  nation!: Nation;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { ContactChannel, ContactKind } from './standards.enums';

/** A contact between a member of the chain and a participant, attended or not. */
@ObjectType({ implements: Node })
@Entity('contact')
export class Contact implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'recorded_by' })
  recordedById!: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Field(() => ContactChannel)
  @Column('text')
  channel!: ContactChannel;

  @Field(() => ContactKind)
  @Column('text')
  kind!: ContactKind;

  @Field(() => Boolean)
  @Column('boolean')
  attended!: boolean;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { ContactChannel, ContactKind } from './standards.enums';

/** A contact between a member of the chain and a participant, attended or not. */
@ObjectType({
  implements: Node,
  description: 'A contact between a member of the chain and a participant. Read by the prime and the chain holding the referral, and always by its recorder.',
})
@Entity('contact')
export class Contact implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'recorded_by' })
  recordedById!: string;

  @Field(() => Date, { description: 'When it took place.' })
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Field(() => ContactChannel, { description: 'How.' })
  @Column('text')
  channel!: ContactChannel;

  @Field(() => ContactKind, { description: 'What kind.' })
  @Column('text')
  kind!: ContactKind;

  @Field(() => Boolean, { description: 'Whether the participant attended.' })
  @Column('boolean')
  attended!: boolean;

  @Field(() => String, { nullable: true, description: "The recorder's note." })
  @Column('text', { nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

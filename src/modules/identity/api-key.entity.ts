import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from './identity.enums';

/** A bearer credential for one organisation and one role. Only a hash of the secret is kept. */
@ObjectType({ description: 'A bearer credential of one organisation and one role. The secret is never shown again after `issueApiKey`.' })
@Entity('api_key')
export class ApiKey {
  @Field(() => ID, { description: "The key's id (not its secret)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId!: string;

  @Field(() => Role, { description: 'What the holder may do.' })
  @Column('text')
  role!: Role;

  @Field(() => String, { nullable: true, description: "A name for people, e.g. the system that holds the key." })
  @Column('text', { nullable: true })
  label!: string | null;

  @Column('text', { name: 'secret_hash' })
  secretHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from './identity.enums';

/** A bearer credential for one organisation and one role. Only a hash of the secret is kept. */
@ObjectType()
@Entity('api_key')
export class ApiKey {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId!: string;

  @Field(() => Role)
  @Column('text')
  role!: Role;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  label!: string | null;

  @Column('text', { name: 'secret_hash' })
  secretHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

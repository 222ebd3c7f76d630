import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../../auth/access.enums';
import { ApiKeyStatus } from './identity.enums';

/** A bearer credential for one organisation and one role. Only a hash of the secret is kept. */
@ObjectType({ description: 'An API key: a bearer credential of one organisation and one role. Its secret is shown once, by `issueApiKey`, and never again.' })
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

  @Field(() => Date, { description: 'When the key was issued.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The key whose holder issued this one; null for the bootstrap key and keys made by `npm run seed`. */
  @Column('uuid', { name: 'issued_by', nullable: true })
  issuedById!: string | null;

  @Field(() => Boolean, { description: 'True for the key made at start from SCX_BOOTSTRAP_ADMIN_KEY; retired when that variable changes.' })
  @Column('boolean', { default: false })
  bootstrap!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null: it does not expire.' })
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the key last authenticated a request, to the minute (it is recorded at most once a minute); null: never.',
  })
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; null while it is not.' })
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  /** The key whose holder revoked this one; null when revoked at start (a replaced bootstrap key). */
  @Column('uuid', { name: 'revoked_by', nullable: true })
  revokedById!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the key was revoked, as the revoker wrote it.' })
  @Column('text', { name: 'revocation_reason', nullable: true })
  revocationReason!: string | null;
}

/** Whether a key authenticates now, and if not, why not. */
export function apiKeyStatus(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now = new Date()): ApiKeyStatus {
  if (key.revokedAt) return ApiKeyStatus.REVOKED;
  if (key.expiresAt && key.expiresAt <= now) return ApiKeyStatus.EXPIRED;
  return ApiKeyStatus.ACTIVE;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface AddressRecord {
  line1: string;
  line2?: string | null;
  town?: string | null;
  postcode: string;
}

/**
 * One record per person (NINO). Never a GraphQL type itself: what a viewer sees of it is
 * decided field by field by the policy (see participant.view.ts).
 */
@Entity('participant')
export class Participant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  nino!: string;

  @Column('text', { name: 'given_name' })
  givenName!: string;

  @Column('text', { name: 'family_name' })
  familyName!: string;

  @Column('date', { name: 'date_of_birth' })
  dateOfBirth!: string;

  @Column('jsonb', { nullable: true })
  address!: AddressRecord | null;

  @Column('text', { nullable: true })
  phone!: string | null;

  @Column('text', { nullable: true })
  email!: string | null;

  @Column('boolean', { nullable: true })
  disabled!: boolean | null;

  @Column('boolean', { name: 'welsh_language', nullable: true })
  welshLanguage!: boolean | null;

  /** AES-256-GCM ciphertext of the health conditions. */
  @Column('text', { name: 'health_encrypted', nullable: true })
  healthEncrypted!: string | null;

  /** AES-256-GCM ciphertext of the risk markers. */
  @Column('text', { name: 'risk_markers_encrypted', nullable: true })
  riskMarkersEncrypted!: string | null;

  @Column('boolean', { name: 'consent_to_share_health' })
  consentToShareHealth!: boolean;

  /** A MAPPA case: held as a minimal record (identity only). */
  @Column('boolean', { default: false })
  restricted!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

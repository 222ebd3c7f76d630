import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AddressRecord } from './participant.entity';

/**
 * What one referral was sent with about the claimant: its Jobcentre's contact details and
 * special-category data, kept per referral so that another Jobcentre's submission of the same
 * person never overwrites them. Never a GraphQL type: read through participant.view.ts.
 */
@Entity('referral_claimant')
export class ReferralClaimant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

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

  @Column('boolean', { name: 'consent_to_share_health' })
  consentToShareHealth!: boolean;

  /** AES-256-GCM ciphertext of the health conditions, bound to the participant. */
  @Column('text', { name: 'health_encrypted', nullable: true })
  healthEncrypted!: string | null;

  /** AES-256-GCM ciphertext of the risk markers, bound to the participant. */
  @Column('text', { name: 'risk_markers_encrypted', nullable: true })
  riskMarkersEncrypted!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

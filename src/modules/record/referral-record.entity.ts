import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { RiskSharingBasis } from '../../auth/access.enums';
import type { Benefit } from '../referrals/programme';
import type { Barrier } from './record.enums';

/**
 * What the Jobcentre sent with one referral beyond the claimant, and on what terms its risk markers
 * travel. Never a GraphQL type: each part is a field of `Participant`, shown only where the viewer
 * sees its SharedField (record.resolver.ts).
 */
@Entity('referral_record')
@Unique('referral_record_referral_key', ['referralId'])
export class ReferralRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** One per referral. */
  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('text', { nullable: true })
  benefit!: Benefit | null;

  @Column('date', { name: 'claim_started_on', nullable: true })
  claimStartedOn!: string | null;

  /** The day a BENEFIT_ENDED change ended the claim; a later BENEFIT_CHANGED starts another (compliance.service: `updateBenefitClaim`). */
  @Column('date', { name: 'claim_ended_on', nullable: true })
  claimEndedOn!: string | null;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  qualifications!: string[];

  @Column('text', { name: 'work_history', nullable: true })
  workHistory!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  barriers!: Barrier[];

  @Column('text', { name: 'barrier_notes', nullable: true })
  barrierNotes!: string | null;

  @Column('text', { name: 'job_goals', nullable: true })
  jobGoals!: string | null;

  @Column('boolean', { nullable: true })
  welsh!: boolean | null;

  @Column('boolean', { nullable: true })
  interpreter!: boolean | null;

  @Column('text', { name: 'interpreter_language', nullable: true })
  interpreterLanguage!: string | null;

  @Column('boolean', { nullable: true })
  esol!: boolean | null;

  @Column('text', { name: 'caring_responsibilities', nullable: true })
  caringResponsibilities!: string | null;

  @Column('boolean', { name: 'consent_to_share_risk', default: false })
  consentToShareRisk!: boolean;

  @Column('text', { name: 'risk_sharing_basis', nullable: true })
  riskSharingBasis!: RiskSharingBasis | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

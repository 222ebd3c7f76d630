import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ExitReason } from './referral.enums';

/**
 * A returner's referral: it reopened the participation's own referral (see returns.ts for why the
 * row is reused). Its clientReference is kept here, so that submitting it again answers the same
 * referral and writes nothing.
 */
@Entity('referral_return')
export class ReferralReturn {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'jobcentre_id' })
  jobcentreId!: string;

  @Column('text', { name: 'client_reference' })
  clientReference!: string;

  @Column('date', { name: 'referred_on' })
  referredOn!: string;

  @Column('text', { name: 'exit_reason' })
  exitReason!: ExitReason;

  @Column('date', { name: 'exited_on' })
  exitedOn!: string;

  @Column('timestamptz', { name: 'returned_at', default: () => 'now()' })
  returnedAt!: Date;
}

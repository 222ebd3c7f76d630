import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live referrals of each contract in arrival order: a prime's caseload (`referrals` filtered to
 * the live statuses, the read a case-management system makes all day) reads each of its contracts'
 * next page from here, instead of walking every referral the contract ever had (issue 16: on a
 * national history, 19,623 rows were read for a page of 101).
 */
export class LiveReferralsByContract1795437600000 implements MigrationInterface {
  name = 'LiveReferralsByContract1795437600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX referral_live_contract_seq_idx ON referral (contract_id, seq) WHERE status IN ('ALLOCATED', 'ACKNOWLEDGED', 'ATTACHED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX referral_live_contract_seq_idx`);
  }
}

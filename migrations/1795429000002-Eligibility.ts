import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Eligibility (issue 14, item 5; 002:511: claimants are allocated within their Jobcentre
 * district's CPA).
 * - `organisation.cpa_id`: the CPA whose districts a Jobcentre serves, the only one it refers
 *   into. Existing Jobcentres whose referrals all lie in one CPA are placed in it; the others stay
 *   unplaced (an ADMIN registers new ones with a CPA) and are not held to one.
 * - `referral_allocation.reason_category`: an override's reason in a category that can be counted.
 * Past referrals are not re-judged against the new group rules (age bands, IB/IS England only).
 */
export class Eligibility1795429000002 implements MigrationInterface {
  name = 'Eligibility1795429000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisation ADD COLUMN cpa_id uuid REFERENCES cpa (id)`);
    await q.query(`ALTER TABLE organisation ADD CONSTRAINT organisation_cpa_check CHECK (cpa_id IS NULL OR kind = 'JOBCENTRE')`);
    await q.query(`
      UPDATE organisation o SET cpa_id = placed.cpa_id
        FROM (SELECT jobcentre_id, min(cpa_id::text)::uuid AS cpa_id FROM referral GROUP BY jobcentre_id HAVING count(DISTINCT cpa_id) = 1) placed
       WHERE o.id = placed.jobcentre_id AND o.kind = 'JOBCENTRE'`);
    await q.query(`ALTER TABLE referral_allocation ADD COLUMN reason_category text CHECK (reason_category IN ('ACCESSIBILITY',
      'SPECIALIST_NEEDS', 'NO_LOCAL_PRESENCE', 'JOINT_CLAIM', 'ADMINISTRATIVE_ERROR', 'OTHER'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral_allocation DROP COLUMN reason_category`);
    await q.query(`ALTER TABLE organisation DROP CONSTRAINT organisation_cpa_check, DROP COLUMN cpa_id`);
  }
}

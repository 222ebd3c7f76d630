import { MigrationInterface, QueryRunner } from 'typeorm';

/** The changes of circumstances that act on the record: the referring Jobcentre's, or a provider's it confirmed. */
const ACTING = `(cc.reported_by = r.jobcentre_id OR cc.action = 'ACTIONED')`;

/**
 * A change of benefit is the referral record's benefit claim (issue 15, items 1 and 3; 002:1926):
 * - `referral_record.claim_ended_on`: the day a BENEFIT_ENDED change ended the claim.
 * - the API may update a record's benefit claim (benefit, claim start, claim end), and only that:
 *   the referring Jobcentre's BENEFIT_CHANGED (or a provider's it confirmed) is the new claim from
 *   its effective day, a BENEFIT_ENDED ends it.
 * - backfill: the changes reported before this migration are applied as the API now applies them,
 *   in order (the latest BENEFIT_CHANGED, then a BENEFIT_ENDED after it: a later day, or the same
 *   day reported later); a referral without a record gains one holding its claim only.
 */
export class BenefitChanges1795437100000 implements MigrationInterface {
  name = 'BenefitChanges1795437100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral_record ADD COLUMN claim_ended_on date`);
    await q.query(`GRANT UPDATE (benefit, claim_started_on, claim_ended_on) ON referral_record TO scx_api`);
    await q.query(`
      INSERT INTO referral_record (referral_id, benefit, claim_started_on)
      SELECT DISTINCT ON (cc.referral_id) cc.referral_id, cc.benefit_to, cc.effective_on
        FROM circumstance_change cc JOIN referral r ON r.id = cc.referral_id
       WHERE cc.kind = 'BENEFIT_CHANGED' AND ${ACTING}
       ORDER BY cc.referral_id, cc.effective_on DESC, cc.reported_at DESC
      ON CONFLICT (referral_id) DO UPDATE SET benefit = EXCLUDED.benefit, claim_started_on = EXCLUDED.claim_started_on`);
    await q.query(`
      INSERT INTO referral_record (referral_id, claim_ended_on)
      SELECT DISTINCT ON (cc.referral_id) cc.referral_id, cc.effective_on
        FROM circumstance_change cc JOIN referral r ON r.id = cc.referral_id
       WHERE cc.kind = 'BENEFIT_ENDED' AND ${ACTING}
         AND NOT EXISTS (SELECT 1 FROM circumstance_change later WHERE later.referral_id = cc.referral_id AND later.kind = 'BENEFIT_CHANGED'
                           AND (later.effective_on, later.reported_at) > (cc.effective_on, cc.reported_at) AND (later.reported_by = r.jobcentre_id OR later.action = 'ACTIONED'))
       ORDER BY cc.referral_id, cc.effective_on DESC, cc.reported_at DESC
      ON CONFLICT (referral_id) DO UPDATE SET claim_ended_on = EXCLUDED.claim_ended_on`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE UPDATE (benefit, claim_started_on, claim_ended_on) ON referral_record FROM scx_api`);
    await q.query(`ALTER TABLE referral_record DROP COLUMN claim_ended_on`);
  }
}

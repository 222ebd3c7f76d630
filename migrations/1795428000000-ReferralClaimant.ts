import { MigrationInterface, QueryRunner } from 'typeorm';

const EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;

/**
 * What each referral was sent with, kept per referral: one Jobcentre's submission of a known
 * person never overwrites what another sent, and a Jobcentre is shown only what it sent. The
 * participant row stays the person's record as the newest referral gave it. A joint claim names
 * its partner's referral and says why; a referral is the partner of at most one live claim. A
 * handoff may share CONTACT_NOTES.
 */
export class ReferralClaimant1795428000000 implements MigrationInterface {
  name = 'ReferralClaimant1795428000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_claimant (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id             uuid NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
        address                 jsonb,
        phone                   text,
        email                   text,
        disabled                boolean,
        welsh_language          boolean,
        consent_to_share_health boolean NOT NULL,
        -- Bound to the participant, as on participant (src/db/field-encryption.ts).
        health_encrypted        text,
        risk_markers_encrypted  text,
        created_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT referral_claimant_referral_key UNIQUE (referral_id)
      )`);
    await q.query(`ALTER TABLE referral ADD COLUMN joint_claimant_referral_id uuid REFERENCES referral (id)`);
    await q.query(`ALTER TABLE referral ADD COLUMN joint_claim_reason text`);
    await q.query(`CREATE UNIQUE INDEX referral_joint_partner_key ON referral (joint_claimant_referral_id)
      WHERE joint_claimant_referral_id IS NOT NULL AND status IN ('ALLOCATED', 'ACKNOWLEDGED', 'ATTACHED')`);
    // Whether a referral is already someone's partner, asked for each live referral a batch names.
    await q.query(`CREATE INDEX referral_joint_claimant_idx ON referral (joint_claimant_referral_id) WHERE joint_claimant_referral_id IS NOT NULL`);
    for (const event of EVENTS) {
      const transition = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await q.query(`CREATE TRIGGER audit_${event.toLowerCase()} AFTER ${event} ON referral_claimant REFERENCING ${transition}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
    }
    // CONTACT_NOTES: a referral's contacts travel down the chain only with this shared field (or ACTION_PLAN).
    await q.query(`ALTER TABLE handoff DROP CONSTRAINT handoff_shared_fields_check`);
    await q.query(`ALTER TABLE handoff ADD CONSTRAINT handoff_shared_fields_check
      CHECK (shared_fields <@ ARRAY['CONTACT_DETAILS', 'HEALTH', 'RISK_MARKERS', 'ACTION_PLAN', 'EMPLOYMENT_HISTORY', 'CONTACT_NOTES'])`);
    // Written once with its referral; gone with it when a joint claim is undone; its ciphertexts
    // re-encrypted by keys:rotate, which runs as the API's role.
    await q.query(`GRANT SELECT, INSERT, DELETE, UPDATE (health_encrypted, risk_markers_encrypted) ON referral_claimant TO scx_api`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE handoff SET shared_fields = array_remove(shared_fields, 'CONTACT_NOTES') WHERE 'CONTACT_NOTES' = ANY(shared_fields)`);
    await q.query(`ALTER TABLE handoff DROP CONSTRAINT handoff_shared_fields_check`);
    await q.query(`ALTER TABLE handoff ADD CONSTRAINT handoff_shared_fields_check
      CHECK (shared_fields <@ ARRAY['CONTACT_DETAILS', 'HEALTH', 'RISK_MARKERS', 'ACTION_PLAN', 'EMPLOYMENT_HISTORY'])`);
    await q.query(`DROP INDEX referral_joint_claimant_idx`);
    await q.query(`DROP INDEX referral_joint_partner_key`);
    await q.query(`ALTER TABLE referral DROP COLUMN joint_claim_reason`);
    await q.query(`ALTER TABLE referral DROP COLUMN joint_claimant_referral_id`);
    await q.query(`DROP TABLE referral_claimant`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeInboxKinds } from '../src/db/migration-helpers';

const KINDS = ['CIRCUMSTANCE_CHANGE_ACTIONED', 'COMPLIANCE_DOUBT_OVERTAKEN'];

/**
 * Changes of circumstances both ways (issue 15, item 1; 002:1214, 002:1650, 002:1926, 002:2174):
 * - `circumstance_change` gains a kind (existing rows, filed from CHANGE_OF_CIRCUMSTANCES doubts,
 *   are OTHER), the new values where a kind has them (benefit, address, phone, email, consent),
 *   and the Jobcentre's answer to a provider's report (actioned or not, a note, who and when);
 *   its description becomes optional (a structured change says what changed by itself).
 * - `compliance_doubt.overtaken_by`: a submitted doubt that a later report of a status change
 *   (benefit ended or changed, conditionality changed) on or before its failure day overtook.
 * - the inbox kinds CIRCUMSTANCE_CHANGE_ACTIONED and COMPLIANCE_DOUBT_OVERTAKEN.
 * The API may now update a change's answer columns (the Jobcentre's answer) and a referral's copy of
 * the claimant's contact details and consent (the Jobcentre's change). Nothing existing is rewritten.
 */
export class CircumstanceChanges1795434000001 implements MigrationInterface {
  name = 'CircumstanceChanges1795434000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE circumstance_change
      ADD COLUMN kind text NOT NULL DEFAULT 'OTHER' CHECK (kind IN ('ADDRESS', 'PHONE', 'EMAIL', 'BENEFIT_ENDED', 'BENEFIT_CHANGED',
        'CONDITIONALITY_CHANGED', 'CONSENT_CHANGED', 'IN_CUSTODY', 'HOSPITAL', 'DECEASED', 'MOVED_AREA', 'OTHER')),
      ADD COLUMN benefit_ended_reason text CHECK (benefit_ended_reason IN ('WORK', 'OTHER')),
      ADD COLUMN benefit_from text CHECK (benefit_from IN ('JSA', 'ESA', 'IB_IS')),
      ADD COLUMN benefit_to text CHECK (benefit_to IN ('JSA', 'ESA', 'IB_IS')),
      ADD COLUMN address jsonb,
      ADD COLUMN phone text,
      ADD COLUMN email text,
      ADD COLUMN consent_to_share_health boolean,
      ADD COLUMN action text CHECK (action IN ('ACTIONED', 'NOT_ACTIONED')),
      ADD COLUMN action_note text,
      ADD COLUMN actioned_at timestamptz,
      ADD COLUMN actioned_by uuid REFERENCES organisation (id),
      ALTER COLUMN description DROP NOT NULL`);
    // Status changes of a referral, by effective day: the doubt check and the overtaking flag read them.
    await q.query(`CREATE INDEX circumstance_change_status_idx ON circumstance_change (referral_id, effective_on)
      WHERE kind IN ('BENEFIT_ENDED', 'BENEFIT_CHANGED', 'CONDITIONALITY_CHANGED')`);
    // The API updates a change only to record the Jobcentre's answer; the Jobcentre's change updates what its referral was sent with.
    await q.query(`GRANT UPDATE (action, action_note, actioned_at, actioned_by) ON circumstance_change TO scx_api`);
    await q.query(`GRANT UPDATE (address, phone, email, consent_to_share_health) ON referral_claimant TO scx_api`);
    await q.query(`ALTER TABLE compliance_doubt ADD COLUMN overtaken_by uuid REFERENCES circumstance_change (id)`);
    await changeInboxKinds(q, (kinds) => [...kinds, ...KINDS]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inbox_item WHERE kind = ANY($1)`, [KINDS]);
    await changeInboxKinds(q, (kinds) => kinds.filter((kind) => !KINDS.includes(kind)));
    await q.query(`ALTER TABLE compliance_doubt DROP COLUMN overtaken_by`);
    await q.query(`REVOKE UPDATE (address, phone, email, consent_to_share_health) ON referral_claimant FROM scx_api`);
    await q.query(`REVOKE UPDATE (action, action_note, actioned_at, actioned_by) ON circumstance_change FROM scx_api`);
    await q.query(`DROP INDEX circumstance_change_status_idx`);
    await q.query(`UPDATE circumstance_change SET description = kind WHERE description IS NULL`);
    await q.query(`ALTER TABLE circumstance_change
      DROP COLUMN kind, DROP COLUMN benefit_ended_reason, DROP COLUMN benefit_from, DROP COLUMN benefit_to, DROP COLUMN address,
      DROP COLUMN phone, DROP COLUMN email, DROP COLUMN consent_to_share_health, DROP COLUMN action, DROP COLUMN action_note,
      DROP COLUMN actioned_at, DROP COLUMN actioned_by, ALTER COLUMN description SET NOT NULL`);
  }
}

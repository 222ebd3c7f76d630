import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conditionality as the research describes it (issue 14, item 3; DOMAIN.md journey step 7):
 * - `sanction_regime`: the sanction lengths in force per benefit from a date, as data. The
 *   Decision Maker sets a sanction's length; the exchange only suggests one from these rows.
 *   JSA 2011–12: 2, 4, then 26 weeks (002:1892, most were two weeks 002:2168); JSA from
 *   22 October 2012 (public record, lower-level failures): 4 weeks, then 13 for a repeat within
 *   52 weeks. ESA sanctions are reductions of another kind: no row, so no suggestion.
 * - `compliance_doubt` records where a sanction's length came from, and why one was not applied.
 *   Existing applied sanctions had their length computed by the exchange: SUGGESTED.
 * - `circumstance_change`: a change of circumstances (WP07) is a notification to the referring
 *   Jobcentre, never a doubt; raising a CHANGE_OF_CIRCUMSTANCES doubt now files one of these.
 *   Existing CHANGE_OF_CIRCUMSTANCES doubts stay as they are (the service refuses to sanction one).
 */
export class Conditionality1795429000000 implements MigrationInterface {
  name = 'Conditionality1795429000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sanction_regime (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        benefit             text NOT NULL CHECK (benefit IN ('JSA', 'ESA', 'IB_IS')),
        effective_from      date NOT NULL,
        weeks               int[] NOT NULL CHECK (cardinality(weeks) > 0 AND 0 < ALL (weeks) AND 156 >= ALL (weeks)),
        repeat_within_weeks int CHECK (repeat_within_weeks > 0),
        source              text NOT NULL,
        CONSTRAINT sanction_regime_key UNIQUE (benefit, effective_from)
      )`);
    await q.query(`INSERT INTO sanction_regime (benefit, effective_from, weeks, repeat_within_weeks, source) VALUES
      ('JSA', '2011-06-01', '{2,4,26}', NULL, '002:1892: two weeks for an initial sanction, followed by four weeks and then for 26 weeks'),
      ('JSA', '2012-10-22', '{4,13}', 52, 'Public record: JSA lower-level failures from 22 October 2012, 4 weeks, then 13 for a repeat within 52 weeks')`);
    await q.query(`GRANT SELECT ON sanction_regime TO scx_api`);

    await q.query(`ALTER TABLE compliance_doubt
      ADD COLUMN sanction_weeks_source text CHECK (sanction_weeks_source IN ('SUGGESTED', 'DECISION_MAKER')),
      ADD COLUMN not_applied_reason text CHECK (not_applied_reason IN ('WRONG_ADDRESS', 'SHORT_NOTICE', 'NOT_IN_WRITING',
        'STATUS_CHANGED', 'GOOD_REASON', 'VOLUNTARY', 'OTHER'))`);
    await q.query(`UPDATE compliance_doubt SET sanction_weeks_source = 'SUGGESTED' WHERE sanction_weeks IS NOT NULL`);
    await q.query(`ALTER TABLE compliance_doubt ADD CONSTRAINT compliance_doubt_weeks_source_check
      CHECK ((sanction_weeks IS NULL) = (sanction_weeks_source IS NULL))`);

    await q.query(`
      CREATE TABLE circumstance_change (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id   uuid NOT NULL REFERENCES referral (id),
        reported_by   uuid NOT NULL REFERENCES organisation (id),
        reported_at   timestamptz NOT NULL DEFAULT now(),
        effective_on  date NOT NULL,
        description   text NOT NULL
      )`);
    await q.query(`CREATE INDEX circumstance_change_referral_idx ON circumstance_change (referral_id, reported_at)`);
    await q.query(`GRANT SELECT, INSERT ON circumstance_change TO scx_api`);
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      const transition = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await q.query(`CREATE TRIGGER audit_${event.toLowerCase()} AFTER ${event} ON circumstance_change REFERENCING ${transition}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
    }

    await q.query(`ALTER TABLE inbox_item ADD COLUMN circumstance_change_id uuid REFERENCES circumstance_change (id)`);
    await q.query(`ALTER TABLE inbox_item DROP CONSTRAINT inbox_item_kind_check`);
    await q.query(`ALTER TABLE inbox_item ADD CONSTRAINT inbox_item_kind_check CHECK (kind IN (${KINDS.concat('CIRCUMSTANCES_CHANGED').map((k) => `'${k}'`).join(', ')}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inbox_item WHERE kind = 'CIRCUMSTANCES_CHANGED'`);
    await q.query(`ALTER TABLE inbox_item DROP CONSTRAINT inbox_item_kind_check`);
    await q.query(`ALTER TABLE inbox_item ADD CONSTRAINT inbox_item_kind_check CHECK (kind IN (${KINDS.map((k) => `'${k}'`).join(', ')}))`);
    await q.query(`ALTER TABLE inbox_item DROP COLUMN circumstance_change_id`);
    await q.query(`DROP TABLE circumstance_change`);
    await q.query(`ALTER TABLE compliance_doubt DROP CONSTRAINT compliance_doubt_weeks_source_check,
      DROP COLUMN sanction_weeks_source, DROP COLUMN not_applied_reason`);
    await q.query(`DROP TABLE sanction_regime`);
  }
}

/** The inbox kinds before this migration. */
const KINDS = ['REFERRAL_ALLOCATED', 'REFERRAL_REJECTED', 'HANDOFF_OFFERED', 'HANDOFF_RESPONDED', 'HANDOFF_ENDED', 'COMPLIANCE_DOUBT_RAISED',
  'COMPLIANCE_DOUBT_SUBMITTED', 'COMPLIANCE_DOUBT_RETURNED', 'COMPLIANCE_DECISION', 'COMPLIANCE_DOUBT_WITHDRAWN', 'SERVICE_STANDARDS_PUBLISHED'];

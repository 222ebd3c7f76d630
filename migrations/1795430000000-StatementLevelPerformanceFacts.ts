import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new referral's `referral_performance` row, written once per INSERT statement from its
 * transition table instead of once per row: a batch of 500 referrals runs one INSERT … SELECT
 * and looks up each of its (contract, payment group, district) cells once, not 500 plpgsql calls
 * and 500 cell look-ups. Changes to a referral (its contract, its attachment) stay per row.
 */
export class StatementLevelPerformanceFacts1795430000000 implements MigrationInterface {
  name = 'StatementLevelPerformanceFacts1795430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER referral_performance_on_referral ON referral`);
    await q.query(`
      CREATE FUNCTION referral_performance_on_referrals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO referral_performance (referral_id, referred_on, cell_id, attached)
        WITH cells AS MATERIALIZED (
          SELECT contract_id, payment_group, jobcentre_district,
                 performance_cell_for(contract_id, payment_group, jobcentre_district, NULL) AS cell_id
            FROM (SELECT DISTINCT contract_id, payment_group, jobcentre_district FROM inserted) cell
        )
        SELECT n.id, n.referred_on, cells.cell_id, n.attached_on IS NOT NULL
          FROM inserted n JOIN cells USING (contract_id, payment_group, jobcentre_district);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_referrals_inserted AFTER INSERT ON referral
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION referral_performance_on_referrals_inserted()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION referral_performance_on_referral() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A referral moved to another prime leaves the old prime's chain behind.
        UPDATE referral_performance SET attached = NEW.attached_on IS NOT NULL,
          cell_id = CASE WHEN NEW.contract_id = OLD.contract_id THEN cell_id
                         ELSE performance_cell_for(NEW.contract_id, NEW.payment_group, NEW.jobcentre_district, NULL) END
        WHERE referral_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_referral AFTER UPDATE OF contract_id, attached_on ON referral
      FOR EACH ROW EXECUTE FUNCTION referral_performance_on_referral()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER referral_performance_on_referral ON referral`);
    await q.query(`DROP TRIGGER referral_performance_on_referrals_inserted ON referral`);
    await q.query(`DROP FUNCTION referral_performance_on_referrals_inserted()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION referral_performance_on_referral() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO referral_performance (referral_id, referred_on, cell_id, attached)
          VALUES (NEW.id, NEW.referred_on, performance_cell_for(NEW.contract_id, NEW.payment_group, NEW.jobcentre_district, NULL),
            NEW.attached_on IS NOT NULL);
        ELSE
          -- A referral moved to another prime leaves the old prime's chain behind.
          UPDATE referral_performance SET attached = NEW.attached_on IS NOT NULL,
            cell_id = CASE WHEN NEW.contract_id = OLD.contract_id THEN cell_id
                           ELSE performance_cell_for(NEW.contract_id, NEW.payment_group, NEW.jobcentre_district, NULL) END
          WHERE referral_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_referral AFTER INSERT OR UPDATE OF contract_id, attached_on ON referral
      FOR EACH ROW EXECUTE FUNCTION referral_performance_on_referral()`);
  }
}

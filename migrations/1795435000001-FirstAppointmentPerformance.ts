import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Performance facts of first appointments (issue 15, item 2), kept in `referral_performance` like
 * the rest, in the events' own transactions:
 * - `days_to_first_appointment`: from the referral to the first attended first appointment;
 * - `days_to_attachment`: from the referral to the attachment;
 * - `first_appointment_attended`: whether the participant came to the first booked appointment
 *   that was held (attended or missed; a rescheduled one was not held, one the attachment recorded
 *   was not booked); null while none was.
 * The referral triggers of StatementLevelPerformanceFacts are replaced to keep `days_to_attachment`
 * too (down restores them); the facts of referrals attached before this are filled in here.
 */
export class FirstAppointmentPerformance1795435000001 implements MigrationInterface {
  name = 'FirstAppointmentPerformance1795435000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral_performance
      ADD COLUMN days_to_first_appointment smallint,
      ADD COLUMN days_to_attachment smallint,
      ADD COLUMN first_appointment_attended boolean`);
    await q.query(`UPDATE referral_performance rp SET days_to_attachment = r.attached_on - r.referred_on
      FROM referral r WHERE r.id = rp.referral_id AND r.attached_on IS NOT NULL`);

    await q.query(`
      CREATE OR REPLACE FUNCTION referral_performance_on_referrals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO referral_performance (referral_id, referred_on, cell_id, attached, days_to_attachment)
        WITH cells AS MATERIALIZED (
          SELECT contract_id, payment_group, jobcentre_district,
                 performance_cell_for(contract_id, payment_group, jobcentre_district, NULL) AS cell_id
            FROM (SELECT DISTINCT contract_id, payment_group, jobcentre_district FROM inserted) cell
        )
        SELECT n.id, n.referred_on, cells.cell_id, n.attached_on IS NOT NULL, n.attached_on - n.referred_on
          FROM inserted n JOIN cells USING (contract_id, payment_group, jobcentre_district);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION referral_performance_on_referral() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A referral moved to another prime leaves the old prime's chain behind.
        UPDATE referral_performance SET attached = NEW.attached_on IS NOT NULL, days_to_attachment = NEW.attached_on - NEW.referred_on,
          cell_id = CASE WHEN NEW.contract_id = OLD.contract_id THEN cell_id
                         ELSE performance_cell_for(NEW.contract_id, NEW.payment_group, NEW.jobcentre_district, NULL) END
        WHERE referral_id = NEW.id;
        RETURN NULL;
      END $$`);

    // Once per statement: a batch of history writes its appointments in one INSERT.
    await q.query(`
      CREATE FUNCTION referral_performance_on_first_appointments() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE referral_performance rp SET
          days_to_first_appointment = (SELECT min((fa.starts_at AT TIME ZONE 'UTC')::date) - rp.referred_on FROM first_appointment fa
                                        WHERE fa.referral_id = rp.referral_id AND fa.outcome = 'ATTENDED'),
          first_appointment_attended = (SELECT fa.outcome = 'ATTENDED' FROM first_appointment fa
                                         WHERE fa.referral_id = rp.referral_id AND fa.outcome IN ('ATTENDED', 'DID_NOT_ATTEND') AND NOT fa.at_attachment
                                         ORDER BY fa.starts_at, fa.booked_at LIMIT 1)
         WHERE rp.referral_id IN (SELECT DISTINCT referral_id FROM changed);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_first_appointment_inserted AFTER INSERT ON first_appointment
      REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION referral_performance_on_first_appointments()`);
    await q.query(`CREATE TRIGGER referral_performance_on_first_appointment_updated AFTER UPDATE ON first_appointment
      REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION referral_performance_on_first_appointments()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER referral_performance_on_first_appointment_updated ON first_appointment`);
    await q.query(`DROP TRIGGER referral_performance_on_first_appointment_inserted ON first_appointment`);
    await q.query(`DROP FUNCTION referral_performance_on_first_appointments()`);
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
    await q.query(`
      CREATE OR REPLACE FUNCTION referral_performance_on_referrals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await q.query(`ALTER TABLE referral_performance DROP COLUMN days_to_first_appointment, DROP COLUMN days_to_attachment,
      DROP COLUMN first_appointment_attended`);
  }
}

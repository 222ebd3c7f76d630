import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeInboxKinds } from '../src/db/migration-helpers';

const API_ROLE = 'scx_api';
const KINDS = ['FIRST_APPOINTMENT_MISSED', 'NOT_STARTED'];

/**
 * First appointments and the warm handover (issue 15, item 2; DOMAIN.md journey step 3; 002:1230,
 * 004:191):
 * - `first_appointment`: booked by the Jobcentre when referring or by the prime after allocation,
 *   its outcome recorded by the provider; a RESCHEDULED one points at the booking that replaced it.
 *   One the attachment recorded (`at_attachment`: a partner that books none) has no channel.
 *   At most one booking waits for its outcome (`first_appointment_pending_key`).
 * - `referral_not_started`: the referrals flagged NOT_STARTED, once each.
 * - `programme.not_started_days`: the days from referral after which a referral not attached is
 *   flagged (programme data, 15 by default); `referral_not_started_due` serves the job's scan.
 * - the inbox kinds FIRST_APPOINTMENT_MISSED and NOT_STARTED.
 * Existing data: nothing is rewritten. Referrals attached before this have no first appointment
 * (the attachment recorded none); referrals waiting to start are flagged by the job's first run.
 */
export class FirstAppointments1795435000000 implements MigrationInterface {
  name = 'FirstAppointments1795435000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE first_appointment (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id         uuid NOT NULL REFERENCES referral (id),
        starts_at           timestamptz NOT NULL,
        channel             text CHECK (channel IN ('IN_PERSON', 'TELEPHONE', 'VIDEO')),
        place               text CHECK (length(place) <= 200),
        three_way           boolean NOT NULL DEFAULT false,
        booked_by           uuid NOT NULL REFERENCES organisation (id),
        booked_at           timestamptz NOT NULL DEFAULT now(),
        outcome             text CHECK (outcome IN ('ATTENDED', 'DID_NOT_ATTEND', 'RESCHEDULED')),
        outcome_recorded_by uuid REFERENCES organisation (id),
        outcome_recorded_at timestamptz,
        rescheduled_to_id   uuid REFERENCES first_appointment (id),
        at_attachment       boolean NOT NULL DEFAULT false,
        CONSTRAINT first_appointment_recorded_check CHECK ((outcome IS NULL) = (outcome_recorded_at IS NULL)),
        -- Only a rescheduled booking points at the one that replaced it.
        CONSTRAINT first_appointment_rescheduled_check CHECK (rescheduled_to_id IS NULL OR outcome = 'RESCHEDULED')
      )`);
    // Referral.firstAppointments (firstAppointmentsByReferral) and the attachment's check.
    await q.query(`CREATE INDEX first_appointment_referral_idx ON first_appointment (referral_id, starts_at)`);
    await q.query(`CREATE UNIQUE INDEX first_appointment_pending_key ON first_appointment (referral_id) WHERE outcome IS NULL`);
    await q.query(`CREATE TRIGGER audit_insert AFTER INSERT ON first_appointment REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
    await q.query(`CREATE TRIGGER audit_update AFTER UPDATE ON first_appointment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
    await q.query(`CREATE TRIGGER audit_delete AFTER DELETE ON first_appointment REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);

    await q.query(`
      CREATE TABLE referral_not_started (
        referral_id uuid PRIMARY KEY REFERENCES referral (id),
        flagged_on  date NOT NULL,
        flagged_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE programme ADD COLUMN not_started_days int NOT NULL DEFAULT 15 CONSTRAINT programme_not_started_days_check CHECK (not_started_days > 0)`);
    await q.query(`CREATE INDEX referral_not_started_due ON referral (referred_on) WHERE status IN ('ALLOCATED', 'ACKNOWLEDGED')`);
    await changeInboxKinds(q, (kinds) => [...kinds, ...KINDS]);

    await q.query(`GRANT SELECT, INSERT, UPDATE ON first_appointment TO ${API_ROLE}`);
    await q.query(`GRANT SELECT, INSERT ON referral_not_started TO ${API_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inbox_item WHERE kind = ANY($1)`, [KINDS]);
    await changeInboxKinds(q, (kinds) => kinds.filter((kind) => !KINDS.includes(kind)));
    await q.query(`DROP INDEX referral_not_started_due`);
    await q.query(`ALTER TABLE programme DROP COLUMN not_started_days`);
    await q.query(`DROP TABLE referral_not_started`);
    await q.query(`DROP TABLE first_appointment`);
  }
}

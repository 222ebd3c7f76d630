import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Minimum service standards (versioned sets per prime contract) and the contacts the chain
 * records, from which compliance with the standards is measured.
 */
export class StandardsAndContacts1795421000000 implements MigrationInterface {
  name = 'StandardsAndContacts1795421000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service_standard (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id     uuid NOT NULL REFERENCES prime_contract (id),
        -- Each publication is a new version that replaces the whole set; older ones stay, superseded.
        version         int NOT NULL,
        payment_group   text CHECK (payment_group IN ('JSA_18_24', 'JSA_25_PLUS', 'JSA_EARLY_ACCESS', 'JSA_EX_IB',
          'ESA_VOLUNTEER', 'ESA_NEW_CLAIMANT', 'ESA_EX_IB', 'IB_IS', 'JSA_PRISON_LEAVER')),
        metric          text NOT NULL CHECK (metric IN ('FIRST_CONTACT_WITHIN_DAYS', 'CONTACT_INTERVAL_DAYS',
          'ACTION_PLAN_REVIEW_INTERVAL_DAYS', 'IN_WORK_CONTACT_INTERVAL_DAYS')),
        threshold_days  int NOT NULL CHECK (threshold_days > 0),
        scope           text NOT NULL CHECK (scope IN ('ALL_PARTICIPANTS', 'PERCENT_OF_PARTICIPANTS')),
        minimum_percent int CHECK (minimum_percent BETWEEN 1 AND 100),
        description     text NOT NULL CHECK (btrim(description) <> ''),
        published_at    timestamptz NOT NULL DEFAULT now(),
        superseded_at   timestamptz,
        CONSTRAINT service_standard_percent_check
          CHECK ((scope = 'PERCENT_OF_PARTICIPANTS') = (minimum_percent IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX service_standard_contract_idx ON service_standard (contract_id, version)`);

    await q.query(`
      CREATE TABLE contact (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referral (id),
        recorded_by uuid NOT NULL REFERENCES organisation (id),
        occurred_at timestamptz NOT NULL,
        channel     text NOT NULL CHECK (channel IN ('FACE_TO_FACE', 'TELEPHONE', 'VIDEO', 'GROUP', 'WRITTEN')),
        kind        text NOT NULL CHECK (kind IN ('INITIAL_MEETING', 'ADVISER_CONTACT', 'ACTION_PLAN_REVIEW', 'IN_WORK_SUPPORT')),
        attended    boolean NOT NULL,
        note        text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        -- The same contact recorded twice is one contact: recording is idempotent.
        CONSTRAINT contact_once_key UNIQUE (referral_id, occurred_at, kind, recorded_by)
      )`);
    // Compliance reads a referral's attended contacts of some kinds in date order.
    await q.query(`CREATE INDEX contact_attended_idx ON contact (referral_id, kind, occurred_at) WHERE attended`);
    // Referral.contacts pages a referral's contacts by time.
    await q.query(`CREATE INDEX contact_referral_time_idx ON contact (referral_id, occurred_at, id)`);

    // SERVICE_STANDARDS_PUBLISHED items point at the contract whose standards changed.
    await q.query(`ALTER TABLE inbox_item ADD COLUMN contract_id uuid REFERENCES prime_contract (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbox_item DROP COLUMN contract_id`);
    await q.query(`DROP TABLE contact`);
    await q.query(`DROP TABLE service_standard`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity (organisations, API keys) and the contract registry (CPAs, prime contracts,
 * supply chains, market shares). Enumerations are text with CHECK constraints so that a new
 * value is a one-line migration. Indexes follow the reads: every relation the GraphQL layer
 * batches through DataLoader is looked up by its foreign key.
 */
export class Foundation1795415014700 implements MigrationInterface {
  name = 'Foundation1795415014700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name       text NOT NULL CHECK (btrim(name) <> ''),
        kind       text NOT NULL CHECK (kind IN ('DWP', 'JOBCENTRE', 'PROVIDER')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One organisation per name and kind, whatever the letter case.
    await q.query(`CREATE UNIQUE INDEX organisation_kind_name_key ON organisation (kind, lower(name))`);

    await q.query(`
      CREATE TABLE api_key (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation (id),
        role            text NOT NULL CHECK (role IN ('ADMIN', 'JOBCENTRE', 'DECISION_MAKER', 'PROVIDER', 'ANALYST')),
        label           text,
        secret_hash     text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    // Every authenticated request looks its key up by hash.
    await q.query(`CREATE UNIQUE INDEX api_key_secret_hash_key ON api_key (secret_hash)`);
    await q.query(`CREATE INDEX api_key_organisation_id_idx ON api_key (organisation_id)`);

    await q.query(`
      CREATE TABLE cpa (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code       int NOT NULL CHECK (code > 0),
        name       text NOT NULL CHECK (btrim(name) <> ''),
        nation     text NOT NULL CHECK (nation IN ('ENGLAND', 'SCOTLAND', 'WALES')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT cpa_code_key UNIQUE (code)
      )`);

    await q.query(`
      CREATE TABLE prime_contract (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference  text NOT NULL CHECK (btrim(reference) <> ''),
        cpa_id     uuid NOT NULL REFERENCES cpa (id),
        prime_id   uuid NOT NULL REFERENCES organisation (id),
        starts_on  date NOT NULL,
        ends_on    date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prime_contract_reference_key UNIQUE (reference),
        CONSTRAINT prime_contract_dates_check CHECK (ends_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX prime_contract_cpa_id_idx ON prime_contract (cpa_id, starts_on)`);
    await q.query(`CREATE INDEX prime_contract_prime_id_idx ON prime_contract (prime_id)`);

    await q.query(`
      CREATE TABLE subcontract (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id      uuid NOT NULL REFERENCES prime_contract (id),
        subcontractor_id uuid NOT NULL REFERENCES organisation (id),
        delivery_model   text NOT NULL
          CHECK (delivery_model IN ('END_TO_END', 'SPECIALIST_END_TO_END', 'SPOT', 'IN_WORK_SUPPORT')),
        specialisms      text[] NOT NULL DEFAULT '{}',
        parent_id        uuid,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT subcontract_place_key UNIQUE (contract_id, subcontractor_id, delivery_model),
        CONSTRAINT subcontract_id_contract_key UNIQUE (id, contract_id),
        -- A parent place must be on the same prime contract: the database holds that rule too.
        CONSTRAINT subcontract_parent_same_contract_fkey
          FOREIGN KEY (parent_id, contract_id) REFERENCES subcontract (id, contract_id)
      )`);
    await q.query(`CREATE INDEX subcontract_subcontractor_id_idx ON subcontract (subcontractor_id)`);

    await q.query(`
      CREATE TABLE market_share (
        contract_id        uuid NOT NULL REFERENCES prime_contract (id),
        payment_group      text NOT NULL CHECK (payment_group IN ('JSA_18_24', 'JSA_25_PLUS', 'JSA_EARLY_ACCESS',
          'JSA_EX_IB', 'ESA_VOLUNTEER', 'ESA_NEW_CLAIMANT', 'ESA_EX_IB', 'IB_IS', 'JSA_PRISON_LEAVER')),
        effective_from     date NOT NULL,
        share_basis_points int NOT NULL CHECK (share_basis_points BETWEEN 0 AND 10000),
        -- Also serves "the share in force on a date": contract, group, latest effective_from <= date.
        PRIMARY KEY (contract_id, payment_group, effective_from)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE market_share`);
    await q.query(`DROP TABLE subcontract`);
    await q.query(`DROP TABLE prime_contract`);
    await q.query(`DROP TABLE cpa`);
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE organisation`);
  }
}

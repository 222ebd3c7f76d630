import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participants, referrals and their allocations. The database decides what must never happen
 * twice: one participant per NINO, one referral per Jobcentre and clientReference, one live
 * referral per participant — so concurrent submissions cannot duplicate anything.
 */
export class Referrals1795416800000 implements MigrationInterface {
  name = 'Referrals1795416800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE participant (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nino                    text NOT NULL CHECK (nino ~ '^[A-Z]{2}[0-9]{6}[A-D]$'),
        given_name              text NOT NULL,
        family_name             text NOT NULL,
        date_of_birth           date NOT NULL,
        address                 jsonb,
        phone                   text,
        email                   text,
        disabled                boolean,
        welsh_language          boolean,
        -- Special-category data, AES-256-GCM ciphertext (src/db/field-encryption.ts).
        health_encrypted        text,
        risk_markers_encrypted  text,
        consent_to_share_health boolean NOT NULL,
        restricted              boolean NOT NULL DEFAULT false,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT participant_nino_key UNIQUE (nino)
      )`);

    await q.query(`
      CREATE TABLE referral (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Keyset pagination order: stable, and the order referrals arrived in.
        seq                bigint GENERATED ALWAYS AS IDENTITY,
        jobcentre_id       uuid NOT NULL REFERENCES organisation (id),
        client_reference   text NOT NULL CHECK (btrim(client_reference) <> ''),
        participant_id     uuid NOT NULL REFERENCES participant (id),
        cpa_id             uuid NOT NULL REFERENCES cpa (id),
        jobcentre_district text NOT NULL,
        payment_group      text NOT NULL CHECK (payment_group IN ('JSA_18_24', 'JSA_25_PLUS', 'JSA_EARLY_ACCESS',
          'JSA_EX_IB', 'ESA_VOLUNTEER', 'ESA_NEW_CLAIMANT', 'ESA_EX_IB', 'IB_IS', 'JSA_PRISON_LEAVER')),
        participation_mode text NOT NULL CHECK (participation_mode IN ('MANDATORY', 'VOLUNTARY')),
        referred_on        date NOT NULL,
        status             text NOT NULL CHECK (status IN ('ALLOCATED', 'ACKNOWLEDGED', 'REJECTED', 'ATTACHED', 'EXITED')),
        -- The allocation in force; every allocation, with its draw, is kept in referral_allocation.
        contract_id        uuid NOT NULL REFERENCES prime_contract (id),
        acknowledged_at    timestamptz,
        rejection_reason   text CHECK (rejection_reason IN ('INELIGIBLE', 'WRONG_PROGRAMME', 'DUPLICATE',
          'REFERRED_TO_ANOTHER_PROVIDER', 'ALREADY_IN_WORK', 'OTHER')),
        rejection_note     text,
        rejected_at        timestamptz,
        attached_on        date,
        allotted_until     date,
        exit_reason        text CHECK (exit_reason IN ('ALLOTTED_TIME_ENDED', 'FINAL_PAYMENT_CLAIMED', 'LEFT_BENEFIT',
          'MOVED_TO_OTHER_PROVISION', 'OTHER')),
        exited_on          date,
        created_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT referral_client_reference_key UNIQUE (jobcentre_id, client_reference),
        CONSTRAINT referral_seq_key UNIQUE (seq)
      )`);
    // One live referral per participant; rejected and exited ones are history.
    await q.query(`CREATE UNIQUE INDEX referral_live_participant_key ON referral (participant_id)
      WHERE status IN ('ALLOCATED', 'ACKNOWLEDGED', 'ATTACHED')`);
    // A prime's referrals and a Jobcentre's, newest first, by keyset.
    await q.query(`CREATE INDEX referral_contract_seq_idx ON referral (contract_id, seq)`);
    await q.query(`CREATE INDEX referral_jobcentre_seq_idx ON referral (jobcentre_id, seq)`);
    // allocationCheck: a CPA's referrals by date.
    await q.query(`CREATE INDEX referral_cpa_referred_on_idx ON referral (cpa_id, referred_on)`);
    await q.query(`CREATE INDEX referral_participant_id_idx ON referral (participant_id)`);

    await q.query(`
      CREATE TABLE referral_allocation (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id  uuid NOT NULL REFERENCES referral (id),
        contract_id  uuid NOT NULL REFERENCES prime_contract (id),
        method       text NOT NULL CHECK (method IN ('RANDOM', 'JOINT_CLAIM', 'MANUAL_OVERRIDE')),
        reason       text,
        -- RANDOM: the draw (0 <= draw < total of the shares) and the shares it was drawn against,
        -- [{"contractId", "shareBasisPoints"}] in the order the draw walked them, for audit.
        draw         int,
        shares       jsonb,
        allocated_by uuid NOT NULL REFERENCES organisation (id),
        allocated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT referral_allocation_random_audit_check CHECK (method <> 'RANDOM' OR (draw IS NOT NULL AND shares IS NOT NULL)),
        CONSTRAINT referral_allocation_reason_check CHECK (method <> 'MANUAL_OVERRIDE' OR btrim(reason) <> '')
      )`);
    await q.query(`CREATE INDEX referral_allocation_referral_idx ON referral_allocation (referral_id, allocated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE referral_allocation`);
    await q.query(`DROP TABLE referral`);
    await q.query(`DROP TABLE participant`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Handoffs along the supply chain, and the inbox: every event addressed to an organisation,
 * written in the same transaction as the change that caused it (a transactional outbox).
 */
export class ChainAndInbox1795420000000 implements MigrationInterface {
  name = 'ChainAndInbox1795420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handoff (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id          uuid NOT NULL REFERENCES referral (id),
        from_organisation_id uuid NOT NULL REFERENCES organisation (id),
        to_organisation_id   uuid NOT NULL REFERENCES organisation (id),
        -- The receiver's place in the chain the handoff was made to.
        subcontract_id       uuid NOT NULL REFERENCES subcontract (id),
        purpose              text NOT NULL CHECK (purpose IN ('END_TO_END_DELIVERY', 'SPECIALIST_SUPPORT', 'SPOT_PROVISION', 'IN_WORK_SUPPORT')),
        status               text NOT NULL CHECK (status IN ('OFFERED', 'ACCEPTED', 'DECLINED', 'COMPLETED', 'WITHDRAWN')),
        shared_fields        text[] NOT NULL DEFAULT '{}'
          CHECK (shared_fields <@ ARRAY['CONTACT_DETAILS', 'HEALTH', 'RISK_MARKERS', 'ACTION_PLAN', 'EMPLOYMENT_HISTORY']),
        note                 text,
        offered_at           timestamptz NOT NULL DEFAULT now(),
        responded_at         timestamptz,
        decline_reason       text,
        ended_at             timestamptz,
        feedback             text,
        withdrawn_reason     text,
        CONSTRAINT handoff_not_to_self_check CHECK (from_organisation_id <> to_organisation_id)
      )`);
    // One live end-to-end handoff per referral at a time: the database decides races.
    await q.query(`CREATE UNIQUE INDEX handoff_live_end_to_end_key ON handoff (referral_id)
      WHERE purpose = 'END_TO_END_DELIVERY' AND status IN ('OFFERED', 'ACCEPTED')`);
    await q.query(`CREATE INDEX handoff_referral_idx ON handoff (referral_id, offered_at)`);
    // A subcontractor's reads: the referrals handed to it while the handoff lives.
    await q.query(`CREATE INDEX handoff_live_receiver_idx ON handoff (to_organisation_id, referral_id)
      WHERE status IN ('OFFERED', 'ACCEPTED')`);

    // The last cursor given out per organisation. Taking the next ones locks the row until
    // commit, so one organisation's items commit in cursor order and a reader never skips one.
    await q.query(`
      CREATE TABLE inbox_counter (
        organisation_id uuid PRIMARY KEY REFERENCES organisation (id),
        last_seq        bigint NOT NULL
      )`);
    await q.query(`
      CREATE TABLE inbox_item (
        organisation_id     uuid NOT NULL REFERENCES organisation (id),
        seq                 bigint NOT NULL,
        kind                text NOT NULL CHECK (kind IN ('REFERRAL_ALLOCATED', 'REFERRAL_REJECTED', 'HANDOFF_OFFERED',
          'HANDOFF_RESPONDED', 'HANDOFF_ENDED', 'COMPLIANCE_DOUBT_RAISED', 'COMPLIANCE_DOUBT_SUBMITTED',
          'COMPLIANCE_DOUBT_RETURNED', 'COMPLIANCE_DECISION', 'SERVICE_STANDARDS_PUBLISHED')),
        referral_id         uuid REFERENCES referral (id),
        handoff_id          uuid REFERENCES handoff (id),
        occurred_at         timestamptz NOT NULL DEFAULT now(),
        -- Reading an organisation's inbox from a cursor is a range scan of this key.
        PRIMARY KEY (organisation_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox_item`);
    await q.query(`DROP TABLE inbox_counter`);
    await q.query(`DROP TABLE handoff`);
  }
}

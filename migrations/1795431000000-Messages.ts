import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeInboxKinds } from '../src/db/migration-helpers';

const API_ROLE = 'scx_api';
const KIND = 'REFERRAL_MESSAGE';

/** Message threads about a referral between the referring Jobcentre and the chain; contact points per CPA. */
export class Messages1795431000000 implements MigrationInterface {
  name = 'Messages1795431000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_thread (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq         bigint GENERATED ALWAYS AS IDENTITY,
        referral_id uuid NOT NULL REFERENCES referral (id),
        topic       text NOT NULL CHECK (topic IN ('ATTENDANCE', 'SIGNING', 'CONTACT_DETAILS', 'ELIGIBILITY', 'COMPLAINT', 'OTHER')),
        subject     text,
        status      text NOT NULL CHECK (status IN ('OPEN', 'ANSWERED', 'CLOSED')),
        due_on      date,
        started_by  uuid NOT NULL REFERENCES organisation (id),
        started_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        closed_at   timestamptz,
        closed_by   uuid REFERENCES organisation (id),
        CONSTRAINT message_thread_seq_key UNIQUE (seq),
        -- The target of message's foreign key, which keeps a message on its thread's referral.
        CONSTRAINT message_thread_referral_key UNIQUE (id, referral_id),
        CONSTRAINT message_thread_closed_check CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
      )`);
    // Referral.messageThreads: a referral's threads in seq order (threadsByReferral).
    await q.query(`CREATE INDEX message_thread_referral_idx ON message_thread (referral_id, seq)`);

    await q.query(`
      CREATE TABLE message (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq                  bigint GENERATED ALWAYS AS IDENTITY,
        thread_id            uuid NOT NULL,
        -- The thread's, so that the audit trigger names the person without another join.
        referral_id          uuid NOT NULL,
        from_organisation_id uuid NOT NULL REFERENCES organisation (id),
        body                 text,
        sent_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT message_seq_key UNIQUE (seq),
        CONSTRAINT message_thread_fkey FOREIGN KEY (thread_id, referral_id) REFERENCES message_thread (id, referral_id)
      )`);
    // MessageThread.messages: a thread's messages in seq order (messagesByThread).
    await q.query(`CREATE INDEX message_thread_idx ON message (thread_id, seq)`);

    // Message bodies are about a person: every write is audited like the rest of the record.
    for (const table of ['message_thread', 'message']) {
      await q.query(`CREATE TRIGGER audit_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
      await q.query(`CREATE TRIGGER audit_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
      await q.query(`CREATE TRIGGER audit_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
    }

    // Staff contact points, not a participant's data: no audit trigger.
    await q.query(`
      CREATE TABLE contact_point (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation (id),
        cpa_id          uuid NOT NULL REFERENCES cpa (id),
        position        int NOT NULL CHECK (position >= 0 AND position < 10),
        name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        role            text CHECK (length(role) <= 100),
        email           text NOT NULL CHECK (length(email) <= 254),
        phone           text CHECK (length(phone) <= 30),
        -- Organisation.contactPoints: an organisation's, CPA by CPA, in its order.
        CONSTRAINT contact_point_position_key UNIQUE (organisation_id, cpa_id, position)
      )`);
    // Cpa.contactPoints.
    await q.query(`CREATE INDEX contact_point_cpa_idx ON contact_point (cpa_id, organisation_id, position)`);

    await q.query(`ALTER TABLE inbox_item ADD COLUMN message_thread_id uuid REFERENCES message_thread (id)`);
    await changeInboxKinds(q, (kinds) => [...kinds, KIND]);

    // A thread changes (status, closing); messages and their bodies are never changed; an
    // organisation's list of contact points is replaced whole.
    await q.query(`GRANT SELECT, INSERT, UPDATE ON message_thread TO ${API_ROLE}`);
    await q.query(`GRANT SELECT, INSERT ON message TO ${API_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, DELETE ON contact_point TO ${API_ROLE}`);
    await q.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${API_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inbox_item WHERE kind = '${KIND}'`);
    await changeInboxKinds(q, (kinds) => kinds.filter((kind) => kind !== KIND));
    await q.query(`ALTER TABLE inbox_item DROP COLUMN message_thread_id`);
    await q.query(`DROP TABLE contact_point`);
    await q.query(`DROP TABLE message`);
    await q.query(`DROP TABLE message_thread`);
  }
}

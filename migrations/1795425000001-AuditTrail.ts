import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables that hold a person's record, and how each row names its person. */
const PERSON_TABLES: Array<{ table: string; via: 'id' | 'participant_id' | 'referral_id' }> = [
  { table: 'participant', via: 'id' },
  { table: 'referral', via: 'participant_id' },
  { table: 'referral_allocation', via: 'referral_id' },
  { table: 'handoff', via: 'referral_id' },
  { table: 'contact', via: 'referral_id' },
  { table: 'compliance_doubt', via: 'referral_id' },
  { table: 'job_start', via: 'referral_id' },
  { table: 'payment', via: 'referral_id' },
];
const EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;
const ZERO_HASH = '0'.repeat(64);

/**
 * The audit trail: an append-only, hash-chained table of every read of a person's fields (written
 * by the API, one row per request) and every write to a person's record (written by triggers on
 * the person tables, one row per statement, whoever writes). docs/ARCHITECTURE.md, "Audit".
 */
export class AuditTrail1795425000001 implements MigrationInterface {
  name = 'AuditTrail1795425000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        -- Insertion order; the chain's order is seq, given at commit.
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seq             bigint CONSTRAINT audit_event_seq_key UNIQUE,
        prev_hash       text,
        hash            text,
        occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        action          text NOT NULL CHECK (action IN ('READ', 'INSERT', 'UPDATE', 'DELETE')),
        -- The table written, or 'participant' for a read of a person's fields.
        record          text NOT NULL,
        -- Who, as the API knew it (null for a write made outside a request: a script, a person at psql).
        api_key_id      uuid,
        organisation_id uuid,
        request_id      text,
        operation       text,
        -- Who, as PostgreSQL knows it: the login role of the session.
        db_role         text NOT NULL DEFAULT session_user,
        participant_ids uuid[] NOT NULL,
        -- READ: {"fields": {participantId: [field, ...]}}; a write: {"rows": [{"id", "participant", "changed"?}]},
        -- a payment's rows whole (amount, kind, referral...), so that a payment changed later shows.
        details         jsonb NOT NULL,
        CONSTRAINT audit_event_sealed_check CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL))
      )`);
    // "Who read this person's record": the events naming a participant.
    await q.query(`CREATE INDEX audit_event_participant_idx ON audit_event USING gin (participant_ids)`);

    // The end of the chain: one row, locked by whoever seals next, so that two transactions can
    // never both follow the same event (a fork).
    await q.query(`
      CREATE TABLE audit_chain_head (
        id   boolean PRIMARY KEY DEFAULT true CONSTRAINT audit_chain_head_one_row CHECK (id),
        seq  bigint NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`INSERT INTO audit_chain_head (seq, hash) VALUES (0, '${ZERO_HASH}')`);

    // What an event's hash covers: every column but id (insertion order) and the hash itself, so
    // the previous event's hash too. jsonb's text form is canonical; the time as epoch microseconds, whatever the
    // session's time zone. `npm run audit:verify` recomputes the hashes from this.
    await q.query(`
      CREATE FUNCTION audit_event_payload(e audit_event) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT jsonb_build_array(e.seq, e.prev_hash, (extract(epoch FROM e.occurred_at) * 1000000)::bigint, e.action, e.record,
          e.api_key_id, e.organisation_id, e.request_id, e.operation, e.db_role, e.participant_ids, e.details)::text
      $$`);

    // A payment as its audit event keeps it, and as audit:verify compares it: the whole row, its
    // time as epoch microseconds (jsonb would write it in the session's time zone).
    await q.query(`
      CREATE FUNCTION audit_payment_facts(p payment) RETURNS jsonb LANGUAGE sql STABLE AS $$
        SELECT to_jsonb(p) || jsonb_build_object('claimed_at', (extract(epoch FROM p.claimed_at) * 1000000)::bigint)
      $$`);

    // An event is born unsealed, with its time and database role taken here, not from the writer.
    await q.query(`
      CREATE FUNCTION audit_event_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.seq := NULL;
        NEW.prev_hash := NULL;
        NEW.hash := NULL;
        NEW.occurred_at := clock_timestamp();
        NEW.db_role := session_user;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_stamp BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_stamp()`);

    // Sealed at commit (a deferred constraint trigger), so the chain is in commit order and its
    // head is locked only while a transaction commits, not while it works. SECURITY DEFINER: the
    // API's role may insert events, never update them or the head.
    await q.query(`
      CREATE FUNCTION audit_event_seal() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE
        head audit_chain_head;
        sealed audit_event := NEW;
      BEGIN
        SELECT * INTO head FROM audit_chain_head FOR UPDATE;
        sealed.seq := head.seq + 1;
        sealed.prev_hash := head.hash;
        sealed.hash := encode(sha256(convert_to(audit_event_payload(sealed), 'UTF8')), 'hex');
        UPDATE audit_event SET seq = sealed.seq, prev_hash = sealed.prev_hash, hash = sealed.hash WHERE id = NEW.id;
        UPDATE audit_chain_head SET seq = sealed.seq, hash = sealed.hash;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE CONSTRAINT TRIGGER audit_event_seal AFTER INSERT ON audit_event
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_event_seal()`);

    // Append-only: the one change allowed is the seal of an unsealed event. The triggers look at
    // which columns a statement sets, never at the (large) values, so that sealing stays cheap.
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND TG_ARGV[0] = 'seal' AND OLD.seq IS NULL THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_append_only BEFORE UPDATE OF id, occurred_at, action, record, api_key_id, organisation_id,
      request_id, operation, db_role, participant_ids, details OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_sealed_once BEFORE UPDATE OF seq, prev_hash, hash ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only('seal')`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);

    // Every write to a person's record, one event per statement (a batch of 1,000 referrals is one
    // event, not 1,000), with who made it: the API sets scx.actor in each of its transactions
    // (src/modules/audit/actor.ts); a write without it is still recorded, with its database role.
    // TG_ARGV[0] says how a row names its person.
    await q.query(`
      CREATE FUNCTION audit_person_write() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        actor jsonb := nullif(current_setting('scx.actor', true), '')::jsonb;
        person text := CASE TG_ARGV[0] WHEN 'id' THEN 'n.id' WHEN 'participant_id' THEN 'n.participant_id' ELSE 'r.participant_id' END;
        via_referral text := CASE WHEN TG_ARGV[0] = 'referral_id' THEN 'LEFT JOIN referral r ON r.id = n.referral_id' ELSE '' END;
        entry text := format('jsonb_build_object(''id'', n.id, ''participant'', %s)', person);
        rows jsonb;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          -- Which columns each row changed, never their values.
          entry := entry || ' || jsonb_build_object(''changed'', (SELECT coalesce(jsonb_agg(c.key ORDER BY c.key), ''[]'')
            FROM jsonb_each(to_jsonb(n)) c WHERE c.value IS DISTINCT FROM to_jsonb(o) -> c.key))';
          via_referral := 'JOIN old_rows o ON o.id = n.id ' || via_referral;
        ELSIF TG_TABLE_NAME = 'payment' THEN
          -- A payment is money: its whole row joins the chain.
          entry := entry || ' || audit_payment_facts(n)';
        END IF;
        EXECUTE format('SELECT jsonb_agg(%s ORDER BY n.id) FROM %I n %s', entry,
          CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END, via_referral)
          INTO rows;
        IF rows IS NULL THEN
          RETURN NULL; -- the statement touched no row
        END IF;
        -- The API's own role always says who it acts for: a write of its without an actor is a
        -- service writing outside a request's transaction, refused rather than left unattributed.
        IF actor IS NULL AND EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles api ON api.oid = m.roleid
                                      WHERE api.rolname = 'scx_api' AND m.member = (SELECT oid FROM pg_roles WHERE rolname = session_user)) THEN
          RAISE EXCEPTION 'a write to % by the API''s role carries no actor (scx.actor): write inside a transaction of a request', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        INSERT INTO audit_event (action, record, api_key_id, organisation_id, request_id, operation, participant_ids, details)
        VALUES (TG_OP, TG_TABLE_NAME, (actor ->> 'apiKeyId')::uuid, (actor ->> 'organisationId')::uuid, actor ->> 'requestId',
          actor ->> 'operation',
          ARRAY(SELECT DISTINCT (e ->> 'participant')::uuid FROM jsonb_array_elements(rows) e WHERE e ->> 'participant' IS NOT NULL ORDER BY 1),
          jsonb_build_object('rows', rows));
        RETURN NULL;
      END $$`);
    for (const { table, via } of PERSON_TABLES) {
      for (const event of EVENTS) {
        const transition = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
        await q.query(`CREATE TRIGGER audit_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${transition}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('${via}')`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of PERSON_TABLES) {
      for (const event of EVENTS) await q.query(`DROP TRIGGER audit_${event.toLowerCase()} ON ${table}`);
    }
    await q.query(`DROP FUNCTION audit_event_payload(audit_event), audit_payment_facts(payment)`);
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP TABLE audit_chain_head`);
    await q.query(`DROP FUNCTION audit_person_write(), audit_event_append_only(), audit_event_seal(), audit_event_stamp()`);
  }
}

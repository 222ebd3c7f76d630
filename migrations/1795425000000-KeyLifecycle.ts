import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keys that can be expired, revoked, listed and rotated, and per-key rate limits kept in
 * PostgreSQL so that every API process on the database counts against the same budget.
 */
export class KeyLifecycle1795425000000 implements MigrationInterface {
  name = 'KeyLifecycle1795425000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_key
        ADD COLUMN issued_by         uuid CONSTRAINT api_key_issued_by_fkey REFERENCES api_key (id),
        ADD COLUMN bootstrap         boolean NOT NULL DEFAULT false,
        ADD COLUMN expires_at        timestamptz,
        ADD COLUMN last_used_at      timestamptz,
        ADD COLUMN revoked_at        timestamptz,
        ADD COLUMN revoked_by        uuid CONSTRAINT api_key_revoked_by_fkey REFERENCES api_key (id),
        ADD COLUMN revocation_reason text,
        ADD CONSTRAINT api_key_revocation_check CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))`);
    // Until now the bootstrap key was the DWP ADMIN key labelled "bootstrap" (ensureBootstrapAdmin).
    await q.query(`
      UPDATE api_key k SET bootstrap = true FROM organisation o
       WHERE o.id = k.organisation_id AND o.kind = 'DWP' AND o.name = 'Department for Work and Pensions'
         AND k.role = 'ADMIN' AND k.label = 'bootstrap'`);
    // apiKeys pages by creation.
    await q.query(`CREATE INDEX api_key_created_idx ON api_key (created_at, id)`);
    // A revoked key stays revoked (the API's role may revoke, never restore), and every revocation,
    // whoever makes it, is announced on the channel API processes listen on (API_KEY_CHANNEL in
    // src/auth/authenticate.ts): NOTIFY is delivered at commit, so they end the key's WebSocket sessions.
    await q.query(`
      CREATE FUNCTION api_key_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at, NEW.revoked_by, NEW.revocation_reason)
             IS DISTINCT FROM (OLD.revoked_at, OLD.revoked_by, OLD.revocation_reason) THEN
          RAISE EXCEPTION 'a revoked API key stays revoked' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN
          PERFORM pg_notify('scx_api_key', NEW.id::text);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER api_key_revocation BEFORE UPDATE OF revoked_at, revoked_by, revocation_reason ON api_key
      FOR EACH ROW EXECUTE FUNCTION api_key_revocation()`);

    // One row per key: the requests of its current window. Every authenticated request upserts it in
    // the statement that authenticates. UNLOGGED: no WAL, so no disk flush per request; a crash of
    // PostgreSQL only starts every key's window afresh.
    await q.query(`
      CREATE UNLOGGED TABLE api_key_usage (
        api_key_id        uuid PRIMARY KEY CONSTRAINT api_key_usage_api_key_fkey REFERENCES api_key (id),
        window_started_at timestamptz NOT NULL,
        requests          int NOT NULL CHECK (requests >= 1)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key_usage`);
    await q.query(`DROP TRIGGER api_key_revocation ON api_key`);
    await q.query(`DROP FUNCTION api_key_revocation()`);
    await q.query(`DROP INDEX api_key_created_idx`);
    await q.query(`
      ALTER TABLE api_key
        DROP CONSTRAINT api_key_revocation_check,
        DROP COLUMN revocation_reason,
        DROP COLUMN revoked_by,
        DROP COLUMN revoked_at,
        DROP COLUMN last_used_at,
        DROP COLUMN expires_at,
        DROP COLUMN bootstrap,
        DROP COLUMN issued_by`);
  }
}

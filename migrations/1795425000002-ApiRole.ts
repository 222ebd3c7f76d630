import { MigrationInterface, QueryRunner } from 'typeorm';

/** The group role the API's login role belongs to (docker/init-roles.sh; README, "Database roles"). */
const API_ROLE = 'scx_api';

/**
 * What the API does to each table, and nothing more. The API's role owns nothing, so it cannot
 * alter a table or disable a trigger; it cannot change or remove a payment or an audit event
 * (and the audit chain's head is changed only by the SECURITY DEFINER function that seals events).
 * A migration that adds a table grants the API what it needs on it (tests/e2e/db-roles.test.ts
 * fails for a table the API cannot read).
 */
// A row lock (SELECT … FOR UPDATE) needs an UPDATE privilege on some column: where the API only
// locks a row, it may update created_at alone, the column that means least.
const LOCK_ONLY = 'UPDATE (created_at)';

const GRANTS: Record<string, string> = {
  organisation: 'SELECT, INSERT',
  api_key: 'SELECT, INSERT, UPDATE (last_used_at, revoked_at, revoked_by, revocation_reason)',
  api_key_usage: 'SELECT, INSERT, UPDATE',
  // Market shares of a CPA change one transaction at a time, under its row's lock.
  cpa: `SELECT, INSERT, ${LOCK_ONLY}`,
  // Service standards of a contract are published one version at a time, under its row's lock.
  prime_contract: `SELECT, INSERT, ${LOCK_ONLY}`,
  subcontract: 'SELECT, INSERT',
  // A set of shares from a date replaces the set from that date (upsert).
  market_share: 'SELECT, INSERT, UPDATE',
  // A joint claim undone in its own transaction takes its referral and new participant with it.
  participant: 'SELECT, INSERT, UPDATE, DELETE',
  referral: 'SELECT, INSERT, UPDATE, DELETE',
  referral_allocation: 'SELECT, INSERT',
  handoff: 'SELECT, INSERT, UPDATE',
  inbox_counter: 'SELECT, INSERT, UPDATE',
  inbox_item: 'SELECT, INSERT',
  service_standard: 'SELECT, INSERT, UPDATE',
  contact: 'SELECT, INSERT',
  compliance_doubt: 'SELECT, INSERT, UPDATE',
  programme: 'SELECT',
  rate_card: 'SELECT, INSERT, UPDATE',
  job_start: 'SELECT, INSERT, UPDATE',
  payment: 'SELECT, INSERT',
  performance_cell: 'SELECT, INSERT',
  referral_performance: 'SELECT, INSERT, UPDATE',
  audit_event: 'SELECT, INSERT',
  // /readyz asks whether migrations are pending.
  migrations: 'SELECT',
};

/**
 * The least privileges of the API's database role, granted to the group role `scx_api` in this
 * database. Roles belong to the whole PostgreSQL server (several databases may share it, as the
 * test suite's do), so the role is created only if absent, and only the grants are per database.
 */
export class ApiRole1795425000002 implements MigrationInterface {
  name = 'ApiRole1795425000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${API_ROLE}') THEN
          CREATE ROLE ${API_ROLE} NOLOGIN;
        END IF;
      EXCEPTION
        -- Another database's migration made it at the same moment.
        WHEN duplicate_object OR unique_violation THEN NULL;
        WHEN insufficient_privilege THEN
          RAISE EXCEPTION 'role ${API_ROLE} does not exist and this role may not create it: run CREATE ROLE ${API_ROLE} NOLOGIN as an administrator, or migrate as a role with CREATEROLE';
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${API_ROLE}`);
    for (const [table, privileges] of Object.entries(GRANTS)) await q.query(`GRANT ${privileges} ON ${table} TO ${API_ROLE}`);
    // Identity columns (referral.seq, audit_event.id…) draw from sequences.
    await q.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${API_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The role may serve other databases on the server: only this database's grants go.
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${API_ROLE}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${API_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${API_ROLE}`);
  }
}

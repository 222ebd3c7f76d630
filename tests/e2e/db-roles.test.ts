import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { freePort } from '../../src/db/embedded';
import { Role } from '../../src/auth/access.enums';
import { startApiProcess } from '../helpers/api-process';
import { verifyAuditTrail } from '../../src/modules/audit/verify';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey, attachedReferral } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * The API connected as production connects it: a login role of `scx_api` (migration ApiRole),
 * which owns no table. Its normal work succeeds; tampering with money or the audit does not.
 */
let t: TestServer;
let c: TestChain;
beforeAll(async () => {
  t = await startTestServer({ asApiRole: true });
  c = await createChain(t, 71);
});
afterAll(() => t.close());

const ok = (response: { errors?: unknown[] }) => expect(response.errors).toBeUndefined();

describe('the API database role', () => {
  it('is not the owner the tests arrange with', async () => {
    const [{ role }] = await t.serverDb.query(`SELECT current_user AS role`);
    expect(role).toMatch(/^scx_test_api_/);
    const [{ owner }] = await t.serverDb.query(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'payment'`);
    expect(owner).not.toBe(role);
  });

  it("does the API's normal work: registry, keys, referrals through payment, the chain, contacts, jobs, reads of people", async () => {
    // Registry and keys (ADMIN): a CPA lock and a market share upsert, a key issued and revoked.
    const organisation = await t.gql<{ registerOrganisation: { organisation: { id: string } } }>(
      `mutation { registerOrganisation(input: { name: "Role Test Prime", kind: PROVIDER }) { organisation { id } } }`,
    );
    ok(organisation);
    const primeId = organisation.data!.registerOrganisation.organisation.id;
    ok(await t.gql(`mutation { createCpa(input: { code: 72, name: "Role Area", nation: WALES }) { cpa { id } userErrors { code } } }`));
    const awarded = await t.gql<{ awardPrimeContract: { userErrors: unknown[] } }>(
      `mutation($prime: ID!) { awardPrimeContract(input: { cpaCode: 72, primeId: $prime, reference: "ROLE-72", startsOn: "2024-04-01", endsOn: "2027-03-31" }) { userErrors { code } } }`,
      { prime: primeId },
    );
    expect(awarded.data!.awardPrimeContract.userErrors).toEqual([]);
    const issued = await t.gql<{ issueApiKey: { apiKey: { id: string }; secret: string } }>(
      `mutation($org: ID!) { issueApiKey(input: { organisationId: $org, role: PROVIDER }) { apiKey { id } secret } }`,
      { org: primeId },
    );
    ok(issued);
    const revoked = await t.gql<{ revokeApiKey: { userErrors: unknown[] } }>(
      `mutation($id: ID!) { revokeApiKey(input: { apiKeyId: $id, reason: "role test" }) { userErrors { code } } }`,
      { id: issued.data!.issueApiKey.apiKey.id },
    );
    expect(revoked.data!.revokeApiKey.userErrors).toEqual([]);

    // A referral submitted, allocated, acknowledged and attached (an attachment payment).
    const referralId = await attachedReferral(t, c, { paymentGroup: 'JSA_18_24', referredOn: '2023-03-01', attachedOn: '2023-03-10' });
    // Passed down the chain, accepted, a contact and a job recorded.
    const journey = Journey.of(t, c, referralId);
    await journey.handOn(c.endToEnd, { sharedFields: ['CONTACT_DETAILS'] });
    await journey.contact({ occurredAt: '2023-03-15T10:00:00Z', kind: 'ADVISER_CONTACT', attended: true, channel: 'FACE_TO_FACE' }, c.endToEnd);
    await journey.job({ startedOn: '2023-04-01' });
    const outcome = await t.gql<{ claimJobOutcome: { userErrors: unknown[] } }>(
      `mutation($input: ClaimJobOutcomeInput!) { claimJobOutcome(input: $input) { userErrors { code } } }`,
      { input: { referralId, claimedOn: '2023-11-01' } },
      c.prime.key,
    );
    expect(outcome.data!.claimJobOutcome.userErrors).toEqual([]);

    // Reads of people (audited), the access log and an export, by the API's role.
    const read = await t.gql<{ referral: { participant: { givenName: string }; payments: Array<{ kind: string }> } }>(
      `query($id: ID!) { referral(id: $id) { participant { givenName } payments { kind } } }`,
      { id: referralId },
      c.prime.key,
    );
    expect(read.data!.referral.payments.map((p) => p.kind)).toEqual(['ATTACHMENT', 'JOB_OUTCOME']);
    const [{ participant_id: participantId }] = await t.db.dataSource.query(`SELECT participant_id FROM referral WHERE id = $1`, [referralId]);
    const log = await t.gql<{ personAccessLog: { edges: unknown[] } }>(`query($id: ID!) { personAccessLog(participantId: $id) { edges { cursor } } }`, { id: participantId });
    expect(log.data!.personAccessLog.edges.length).toBeGreaterThan(5);

    // Whatever the API's role wrote is on one whole chain, sealed by the owner's function.
    expect((await verifyAuditTrail(t.db.dataSource)).broken).toBeNull();
  });

  it.each([
    ['disable the payments trigger', `ALTER TABLE payment DISABLE TRIGGER payment_written_once`, /must be owner/],
    ['disable every trigger of the audit', `ALTER TABLE audit_event DISABLE TRIGGER ALL`, /must be owner/],
    ['turn triggers off for the session', `SET session_replication_role = replica`, /permission denied/],
    ['change a payment', `UPDATE payment SET amount_pence = 999999`, /permission denied/],
    ['remove a payment', `DELETE FROM payment`, /permission denied/],
    ['change the audit', `UPDATE audit_event SET operation = 'Innocent'`, /permission denied/],
    ['remove audit events', `DELETE FROM audit_event`, /permission denied/],
    ['empty the audit', `TRUNCATE audit_event`, /permission denied/],
    ['move the chain head', `UPDATE audit_chain_head SET seq = 0`, /permission denied/],
    ["change a key's role", `UPDATE api_key SET role = 'ADMIN'`, /permission denied/],
    ['restore a revoked key', `UPDATE api_key SET revoked_at = NULL, revocation_reason = NULL WHERE revoked_at IS NOT NULL`, /stays revoked/],
    ['drop a table', `DROP TABLE audit_event`, /must be owner/],
    ['make a table of its own', `CREATE TABLE scratch (id int)`, /permission denied/],
  ])('cannot %s', async (_what, sql, refusal) => {
    await expect(t.serverDb.query(sql)).rejects.toThrow(refusal);
  });

  it("cannot write a person's record without saying whom it acts for", async () => {
    await expect(t.serverDb.query(`UPDATE participant SET phone = phone WHERE id = (SELECT id FROM participant LIMIT 1)`)).rejects.toThrow(
      /a write to participant by the API's role carries no actor/,
    );
  });

  it('cannot forge its place on the chain: an event it inserts is stamped and sealed by the database', async () => {
    await t.serverDb.query(
      `INSERT INTO audit_event (seq, prev_hash, hash, occurred_at, db_role, action, record, participant_ids, details)
       VALUES (1, 'forged', 'forged', '2000-01-01', 'postgres', 'READ', 'participant', '{}', '{}')`,
    );
    const [event] = await t.db.dataSource.query(`SELECT seq::text, hash, occurred_at, db_role FROM audit_event ORDER BY seq DESC LIMIT 1`);
    expect(event.hash).not.toBe('forged');
    expect(event.db_role).toMatch(/^scx_test_api_/);
    expect(new Date(event.occurred_at).getFullYear()).toBeGreaterThan(2000);
    expect((await verifyAuditTrail(t.db.dataSource)).broken).toBeNull();
  });

  it('reads every table: a migration that adds one grants the API its part', async () => {
    const unreadable = await t.db.dataSource.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT has_table_privilege('scx_api', c.oid, 'SELECT')
        ORDER BY c.relname`,
    );
    expect(unreadable.map((row: { relname: string }) => row.relname)).toEqual(['audit_chain_head']);
  });

  it('keeps the keys it issues working for their holders', async () => {
    const { secret } = await t.keyFor(Role.ANALYST);
    const me = await t.gql<{ viewer: { role: string } }>('{ viewer { role } }', {}, secret);
    expect(me.data!.viewer.role).toBe('ANALYST');
  });
});

describe('DATABASE_MIGRATION_URL', () => {
  it('migrates a new database as the owner, then serves as the API role', async () => {
    const admin = new Client({ connectionString: process.env.SCX_TEST_ADMIN_URL });
    await admin.connect();
    const name = `scx_test_${randomBytes(6).toString('hex')}`;
    const role = `scx_test_api_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'api-password' IN ROLE scx_api`);
    const owner = new URL(process.env.SCX_TEST_ADMIN_URL!);
    owner.pathname = `/${name}`;
    const api = new URL(owner);
    api.username = role;
    api.password = 'api-password';
    const port = await freePort();
    const key = randomBytes(32).toString('hex');
    const child = await startApiProcess({
      ...process.env, DATABASE_URL: api.toString(), DATABASE_MIGRATION_URL: owner.toString(), SCX_BOOTSTRAP_ADMIN_KEY: key,
      SCX_DATA_KEY: randomBytes(32).toString('base64'), PORT: String(port), SCX_DEMO: 'off', LOG_LEVEL: 'warn',
    });
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ viewer { role } apiKeys { edges { node { bootstrap } } } }' }),
      });
      expect(await response.json()).toEqual({ data: { viewer: { role: 'ADMIN' }, apiKeys: { edges: [{ node: { bootstrap: true } }] } } });
      const database = new Client({ connectionString: owner.toString() });
      await database.connect();
      const tables = await database.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`);
      const keys = await database.query(`SELECT count(*)::int AS n FROM api_key`);
      await database.end();
      expect(tables.rows).toEqual([{ tableowner: owner.username }]);
      expect(keys.rows).toEqual([{ n: 1 }]);
    } finally {
      child.child.kill('SIGTERM');
      await child.exited;
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  }, 120000);
});

import { Role } from '../../src/auth/access.enums';
import { hashSecret, issueApiKey } from '../../src/modules/identity/identity.service';
import { verifyAuditTrail } from '../../src/modules/audit/verify';
import { type TestChain, createChain } from '../helpers/chain';
import { attachedReferral } from '../helpers/journey';
import { CASELOAD_QUERY, type CorpusTarget, FINDINGS, HOSTILE_CORPUS, KNOWN_CODES, type Outcome, post } from '../helpers/hostile-corpus';
import { capturedLogs } from '../helpers/logs';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * Issue 11's hostile-request corpus (tests/helpers/hostile-corpus.ts) through the real server in
 * production mode: every answer is a GraphQL response (or the documented HTTP status or WebSocket
 * close code) with a known code, never a fault; the server answers a normal request afterwards;
 * nothing was written and the audit chain verifies.
 */
let t: TestServer;
let c: TestChain;
let target: CorpusTarget;
const { logger, lines: logged } = capturedLogs();

/** Rows in every table a refused request could have written to. */
async function counts(): Promise<Record<string, number>> {
  const tables = ['organisation', 'api_key', 'cpa', 'prime_contract', 'subcontract', 'participant', 'referral', 'contact', 'handoff', 'compliance_doubt', 'payment', 'inbox_item'];
  const [row] = await t.db.dataSource.query(`SELECT ${tables.map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`).join(', ')}`);
  return row as Record<string, number>;
}

beforeAll(async () => {
  t = await startTestServer({ production: true, log: logger });
  c = await createChain(t, 81);
  const referralId = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn: '2024-03-01', attachedOn: '2024-03-04' });
  const db = t.db.dataSource;
  const revoked = await t.keyFor(Role.PROVIDER);
  await db.query("UPDATE api_key SET revoked_at = now(), revocation_reason = 'hostile corpus' WHERE secret_hash = $1", [hashSecret(revoked.secret)]);
  const expired = await issueApiKey(db, { organisationId: c.prime.id, role: Role.PROVIDER, expiresAt: new Date(Date.now() + 1000) });
  await db.query('UPDATE api_key SET expires_at = now() - interval \'1 minute\' WHERE id = $1', [expired.apiKey.id]);
  target = {
    url: t.url,
    keys: { admin: (await t.keyFor(Role.ADMIN)).secret, jobcentre: c.jobcentre.key, prime: c.prime.key, analyst: c.analyst.key, revoked: revoked.secret, expired: expired.secret },
    referralId,
    contractId: c.area.contracts[0].id,
    cpaCode: c.area.code,
  };
}, 60000);
afterAll(() => t.close());

describe("every row of issue 11's findings", () => {
  it('has requests in the corpus, or a test elsewhere that needs more than a request', () => {
    // These need the database or the process itself under the test's hands, not a request.
    const elsewhere: Record<string, string> = {
      embedded: 'tests/e2e/embedded.test.ts',
      delivery: 'tests/e2e/websocket.test.ts (a fault while delivering an item)',
      encryption: 'tests/e2e/encryption.test.ts',
    };
    const covered = new Set(HOSTILE_CORPUS.map((request) => request.finding));
    expect(Object.keys(FINDINGS).filter((finding) => !covered.has(finding as never) && !elsewhere[finding])).toEqual([]);
  });
});

describe('the hostile-request corpus', () => {
  const answers = new Map<string, Outcome>();
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await counts();
    logged.length = 0;
    for (const request of HOSTILE_CORPUS) answers.set(request.name, await request.send(target));
  }, 120000);

  it.each(HOSTILE_CORPUS.map((request) => [request.name, request] as const))('%s: the documented answer', (name, request) => {
    const answer = answers.get(name)!;
    expect(answer.wellFormed).toBe(true);
    expect(answer).toMatchObject(request.expected);
    for (const code of [...answer.codes, ...answer.userErrorCodes]) expect(KNOWN_CODES).toContain(code);
    expect(answer.messages.join('\n')).not.toMatch(/Did you mean|Internal server error|\bat .+\.ts:\d+/);
  });

  it('logged no fault', () => {
    expect(logged.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });

  it('still answers a normal request', async () => {
    const answer = await post(t.url, { query: CASELOAD_QUERY }, c.prime.key);
    expect(answer).toMatchObject({ status: 200, codes: [] });
  });

  it('wrote nothing', async () => {
    expect(await counts()).toEqual(before);
  });

  it('leaves the audit chain whole, payments as recorded', async () => {
    const result = await verifyAuditTrail(t.db.dataSource);
    expect(result.broken).toBeNull();
    expect(result.events).toBeGreaterThan(0);
  });
});

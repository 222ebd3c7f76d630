import { queryCounter } from '../../src/db/data-source';
import { Role } from '../../src/auth/access.enums';
import { DEFAULT_LIMITS } from '../../src/server/limits';
import { capturedLogs, waitFor } from '../helpers/logs';
import { createArea, nino } from '../helpers/registry';
import { BOOTSTRAP_ADMIN_KEY, type TestServer, startTestServer } from '../helpers/server';

/**
 * The request budget over HTTP (issue 11): every hostile request of the issue is refused before
 * anything runs, with a code naming the limit; every legitimate one fits.
 */
let t: TestServer;
const { logger, lines: logged } = capturedLogs();
beforeAll(async () => {
  t = await startTestServer({ log: logger });
});
afterAll(() => t.close());

type Answer = { status: number; errors?: Array<{ message: string; extensions: { code: string; reason?: string } }>; data?: unknown };

async function post(body: string, key: string | null = BOOTSTRAP_ADMIN_KEY, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body,
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The answer to a refused document, and how many SQL statements it cost (the key look-up only). */
async function refused(query: string, variables: Record<string, unknown> = {}): Promise<{ codes: string[]; messages: string[]; status: number; statements: number }> {
  const counter = queryCounter(t.serverDb);
  const before = counter.count;
  const answer = await post(JSON.stringify({ query, variables }));
  return {
    status: answer.status,
    codes: answer.errors?.map((e) => e.extensions.code) ?? [],
    messages: answer.errors?.map((e) => e.message) ?? [],
    statements: counter.count - before,
  };
}

/** `{ cpas { contracts { subcontracts { contract { subcontracts { … } } } } } }`, `depth` times round the cycle. */
function cyclic(depth: number): string {
  let inner = 'id subcontractor { name }';
  for (let i = 0; i < depth; i++) inner = `contract { subcontracts { ${inner} } }`;
  return `{ cpas { contracts { subcontracts { ${inner} } } } }`;
}

describe("issue 11's hostile requests, refused before anything runs", () => {
  it.each([5, 6])('the registry cycle at depth %i: QUERY_TOO_DEEP and QUERY_TOO_COSTLY', async (depth) => {
    const answer = await refused(cyclic(depth));
    expect(answer.status).toBe(400);
    expect(answer.codes).toEqual(['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY']);
    expect(answer.messages[0]).toBe(`The operation is ${3 + 2 * depth + 2} fields deep; the limit is ${DEFAULT_LIMITS.maxDepth}`);
    expect(answer.messages[1]).toMatch(/^The operation's estimated cost is [\d,]+; the limit is 100,000$/);
    expect(answer.statements).toBe(1); // the key look-up
  });

  it('1,000 aliases: refused by its size, and within the size by TOO_MANY_ALIASES', async () => {
    const viewers = await refused(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`);
    expect(viewers.codes).toEqual(['QUERY_TOO_LARGE']);
    const names = await refused(`{ cpas { ${Array.from({ length: 1000 }, (_, i) => `a${i}: name`).join(' ')} } }`);
    expect(names.status).toBe(400);
    expect(names.codes).toEqual(['TOO_MANY_ALIASES']);
    // cpas is a list of up to 20: every alias inside appears 20 times in the answer
    expect(names.messages).toEqual([`The operation has 20,000 aliased fields; the limit is ${DEFAULT_LIMITS.maxAliases}`]);
    expect(names.statements).toBe(1);
  });

  it('100 aliases of nationalPerformance, and even 4: QUERY_TOO_COSTLY', async () => {
    const reports = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `r${i}: nationalPerformance(from: "2020-01-01", to: "2024-12-31") { rows { referrals } }`).join(' ')} }`;
    expect((await refused(reports(100))).codes).toEqual(['TOO_MANY_ROOT_FIELDS', 'TOO_MANY_ALIASES', 'QUERY_TOO_COSTLY']);
    const four = await refused(reports(4));
    expect(four.codes).toEqual(['QUERY_TOO_COSTLY']);
    expect(four.statements).toBe(1);
  });

  it('a keyless document of 290,000 operations: 401 before the body is read; with a key, 413', async () => {
    const body = JSON.stringify({ query: Array.from({ length: 290000 }, (_, i) => `query q${i}{__typename}`).join('') });
    const keyless = await post(body, null);
    expect(keyless.status).toBe(401);
    expect(keyless.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'MISSING' });
    expect((await post(body)).status).toBe(413);
  });

  it('closes the connection after refusing a body it has not read, rather than read the rest', async () => {
    const body = JSON.stringify({ query: '{ viewer { role } }', variables: { padding: 'x'.repeat(2_000_000) } });
    const keyless = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(keyless.status).toBe(401);
    expect(keyless.headers.get('connection')).toBe('close');
    // A body read whole keeps its connection.
    const unreadable = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${BOOTSTRAP_ADMIN_KEY}` }, body: '{ not json' });
    expect(unreadable.status).toBe(400);
    expect(unreadable.headers.get('connection')).toBe('keep-alive');
  });

  it('a document past maxTokens: QUERY_TOO_LARGE, saying how many', async () => {
    const answer = await refused(`{ viewer { ${'role '.repeat(6000)}} }`);
    expect(answer.codes).toEqual(['QUERY_TOO_LARGE']);
    expect(answer.messages).toEqual(['The document has 6,005 tokens; the limit is 5,000']);
  });

  it('more than one operation: ONE_OPERATION_PER_DOCUMENT, even with an operationName', async () => {
    const counter = queryCounter(t.serverDb);
    const before = counter.count;
    const answer = await post(JSON.stringify({ query: 'query A { viewer { role } } query B { cpas { code } }', operationName: 'A' }));
    expect(answer.status).toBe(400);
    expect(answer.errors!.map((e) => [e.extensions.code, e.message])).toEqual([
      ['ONE_OPERATION_PER_DOCUMENT', 'A document must hold exactly one operation; this one holds 2'],
    ]);
    expect(counter.count - before).toBe(1);
  });

  it('a fragment bomb is measured at once and refused', async () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
    const answer = await refused(`{ ...F40 } fragment F0 on Query { viewer { role } } ${fragments}`);
    expect(answer.codes).toEqual(['TOO_MANY_ROOT_FIELDS', 'QUERY_TOO_COSTLY']);
  });

  it('the same budget for a GET query', async () => {
    const response = await fetch(`${t.url}?query=${encodeURIComponent(cyclic(5))}`, { headers: { authorization: `Bearer ${BOOTSTRAP_ADMIN_KEY}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Answer).errors!.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY']);
  });

  it('no subscription over HTTP: they run over WebSocket', async () => {
    const answer = await refused('subscription { inboxItemAdded { cursor } }');
    expect(answer.status).toBe(400);
    expect(answer.codes).toEqual(['BAD_REQUEST']);
    expect(answer.messages).toEqual(['Subscriptions run over WebSocket (graphql-transport-ws) on this path, not over HTTP']);
  });

  it('no persisted queries: a document registered once cannot run later with other variables, past the budget', async () => {
    const answer = await post(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }));
    expect(answer.errors!.map((e) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
  });
});

describe('variables', () => {
  it('nested too deep: BAD_USER_INPUT, not a fault', async () => {
    const query = 'mutation($name: String!) { registerOrganisation(input: { name: $name, kind: PROVIDER }) { userErrors { code } } }';
    // Written by hand: JSON.stringify itself cannot nest 50,000 deep.
    const answer = await post(`{"query": ${JSON.stringify(query)}, "variables": {"name": ${'['.repeat(50000)}"x"${']'.repeat(50000)}}}`);
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([
      { message: `The variables are nested more than ${DEFAULT_LIMITS.maxVariablesDepth} levels deep; that is the limit`, extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    expect(logged.join('\n')).not.toContain('fault');
  });

  it('holding too many values: BAD_USER_INPUT', async () => {
    const answer = await refused('query($x: [Int!]) { viewer { role } }', { x: new Array(DEFAULT_LIMITS.maxVariablesValues).fill(1) });
    expect(answer.codes).toEqual(['BAD_USER_INPUT']);
  });
});

describe('authentication before anything else', () => {
  it('refuses a keyless request without reading its body: a body that is not even JSON is 401, not 400', async () => {
    const answer = await post('{ this is not json', null);
    expect(answer.status).toBe(401);
    expect(answer.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'MISSING' });
  });

  it("logs each request with its organisation and key ids, never the secret", async () => {
    const { secret, organisationId } = await t.keyFor(Role.ANALYST);
    logged.length = 0;
    await post(JSON.stringify({ query: '{ viewer { role } }' }), secret, { 'x-request-id': 'who-asked-1' });
    const line = logged.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => (l.req as { id?: string } | undefined)?.id === 'who-asked-1');
    expect(line).toMatchObject({ organisationId, apiKeyId: expect.any(String), res: { statusCode: 200 } });
    expect(logged.join('\n')).not.toContain(secret);
  });
});

describe('the body limit', () => {
  let jobcentre: string;
  beforeAll(async () => {
    await createArea(t, 62, [5000, 5000]);
    jobcentre = (await t.keyFor(Role.JOBCENTRE)).secret;
  });

  /** A realistic referral: full names, address, phones, email, a health condition, a risk marker. */
  const referral = (n: number) => ({
    clientReference: `JCP-NORWICH-2024-${String(n).padStart(6, '0')}`,
    cpaCode: 62,
    jobcentreDistrict: 'Norfolk, Suffolk and Cambridgeshire',
    paymentGroup: ['JSA_25_PLUS', 'JSA_18_24', 'ESA_NEW_CLAIMANT'][n % 3],
    participationMode: n % 3 === 2 ? 'VOLUNTARY' : 'MANDATORY',
    referredOn: '2024-05-01',
    claimant: {
      nino: nino(n, 'LM'),
      givenName: ['Margaret', 'Oluwaseun', 'Christopher', 'Siobhan'][n % 4],
      familyName: ['Featherstonehaugh', 'Adeyemi-Johnson', 'Wojciechowski', 'MacGillivray'][n % 4],
      dateOfBirth: n % 3 === 1 ? '2003-03-14' : '1979-03-14', // JSA 18-24 is 18 to 24
      consentToShareHealth: n % 2 === 0,
      disabled: n % 5 === 0,
      welshLanguage: false,
      email: `claimant.${n}.example@example.org`,
      phone: '07700 900123',
      address: { line1: `Flat ${n % 40}, ${n % 200} Wellington Road`, line2: 'Thorpe St Andrew', town: 'Norwich', postcode: 'NR7 0AB' },
      healthConditions: ['Type 2 diabetes, managed with medication'],
      riskMarkers: n % 10 === 0 ? ['Lone working not advised'] : [],
    },
  });
  const SUBMIT = 'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { clientReference created referral { id status } userErrors { code field message } } } }';

  it('takes the largest legitimate request, 1,000 realistic referrals, within it and close to it', async () => {
    const body = JSON.stringify({ query: SUBMIT, variables: { input: { referrals: Array.from({ length: 1000 }, (_, i) => referral(i + 1)) } } });
    expect(Buffer.byteLength(body)).toBeLessThan(DEFAULT_LIMITS.maxBodyBytes);
    expect(Buffer.byteLength(body)).toBeGreaterThan(DEFAULT_LIMITS.maxBodyBytes * 0.85);
    const answer = (await post(body, jobcentre)) as Answer & { data: { submitReferrals: { results: Array<{ created: boolean }> } } };
    expect(answer.errors).toBeUndefined();
    expect(answer.data.submitReferrals.results.filter((r) => r.created)).toHaveLength(1000);
  });

  it('refuses a byte more with 413 and a message that says the limit', async () => {
    const padding = 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes);
    const body = JSON.stringify({ query: '{ viewer { role } }', variables: { padding } }).slice(0, DEFAULT_LIMITS.maxBodyBytes + 1);
    const answer = await post(body, jobcentre);
    expect(answer.status).toBe(413);
    expect(answer.errors).toEqual([{ message: `The request body is larger than ${DEFAULT_LIMITS.maxBodyBytes.toLocaleString('en-GB')} bytes, the limit (1,000 referrals fit)`, extensions: { code: 'BAD_REQUEST' } }]);
  });
});

describe('a client that goes away', () => {
  it('stops the work it asked for: resolvers not started yet never run', async () => {
    const db = t.db.dataSource;
    const admin = db.createQueryRunner();
    await admin.connect();
    await admin.startTransaction();
    // Writes to cpa wait for this lock: the first mutation is still running when the client leaves.
    await admin.query('LOCK TABLE cpa IN SHARE MODE');
    const client = new AbortController();
    const request = fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BOOTSTRAP_ADMIN_KEY}`, 'x-request-id': 'went-away-1' },
      body: JSON.stringify({
        query: `mutation {
          first: createCpa(input: { code: 8801, name: "First", nation: WALES }) { cpa { id } }
          second: createCpa(input: { code: 8802, name: "Second", nation: WALES }) { cpa { id } }
        }`,
      }),
      signal: client.signal,
    }).catch(() => 'aborted');
    const lines = () => logged.filter((line) => line.includes('went-away-1'));
    await waitFor('the first mutation waits for the lock', async () => {
      const waiting: unknown[] = await db.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO \"cpa\"%'",
      );
      return waiting.length > 0;
    });
    client.abort();
    expect(await request).toBe('aborted');
    await waitFor('the server sees the client gone', () => lines().length > 0);
    await admin.rollbackTransaction();
    await admin.release();
    await waitFor('execution stops', () => lines().some((line) => line.includes('the client went away: execution stopped')));
    const codes: Array<{ code: number }> = await db.query('SELECT code FROM cpa WHERE code IN (8801, 8802) ORDER BY code');
    expect(codes).toEqual([{ code: 8801 }]);
  });
});

import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { queryCounter } from '../../src/db/data-source';
import { freePort } from '../../src/db/embedded';
import { addToInbox } from '../../src/modules/inbox/inbox';
import { InboxItemKind } from '../../src/modules/inbox/inbox-item.entity';
import { Role } from '../../src/auth/access.enums';
import { DEFAULT_LIMITS } from '../../src/server/limits';
import { type ApiProcess, startApiProcess } from '../helpers/api-process';
import { type TestChain, createChain } from '../helpers/chain';
import { failNextDelivery } from '../helpers/delivery-fault';
import { capturedLogs, waitFor } from '../helpers/logs';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * The WebSocket server through the real endpoint (issue 11's WebSocket rows, issue 13's
 * subscription errors): frames bounded before authentication, refusals that say why, caps per
 * connection and per key, the HTTP budget and validation per subscription, sessions of a revoked
 * key ended in every process, one resolution per inbox item shared by its subscribers, and a
 * fault in delivery ending the subscription instead of a silent null.
 */
const LIMITS = { ...DEFAULT_LIMITS, maxConnectionsPerKey: 3, maxSubscriptionsPerConnection: 10, maxSubscriptionsPerKey: 12 };

let t: TestServer;
let c: TestChain;
let wsUrl: string;
const { logger, lines: logged } = capturedLogs();
beforeAll(async () => {
  t = await startTestServer({ log: logger, limits: LIMITS });
  wsUrl = t.url.replace(/^http/, 'ws');
  c = await createChain(t, 73);
}, 60000);
afterAll(() => t.close());

interface Connection {
  client: Client;
  /** Resolves with the close event once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
}

/** A graphql-ws connection that is open (acknowledged), or the close code and reason that refused it. */
async function connect(connectionParams: Record<string, unknown>, url = wsUrl): Promise<Connection | { code: number; reason: string }> {
  let closed!: (event: { code: number; reason: string }) => void;
  const onClose = new Promise<{ code: number; reason: string }>((resolve) => (closed = resolve));
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
  const opened = await new Promise<boolean>((resolve) => {
    client.on('connected', () => resolve(true));
    client.on('closed', (event) => {
      const { code, reason } = event as { code: number; reason: string };
      closed({ code, reason });
      resolve(false);
    });
  });
  return opened ? { client, closed: onClose } : onClose;
}

async function open(key: string, url = wsUrl): Promise<Connection> {
  const connection = await connect({ authorization: `Bearer ${key}` }, url);
  if (!('client' in connection)) throw new Error(`refused: ${connection.code} ${connection.reason}`);
  return connection;
}

interface Watch {
  items: Array<Record<string, unknown>>;
  errors: Array<{ message: string; extensions?: { code?: string } }>;
  nexts: Array<{ data?: unknown; errors?: unknown }>;
  done: boolean;
  stop: () => void;
}

function watch(client: Client, query: string, variables: Record<string, unknown> = {}): Watch {
  const w: Watch = { items: [], errors: [], nexts: [], done: false, stop: () => undefined };
  w.stop = client.subscribe<Record<string, Record<string, unknown>>>(
    { query, variables },
    {
      next: (result) => {
        w.nexts.push(result);
        if (result.data) w.items.push(Object.values(result.data)[0]);
      },
      error: (error) => {
        w.errors.push(...(Array.isArray(error) ? error : [{ message: String((error as { reason?: string }).reason ?? error) }]));
        w.done = true;
      },
      complete: () => (w.done = true),
    },
  );
  return w;
}

const ITEMS = 'subscription($after: String) { inboxItemAdded(after: $after) { cursor kind referral { id participant { givenName } } } }';

let people = 0;
async function refer(): Promise<string> {
  people += 1;
  const response = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string } }> } }>(
    'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } } } }',
    {
      input: {
        referrals: [{
          clientReference: `WS-${people}`, cpaCode: 73, jobcentreDistrict: 'Socketshire', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY',
          referredOn: '2024-05-01',
          claimant: { nino: nino(people, 'WS'), givenName: 'Wendy', familyName: 'Socket', dateOfBirth: '1985-01-01', consentToShareHealth: false },
        }],
      },
    },
    c.jobcentre.key,
  );
  return response.data!.submitReferrals.results[0].referral.id;
}

async function lastCursor(key: string): Promise<string> {
  const response = await t.gql<{ inbox: { pageInfo: { endCursor: string | null } } }>('{ inbox(first: 500) { pageInfo { endCursor } } }', {}, key);
  return response.data!.inbox.pageInfo.endCursor ?? Buffer.from('0').toString('base64url');
}

describe('before authentication', () => {
  it('a frame over maxPayload closes the socket (1009), whatever it says', async () => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(LIMITS.maxWebSocketPayloadBytes) } }));
    expect(await closed).toBe(1009);
  });
});

describe('authentication', () => {
  it.each([
    ['no key', {}, 'MISSING'],
    ['a malformed value', { authorization: 'Basic abc' }, 'MALFORMED'],
    ['an unknown key', { authorization: 'Bearer scx_not_a_key' }, 'UNKNOWN'],
  ])('refuses %s with 4401 and a reason that says which', async (_label, params, reason) => {
    const refusal = (await connect(params)) as { code: number; reason: string };
    expect(refusal.code).toBe(4401);
    expect(refusal.reason).toMatch(new RegExp(`^${reason}: `));
  });

  it.each(['authorization', 'Authorization', 'AUTHORIZATION'])('reads the key from connectionParams.%s', async (name) => {
    const connection = await connect({ [name]: `Bearer ${c.analyst.key}` });
    expect('client' in connection).toBe(true);
    if ('client' in connection) await connection.client.dispose();
  });
});

describe('caps', () => {
  it('on connections per key: the next one is refused (1008) until one closes', async () => {
    const { secret } = await t.keyFor(Role.PROVIDER);
    const connections = [await open(secret), await open(secret), await open(secret)];
    const refused = (await connect({ authorization: `Bearer ${secret}` })) as { code: number; reason: string };
    expect(refused).toEqual({ code: 1008, reason: 'Too many connections for this API key on this server; the limit is 3' });
    await connections[0].client.dispose();
    await connections[0].closed;
    const again = await open(secret);
    await Promise.all([again, ...connections.slice(1)].map((connection) => connection.client.dispose()));
  });

  it('on subscriptions per connection and per key: TOO_MANY_SUBSCRIPTIONS on that operation only', async () => {
    const { secret, organisationId } = await t.keyFor(Role.PROVIDER);
    const [first, second] = [await open(secret), await open(secret)];
    // From the start of the (empty) inbox: an item added while one is still starting reaches it too.
    const fromStart = { after: 'MA' };
    const running = Array.from({ length: 10 }, () => watch(first.client, ITEMS, fromStart));
    const eleventh = watch(first.client, ITEMS);
    await waitFor('the eleventh is refused', () => eleventh.done);
    expect(eleventh.errors).toEqual([{ message: 'This connection runs 10 subscriptions; the limit is 10', extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }]);
    const onSecond = [watch(second.client, ITEMS, fromStart), watch(second.client, ITEMS, fromStart), watch(second.client, ITEMS)];
    await waitFor('the third on the second connection is refused', () => onSecond[2].done);
    expect(onSecond[2].errors).toEqual([
      { message: 'This API key runs 12 subscriptions on this server; the limit is 12', extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
    ]);
    // The others run on.
    await t.db.dataSource.transaction((tx) => addToInbox(tx, [{ organisationId, kind: InboxItemKind.HANDOFF_RESPONDED }]));
    await waitFor('every running subscription gets the item', () => [...running, ...onSecond.slice(0, 2)].every((w) => w.items.length === 1));
    // Completing one frees its place.
    running[0].stop();
    let replacement = watch(first.client, ITEMS);
    await waitFor('a new subscription takes the freed place', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (!replacement.done) return true;
      replacement = watch(first.client, ITEMS);
      return false;
    });
    await Promise.all([first, second].map((connection) => connection.client.dispose()));
  });
});

describe('each subscription, like each HTTP request', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await open(c.prime.key);
  });
  afterAll(() => connection.client.dispose());

  const refusal = async (query: string, variables: Record<string, unknown> = {}) => {
    const w = watch(connection.client, query, variables);
    await waitFor('an answer', () => w.done);
    return w;
  };

  it('answers validation and syntax errors with their messages, on that operation only, never as faults', async () => {
    logged.length = 0;
    const unknownField = await refusal('subscription { inboxItemAdded { cursor nope } }');
    expect(unknownField.errors).toEqual([
      expect.objectContaining({ message: 'Cannot query field "nope" on type "InboxItem".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    const badEnum = await refusal('subscription { inboxItemAdded(kinds: [REFERRAL_ALOCATED]) { cursor } }');
    expect(badEnum.errors.map((e) => [e.message, e.extensions?.code])).toEqual([
      // The closest first; which others follow changes as kinds are added.
      [expect.stringMatching(/^Value "REFERRAL_ALOCATED" does not exist in "InboxItemKind" enum\. Did you mean the enum value "REFERRAL_ALLOCATED", /), 'GRAPHQL_VALIDATION_FAILED'],
    ]);
    const syntax = await refusal('subscription { inboxItemAdded { cursor }');
    expect(syntax.errors.map((e) => [e.message, e.extensions?.code])).toEqual([['Syntax Error: Expected Name, found <EOF>.', 'GRAPHQL_PARSE_FAILED']]);
    expect(logged.join('\n')).not.toMatch(/fault|INTERNAL/);
    // The socket is still open: a good subscription runs on it.
    const good = watch(connection.client, ITEMS, { after: await lastCursor(c.prime.key) });
    const referralId = await refer();
    await waitFor('the good one delivers', () => good.items.length === 1);
    expect(good.items[0]).toMatchObject({ kind: 'REFERRAL_ALLOCATED', referral: { id: referralId, participant: { givenName: 'Wendy' } } });
    good.stop();
  });

  it('applies the request budget: depth, aliases, cost, size', async () => {
    let deep = 'id';
    for (let i = 0; i < 5; i++) deep = `handoffs { referral { ${deep} } }`;
    expect((await refusal(`subscription { inboxItemAdded { referral { ${deep} } } }`)).errors.map((e) => e.extensions?.code)).toEqual([
      'QUERY_TOO_DEEP',
      'QUERY_TOO_COSTLY',
    ]);
    const aliases = Array.from({ length: 31 }, (_, i) => `c${i}: cursor`).join(' ');
    expect((await refusal(`subscription { inboxItemAdded { ${aliases} } }`)).errors.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_ALIASES']);
    expect((await refusal(`subscription { inboxItemAdded { ${'cursor '.repeat(5000)} } }`)).errors.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_LARGE']);
    let nested = '"x"';
    for (let i = 0; i < 20; i++) nested = `[${nested}]`;
    expect((await refusal(ITEMS, { after: JSON.parse(nested) })).errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('runs subscriptions only: a query or a mutation is refused, and nothing is written', async () => {
    const query = await refusal('{ viewer { role } }');
    expect(query.errors).toEqual([
      { message: 'Over WebSocket only subscriptions are accepted: send queries and mutations with POST /graphql', extensions: { code: 'BAD_REQUEST' } },
    ]);
    const mutation = await refusal('mutation { registerOrganisation(input: { name: "Via a socket", kind: PROVIDER }) { organisation { id } } }');
    expect(mutation.errors.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
    expect(await t.db.dataSource.query("SELECT id FROM organisation WHERE name = 'Via a socket'")).toEqual([]);
  });
});

describe('a revoked key', () => {
  let other: ApiProcess;
  let otherWsUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    other = await startApiProcess({ ...process.env, DATABASE_URL: t.db.url, SCX_DATA_KEY: t.dataKey, PORT: String(port), HOST: '127.0.0.1', SCX_DEMO: 'off', LOG_LEVEL: 'warn' });
    otherWsUrl = `ws://127.0.0.1:${port}/graphql`;
  }, 120000);
  afterAll(async () => {
    other.child.kill('SIGTERM');
    await other.exited;
  });

  it('ends its sessions at once, in every API process, saying why; other keys keep theirs', async () => {
    const revoked = await t.keyFor(Role.PROVIDER);
    const kept = await t.keyFor(Role.PROVIDER);
    const here = await open(revoked.secret);
    const there = await open(revoked.secret, otherWsUrl);
    const bystander = await open(kept.secret);
    const running = watch(here.client, ITEMS);
    const [{ id }]: Array<{ id: string }> = await t.db.dataSource.query('SELECT id FROM api_key WHERE organisation_id = $1', [revoked.organisationId]);
    const revocation = await t.gql<{ revokeApiKey: { userErrors: unknown[] } }>(
      'mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { userErrors { code } } }',
      { input: { apiKeyId: id, reason: 'left the chain' } },
    );
    expect(revocation.data!.revokeApiKey.userErrors).toEqual([]);
    for (const connection of [here, there]) {
      expect(await connection.closed).toEqual({ code: 4401, reason: 'REVOKED: This API key has been revoked' });
    }
    await waitFor('its subscription ends', () => running.done);
    // From the start of its (empty) inbox: a subscription from now could begin listening after the item.
    const stillOpen = watch(bystander.client, ITEMS, { after: 'MA' });
    await t.db.dataSource.transaction((tx) => addToInbox(tx, [{ organisationId: kept.organisationId, kind: InboxItemKind.HANDOFF_RESPONDED }]));
    await waitFor('the other key still receives', () => stillOpen.items.length === 1);
    await bystander.client.dispose();
  });
});

describe('an expiring key', () => {
  it('ends its sessions when it expires, saying EXPIRED; a connection after that is refused', async () => {
    const { organisationId } = await t.keyFor(Role.PROVIDER);
    // Far enough ahead to connect first; the session must then end by itself, unprompted.
    const expiresAt = new Date(Date.now() + 3000).toISOString();
    const issued = await t.gql<{ issueApiKey: { secret: string } }>(
      'mutation($input: IssueApiKeyInput!) { issueApiKey(input: $input) { secret } }',
      { input: { organisationId, role: 'PROVIDER', expiresAt } },
    );
    const session = await open(issued.data!.issueApiKey.secret);
    const running = watch(session.client, ITEMS);
    expect(await session.closed).toEqual({ code: 4401, reason: 'EXPIRED: This API key has expired' });
    await waitFor('its subscription ends', () => running.done);
    expect(await connect({ authorization: `Bearer ${issued.data!.issueApiKey.secret}` })).toEqual({ code: 4401, reason: 'EXPIRED: This API key has expired' });
  });
});

describe('a revocation the listener missed', () => {
  it('is caught when the listener reconnects: every open session\'s key is checked again', async () => {
    const gone = await t.keyFor(Role.PROVIDER);
    const session = await open(gone.secret);
    // The key is revoked without an announcement (its trigger does not fire for a replica's
    // writes: a revocation whose NOTIFY never arrived), then the listening connection drops.
    await t.db.dataSource.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query("UPDATE api_key SET revoked_at = now(), revocation_reason = 'unannounced' WHERE organisation_id = $1", [gone.organisationId]);
    });
    await t.db.dataSource.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN scx_inbox%'",
    );
    expect(await session.closed).toEqual({ code: 4401, reason: 'REVOKED: This API key has been revoked' });
  });
});

describe('inbox fan-out', () => {
  /** Statements from committing one item for the prime until every watcher has it. */
  async function deliveryStatements(watchers: Watch[], referralId?: string): Promise<number> {
    referralId ??= await refer();
    await waitFor('every watcher has the referral', () => watchers.every((w) => w.items.some((item) => (item.referral as { id: string } | null)?.id === referralId)));
    // A request more, so that every subscription is back waiting at the same cursor.
    await t.gql('{ viewer { role } }', {}, c.prime.key);
    // The test's writes (as the owner) and the server's statements (as the API's role, in CI's second pass).
    const counters = [...new Set([t.db.dataSource, t.serverDb])].map(queryCounter);
    const statements = () => counters.reduce((sum, counter) => sum + counter.count, 0);
    const before = statements();
    await t.db.dataSource.transaction((tx) => addToInbox(tx, [{ organisationId: c.prime.id, kind: InboxItemKind.REFERRAL_ALLOCATED, referralId }]));
    await waitFor('every watcher has the item', () => watchers.every((w) => w.items.filter((item) => (item.referral as { id: string } | null)?.id === referralId).length === 2));
    expect(watchers.every((w) => w.errors.length === 0)).toBe(true);
    return statements() - before;
  }

  /** The audit's reads of the referral's participant: one event per subscription that delivered it. */
  const deliveryReads = (referralId: string): Promise<Array<{ request_id: string; api_key_id: string; operation: string }>> =>
    t.db.dataSource.query(
      `SELECT request_id, api_key_id, operation FROM audit_event
        WHERE action = 'READ' AND participant_ids @> ARRAY[(SELECT participant_id FROM referral WHERE id = $1)]`,
      [referralId],
    );

  it('resolves an item once for every subscriber of one key, document and variables, and audits each delivery', async () => {
    const connection = await open(c.prime.key);
    const after = await lastCursor(c.prime.key);
    const one = await deliveryStatements([watch(connection.client, ITEMS, { after })]);
    await connection.client.dispose();
    const many = await open(c.prime.key);
    const ten = Array.from({ length: 10 }, () => watch(many.client, ITEMS, { after: 'MA' }));
    const referralId = await refer();
    const tenStatements = await deliveryStatements(ten, referralId);
    // The same resolution for ten as for one; each of the nine more deliveries records its read.
    expect(tenStatements).toBe(one + 9);
    // Twice each (from the submission, and the item added again): every read credited to the
    // prime's key, under ten subscriptions' own request ids.
    const reads = await deliveryReads(referralId);
    expect(reads).toHaveLength(20);
    const [{ id: primeKey }]: Array<{ id: string }> = await t.db.dataSource.query('SELECT id FROM api_key WHERE organisation_id = $1', [c.prime.id]);
    expect(new Set(reads.map((read) => read.api_key_id))).toEqual(new Set([primeKey]));
    expect(new Set(reads.map((read) => read.request_id)).size).toBe(10);
    await many.client.dispose();
  });
});

describe('a fault while delivering an item', () => {
  it('ends the subscription with an error, never an item with referral: null; the client resumes from its last cursor', async () => {
    const db = t.db.dataSource;
    const referralId = await refer();
    const after = await lastCursor(c.prime.key);
    const connection = await open(c.prime.key);
    const watchers = [watch(connection.client, ITEMS, { after }), watch(connection.client, ITEMS, { after }), watch(connection.client, ITEMS, { after })];
    await t.gql('{ viewer { role } }', {}, c.prime.key);
    logged.length = 0;
    await failNextDelivery(db, 'participant', { organisationId: c.prime.id, kind: InboxItemKind.REFERRAL_ALLOCATED, referralId });
    await waitFor('every subscription ends', () => watchers.every((w) => w.done));
    for (const w of watchers) {
      expect(w.nexts).toEqual([]);
      expect(w.errors).toEqual([
        {
          message: 'Internal server error: this item could not be delivered; subscribe again after the last cursor you handled',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
    }
    // Logged once, where it happened, for the three subscribers that shared the resolution.
    expect(logged.filter((line) => line.includes('fault delivering an inbox item'))).toHaveLength(1);
    expect(logged.filter((line) => line.includes('fault in a subscription'))).toHaveLength(0);
    // Resuming from the last cursor handled delivers the item whole.
    const resumed = watch(connection.client, ITEMS, { after });
    await waitFor('the resumed subscription delivers', () => resumed.items.length === 1);
    expect(resumed.items[0]).toMatchObject({ kind: 'REFERRAL_ALLOCATED', referral: { id: referralId, participant: { givenName: 'Wendy' } } });
    await connection.client.dispose();
  });
});

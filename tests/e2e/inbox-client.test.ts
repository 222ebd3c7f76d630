import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded';
import { InboxItemKind } from '../../src/modules/inbox/inbox-item.entity';
import { Role } from '../../src/auth/access.enums';
import { type ApiProcess, startApiProcess } from '../helpers/api-process';
import { failNextDelivery } from '../helpers/delivery-fault';
import { waitFor } from '../helpers/logs';
import { type TestArea, createArea, nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';
import { todayUtc } from '../../src/common/dates';

/**
 * docs/examples/inbox-client.mjs, run as a partner runs it, against an API process that is
 * restarted under it: every item reaches it exactly once, and its cursor file ends at the last.
 * Then what it does when a delivery fails, when it is rate limited (4403) and refused (4401).
 */

let t: TestServer;
let env: NodeJS.ProcessEnv;
let api: ApiProcess;
let httpUrl: string;
let jobcentreKey: string;
let folder: string;

beforeAll(async () => {
  t = await startTestServer(); // its database, keys and contract; the client talks to `api`
  jobcentreKey = (await t.keyFor(Role.JOBCENTRE)).secret;
  const port = await freePort();
  env = { ...process.env, DATABASE_URL: t.db.url, SCX_DATA_KEY: t.dataKey, PORT: String(port), HOST: '127.0.0.1', SCX_DEMO: 'off', LOG_LEVEL: 'warn' };
  api = await startApiProcess(env);
  httpUrl = `http://127.0.0.1:${port}/graphql`;
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-inbox-client-'));
}, 120000);
afterAll(async () => {
  if (api.child.exitCode === null) {
    api.child.kill('SIGTERM');
    await api.exited;
  }
  await t.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

let people = 0;
/** `count` referrals from the Jobcentre: as many REFERRAL_ALLOCATED items for the area's one prime. */
async function refer(area: TestArea, count: number): Promise<void> {
  const referrals = Array.from({ length: count }, () => {
    people += 1;
    return {
      clientReference: `CLIENT-${people}`, cpaCode: area.code, jobcentreDistrict: 'Clientshire', paymentGroup: 'JSA_25_PLUS',
      // Today: one waiting longer than its programme's days would be flagged NOT_STARTED when the API restarts.
      participationMode: 'MANDATORY', referredOn: todayUtc(),
      claimant: { nino: nino(people, 'CL'), givenName: 'Cora', familyName: 'Client', dateOfBirth: '1985-01-01', consentToShareHealth: false },
    };
  });
  // To the API process under the client, as a Jobcentre's system would send them.
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${jobcentreKey}` },
    body: JSON.stringify({
      query: 'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { userErrors { code } } } }',
      variables: { input: { referrals } },
    }),
  });
  const body = (await response.json()) as { data: { submitReferrals: { results: Array<{ userErrors: unknown[] }> } } };
  expect(body.data.submitReferrals.results.flatMap((result) => result.userErrors)).toEqual([]);
}

/**
 * The cursors of an organisation's inbox, oldest first, read through the test's own server: the
 * API process's next request after failNextDelivery may meet the connection it killed.
 */
async function cursors(key: string): Promise<string[]> {
  const response = await t.gql<{ inbox: { edges: Array<{ cursor: string }> } }>('{ inbox(first: 500) { edges { cursor } } }', {}, key);
  expect(response.errors).toBeUndefined();
  return response.data!.inbox.edges.map((edge) => edge.cursor);
}

interface ExampleClient {
  child: ChildProcess;
  /** The cursors of the items it printed, in order. */
  handled(): string[];
  /** How many times it connected (its `connected:` lines on stderr). */
  connections(): number;
  stderr(): string;
  exited: Promise<number | null>;
}

let clients: ExampleClient[] = [];
afterEach(async () => {
  for (const client of clients) {
    if (client.child.exitCode === null) client.child.kill('SIGTERM');
    await client.exited;
  }
  clients = [];
});

/** `node docs/examples/inbox-client.mjs`, as its header says to run it; stopped after each test. */
function startExample(key: string, cursorFile: string, url = httpUrl): ExampleClient {
  const child = spawn(process.execPath, ['docs/examples/inbox-client.mjs'], {
    cwd: path.join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH, SCX_URL: url.replace(/^http/, 'ws'), SCX_KEY: key, SCX_CURSOR_FILE: cursorFile },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const client: ExampleClient = {
    child,
    handled: () => out.split('\n').filter(Boolean).map((line) => line.split(' ')[0]),
    connections: () => err.split('\n').filter((line) => line.startsWith('connected')).length,
    stderr: () => err,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  clients.push(client);
  return client;
}

/** Waits until the client has printed the newest item of the inbox of `key`. */
async function caughtUp(client: ExampleClient, key: string): Promise<void> {
  const newest = (await cursors(key)).at(-1)!;
  await waitFor(`the client handles ${newest}`, () => client.handled().includes(newest));
}

describe('the example inbox client', () => {
  it('handles each item exactly once across restarts of the API, resuming after its saved cursor', async () => {
    const area = await createArea(t, 41, [10000]);
    const primeKey = area.primeKeys[0]; // a fresh key: its organisation's inbox is empty
    // One item handled before: the client resumes after it (the old example replayed from here).
    await refer(area, 1);
    const [handledBefore] = await cursors(primeKey);
    const cursorFile = path.join(folder, 'cursor');
    fs.writeFileSync(cursorFile, handledBefore);
    const client = startExample(primeKey, cursorFile);
    await waitFor('the client connects', () => client.connections() === 1);
    expect(client.stderr()).toContain(`connected: items after ${handledBefore}`);
    await refer(area, 3);
    await caughtUp(client, primeKey);

    // A deploy (SIGTERM: close 1001), then a crash (SIGKILL: no close frame), each on the same port and database.
    for (const [restart, signal] of (['SIGTERM', 'SIGKILL'] as const).entries()) {
      api.child.kill(signal);
      await api.exited;
      api = await startApiProcess(env);
      await refer(area, 2); // most likely before the client is back: it catches up
      await caughtUp(client, primeKey);
      await waitFor('the client reconnects', () => client.connections() === restart + 2);
      await refer(area, 2); // while it is connected: delivered live
      await caughtUp(client, primeKey);
    }

    const all = await cursors(primeKey);
    expect(all).toHaveLength(1 + 3 + 2 * 4);
    expect(client.handled()).toEqual(all.slice(1));
    expect(fs.readFileSync(cursorFile, 'utf8')).toBe(all.at(-1));
    expect(client.child.exitCode).toBeNull(); // the same process throughout
  }, 120000);

  it('resumes after its last cursor when a fault ends its subscription mid-delivery', async () => {
    const area = await createArea(t, 42, [10000]);
    const primeKey = area.primeKeys[0];
    const client = startExample(primeKey, path.join(folder, 'faulted'));
    await waitFor('the client connects', () => client.connections() === 1);
    expect(client.stderr()).toContain('connected: items after now');
    await refer(area, 1);
    await caughtUp(client, primeKey);

    // The same referral again, as an override would announce it; the lock is on what the access check reads.
    const [{ referral_id: referralId }] = await t.db.dataSource.query('SELECT referral_id FROM inbox_item WHERE organisation_id = $1', [area.contracts[0].primeId]);
    await failNextDelivery(t.db.dataSource, 'handoff', { organisationId: area.contracts[0].primeId, kind: InboxItemKind.REFERRAL_ALLOCATED, referralId });
    await caughtUp(client, primeKey);
    expect(client.stderr()).toContain('subscription ended, resuming: Internal server error: this item could not be delivered');
    expect(client.handled()).toEqual(await cursors(primeKey));
  });

  it('waits as long as a 4403 (rate limited) says before connecting again, then delivers', async () => {
    // An API process of its own, where a key may make 3 requests in 6 s.
    const port = await freePort();
    const limited = await startApiProcess({ ...env, PORT: String(port), SCX_RATE_LIMIT_REQUESTS: '3', SCX_RATE_LIMIT_WINDOW_SECONDS: '6' });
    const limitedUrl = `http://127.0.0.1:${port}/graphql`;
    try {
      const area = await createArea(t, 43, [10000]);
      const primeKey = area.primeKeys[0];
      for (let i = 0; i < 3; i++) {
        const response = await fetch(limitedUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${primeKey}` },
          body: JSON.stringify({ query: '{ viewer { role } }' }),
        });
        expect(response.status).toBe(200);
      }
      const client = startExample(primeKey, path.join(folder, 'limited'), limitedUrl);
      await waitFor('the client connects', () => client.connections() === 1);
      // Refused once: it then waited as long as the reason said, and was not refused again.
      expect(client.stderr().match(/^connection closed: 4403 RATE_LIMITED: Too many requests with this API key; retry after \d+ s$/gm)).toHaveLength(1);
      expect(client.stderr()).not.toContain('connection closed: 4401');
      await refer(area, 1);
      await caughtUp(client, primeKey);
      expect(client.handled()).toEqual(await cursors(primeKey));
    } finally {
      limited.child.kill('SIGTERM');
      await limited.exited;
    }
  }, 60000);

  it('stops at once, saying why, when the server refuses its key (4401)', async () => {
    const client = startExample('scx_not_a_key_anybody_has', path.join(folder, 'refused'));
    await waitFor('the client exits', () => client.child.exitCode !== null);
    expect(client.child.exitCode).toBe(1);
    expect(client.stderr()).toContain('refused: UNKNOWN: This API key is not known');
    expect(client.handled()).toEqual([]);
  });
});

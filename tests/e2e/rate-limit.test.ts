import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { authenticateRequest } from '../../src/auth/authenticate';
import { keyLookup } from '../../src/modules/identity/identity.service';
import { queryCounter } from '../../src/db/data-source';
import { freePort } from '../../src/db/embedded';
import { Role } from '../../src/auth/access.enums';
import { type ApiProcess, startApiProcess } from '../helpers/api-process';
import { type TestServer, startTestServer } from '../helpers/server';

/** A budget this file can spend: 5 requests an hour per key (an hour, so that no window ends mid-test). */
const LIMIT = { requests: 5, windowSeconds: 3600 };

let t: TestServer;
let other: ApiProcess;
let otherUrl: string;

beforeAll(async () => {
  t = await startTestServer({ rateLimit: LIMIT });
  const port = await freePort();
  // A second API process on the same database, as behind a load balancer, with the same limit.
  other = await startApiProcess({
    ...process.env,
    DATABASE_URL: t.db.url,
    SCX_DATA_KEY: t.dataKey,
    PORT: String(port),
    SCX_DEMO: 'off',
    LOG_LEVEL: 'warn',
    SCX_RATE_LIMIT_REQUESTS: String(LIMIT.requests),
    SCX_RATE_LIMIT_WINDOW_SECONDS: String(LIMIT.windowSeconds),
  });
  otherUrl = `http://127.0.0.1:${port}/graphql`;
}, 120000);
afterAll(async () => {
  other.child.kill('SIGTERM');
  await other.exited;
  await t.close();
});

/** `viewer` for `key` at `url`: true when answered, the refusal (status, Retry-After, error) otherwise. */
async function ask(url: string, key: string): Promise<true | { status: number; retryAfter: string | null; extensions: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });
  const body = (await response.json()) as { data?: { viewer?: unknown } | null; errors?: Array<{ extensions: Record<string, unknown> }> };
  if (body.data?.viewer && !body.errors) return true;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), extensions: body.errors![0].extensions };
}
const served = async (url: string, key: string): Promise<boolean> => (await ask(url, key)) === true;

/** The 429 of a rate-limited key, waiting a number of seconds within the window. */
const rateLimited = {
  status: 429,
  retryAfter: expect.stringMatching(/^\d+$/),
  extensions: { code: 'RATE_LIMITED', reason: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
};

describe('per-key rate limits, kept in PostgreSQL', () => {
  it('two API processes on one database share a key budget; other keys keep theirs', async () => {
    const busy = await t.keyFor(Role.PROVIDER);
    const quiet = await t.keyFor(Role.PROVIDER);
    const answers: boolean[] = [];
    // Alternating between the processes: each sees the other's requests.
    for (let i = 0; i < 5; i++) answers.push(await served(i % 2 === 0 ? t.url : otherUrl, busy.secret));
    expect(answers).toEqual([true, true, true, true, true]);
    // The sixth on, in either process: 429 with the seconds to wait, in the header and the error.
    for (const url of [otherUrl, t.url, otherUrl]) {
      const refusal = await ask(url, busy.secret);
      expect(refusal).toEqual(rateLimited);
      if (refusal === true) continue;
      const seconds = Number(refusal.retryAfter);
      expect(refusal.extensions.retryAfterSeconds).toBe(seconds);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(LIMIT.windowSeconds);
    }
    expect(await served(otherUrl, quiet.secret)).toBe(true);
    expect(await served(t.url, quiet.secret)).toBe(true);

    const result = await authenticateRequest(keyLookup(t.db.dataSource, LIMIT), `Bearer ${busy.secret}`);
    expect(result).toMatchObject({ failure: 'RATE_LIMITED', message: 'Too many requests with this API key' });
    const retryAfter = (result as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LIMIT.windowSeconds);
  });

  it('gives the key a new budget once its window has ended', async () => {
    const key = await t.keyFor(Role.ANALYST);
    for (let i = 0; i < LIMIT.requests; i++) expect(await served(i % 2 ? otherUrl : t.url, key.secret)).toBe(true);
    expect(await served(otherUrl, key.secret)).toBe(false);
    // The hour passes: the window is moved back rather than waited for.
    await t.db.dataSource.query(
      `UPDATE api_key_usage SET window_started_at = window_started_at - interval '3601 seconds'
        WHERE api_key_id = (SELECT id FROM api_key WHERE organisation_id = $1)`,
      [key.organisationId],
    );
    expect(await served(otherUrl, key.secret)).toBe(true);
    expect(await served(t.url, key.secret)).toBe(true);
  });

  it('closes a rate-limited key\'s WebSocket connection with 4403 (graphql-ws clients retry later), saying when', async () => {
    const key = await t.keyFor(Role.PROVIDER);
    for (let i = 0; i < LIMIT.requests; i++) expect(await served(otherUrl, key.secret)).toBe(true);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      const client = createClient({
        url: t.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key.secret}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
      });
      client.on('closed', (event) => {
        resolve(event as { code: number; reason: string });
        void client.dispose();
      });
    });
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^RATE_LIMITED: Too many requests with this API key; retry after \d+ s$/);
  });

  it('costs a request one statement to authenticate and count', async () => {
    const key = await t.keyFor(Role.ANALYST);
    const counter = queryCounter(t.db.dataSource);
    const before = counter.count;
    await authenticateRequest(keyLookup(t.db.dataSource, LIMIT), `Bearer ${key.secret}`);
    expect(counter.count - before).toBe(1);
  });
});

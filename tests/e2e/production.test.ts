import os from 'node:os';
import net from 'node:net';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort } from '../../src/db/embedded';
import { type ApiProcess, startApiProcess } from '../helpers/api-process';
import { BOOTSTRAP_ADMIN_KEY, type TestServer, startTestServer } from '../helpers/server';

/**
 * Production mode (NODE_ENV=production, as API processes in tests and in docker run): no IDE and
 * no introspection unless turned on, no schema details in errors, security headers everywhere,
 * and the loopback interface only unless HOST says otherwise.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ production: true });
});
afterAll(() => t.close());

type Answer = { status: number; headers: Headers; errors?: Array<{ message: string; extensions: { code: string } }>; data?: unknown };

async function post(body: unknown, url = t.url): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BOOTSTRAP_ADMIN_KEY}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

/** The errors one WebSocket operation gets. */
async function subscriptionErrors(query: string): Promise<Array<{ message: string; extensions?: { code?: string } }>> {
  const client: Client = createClient({ url: t.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${BOOTSTRAP_ADMIN_KEY}` }, retryAttempts: 0 });
  try {
    return await new Promise((resolve) => {
      client.subscribe({ query }, { next: () => undefined, error: (errors) => resolve(errors as never), complete: () => resolve([]) });
    });
  } finally {
    await client.dispose();
  }
}

describe('in production', () => {
  it('serves no GraphQL IDE, and says how to turn it on', async () => {
    const page = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('SCX_GRAPHIQL=on');
    expect((await fetch(t.url.replace('/graphql', '/graphiql/graphiql.js'))).status).toBe(404);
  });

  it('refuses introspection, over HTTP and over WebSocket alike', async () => {
    const http = await post({ query: '{ __schema { types { name } } }' });
    expect(http.status).toBe(400);
    expect(http.errors!.map((e) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(http.errors![0].message).toMatch(/introspection/);
    const ws = await subscriptionErrors('{ __type(name: "Referral") { fields { name } } }');
    expect(new Set(ws.map((e) => e.extensions?.code))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    expect(ws[0].message).toMatch(/introspection/);
  });

  it('gives no "Did you mean" suggestions, in validation or in variables, over HTTP or WebSocket', async () => {
    const unknownField = await post({ query: '{ viewer { rol } }' });
    expect(unknownField.errors!.map((e) => e.message)).toEqual(['Cannot query field "rol" on type "Viewer".']);
    const badVariable = await post({
      query: 'mutation($input: CreateCpaInput!) { createCpa(input: $input) { userErrors { code } } }',
      variables: { input: { code: 5, name: 'x', natoin: 'WALES' } },
    });
    expect(new Set(badVariable.errors!.map((e) => e.extensions.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(JSON.stringify(badVariable.errors)).not.toMatch(/Did you mean|"nation"/);
    const ws = await subscriptionErrors('subscription { inboxItemAdded { cursr } }');
    expect(ws.map((e) => e.message)).toEqual(['Cannot query field "cursr" on type "InboxItem".']);
  });

  it('sets security headers on every response, and no-store on GraphQL answers', async () => {
    const answers = [
      await fetch(`${new URL(t.url).origin}/healthz`),
      await fetch(`${new URL(t.url).origin}/dashboard`),
      await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      (await post({ query: '{ viewer { role } }' })) as unknown as Response,
      (await post({ query: '{ viewer { ' })) as unknown as Response,
    ];
    for (const { headers } of answers) {
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(headers.get('x-powered-by')).toBeNull();
    }
    for (const { headers } of answers.slice(2)) expect(headers.get('cache-control')).toBe('no-store');
    // The dashboard keeps its own policy, which lets its script and stylesheet load.
    expect(answers[1].headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('turned on in production', () => {
  let on: TestServer;
  beforeAll(async () => {
    on = await startTestServer({ production: true, graphiql: true, introspection: true });
  });
  afterAll(() => on.close());

  it('serves the IDE with a self-only policy, and answers introspection', async () => {
    const page = await fetch(on.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|\*|unsafe-eval/);
    expect(await page.text()).not.toMatch(/<script>|(src|href)=["']?(https?:)?\/\//);
    const schema = await post({ query: '{ __schema { queryType { name } } }' }, on.url);
    expect(schema.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('npm start in production', () => {
  let api: ApiProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.db.url, SCX_DATA_KEY: t.dataKey, PORT: String(port), SCX_DEMO: 'off', LOG_LEVEL: 'warn' };
    delete env.HOST;
    api = await startApiProcess(env);
  }, 120000);
  afterAll(async () => {
    api.child.kill('SIGTERM');
    await api.exited;
  });

  it('reads NODE_ENV: no IDE, no introspection', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(404);
    const answer = await post({ query: '{ __schema { queryType { name } } }' }, `http://127.0.0.1:${port}/graphql`);
    expect(answer.errors!.map((e) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('listens on localhost only when HOST is unset', async () => {
    const outward = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    if (!outward) return; // a machine with no other interface has nothing more to show
    const reached = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, outward.address, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    expect(reached).toBe(false);
  });
});

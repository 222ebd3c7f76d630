import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded';
import { type ApiProcess, startApiProcess } from '../helpers/api-process';
import { subscribe } from '../helpers/subscriber';

/**
 * `npm start` as a user runs it: a real process with its own embedded PostgreSQL and demo data,
 * then SIGTERM in the middle of a request.
 */
const ADMIN_KEY = randomBytes(32).toString('hex');


function postgresProcessesUsing(dataDir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('postgres') && line.includes(dataDir));
}

let api: ApiProcess;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-lifecycle-'));
  fs.chmodSync(dataDir, 0o755);
  port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SCX_DATA_DIR: dataDir,
    SCX_EMBEDDED_PG_PORT: String(await freePort()),
    SCX_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    SCX_DEMO: 'on',
    // It runs as in production, where the IDE is off unless turned on (tests/e2e/production.test.ts).
    SCX_GRAPHIQL: 'on',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL; // this test is about the embedded default
  api = await startApiProcess(env);
}, 120000);

afterAll(async () => {
  if (api.child.exitCode === null) {
    api.child.kill('SIGKILL');
    await api.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function gql(query: string, key: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown> };
}

/** A request sent up to half its body, so that it is in flight when a signal arrives; finish() sends the rest. */
async function requestInFlight(key: string): Promise<{ finish(): Promise<string> }> {
  const body = JSON.stringify({ query: '{ viewer { role } }' });
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let response = '';
  socket.on('data', (chunk) => (response += chunk.toString()));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer ${key}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    finish: async () => {
      socket.write(body.slice(10));
      await closed;
      return response;
    },
  };
}

describe('npm start with the embedded database', () => {
  it('prints a table of demo keys, one per role plus a prime and a subcontractor, that work', async () => {
    const rows = fs.readFileSync(path.join(dataDir, 'demo-keys.txt'), 'utf8').trim().split('\n').slice(2);
    expect(rows.map((row) => row.split(/\s{2,}/)[0])).toEqual(['admin', 'jobcentre', 'decision maker', 'analyst', 'prime', 'subcontractor']);
    for (const row of rows) expect(api.stdout()).toContain(row);
    const analystKey = rows[3].trim().split(/\s+/).pop()!;
    expect((await gql('{ viewer { role } }', analystKey)).data).toEqual({ viewer: { role: 'ANALYST' } });
  });

  it('loads the 18 CPAs and 40 prime contracts of the demo, each with 3 to 8 subcontractors', async () => {
    const { data } = await gql('{ cpas { code contracts { subcontracts { deliveryModel parent { deliveryModel } } } } }', ADMIN_KEY);
    const cpas = (data as { cpas: Array<{ code: number; contracts: Array<{ subcontracts: Array<{ deliveryModel: string; parent: unknown }> }> }> }).cpas;
    expect(cpas.map((c) => c.code)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    const contracts = cpas.flatMap((c) => c.contracts);
    expect(contracts).toHaveLength(40);
    for (const contract of contracts) {
      expect(contract.subcontracts.length).toBeGreaterThanOrEqual(3);
      expect(contract.subcontracts.length).toBeLessThanOrEqual(8);
      const models = new Set(contract.subcontracts.map((s) => s.deliveryModel));
      expect(models.has('END_TO_END') && models.has('SPOT') && models.has('IN_WORK_SUPPORT')).toBe(true);
      expect(contract.subcontracts.some((s) => s.deliveryModel === 'SPOT' && s.parent !== null)).toBe(true);
    }
  });

  it('answers health and readiness, and serves the GraphQL IDE from its own assets only', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const page = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toHaveLength(7);
    for (const asset of assets) {
      const response = await fetch(`http://127.0.0.1:${port}${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(50);
    }
  });

  it('on SIGTERM, delivered twice as npm start often does, finishes the request in flight, refuses new ones, exits 0 without a warning and stops PostgreSQL', async () => {
    expect(postgresProcessesUsing(dataDir).length).toBeGreaterThan(0);
    const request = await requestInFlight(ADMIN_KEY);
    // The terminal's (or a supervisor's) process group and npm's forwarding: one signal, twice.
    api.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    api.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    const response = await request.finish();
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('{"data":{"viewer":{"role":"ADMIN"}}}');
    expect(await api.exited).toBe(0);
    expect(api.stdout()).not.toMatch(/"level":[4-6]0/);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  });
});

/** `npm start` itself, in a process group of its own as a terminal runs it; resolves once it listens. */
async function npmStart(env: NodeJS.ProcessEnv): Promise<ApiProcess> {
  const child = spawn('npm', ['start'], { cwd: path.join(__dirname, '..', '..'), env, detached: true });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('scx GraphQL API on')) resolve();
    });
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before listening:\n${out}`)));
  });
  return { child, stdout: () => out, exited };
}

describe('npm start, twice', () => {
  it('builds only when the sources changed; one SIGTERM or Ctrl-C to its process group (npm and scx both get it) exits 0 without a warning', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SCX_DATA_DIR: dataDir, SCX_EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const primeKey = fs.readFileSync(path.join(dataDir, 'demo-keys.txt'), 'utf8').split('\n').find((row) => row.startsWith('prime'))!.split(/\s+/).pop()!;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const started = await npmStart(env);
      if (signal === 'SIGINT') {
        expect(started.stdout()).toContain('dist/ is up to date: no build needed');
        expect(started.stdout()).not.toContain('building dist/');
      }
      // A subscriber and a request in flight: the database must not go before they are done with
      // (the group's signal must not reach PostgreSQL).
      const subscriber = await subscribe(`http://127.0.0.1:${port}/graphql`, primeKey, 'inboxItemAdded');
      const request = await requestInFlight(primeKey);
      process.kill(-started.child.pid!, signal);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await request.finish()).toContain('{"data":{"viewer":{"role":"PROVIDER"}}}');
      expect(await started.exited).toBe(0);
      await subscriber.close();
      expect(started.stdout()).not.toMatch(/"level":[4-6]0/);
      expect(postgresProcessesUsing(dataDir)).toEqual([]);
    }
  }, 180000);
});

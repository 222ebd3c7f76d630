import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded';
import { type ApiProcess, startApiProcess } from '../helpers/api-process';

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
    expect(assets).toHaveLength(4);
    for (const asset of assets) {
      const response = await fetch(`http://127.0.0.1:${port}${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it('on SIGTERM finishes the request in flight, refuses new ones, exits 0 and stops PostgreSQL', async () => {
    expect(postgresProcessesUsing(dataDir).length).toBeGreaterThan(0);
    const body = JSON.stringify({ query: '{ viewer { role } }' });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Headers and half the body: the request is in flight when the signal arrives.
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    api.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    socket.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('{"data":{"viewer":{"role":"ADMIN"}}}');
    expect(await api.exited).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { embeddedUrl, freePort, startEmbeddedPostgres } from '../../src/db/embedded';
import { type ApiProcess, runScript, startApiProcess } from '../helpers/api-process';

/**
 * The embedded PostgreSQL over the lives of real API processes on one install: an install from
 * before per-install passwords, a crash (kill -9), `npm run seed` beside a running API and its
 * --reset, a port taken by another server, and (as root) a project folder only root can enter.
 */
const OLD_SHARED_PASSWORD = 'scx-embedded';
let dataDir: string;
let env: NodeJS.ProcessEnv;
const running = new Set<ApiProcess>();

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-embedded-'));
  fs.chmodSync(dataDir, 0o755);
  env = {
    ...process.env,
    PORT: String(await freePort()),
    SCX_DATA_DIR: dataDir,
    SCX_EMBEDDED_PG_PORT: String(await freePort()),
    SCX_DEMO: 'on',
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL; // this file is about the embedded default
  delete env.SCX_DATA_KEY;
});

afterAll(async () => {
  for (const api of running) {
    api.child.kill('SIGKILL');
    await api.exited;
  }
  // A failed test may leave a server behind: stop whatever still runs from these folders.
  for (const pid of postgresUsing(dataDir)) process.kill(pid, 'SIGINT');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(environment = env): Promise<ApiProcess> {
  const api = await startApiProcess(environment);
  running.add(api);
  void api.exited.then(() => running.delete(api));
  return api;
}

async function stop(api: ApiProcess): Promise<number | null> {
  api.child.kill('SIGTERM');
  return api.exited;
}

/** Postmasters whose data folder is under `dir` (their command line names it). */
function postgresUsing(dir: string): number[] {
  const real = fs.realpathSync(dir);
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => /\/postgres -D /.test(line) && (line.includes(dir) || line.includes(real)))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

const port = () => Number(env.SCX_EMBEDDED_PG_PORT);

async function query(password: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: embeddedUrl(port(), 'postgres', password) });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL of an install', () => {
  it('keeps an install made with the old shared password working, and gives it a password of its own (0600)', async () => {
    // The cluster as earlier versions made it: the same superuser password on every machine.
    const old = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: port(), password: OLD_SHARED_PASSWORD, persistent: true });
    await query(OLD_SHARED_PASSWORD, 'CREATE DATABASE kept');
    await old.stop();

    const api = await start();
    const file = path.join(dataDir, 'postgres-password');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const password = fs.readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    await expect(query(OLD_SHARED_PASSWORD, 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
    expect(await query(password, "SELECT datname FROM pg_database WHERE datname = 'kept'")).toEqual([{ datname: 'kept' }]);

    // A crash: the API goes, its PostgreSQL stays (the next test adopts it).
    api.child.kill('SIGKILL');
    await api.exited;
    expect(postgresUsing(dataDir)).toHaveLength(1);
  });

  it('after kill -9, the next start adopts the PostgreSQL left running and stops it on SIGTERM', async () => {
    const next = await start();
    expect(next.stdout()).toContain('adopted the embedded PostgreSQL that an scx process left running');
    expect((await fetch(`http://127.0.0.1:${env.PORT}/readyz`)).status).toBe(200);
    expect(await stop(next)).toBe(0);
    expect(postgresUsing(dataDir)).toEqual([]);
  });

  it('npm run seed beside a running API shares its server, rewrites demo-keys.txt, and leaves it running; --reset refuses', async () => {
    const api = await start();
    const keysFile = path.join(dataDir, 'demo-keys.txt');
    const before = fs.readFileSync(keysFile, 'utf8');
    const [seeded, reset] = await Promise.all([
      runScript('src/scripts/seed.ts', [], env),
      runScript('src/scripts/seed.ts', ['--reset', '--yes'], env),
    ]);
    expect(seeded).toMatchObject({ code: 0, stdout: expect.stringContaining('issued new demo keys') });
    const after = fs.readFileSync(keysFile, 'utf8');
    expect(after).not.toEqual(before);
    expect(seeded.stdout).toContain(after.trim());
    expect(reset).toMatchObject({ code: 1, stderr: expect.stringContaining('Another scx process (npm start?) is using the embedded database') });

    expect((await fetch(`http://127.0.0.1:${env.PORT}/readyz`)).status).toBe(200);
    expect(await stop(api)).toBe(0);
    expect(postgresUsing(dataDir)).toEqual([]);
  });

  it('npm run seed -- --reset --yes, with nothing else running, starts again from an empty database', async () => {
    const reset = await runScript('src/scripts/seed.ts', ['--reset', '--yes'], env);
    // "loaded", not "was there already": the registry the API seeded is gone.
    expect(reset).toMatchObject({ code: 0, stdout: expect.stringContaining('Demo data loaded.') });
    expect(postgresUsing(dataDir)).toEqual([]);
  });

  it('refuses a server on its port that is not its own, in one sentence', async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-other-'));
    fs.chmodSync(otherDir, 0o755);
    // Another install's server with the old shared password, on this install's port.
    const other = await startEmbeddedPostgres({ dataDir: path.join(otherDir, 'data'), port: port(), password: OLD_SHARED_PASSWORD, persistent: false });
    // And something that is not PostgreSQL at all.
    const notPostgres = net.createServer((socket) => {
      socket.on('error', () => undefined); // the probe hangs up at once
      socket.end('hello\n');
    });
    const notPostgresPort = await freePort();
    await new Promise<void>((resolve) => notPostgres.listen(notPostgresPort, '127.0.0.1', resolve));
    try {
      const [onOther, onNotPostgres] = await Promise.all([
        runScript('src/main.ts', [], env),
        runScript('src/main.ts', [], { ...env, SCX_EMBEDDED_PG_PORT: String(notPostgresPort) }),
      ]);
      const ending =
        `not this install's embedded PostgreSQL (${path.join(dataDir, 'postgres')}): stop it, or set SCX_EMBEDDED_PG_PORT ` +
        'to a free port (or DATABASE_URL to use an external PostgreSQL).\n';
      expect(onOther).toMatchObject({ code: 1 });
      expect(onOther.stderr).toBe(`scx failed to start: Port ${port()} is taken by a PostgreSQL server that refuses this install's password, ${ending}`);
      expect(onNotPostgres).toMatchObject({ code: 1 });
      expect(onNotPostgres.stderr).toBe(
        `scx failed to start: Port ${notPostgresPort} is taken by a server that does not take our PostgreSQL connection, ${ending}`,
      );
    } finally {
      notPostgres.close();
      await other.stop();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  (process.getuid?.() === 0 ? it : it.skip)(
    'as root, keeps the data of a folder only root can enter where the postgres user can, across restarts',
    async () => {
      const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-private-'));
      fs.chmodSync(privateDir, 0o700);
      const privateEnv = { ...env, SCX_DEMO: 'off', SCX_DATA_DIR: path.join(privateDir, '.data'), SCX_EMBEDDED_PG_PORT: String(await freePort()) };
      let home: string | undefined;
      try {
        const first = await start(privateEnv);
        const target = fs.readlinkSync(path.join(privateDir, '.data', 'postgres'));
        home = path.dirname(target);
        expect(target).toMatch(/\/scx\/[0-9a-f]{16}\/postgres$/);
        expect(first.stdout()).toContain(`keeps its data in ${target}, linked from ${path.join(privateDir, '.data', 'postgres')}`);
        expect(first.stdout()).toContain('migrations applied');
        expect(await stop(first)).toBe(0);

        // The second start finds the database the first made: its migrations are applied already.
        const second = await start(privateEnv);
        expect(second.stdout()).toContain(`"dataDir":"${target}"`);
        expect(second.stdout()).not.toContain('migrations applied');
        expect(await stop(second)).toBe(0);
      } finally {
        fs.rmSync(privateDir, { recursive: true, force: true });
        if (home) fs.rmSync(home, { recursive: true, force: true });
      }
    },
  );
});

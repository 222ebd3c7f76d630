import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { DATA_MODEL } from '../src/server/data-model';
import { freePort, startEmbeddedPostgres } from '../src/db/embedded';

/** A server in a process of its own: its pid (for its CPU time), and a graceful stop (SIGTERM). */
export interface ServerProcess {
  pid: number;
  stop(): Promise<void>;
}

/** Starts `node ARGS` with `env` added, resolved once its standard output shows `ready`. */
export async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()).includes(ready) && resolve());
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
  return {
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The API as production runs it: compiled (`dist/`, built when stale; no ts-node, whose source
 * maps make every error's stack costly), NODE_ENV=production, in a process of its own on
 * `databaseUrl`, with `nodeOptions` (e.g. `--cpu-prof`) and `env` added.
 */
export async function startCompiledApi(databaseUrl: string, { nodeOptions = [], env = {} }: { nodeOptions?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<ServerProcess & { url: string }> {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build-if-stale.mjs')], { stdio: 'inherit' });
  const port = await freePort();
  const api = await startProcess(
    // As `npm start` runs it (package.json).
    ['--max-semi-space-size=64', ...nodeOptions, path.join(__dirname, '..', 'dist', 'src', 'main.js')],
    { NODE_ENV: 'production', DATABASE_URL: databaseUrl, SCX_DATA_KEY: randomBytes(32).toString('base64'), PORT: String(port), HOST: '127.0.0.1', SCX_DEMO: 'off', LOG_LEVEL: 'warn', ...env },
    'scx GraphQL API on',
  );
  return { ...api, url: `http://127.0.0.1:${port}/graphql` };
}

/** What one benchmark measured: tables of figures (with their ratios) and notes, from one run. */
export interface Report {
  title: string;
  tables: Array<{ caption?: string; headers: string[]; rows: Array<Array<string | number>> }>;
  notes: string[];
}

/** A benchmark: its arguments after the name, its report. */
export type Bench = (args: string[]) => Promise<Report>;

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
export const ms = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
export const count = (value: number): string => Math.round(value).toLocaleString('en-GB');

/** Runs `run` once to warm plans and caches, then `runs` times; the times sorted, and the last result. */
export async function timed<T>(runs: number, run: () => Promise<T>): Promise<{ result: T; ms: number[]; median: number }> {
  let result = await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    result = await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { result, ms: times, median: times[Math.floor(times.length / 2)] };
}

/** The machine a run was on, for the record: cores, memory, load. */
export function machine(): string {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB memory, load ${load}, Node ${process.version}`;
}

/** The report as Markdown: what is printed and what docs/BENCHMARKS.md records. */
export function markdown(name: string, report: Report, at: Date): string {
  const lines = [`### ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC — \`npm run bench -- ${name}\``, '', `${report.title}`, '', `Machine: ${machine()}.`];
  for (const table of report.tables) {
    lines.push('');
    if (table.caption) lines.push(table.caption, '');
    lines.push(`| ${table.headers.join(' | ')} |`, `|${table.headers.map(() => '---').join('|')}|`);
    for (const row of table.rows) lines.push(`| ${row.join(' | ')} |`);
  }
  for (const note of report.notes) lines.push('', note);
  return `${lines.join('\n')}\n`;
}

/**
 * A throwaway database for a benchmark, with every migration applied: a new database on the
 * server `serverUrl` names (DATABASE_URL's by default), or on an embedded server in a temporary
 * folder (null).
 */
export async function scratchDatabase(serverUrl: string | null = process.env.DATABASE_URL ?? null): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const name = `scx_bench_${randomBytes(4).toString('hex')}`;
  let adminUrl = serverUrl;
  let stopServer = async () => undefined;
  if (!adminUrl) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-bench-'));
    fs.chmodSync(folder, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(folder, 'data'), port: await freePort(), persistent: false });
    adminUrl = server.url('postgres');
    stopServer = async () => {
      await server.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    };
  }
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataSource = createDataSource(url.toString(), DATA_MODEL);
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await admin(`DROP DATABASE ${name} WITH (FORCE)`);
      await stopServer();
    },
  };
}

/** The database server's version, e.g. "PostgreSQL 15.10". */
export async function serverVersion(db: DataSource): Promise<string> {
  const [{ version }] = await db.query(`SELECT 'PostgreSQL ' || current_setting('server_version') AS version`);
  return version.split(' (')[0];
}

/**
 * The servers a benchmark compared across versions runs on: the embedded one (null), then each
 * URL in SCX_BENCH_SERVERS (comma-separated, e.g. the machine's PostgreSQL 15 and a PostgreSQL 16).
 */
export function benchServers(): Array<string | null> {
  return [null, ...(process.env.SCX_BENCH_SERVERS ?? '').split(',').filter(Boolean)];
}

/**
 * CPU seconds (user + system) the database server's processes serving `db`'s database spend
 * from now until `stop()`, read from /proc (the server must run on this machine). Sampled every
 * 100 ms, so that a connection the pool closes meanwhile still counts; parallel workers do not.
 */
export async function databaseCpu(db: DataSource): Promise<{ stop(): Promise<number> }> {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async () => {
    const rows: Array<{ pid: number }> = await db.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
    for (const { pid } of rows) {
      const seconds = processCpuSeconds(pid);
      if (!first.has(pid)) first.set(pid, seconds);
      last.set(pid, seconds);
    }
  };
  await sample();
  const timer = setInterval(() => void sample().catch(() => undefined), 100);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return [...last].reduce((sum, [pid, seconds]) => sum + seconds - first.get(pid)!, 0);
    },
  };
}

/** CPU seconds (user + system) of a process on this machine, 0 once it has gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

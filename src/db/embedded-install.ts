import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { EMBEDDED_USER, Postmaster, embeddedUrl, postmasterPid, startCluster } from './embedded';

/**
 * This install's embedded PostgreSQL (no DATABASE_URL): its cluster in `<dataDir>/postgres`, its
 * superuser password in `<dataDir>/postgres-password`, on SCX_EMBEDDED_PG_PORT. Whoever opens it
 * first starts it and stops it when done; other scx processes (`npm run seed` beside `npm start`)
 * share it; one left running by a process that died (kill -9) is adopted by the next.
 */

export const PASSWORD_FILE = 'postgres-password';
// Installs made before each had its own password used this one. It is tried only when the
// install's own password is refused, on a server whose data folder is the install's own, and
// only to set the install's own.
const LEGACY_PASSWORD = 'scx-embedded';
// A session advisory lock held by the process that runs the server (and will stop it): it goes
// with that process's connection, however the process ends.
const OWNER_LOCK = 0x5c5e0001;

/** The install's superuser password, made on its first start (random, mode 0600, beside the data key). */
export function embeddedPassword(dataDir: string): string {
  const file = path.join(dataDir, PASSWORD_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(24).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first
    }
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export interface EmbeddedInstall {
  url(database: string): string;
  /**
   * started: by this process; adopted: left running by an scx process that ended without
   * stopping it, and now this process's; shared: another running scx process runs it.
   * close() stops it unless shared.
   */
  how: 'started' | 'adopted' | 'shared';
  close(): Promise<void>;
}

/** Something accepts connections on the port (PostgreSQL or not). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: 'localhost', port });
    socket.setTimeout(2000);
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function connect(port: number, password: string): Promise<Client> {
  const client = new Client({ connectionString: embeddedUrl(port, 'postgres', password), connectionTimeoutMillis: 5000 });
  // The owner's connection lives as long as the process; a server going away must not crash it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

async function dataDirectory(client: Client): Promise<string> {
  const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
  try {
    return fs.realpathSync(rows[0].data_directory);
  } catch {
    return rows[0].data_directory;
  }
}

/** The real folder of the install's cluster, or null before its first start. */
function existingCluster(link: string): string | null {
  try {
    const real = fs.realpathSync(link);
    return fs.existsSync(path.join(real, 'PG_VERSION')) ? real : null;
  } catch {
    return null;
  }
}

/** An install from before per-install passwords: its own server takes the install's password, through the old one. */
async function replaceLegacyPassword(port: number, password: string, ours: string, log: Logger): Promise<boolean> {
  let legacy: Client;
  try {
    legacy = await connect(port, LEGACY_PASSWORD);
  } catch {
    return false;
  }
  try {
    if ((await dataDirectory(legacy)) !== ours) return false;
    await legacy.query(`ALTER ROLE ${EMBEDDED_USER} PASSWORD ${legacy.escapeLiteral(password)}`);
    log.info(`the embedded PostgreSQL has its own password now (${PASSWORD_FILE} beside the data key), in place of the one all installs shared`);
    return true;
  } finally {
    await legacy.end().catch(() => undefined);
  }
}

type Answer = { kind: 'nothing' } | { kind: 'ours'; admin: Client } | { kind: 'other'; what: string };

/** Who answers on the port: nothing, this install's server (an open superuser connection), or something else. */
async function whoAnswers(port: number, password: string, ours: string | null, log: Logger): Promise<Answer> {
  if (!(await listening(port))) return { kind: 'nothing' };
  let admin: Client;
  try {
    admin = await connect(port, password);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('28')) return { kind: 'other', what: 'a server that does not take our PostgreSQL connection' };
    if (!ours || !(await replaceLegacyPassword(port, password, ours, log))) {
      return { kind: 'other', what: "a PostgreSQL server that refuses this install's password" };
    }
    admin = await connect(port, password);
  }
  const serving = await dataDirectory(admin);
  if (serving === ours) return { kind: 'ours', admin };
  await admin.end();
  return { kind: 'other', what: `a PostgreSQL server of ${serving}` };
}

function portTaken(port: number, what: string, link: string): Error {
  return new Error(
    `Port ${port} is taken by ${what}, not this install's embedded PostgreSQL (${link}): stop it, or set ` +
      'SCX_EMBEDDED_PG_PORT to a free port (or DATABASE_URL to use an external PostgreSQL).',
  );
}

/** Opens the install's embedded server: starts it, shares it with the scx process running it, or adopts an orphan. */
export async function openEmbeddedInstall(options: { dataDir: string; port: number; log: Logger }): Promise<EmbeddedInstall> {
  const { port, log } = options;
  const password = embeddedPassword(options.dataDir);
  const link = path.join(options.dataDir, 'postgres');
  const url = (database: string) => embeddedUrl(port, database, password);

  let answer = await whoAnswers(port, password, existingCluster(link), log);
  let postmaster: Postmaster | undefined;
  if (answer.kind === 'nothing') {
    log.info({ dataDir: existingCluster(link) ?? link, port }, 'starting embedded PostgreSQL');
    try {
      ({ postmaster } = await startCluster({
        dataDir: link,
        port,
        password,
        log: (line) => log.debug({ postgres: line }),
        announce: (line) => log.info(line),
      }));
    } catch (error) {
      // Another scx process may have started it at the same moment; otherwise this is the fault.
      answer = await whoAnswers(port, password, existingCluster(link), log);
      if (answer.kind === 'nothing') throw error;
    }
    if (postmaster) {
      // On a cluster made before per-install passwords, this is where it gets its own.
      answer = await whoAnswers(port, password, existingCluster(link), log);
      if (answer.kind !== 'ours') {
        await postmaster.stop();
        throw new Error(`The embedded PostgreSQL in ${link} refuses the password in ${path.join(options.dataDir, PASSWORD_FILE)}`);
      }
    }
  }
  if (answer.kind === 'other') throw portTaken(port, answer.what, link);
  const { admin } = answer as { admin: Client };

  const { rows } = await admin.query<{ owner: boolean }>('SELECT pg_try_advisory_lock($1) AS owner', [OWNER_LOCK]);
  const dataDir = existingCluster(link)!;
  const pid = postmaster?.pid ?? postmasterPid(dataDir);
  if (!rows[0].owner || pid === null) {
    await admin.end();
    return { url, how: 'shared', close: async () => undefined };
  }
  const how = postmaster ? 'started' : 'adopted';
  if (!postmaster) {
    postmaster = new Postmaster(dataDir, pid);
    log.warn({ pid }, 'adopted the embedded PostgreSQL that an scx process left running (it ended without stopping it): it stops with this one');
  }
  const running = postmaster;
  return {
    url,
    how,
    close: async () => {
      await admin.end().catch(() => undefined);
      await running.stop();
    },
  };
}

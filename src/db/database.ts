import type { Logger } from 'pino';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { type DataModel, createDataSource } from './data-source';
import { ensureDatabase } from './embedded';
import { type EmbeddedInstall, openEmbeddedInstall } from './embedded-install';

export const EMBEDDED_DATABASE = 'scx';

/** Where the database is, as read from the environment (src/config.ts). */
export interface DatabaseConfig {
  /** External PostgreSQL; when absent the embedded server under `dataDir` is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPort: number;
  /** DATABASE_MIGRATION_URL: the tables' owner, for migrations; DATABASE_URL is then the API's own role. */
  migrationDatabaseUrl: string | undefined;
  /** DATABASE_REPLICA_URL: a streaming replica of DATABASE_URL's server, for reports (`onReplica`). */
  replicaDatabaseUrl: string | undefined;
}

export interface Database {
  dataSource: DataSource;
  /** True when this process runs the embedded server (and so stops it on close). */
  ownsEmbeddedServer: boolean;
  embedded: boolean;
  close(): Promise<void>;
}

/** Drops and re-creates the database `url` names, connected to the maintenance database beside it. */
async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = name === 'postgres' ? '/template1' : '/postgres';
  const client = new Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations through `owner`: the DataSource of the tables' owner (a connection of
 * its own with DATABASE_MIGRATION_URL, closed afterwards; else the API's own). Returns how many.
 */
async function migrate(owner: DataSource, log: Logger): Promise<number> {
  const separate = !owner.isInitialized;
  if (separate) await owner.initialize();
  try {
    const applied = await owner.runMigrations({ transaction: 'each' });
    if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    return applied.length;
  } finally {
    if (separate) await owner.destroy();
  }
}

/**
 * DATABASE_URL when set (and DATABASE_MIGRATION_URL, when set, for the migrations: the API then
 * connects as a role that owns nothing); otherwise the embedded PostgreSQL with its data under `.data/`,
 * started here and stopped by `close()` — or shared, when another scx process on this
 * machine already runs it (e.g. `npm run seed` beside `npm start`). `reset` drops and re-creates
 * the database first (`npm run seed -- --reset`; the embedded one only when no other process uses it).
 * `model`: what the DataSource maps (src/server/data-model.ts).
 */
export async function openDatabase(config: DatabaseConfig, log: Logger, model: DataModel, options: { reset?: boolean } = {}): Promise<Database> {
  const started = Date.now();
  let url = config.databaseUrl;
  let install: EmbeddedInstall | null = null;
  if (!url) {
    install = await openEmbeddedInstall({ dataDir: config.dataDir, port: config.embeddedPort, log });
    url = install.url(EMBEDDED_DATABASE);
  }
  const dataSource = createDataSource(url, model, { replicaUrl: config.replicaDatabaseUrl });
  try {
    if (options.reset && install?.how === 'shared') {
      throw new Error('Another scx process (npm start?) is using the embedded database: stop it, then reset');
    }
    if (options.reset) await recreateDatabase(url);
    else if (install) await ensureDatabase(install.url('postgres'), EMBEDDED_DATABASE);
    await dataSource.initialize();
    log.debug({ phase: 'database', ms: Date.now() - started, embedded: install?.how ?? 'no' }, 'start-up phase');
    const checked = Date.now();
    const applied = await migrate(config.migrationDatabaseUrl ? createDataSource(config.migrationDatabaseUrl, model, { poolSize: 1 }) : dataSource, log);
    log.debug({ phase: 'migrations', ms: Date.now() - checked, applied }, 'start-up phase');
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await install?.close();
    throw error;
  }
  return {
    dataSource,
    embedded: install !== null,
    ownsEmbeddedServer: install !== null && install.how !== 'shared',
    close: async () => {
      await dataSource.destroy();
      if (install && install.how !== 'shared') {
        await install.close();
        log.info('embedded PostgreSQL stopped');
      }
    },
  };
}

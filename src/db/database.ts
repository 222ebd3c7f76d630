import path from 'node:path';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createDataSource } from './data-source';
import { type EmbeddedServer, canConnect, embeddedUrl, ensureDatabase, startEmbeddedPostgres } from './embedded';

export const EMBEDDED_DATABASE = 'scx';

export interface Database {
  dataSource: DataSource;
  /** True when this process runs the embedded server (and so stops it on close). */
  ownsEmbeddedServer: boolean;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Applies pending migrations through `owner`: the DataSource of the tables' owner (a connection of
 * its own with DATABASE_MIGRATION_URL, closed afterwards; else the API's own).
 */
async function migrate(owner: DataSource, log: Logger): Promise<void> {
  const separate = !owner.isInitialized;
  if (separate) await owner.initialize();
  try {
    const applied = await owner.runMigrations({ transaction: 'each' });
    if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    if (separate) await owner.destroy();
  }
}

/**
 * DATABASE_URL when set (and DATABASE_MIGRATION_URL, when set, for the migrations: the API then
 * connects as a role that owns nothing); otherwise the embedded PostgreSQL with its data under `.data/`,
 * started here and stopped by `close()` — or shared, when another scx process on this
 * machine already runs it (e.g. `npm run seed` beside `npm start`).
 */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  let url = config.databaseUrl;
  let server: EmbeddedServer | null = null;
  if (!url) {
    const adminUrl = embeddedUrl(config.embeddedPort, 'postgres');
    if (!(await canConnect(adminUrl))) {
      log.info({ dataDir: config.dataDir, port: config.embeddedPort }, 'starting embedded PostgreSQL');
      server = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.embeddedPort,
        persistent: true,
        log: (line) => log.debug({ postgres: line }),
      });
    }
    await ensureDatabase(adminUrl, EMBEDDED_DATABASE);
    url = embeddedUrl(config.embeddedPort, EMBEDDED_DATABASE);
  }
  const dataSource = createDataSource(url);
  try {
    await dataSource.initialize();
    await migrate(config.migrationDatabaseUrl ? createDataSource(config.migrationDatabaseUrl, { poolSize: 1 }) : dataSource, log);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await server?.stop();
    throw error;
  }
  return {
    dataSource,
    embedded: !config.databaseUrl,
    ownsEmbeddedServer: server !== null,
    close: async () => {
      await dataSource.destroy();
      if (server) {
        await server.stop();
        log.info('embedded PostgreSQL stopped');
      }
    },
  };
}

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
 * DATABASE_URL when set; otherwise the embedded PostgreSQL with its data under `.data/`,
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
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
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

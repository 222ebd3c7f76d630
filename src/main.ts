import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { formatDemoKeys, isRegistryEmpty, seedDemo } from './demo/seed-demo';
import { ensureBootstrapAdmin } from './modules/identity/identity.service';
import { startServer } from './server/app';
import { createLogger } from './server/logger';

/**
 * `npm start`: database (embedded unless DATABASE_URL), migrations, bootstrap key, demo data
 * on a first embedded start, then the API; SIGTERM/SIGINT stop it gracefully.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config, log);
  const db = database.dataSource;

  if (config.bootstrapAdminKey) await ensureBootstrapAdmin(db, config.bootstrapAdminKey);
  if (database.embedded && config.demo && (await isRegistryEmpty(db))) {
    const { keys } = await seedDemo(db);
    const keysFile = path.join(config.dataDir, 'demo-keys.txt');
    const table = formatDemoKeys(keys);
    fs.writeFileSync(keysFile, table + '\n', { mode: 0o600 });
    process.stdout.write(`\nDemo data loaded. Demo API keys (shown once; also in ${keysFile}):\n\n${table}\n\n`);
  }

  const server = await startServer({ db, port: config.port, log });
  log.info({ url: server.url }, 'scx is listening');
  process.stdout.write(`scx GraphQL API on ${server.url} (open it in a browser for the GraphQL IDE)\n`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await server.stop();
      await database.close();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`scx failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

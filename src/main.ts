import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { type Config, loadConfig } from './config';
import { type Database, openDatabase } from './db/database';
import { FieldCipher, loadDataKey } from './db/field-encryption';
import { formatDemoKeys, isRegistryEmpty, seedDemo } from './demo/seed-demo';
import { ensureBootstrapAdmin } from './modules/identity/identity.service';
import { type ScxServer, startServer } from './server/app';
import { createLogger } from './server/logger';

/** Bootstrap key, demo data on a first embedded start, then the API. */
async function prepare(config: Config, database: Database, log: Logger): Promise<ScxServer> {
  const db = database.dataSource;
  if (config.bootstrapAdminKey) {
    const bootstrap = await ensureBootstrapAdmin(db, config.bootstrapAdminKey);
    if (bootstrap.retired > 0) log.info({ retired: bootstrap.retired }, 'SCX_BOOTSTRAP_ADMIN_KEY changed: the previous bootstrap key is revoked');
    if (bootstrap.revoked) log.warn('SCX_BOOTSTRAP_ADMIN_KEY names a revoked key: it authenticates nothing; set a new value to have a working bootstrap key');
  }
  if (database.embedded && config.demo && (await isRegistryEmpty(db))) {
    const { keys } = await seedDemo(db);
    const keysFile = path.join(config.dataDir, 'demo-keys.txt');
    const table = formatDemoKeys(keys);
    fs.writeFileSync(keysFile, table + '\n', { mode: 0o600 });
    process.stdout.write(`\nDemo data loaded. Demo API keys (shown once; also in ${keysFile}):\n\n${table}\n\n`);
  }
  const cipher = new FieldCipher(loadDataKey({ dataKey: config.dataKey, embedded: database.embedded, dataDir: config.dataDir }));
  return startServer({ db, cipher, port: config.port, log, disclosureThreshold: config.disclosureThreshold, rateLimit: config.rateLimit });
}

/**
 * `npm start`: the database (embedded unless DATABASE_URL) with its migrations, then the API;
 * SIGTERM/SIGINT stop accepting, finish in-flight requests, close the pool and stop PostgreSQL.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // What is running so far, stopped in reverse on a signal, even one that arrives during start-up.
  const running: { database?: Database; server?: ScxServer } = {};
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await running.server?.stop();
      await running.database?.close();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const database = await openDatabase(config, log);
  running.database = database;
  const server = await prepare(config, database, log).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  running.server = server;
  if (stopping) return; // a signal arrived while starting: shutdown() takes it from here
  log.info({ url: server.url }, 'scx is listening');
  process.stdout.write(`scx GraphQL API on ${server.url} (open it in a browser for the GraphQL IDE)\n`);
  process.stdout.write(`The analysts' dashboard: ${server.url.replace(/\/graphql$/, '/dashboard')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`scx failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { type Config, loadConfig } from './config';
import { type Database, openDatabase } from './db/database';
import { DATA_MODEL } from './server/data-model';
import { loadFieldCipher } from './db/field-encryption';
import { DEMO_KEYS_FILE, formatDemoKeys, isRegistryEmpty, seedDemo, writeDemoKeys } from './demo/seed-demo';
import { ensureBootstrapAdmin } from './modules/identity/identity.service';
import { type ScxServer, startServer } from './server/app';
import { startJobs } from './server/jobs';
import { createLogger } from './server/logger';
import { buildScxSchema } from './server/schema';

/** Bootstrap key, demo data on a first embedded start (its keys printed), then the API. */
async function prepare(config: Config, database: Database, log: Logger): Promise<{ server: ScxServer; printedKeys: boolean }> {
  const db = database.dataSource;
  if (config.bootstrapAdminKey) {
    const bootstrap = await ensureBootstrapAdmin(db, config.bootstrapAdminKey);
    if (bootstrap.retired > 0) log.info({ retired: bootstrap.retired }, 'SCX_BOOTSTRAP_ADMIN_KEY changed: the previous bootstrap key is revoked');
    if (bootstrap.revoked) log.warn('SCX_BOOTSTRAP_ADMIN_KEY names a revoked key: it authenticates nothing; set a new value to have a working bootstrap key');
  }
  const seeding = database.embedded && config.demo && (await isRegistryEmpty(db));
  if (seeding) {
    const { keys } = await seedDemo(db);
    const keysFile = writeDemoKeys(config.dataDir, keys);
    process.stdout.write(`\nDemo data loaded. Demo API keys (shown once; also in ${keysFile}):\n\n${formatDemoKeys(keys)}\n\n`);
  }
  const cipher = loadFieldCipher({ ...config, embedded: database.embedded });
  log.info({ keyId: cipher.keyId, previousKeyIds: cipher.previousKeyIds }, 'data key ring');
  let since = Date.now();
  await buildScxSchema(); // startServer uses the same, built once per process
  log.debug({ phase: 'schema', ms: Date.now() - since }, 'start-up phase');
  since = Date.now();
  const server = await startServer({
    db,
    cipher,
    port: config.port,
    host: config.host,
    log,
    disclosureThreshold: config.disclosureThreshold,
    production: config.production,
    graphiql: config.graphiql,
    introspection: config.introspection,
    limits: config.limits,
    rateLimit: config.rateLimit,
    listenUrl: config.listenDatabaseUrl,
  });
  log.debug({ phase: 'listen', ms: Date.now() - since }, 'start-up phase');
  return { server, printedKeys: seeding };
}

/**
 * `npm start`: the database (embedded unless DATABASE_URL) with its migrations, then the API;
 * SIGTERM/SIGINT stop accepting, finish in-flight requests, close the pool and stop PostgreSQL.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // What is running so far, stopped in reverse on a signal, even one that arrives during start-up.
  const running: { database?: Database; server?: ScxServer; jobs?: { stop(): Promise<void> } } = {};
  let stopping: { signal: string; at: number } | undefined;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      // One Ctrl-C or SIGTERM through `npm start` often arrives twice (the terminal's process
      // group, and npm forwarding it): the same signal within a second is that one again.
      if (signal === stopping.signal && Date.now() - stopping.at < 1000) return;
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = { signal, at: Date.now() };
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await running.server?.stop();
      await running.jobs?.stop();
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

  const database = await openDatabase(config, log, DATA_MODEL);
  running.database = database;
  const { server, printedKeys } = await prepare(config, database, log).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  running.server = server;
  if (stopping) return; // a signal arrived while starting: shutdown() takes it from here
  running.jobs = startJobs(database.dataSource, log);
  log.info({ url: server.url }, 'scx is listening');
  process.stdout.write(`scx GraphQL API on ${server.url} (open it in a browser for the GraphQL IDE)\n`);
  process.stdout.write(`The analysts' dashboard: ${server.url.replace(/\/graphql$/, '/dashboard')}\n`);
  const keysFile = path.join(config.dataDir, DEMO_KEYS_FILE);
  if (database.embedded && !printedKeys && fs.existsSync(keysFile)) {
    const shown = path.relative(process.cwd(), keysFile);
    process.stdout.write(`The demo API keys are in ${shown.startsWith('..') ? keysFile : shown} (npm run seed issues a fresh set).\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`scx failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { formatDemoKeys, seedDemo } from '../demo/seed-demo';
import { createLogger } from '../server/logger';

/**
 * `npm run seed`: the demo data on demand, against DATABASE_URL or the embedded database
 * (sharing it when `npm start` is running). On a registry that already holds the demo it
 * only issues a fresh set of demo keys.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(process.env.LOG_LEVEL || 'warn'));
  try {
    const { createdRegistry, keys } = await seedDemo(database.dataSource);
    process.stdout.write(
      `${createdRegistry ? 'Demo data loaded.' : 'The demo registry was there already; issued new demo keys.'}\n\n` +
        `${formatDemoKeys(keys)}\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

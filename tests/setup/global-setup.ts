import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from '../../src/db/embedded';


/**
 * One PostgreSQL server for the whole run: DATABASE_URL's when set, otherwise an embedded one
 * in a temporary folder. Each test file then makes its own database on it (tests/helpers/database.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.SCX_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-test-pg-'));
  // PostgreSQL runs as the `postgres` user on root machines: it must be able to reach its folder.
  fs.chmodSync(root, 0o755);
  const server: EmbeddedServer = await startEmbeddedPostgres({
    dataDir: path.join(root, 'data'),
    port: await freePort(),
    persistent: false,
  });
  process.env.SCX_TEST_ADMIN_URL = server.url('postgres');
  (globalThis as { scxTestPostgres?: { server: EmbeddedServer; root: string } }).scxTestPostgres = { server, root };
}

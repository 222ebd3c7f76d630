import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { DATA_MODEL } from '../src/server/data-model';
import { freePort, startEmbeddedPostgres } from '../src/db/embedded';

/**
 * A throwaway database for a benchmark, with every migration applied: a new database on
 * DATABASE_URL's server when it is set, otherwise an embedded server in a temporary folder.
 */
export async function scratchDatabase(): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const name = `scx_bench_${randomBytes(4).toString('hex')}`;
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined;
  if (!adminUrl) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-bench-'));
    fs.chmodSync(folder, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(folder, 'data'), port: await freePort(), persistent: false });
    adminUrl = server.url('postgres');
    stopServer = async () => {
      await server.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    };
  }
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataSource = createDataSource(url.toString(), DATA_MODEL);
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await admin(`DROP DATABASE ${name} WITH (FORCE)`);
      await stopServer();
    },
  };
}

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { DATA_MODEL } from '../../src/server/data-model';

export interface TestDatabase {
  dataSource: DataSource;
  url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.SCX_TEST_ADMIN_URL;
  if (!url) throw new Error('SCX_TEST_ADMIN_URL is unset: run the tests with jest (tests/setup/global-setup.ts)');
  return url;
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh database with every migration applied, for one test file; `drop()` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `scx_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const dataSource = createDataSource(url.toString(), DATA_MODEL, { poolSize: 5 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    url: url.toString(),
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * A login role of the API's group role `scx_api` (migration ApiRole), as docker/init-roles.sh makes
 * one in production, and a DataSource (and its URL, for a script) connecting as it to `db`. Roles belong to the whole server,
 * so each gets a name of its own; `drop()` closes the connections and removes the role.
 */
export async function connectAsApiRole(db: TestDatabase): Promise<{ dataSource: DataSource; role: string; url: string; drop(): Promise<void> }> {
  const role = `scx_test_api_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await admin((client) => client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE scx_api`));
  const url = new URL(db.url);
  url.username = role;
  url.password = password;
  const dataSource = createDataSource(url.toString(), DATA_MODEL, { poolSize: 5 });
  await dataSource.initialize();
  return {
    dataSource,
    role,
    url: url.toString(),
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((client) => client.query(`DROP ROLE IF EXISTS ${role}`));
    },
  };
}

import path from 'node:path';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import type { LifecycleHook } from '../common/state-machine';
import { QueryCounter } from './query-counter';

/**
 * What a DataSource maps: the modules' entities and subscribers, and the hooks modules put on
 * each other's lifecycles (src/server/data-model.ts lists them). Hooks are installed with the
 * data model, as TypeORM's subscribers are, so that whatever writes through a DataSource — the
 * API, a script, a test — runs them.
 */
export interface DataModel {
  entities: NonNullable<DataSourceOptions['entities']>;
  subscribers: NonNullable<DataSourceOptions['subscribers']>;
  lifecycleHooks: readonly LifecycleHook[];
}

/**
 * The one way a DataSource is made: by the app, the tests and ormconfig.ts alike.
 * Schema changes come only from the SQL migrations in /migrations, never from `synchronize`.
 * `replicaUrl` (DATABASE_REPLICA_URL): a streaming replica of `url`, which only `onReplica` reads
 * use; every other statement, reads included, goes to `url` (TypeORM's default would send every
 * query builder's SELECT outside a transaction to the replica: the key lookup, the access gate…).
 */
export function createDataSource(url: string, model: DataModel, options: { poolSize?: number; replicaUrl?: string } = {}): DataSource {
  for (const hook of model.lifecycleHooks) hook.install();
  return new DataSource({
    type: 'postgres',
    // `url` stays the primary's: the inbox's LISTEN connection is made from it unless DATABASE_LISTEN_URL says otherwise (src/server/app.ts).
    url,
    ...(options.replicaUrl && { replication: { master: { url }, slaves: [{ url: options.replicaUrl }], defaultMode: 'master' } }),
    entities: model.entities,
    // .ts under ts-node/ts-jest, .js once built into dist/.
    migrations: [path.join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    // Who is acting, for the audit triggers (src/modules/audit/actor.ts).
    subscribers: model.subscribers,
    synchronize: false,
    logger: new QueryCounter(),
    extra: { max: options.poolSize ?? 10 },
  });
}

/**
 * A read that may lag the primary by a moment (reports and national figures; docs/ARCHITECTURE.md,
 * Scaling, says which and why): on the replica when the DataSource has one, else on the primary.
 * Never for what a write reads back, nor for access decisions.
 */
export async function onReplica<T>(db: DataSource, read: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner('slave');
  try {
    return await read(runner);
  } finally {
    await runner.release();
  }
}

export function queryCounter(dataSource: DataSource): QueryCounter {
  return dataSource.logger as QueryCounter;
}

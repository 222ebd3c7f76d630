import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
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
 */
export function createDataSource(url: string, model: DataModel, options: { poolSize?: number } = {}): DataSource {
  for (const hook of model.lifecycleHooks) hook.install();
  return new DataSource({
    type: 'postgres',
    url,
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

export function queryCounter(dataSource: DataSource): QueryCounter {
  return dataSource.logger as QueryCounter;
}

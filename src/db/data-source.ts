import path from 'node:path';
import { DataSource } from 'typeorm';
import { ActorSubscriber } from '../modules/audit/actor';
import { ENTITIES } from './entities';
import { QueryCounter } from './query-counter';

/**
 * The one way a DataSource is made: by the app, the tests and ormconfig.ts alike.
 * Schema changes come only from the SQL migrations in /migrations, never from `synchronize`.
 */
export function createDataSource(url: string, options: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    // .ts under ts-node/ts-jest, .js once built into dist/.
    migrations: [path.join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    // Who is acting, for the audit triggers (src/modules/audit/actor.ts).
    subscribers: [ActorSubscriber],
    synchronize: false,
    logger: new QueryCounter(),
    extra: { max: options.poolSize ?? 10 },
  });
}

export function queryCounter(dataSource: DataSource): QueryCounter {
  return dataSource.logger as QueryCounter;
}

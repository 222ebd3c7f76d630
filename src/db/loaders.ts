import DataLoader from 'dataloader';
import { type DataSource, type EntityTarget, type FindOptionsOrder, type FindOptionsWhere, In, type ObjectLiteral } from 'typeorm';

/**
 * Building blocks for the per-request DataLoaders: each turns the N lookups a nested GraphQL
 * read makes into one `WHERE key IN (...)` statement.
 */

/** Rows by primary key `id`; null for an id with no row. */
export function byIdLoader<T extends ObjectLiteral & { id: string }>(
  db: DataSource,
  entity: EntityTarget<T>,
  cache = true,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await db.getRepository(entity).findBy({ id: In([...ids]) } as FindOptionsWhere<T>);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  }, { cache });
}

/** All rows whose `key` column equals each requested value, in `order`. */
export function groupLoader<T extends ObjectLiteral, K extends keyof T & string>(
  db: DataSource,
  entity: EntityTarget<T>,
  key: K,
  order: FindOptionsOrder<T>,
  cache = true,
): DataLoader<string, T[]> {
  return new DataLoader(async (values) => {
    const rows = await db.getRepository(entity).find({
      where: { [key]: In([...values]) } as FindOptionsWhere<T>,
      order,
    });
    const groups = new Map<string, T[]>(values.map((value) => [value, []]));
    for (const row of rows) groups.get(row[key] as string)?.push(row);
    return values.map((value) => groups.get(value) ?? []);
  }, { cache });
}

/** An entity from a row the database returned (raw SQL, RETURNING), hydrated as TypeORM hydrates what it reads. */
export function entityFromRow<T extends ObjectLiteral>(db: DataSource, entity: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = db.getMetadata(entity);
  const hydrated = metadata.create() as T;
  for (const column of metadata.columns) column.setEntityValue(hydrated, db.driver.prepareHydratedValue(row[column.databaseName], column));
  return hydrated;
}

import DataLoader from 'dataloader';
import type { DataSource, EntityTarget, FindOptionsOrder, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Building blocks for the per-request DataLoaders: each turns the N lookups a nested GraphQL
 * read makes into one `WHERE key = ANY($1)` statement. The statement is written once per entity
 * and sent as plain SQL through the DataSource (TypeORM's query builder cost more Node CPU than
 * the read on a caseload page: docs/BENCHMARKS.md); rows are hydrated as TypeORM hydrates them.
 */

/** Reading one entity's table with plain SQL: its quoted name and columns, and rows hydrated into entities. */
interface EntityReader<T> {
  table: string;
  column(property: string): string;
  hydrate(row: Record<string, unknown>): T;
}

const readers = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, EntityReader<ObjectLiteral>>>();
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function reader<T extends ObjectLiteral>(db: DataSource, entity: EntityTarget<T>): EntityReader<T> {
  let ofDb = readers.get(db);
  if (!ofDb) readers.set(db, (ofDb = new Map()));
  let found = ofDb.get(entity as EntityTarget<ObjectLiteral>);
  if (!found) {
    const metadata = db.getMetadata(entity);
    const columns: Array<[ColumnMetadata, string]> = metadata.columns.map((column) => [column, column.databaseName]);
    found = {
      table: metadata.schema ? `${quote(metadata.schema)}.${quote(metadata.tableName)}` : quote(metadata.tableName),
      column: (property) => quote(metadata.findColumnWithPropertyName(property)!.databaseName),
      hydrate: (row) => {
        const hydrated = metadata.create(undefined, { fromDeserializer: true }) as ObjectLiteral;
        for (const [column, name] of columns) column.setEntityValue(hydrated, db.driver.prepareHydratedValue(row[name], column));
        return hydrated;
      },
    };
    ofDb.set(entity as EntityTarget<ObjectLiteral>, found);
  }
  return found as EntityReader<T>;
}

/** Rows by primary key `id`; null for an id with no row. */
export function byIdLoader<T extends ObjectLiteral & { id: string }>(
  db: DataSource,
  entity: EntityTarget<T>,
  cache = true,
): DataLoader<string, T | null> {
  const read = reader(db, entity);
  const sql = `SELECT * FROM ${read.table} WHERE ${read.column('id')} = ANY($1)`;
  return new DataLoader(async (ids) => {
    const rows: Array<Record<string, unknown>> = await db.query(sql, [ids]);
    const found = new Map(rows.map((row) => read.hydrate(row)).map((hydrated) => [hydrated.id, hydrated]));
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
  const read = reader(db, entity);
  const keyColumn = read.column(key);
  const orderBy = Object.entries(order).map(([property, direction]) => `${read.column(property)} ${String(direction).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`);
  const sql = `SELECT * FROM ${read.table} WHERE ${keyColumn} = ANY($1) ORDER BY ${orderBy.join(', ')}`;
  return new DataLoader(async (values) => {
    const rows: Array<Record<string, unknown>> = await db.query(sql, [values]);
    const groups = new Map<string, T[]>(values.map((value) => [value, []]));
    for (const row of rows) {
      const hydrated = read.hydrate(row);
      groups.get(hydrated[key] as string)?.push(hydrated);
    }
    return values.map((value) => groups.get(value) ?? []);
  }, { cache });
}

/** An entity from a row the database returned (raw SQL, RETURNING), hydrated as TypeORM hydrates what it reads. */
export function entityFromRow<T extends ObjectLiteral>(db: DataSource, entity: EntityTarget<T>, row: Record<string, unknown>): T {
  return reader(db, entity).hydrate(row);
}

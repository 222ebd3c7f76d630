import type { DataSource } from 'typeorm';

// Our migrations are hand-written SQL with checks, named keys, foreign keys and expression
// indexes that the entities do not model; TypeORM's diff would drop them all. Removing a
// constraint or index is rare and deliberate: write it by hand.
const HAND_WRITTEN_PARTS = /^(ALTER TABLE "\w+" DROP CONSTRAINT|DROP INDEX)/;
// ...and in `down`, the statements that would re-create those parts.
const HAND_WRITTEN_PARTS_RECREATED = /^(ALTER TABLE "\w+" ADD CONSTRAINT|CREATE (UNIQUE )?INDEX)/;

/**
 * The SQL that would bring the database to the entities, without the hand-written parts: what
 * `npm run migration:generate` drafts. Empty when the entities and the migrations agree.
 */
export async function draftMigration(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: sql.upQueries.map((q) => q.query).filter((q) => !HAND_WRITTEN_PARTS.test(q)),
    down: sql.downQueries.map((q) => q.query).filter((q) => !HAND_WRITTEN_PARTS_RECREATED.test(q)),
  };
}

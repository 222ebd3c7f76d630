import type { Logger } from 'typeorm';

/**
 * Counts the SQL statements TypeORM sends. Tests read it to prove that nested reads are
 * batched by DataLoader (a count that does not grow with the data), never to time anything.
 */
export class QueryCounter implements Logger {
  count = 0;

  logQuery(): void {
    this.count += 1;
  }
  logQueryError(): void {
    this.count += 1;
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, projectRoot } from '../config';
import { openDatabase } from '../db/database';
import { DATA_MODEL } from '../server/data-model';
import { draftMigration } from '../db/migration-draft';
import { createLogger } from '../server/logger';

/**
 * `npm run migration:run`: applies pending migrations (opening the database runs them).
 * `npm run migration:generate -- Name`: writes migrations/<timestamp>-Name.ts with the SQL that
 * would bring the database to the entities — a draft to review, never applied unread.
 * Both work against DATABASE_URL or the embedded database, started here if it is not running.
 */

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command !== 'run' && !(command === 'generate' && name && /^[A-Za-z][A-Za-z0-9]*$/.test(name))) {
    throw new Error('usage: npm run migration:run | npm run migration:generate -- PascalCaseName');
  }
  const database = await openDatabase(loadConfig(), createLogger('info'), DATA_MODEL);
  try {
    if (command === 'run') {
      process.stdout.write('migrations are up to date\n');
      return;
    }
    const { up, down } = await draftMigration(database.dataSource);
    if (up.length === 0) {
      process.stdout.write('the entities match the database: no migration needed\n');
      return;
    }
    const timestamp = Date.now();
    const lines = (queries: string[]) => queries.map((query) => `    await q.query(${JSON.stringify(query)});`).join('\n');
    const file = path.join(projectRoot(), 'migrations', `${timestamp}-${name}.ts`);
    fs.writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from the entities: review the SQL, name constraints and indexes, then commit.
export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(q: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(q: QueryRunner): Promise<void> {
${lines([...down].reverse())}
  }
}
`,
    );
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

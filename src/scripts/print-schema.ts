import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { printScxSchema } from '../server/schema';

/** `npm run schema`: writes schema/schema.graphql from the code; `-- --check` only compares. */
async function main(): Promise<void> {
  const file = path.join(projectRoot(), 'schema', 'schema.graphql');
  const sdl = await printScxSchema();
  if (process.argv.includes('--check')) {
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== sdl) {
      process.stderr.write('schema/schema.graphql is out of date: run npm run schema\n');
      process.exit(1);
    }
    process.stdout.write('schema/schema.graphql is up to date\n');
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sdl);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

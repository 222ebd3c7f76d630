import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { errorCodesMarkdown } from '../common/error-codes';
import { projectRoot } from '../config';
import { printScxSchema } from '../server/schema';

/** README's table of userErrors codes sits between these markers; the catalogue writes it. */
export const README_CODES_START = '<!-- error-codes:start (npm run schema writes this table from src/common/error-codes.ts) -->';
export const README_CODES_END = '<!-- error-codes:end -->';

/** README with its table of codes as the catalogue has them. */
export function readmeWithCodes(readme: string): string {
  const start = readme.indexOf(README_CODES_START);
  const end = readme.indexOf(README_CODES_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the error-codes markers');
  return `${readme.slice(0, start + README_CODES_START.length)}\n${errorCodesMarkdown()}\n${readme.slice(end)}`;
}

/** `npm run schema`: writes schema/schema.graphql and README's table of codes from the code; `-- --check` only compares. */
async function main(): Promise<void> {
  const outputs = [
    { file: path.join(projectRoot(), 'schema', 'schema.graphql'), text: await printScxSchema() },
    { file: path.join(projectRoot(), 'README.md'), text: readmeWithCodes(fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8')) },
  ];
  if (process.argv.includes('--check')) {
    const stale = outputs.filter(({ file, text }) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text);
    for (const { file } of stale) process.stderr.write(`${path.relative(process.cwd(), file)} is out of date: run npm run schema\n`);
    if (stale.length > 0) process.exit(1);
    process.stdout.write('schema/schema.graphql and README.md are up to date\n');
    return;
  }
  for (const { file, text } of outputs) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

import fs from 'node:fs';
import path from 'node:path';
import { printScxSchema } from '../../src/server/schema';

describe('schema/schema.graphql', () => {
  it('is what the code generates (run `npm run schema` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printScxSchema());
  });
});

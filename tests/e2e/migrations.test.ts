import { draftMigration } from '../../src/db/migration-draft';
import { type TestDatabase, createTestDatabase } from '../helpers/database';

/** The entities and the hand-written migrations describe the same tables. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('npm run migration:generate', () => {
  it('drafts nothing on a database built by the migrations alone', async () => {
    expect(await draftMigration(db.dataSource)).toEqual({ up: [], down: [] });
  });
});

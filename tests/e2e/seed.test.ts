import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runScript } from '../helpers/api-process';
import { type TestDatabase, createTestDatabase } from '../helpers/database';

/**
 * `npm run seed` on a database that has referrals already: it says how to start again, and
 * `--reset` does (for DATABASE_URL's database only with --force). The embedded database's reset
 * and demo-keys.txt are in tests/e2e/embedded.test.ts.
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  // The script connects on its own; --reset drops the database under any open connection.
  await db.dataSource.destroy();
});
afterAll(() => db.drop());

const seed = (...args: string[]) =>
  runScript('src/scripts/seed.ts', args, {
    ...process.env,
    DATABASE_URL: db.url,
    SCX_DATA_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  });

async function referrals(): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM referral')).rows[0].n;
  } finally {
    await client.end();
  }
}

describe('npm run seed -- --referrals N on a database with referrals', () => {
  it('refuses, saying how to start again', async () => {
    expect(await seed('--referrals', '30')).toMatchObject({ code: 0 });
    const again = await seed('--referrals', '30');
    expect(again).toMatchObject({ code: 1 });
    expect(again.stderr).toContain(
      'The database holds a national history already (30 referrals): generate one into a fresh database; ' +
        '`npm run seed -- --reset --force --referrals 30` starts again from an empty database',
    );
    expect(await referrals()).toBe(30);
  });

  it('--reset refuses DATABASE_URL without --force, and elsewhere than a terminal without --yes', async () => {
    const [unforced, unconfirmed, alone] = await Promise.all([
      seed('--reset', '--referrals', '30'),
      seed('--reset', '--force', '--referrals', '30'),
      seed('--yes'),
    ]);
    const name = new URL(db.url).pathname.slice(1);
    expect(unforced).toMatchObject({ code: 2, stderr: expect.stringContaining(`seed: --reset would drop the database "${name}" on `) });
    expect(unforced.stderr).toContain('(DATABASE_URL): add --force if that is what you mean');
    expect(unconfirmed).toMatchObject({ code: 2, stderr: expect.stringContaining('add --yes to reset without a terminal to confirm on') });
    expect(alone).toMatchObject({ code: 2, stderr: expect.stringContaining('--yes and --force go with --reset') });
    expect(await referrals()).toBe(30);
  });

  it('--reset --force --yes drops and re-creates the database, then seeds it', async () => {
    const reset = await seed('--reset', '--force', '--yes', '--referrals', '20');
    expect(reset).toMatchObject({ code: 0, stdout: expect.stringContaining('Demo data loaded.') });
    expect(await referrals()).toBe(20);
    // The history's summary counts what each step wrote, the records of issue 15 among them (tests/e2e/national-history.test.ts checks them).
    for (const table of ['first_appointment', 'referral_record', 'assessment', 'planned_action', 'action_plan_review', 'circumstance_change', 'referral_query', 'message_thread', 'message', 'progress_update']) {
      expect(reset.stdout).toMatch(new RegExp(`\\d+ ${table}[,.]`));
    }
  });
});

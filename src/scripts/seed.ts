import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { assertNoReferrals, generateNationalHistory } from '../demo/national-history';
import { formatDemoKeys, seedDemo } from '../demo/seed-demo';
import { createLogger } from '../server/logger';
import { progressBar } from './progress';

const USAGE = 'usage: npm run seed [-- --referrals N [--random-seed S]]';

class UsageError extends Error {}

/** `--referrals N` and `--random-seed S`, as `--name value` or `--name=value`; whole numbers only. */
function parseSeedArgs(args: string[]): { referrals: number; randomSeed?: number } {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const match = /^--(referrals|random-seed)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw new UsageError(`unknown argument "${args[i]}"\n${USAGE}`);
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value\n${USAGE}`);
    values.set(match[1], value);
  }
  const whole = (name: string, pattern: RegExp, meaning: string): number | undefined => {
    const value = values.get(name);
    if (value === undefined) return undefined;
    if (!pattern.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new UsageError(`--${name} must be ${meaning}, not "${value}"\n${USAGE}`);
    }
    return Number(value);
  };
  return {
    referrals: whole('referrals', /^\d+$/, 'a whole number of referrals, 0 or more') ?? 0,
    randomSeed: whole('random-seed', /^-?\d+$/, 'a whole number'),
  };
}

/**
 * `npm run seed`: the demo data on demand, against DATABASE_URL or the embedded database
 * (sharing it when `npm start` is running). On a registry that already holds the demo it
 * only issues a fresh set of demo keys. `--referrals N` adds N referrals of national history
 * (src/demo/national-history.ts), into a database without referrals only.
 */
async function main(): Promise<void> {
  const { referrals, randomSeed } = parseSeedArgs(process.argv.slice(2));
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(process.env.LOG_LEVEL || 'warn'));
  try {
    if (referrals > 0) await assertNoReferrals(database.dataSource);
    const { createdRegistry, keys } = await seedDemo(database.dataSource);
    process.stdout.write(
      `${createdRegistry ? 'Demo data loaded.' : 'The demo registry was there already; issued new demo keys.'}\n\n` +
        `${formatDemoKeys(keys)}\n`,
    );
    if (referrals > 0) {
      const summary = await generateNationalHistory(database.dataSource, referrals, progressBar('referrals'), { randomSeed });
      process.stderr.write('\n');
      const rows = Object.entries(summary.rows).map(([table, n]) => `${n.toLocaleString('en-GB')} ${table}`);
      process.stdout.write(
        `\nNational history ${summary.from} to ${summary.to} in ${summary.seconds.toFixed(0)} s: ${rows.join(', ')}.\n` +
          `Seconds by step: ${Object.entries(summary.stepSeconds).map(([step, s]) => `${step} ${s.toFixed(1)}`).join(', ')}.\n`,
      );
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`seed: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

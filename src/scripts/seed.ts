import 'reflect-metadata';
import path from 'node:path';
import readline from 'node:readline/promises';
import { type Config, loadConfig } from '../config';
import { EMBEDDED_DATABASE, openDatabase } from '../db/database';
import { assertNoReferrals, generateNationalHistory } from '../demo/national-history';
import { formatDemoKeys, seedDemo, writeDemoKeys } from '../demo/seed-demo';
import { createLogger } from '../server/logger';
import { progressBar } from './progress';

const USAGE = 'usage: npm run seed [-- [--referrals N [--random-seed S]] [--reset [--yes] [--force]]]';

class UsageError extends Error {}
/** The user said no: nothing was changed. */
class Declined extends Error {}

interface SeedArgs {
  referrals: number;
  randomSeed?: number;
  /** Drop and re-create the database first. */
  reset: boolean;
  /** Do not ask before a reset. */
  yes: boolean;
  /** Allow a reset of DATABASE_URL's database. */
  force: boolean;
}

/** `--referrals N` and `--random-seed S` (`--name value` or `--name=value`, whole numbers), `--reset`, `--yes`, `--force`. */
function parseSeedArgs(args: string[]): SeedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const flag = /^--(reset|yes|force)$/.exec(args[i]);
    if (flag) {
      flags.add(flag[1]);
      continue;
    }
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
  if (!flags.has('reset') && (flags.has('yes') || flags.has('force'))) throw new UsageError(`--yes and --force go with --reset\n${USAGE}`);
  return {
    referrals: whole('referrals', /^\d+$/, 'a whole number of referrals, 0 or more') ?? 0,
    randomSeed: whole('random-seed', /^-?\d+$/, 'a whole number'),
    reset: flags.has('reset'),
    yes: flags.has('yes'),
    force: flags.has('force'),
  };
}

/** The database a reset would drop, in words. */
function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `the embedded database "${EMBEDDED_DATABASE}" (${path.join(config.dataDir, 'postgres')})`;
  const url = new URL(config.databaseUrl);
  return `the database "${decodeURIComponent(url.pathname.slice(1))}" on ${url.host} (DATABASE_URL)`;
}

/**
 * A reset of DATABASE_URL's database needs --force; on a terminal, a reset asks first, and
 * elsewhere --yes must say so.
 */
async function confirmReset(config: Config, args: SeedArgs): Promise<void> {
  const what = describeDatabase(config);
  if (config.databaseUrl && !args.force) {
    throw new UsageError(`--reset would drop ${what}: add --force if that is what you mean`);
  }
  if (args.yes) return;
  if (!process.stdin.isTTY) throw new UsageError(`--reset drops ${what}: add --yes to reset without a terminal to confirm on`);
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question(`--reset drops ${what} with everything in it (registry, keys, referrals). Type yes to go on: `);
  prompt.close();
  if (answer.trim().toLowerCase() !== 'yes') throw new Declined('not reset: nothing was changed');
}

/**
 * `npm run seed`: the demo data on demand, against DATABASE_URL or the embedded database
 * (sharing it when `npm start` is running). On a registry that already holds the demo it
 * only issues a fresh set of demo keys. `--referrals N` adds N referrals of national history
 * (src/demo/national-history.ts), into a database without referrals only; `--reset` empties the
 * database first. The keys are printed, and for the embedded database written to .data/demo-keys.txt.
 */
async function main(): Promise<void> {
  const args = parseSeedArgs(process.argv.slice(2));
  const { referrals, randomSeed } = args;
  const config = loadConfig();
  if (args.reset) await confirmReset(config, args);
  const database = await openDatabase(config, createLogger(process.env.LOG_LEVEL || 'warn'), { reset: args.reset });
  try {
    if (referrals > 0) {
      const again = `npm run seed -- --reset${config.databaseUrl ? ' --force' : ''} --referrals ${referrals}`;
      await assertNoReferrals(database.dataSource, `\`${again}\` starts again from an empty database`);
    }
    const { createdRegistry, keys } = await seedDemo(database.dataSource);
    const keysFile = database.embedded ? writeDemoKeys(config.dataDir, keys) : null;
    process.stdout.write(
      `${createdRegistry ? 'Demo data loaded.' : 'The demo registry was there already; issued new demo keys.'}` +
        `${keysFile ? ` The keys are also in ${keysFile}.` : ''}\n\n${formatDemoKeys(keys)}\n`,
    );
    if (referrals > 0) {
      const summary = await generateNationalHistory(database.dataSource, referrals, progressBar('referrals'), { randomSeed });
      process.stderr.write('\n');
      const rows = Object.entries(summary.rows).map(([table, n]) => `${n.toLocaleString('en-GB')} ${table}`);
      process.stdout.write(
        `\nNational history ${summary.from} to ${summary.to} in ${summary.seconds.toFixed(0)} s ` +
          `(${Math.round(summary.referrals / summary.seconds).toLocaleString('en-GB')} referrals/s): ${rows.join(', ')}.\n` +
          `Seconds by step: ${Object.entries(summary.stepSeconds).map(([step, s]) => `${step} ${s.toFixed(1)}`).join(', ')}.\n`,
      );
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof Declined) {
    process.stderr.write(`seed: ${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  }
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

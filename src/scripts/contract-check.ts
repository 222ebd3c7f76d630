import 'reflect-metadata';
import fs from 'node:fs';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { buildScxSchema } from '../server/schema';

/**
 * `npm run contract:check -- FILE [--pending LIST] [--verbose]`: every breaking difference
 * from the partner contract FILE to the schema the code builds (not the committed SDL, so the
 * check is always of the code). LIST names contract parts not built yet, one schema coordinate a
 * line (`Referral`, `Query.referral`); a breaking change at or under an entry is pending. An entry
 * that no longer matches anything is stale and fails too: its part has been built, remove it.
 *
 * Inspector's BREAKING level is used as is: checked (inspector 8.0) against the contract header,
 * it flags removing, renaming or retyping (a non-null output made nullable too) and a new
 * required argument or input field, and not what the header allows (an output made non-null, an
 * optional argument or input field, an enum value, type, field or interface added), so nothing
 * needs reclassifying here.
 */
function readPending(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/** Where a change is: its path, or for a change of a schema root (no path) the root type's name. */
function coordinate(change: Change): string {
  if (change.path) return change.path;
  const meta = change.meta as Record<string, unknown>;
  const root = meta.oldQueryTypeName ?? meta.oldMutationTypeName ?? meta.oldSubscriptionTypeName;
  return typeof root === 'string' ? root : '';
}

const covers = (entry: string, change: Change) => {
  const at = coordinate(change);
  return at === entry || at.startsWith(`${entry}.`);
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--pending');
  const pendingIndex = args.indexOf('--pending');
  const pendingFile = pendingIndex >= 0 ? args[pendingIndex + 1] : undefined;
  if (!file || (pendingIndex >= 0 && !pendingFile)) {
    throw new Error('usage: npm run contract:check -- CONTRACT.graphql [--pending LIST] [--verbose]');
  }
  const contract = buildSchema(fs.readFileSync(file, 'utf8'));
  const breaking = (await diff(contract, await buildScxSchema())).filter(
    (change) => change.criticality.level === CriticalityLevel.Breaking,
  );
  const pending = pendingFile ? readPending(pendingFile) : [];
  const failures = breaking.filter((change) => !pending.some((entry) => covers(entry, change)));
  const stale = pending.filter((entry) => !breaking.some((change) => covers(entry, change)));
  const waiting = breaking.length - failures.length;

  if (waiting > 0) {
    process.stdout.write(`${waiting} breaking differences are parts listed as not built yet in ${pendingFile}\n`);
    if (args.includes('--verbose')) {
      for (const change of breaking.filter((c) => !failures.includes(c))) {
        process.stdout.write(`  pending   ${coordinate(change)}: ${change.message}\n`);
      }
    }
  }
  for (const change of failures) process.stdout.write(`BREAKING  ${coordinate(change)}: ${change.message}\n`);
  for (const entry of stale) {
    process.stdout.write(`STALE     ${entry}: built now (nothing differs under it); remove it from ${pendingFile}\n`);
  }
  if (failures.length > 0 || stale.length > 0) {
    process.stdout.write(
      `\nThe schema is not a compatible superset of ${file}: ${failures.length} breaking, ${stale.length} stale.\n`,
    );
    if (failures.length > 0) {
      // What to do: the contract is fixed, so the code moves; the list is only for parts not built.
      process.stdout.write(
        'Fix each BREAKING difference in the code (give back the name, type or optionality the contract has);\n' +
          `a contract part not built yet may instead be listed by its coordinate in ${pendingFile ?? 'a --pending LIST'}.\n`,
      );
    }
    process.exit(1);
  }
  process.stdout.write(`compatible superset of ${file}${waiting > 0 ? ', but for the pending parts' : ''}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});

import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { DATA_MODEL } from '../server/data-model';
import { verifyAuditTrail } from '../modules/audit/verify';
import { createLogger } from '../server/logger';

const USAGE = 'usage: npm run audit:verify [-- --anchor SEQ:HASH]';

/**
 * `npm run audit:verify`: recomputes the audit chain and checks every payment against the event
 * that recorded it (src/modules/audit/verify.ts), against DATABASE_URL or the embedded database.
 * Prints the chain's head to keep elsewhere; `--anchor SEQ:HASH` (a head kept earlier) also
 * proves the chain was not rewritten up to there. Exit 0: whole; 1: broken (the first fault is
 * named); 2: usage.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const anchorArg = args[0] === '--anchor' ? args[1] : args[0]?.startsWith('--anchor=') ? args[0].slice('--anchor='.length) : undefined;
  const match = anchorArg === undefined ? null : /^(\d+):([0-9a-f]{64})$/.exec(anchorArg);
  if ((args.length > 0 && !match) || (match && args.length > (args[0] === '--anchor' ? 2 : 1))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const database = await openDatabase(loadConfig(), createLogger(process.env.LOG_LEVEL || 'warn'), DATA_MODEL);
  try {
    const result = await verifyAuditTrail(database.dataSource, match ? { seq: match[1], hash: match[2] } : undefined);
    if (result.broken) {
      process.stdout.write(`audit trail BROKEN: ${result.broken}\n`);
      return 1;
    }
    process.stdout.write(
      `audit trail verified: ${result.events} events on the chain, ${result.payments} payments as recorded\n` +
        `head: ${result.head.seq}:${result.head.hash}  (keep it; pass it later as --anchor to prove nothing before it was rewritten)\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { DATA_MODEL } from '../server/data-model';
import { loadFieldCipher } from '../db/field-encryption';
import { actingAs } from '../modules/audit/actor';
import { rotateDataKeys } from '../modules/referrals/key-rotation';
import { createLogger } from '../server/logger';
import { progressBar } from './progress';

const USAGE = 'usage: npm run keys:rotate [-- --batch 500]';

/**
 * `npm run keys:rotate`: every encrypted value re-encrypted under SCX_DATA_KEY, read with the
 * ring (SCX_DATA_KEY and SCX_DATA_KEYS_PREVIOUS). Exit 0 when no value needs an old key any more.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const batchAt = args.indexOf('--batch');
  const batchSize = batchAt >= 0 ? Number(args[batchAt + 1]) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || args.some((arg, i) => arg !== '--batch' && i !== batchAt + 1)) throw new Error(USAGE);
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(process.env.LOG_LEVEL || 'warn'), DATA_MODEL);
  try {
    const cipher = loadFieldCipher({ ...config, embedded: database.embedded });
    process.stdout.write(`Current key ${cipher.keyId}; previous keys: ${cipher.previousKeyIds.join(', ') || 'none'}.\n`);
    // The rewrites are writes to people's records: the audit trail names the operation (and the
    // API's own role may write them only with an actor).
    const actor = { apiKeyId: null, organisationId: null, requestId: `keys:rotate:${cipher.keyId}`, operation: 'keys:rotate' };
    const report = await actingAs(actor, () => rotateDataKeys(database.dataSource, cipher, { batchSize, onProgress: progressBar('values') }));
    process.stderr.write('\n');
    process.stdout.write(
      `${report.rewritten} values re-encrypted under ${report.keyId} (${report.fromV1} of them from the v1 format) in ${report.batches} batches; ` +
        `${report.alreadyCurrent} were already under it.\n`,
    );
    for (const { reason } of report.unreadable) process.stdout.write(`UNREADABLE ${reason}\n`);
    if (report.remaining > 0) {
      process.stdout.write(
        `${report.remaining} values still need another key (${report.unreadable.length} unreadable). ` +
          'Give every API process the current key, then run keys:rotate again.\n',
      );
      process.exitCode = 1;
    } else {
      process.stdout.write('No value needs an old key: SCX_DATA_KEYS_PREVIOUS can be emptied.\n');
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

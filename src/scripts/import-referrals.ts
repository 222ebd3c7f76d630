import 'reflect-metadata';
import path from 'node:path';
import type { GraphQLInputObjectType } from 'graphql';
import { inputLimitErrors } from '../common/input-limits';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { DATA_MODEL } from '../server/data-model';
import { loadFieldCipher } from '../db/field-encryption';
import { actingAs } from '../modules/audit/actor';
import { findJobcentre, importReferrals } from '../modules/referrals/referral-import';
import { createLogger } from '../server/logger';
import { buildScxSchema } from '../server/schema';
import { progressBar } from './progress';

const USAGE =
  'usage: npm run import:referrals -- FILE.csv --jobcentre "<Jobcentre organisation name or id>" [--report FILE] [--batch 500]';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `npm run import:referrals`: a Jobcentre's CSV extract, through the same rules as submitReferrals. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const jobcentreName = option(args, 'jobcentre');
  if (!file || !jobcentreName) throw new Error(USAGE);
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(process.env.LOG_LEVEL || 'warn'), DATA_MODEL);
  try {
    const jobcentre = await findJobcentre(database.dataSource, jobcentreName);
    // A row is held to the limits a referral submitted through the API is held to.
    const referralType = (await buildScxSchema()).getType('ReferralInput') as GraphQLInputObjectType;
    const cipher = loadFieldCipher({ ...config, embedded: database.embedded });
    // The audit trail records the import as the Jobcentre's, under the operation's name.
    const actor = { apiKeyId: null, organisationId: jobcentre.id, requestId: `import:${path.basename(file)}`, operation: 'import:referrals' };
    const summary = await actingAs(actor, () => importReferrals(
      { db: database.dataSource, cipher },
      {
        jobcentreId: jobcentre.id,
        file,
        reportFile: option(args, 'report') ?? `${file.replace(/\.csv$/i, '')}.report.csv`,
        batchSize: Number(option(args, 'batch') ?? 500),
        onProgress: progressBar('rows'),
        overLimits: (referral) => inputLimitErrors(referralType, referral),
      },
    ));
    process.stderr.write('\n');
    process.stdout.write(
      `${summary.rows} rows: ${summary.created} created, ${summary.alreadyPresent} already present, ${summary.rejected} rejected.\n` +
        `Report: ${path.relative(process.cwd(), summary.reportFile)}\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`import failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

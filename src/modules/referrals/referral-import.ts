import fs from 'node:fs';
import type { UserError } from '../../common/user-error';
import type { DataSource } from 'typeorm';
import { isUuid } from '../../common/ids';
import { closeMatches } from '../../common/text';
import { OrganisationKind } from '../identity/identity.enums';
import { Organisation } from '../identity/organisation.entity';
import { readReferralCsv } from './referral-csv';
import { MAX_REFERRALS_PER_CALL, type ReferralsDeps, submitReferrals } from './referrals.service';
import type { ReferralData } from './submission';

export interface ImportSummary {
  rows: number;
  created: number;
  alreadyPresent: number;
  rejected: number;
  reportFile: string;
}

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * The Jobcentre an extract is imported for: by id, or by name without regard to letter case or
 * spacing; for a name it does not know, the error lists the close ones.
 */
export async function findJobcentre(db: DataSource, nameOrId: string): Promise<Organisation> {
  const organisations = db.getRepository(Organisation);
  if (isUuid(nameOrId)) {
    const found = await organisations.findOneBy({ id: nameOrId, kind: OrganisationKind.JOBCENTRE });
    if (found) return found;
    throw new Error(`No Jobcentre organisation has the id ${nameOrId}`);
  }
  const jobcentres = await organisations.findBy({ kind: OrganisationKind.JOBCENTRE });
  const plain = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
  const found = jobcentres.find((jobcentre) => plain(jobcentre.name) === plain(nameOrId));
  if (found) return found;
  const close = closeMatches(nameOrId, jobcentres.map((jobcentre) => jobcentre.name), { common: ['Jobcentre', 'Plus'] });
  throw new Error(
    `No Jobcentre organisation is called "${nameOrId}"` + (close.length ? `; close matches: ${close.map((name) => `"${name}"`).join(', ')}` : ''),
  );
}

/**
 * Imports a Jobcentre's CSV extract through the same service as `submitReferrals`, in batches,
 * and writes a report: one line per row with what became of it (created, already-present, or
 * rejected with its codes). Safe to run again: rows already present are not written twice.
 */
export async function importReferrals(
  deps: ReferralsDeps,
  options: {
    jobcentreId: string;
    file: string;
    reportFile: string;
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
    /** What of a row breaks the API's input limits: such a row is rejected as submitReferrals would. */
    overLimits?: (referral: ReferralData) => UserError[];
  },
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_REFERRALS_PER_CALL) {
    throw new Error(`The batch size is a whole number from 1 to ${MAX_REFERRALS_PER_CALL}`);
  }
  const { rows } = readReferralCsv(fs.readFileSync(options.file, 'utf8'));
  const report = ['line,clientReference,outcome,referralId,codes,messages'];
  const summary = { rows: rows.length, created: 0, alreadyPresent: 0, rejected: 0, reportFile: options.reportFile };
  const line = (row: number, reference: string, outcome: string, id: string, codes: string[], messages: string[]) =>
    report.push([String(row), reference, outcome, id, codes.join(';'), messages.join('; ')].map(csvField).join(','));

  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const readable = batch.filter((row) => row.referral);
    const results = readable.length
      ? await submitReferrals(
          deps,
          options.jobcentreId,
          readable.map((row) => row.referral!),
          { overLimits: readable.map((row) => options.overLimits?.(row.referral!) ?? []) },
        )
      : [];
    let next = 0;
    for (const row of batch) {
      if (!row.referral) {
        summary.rejected += 1;
        line(row.line, row.clientReference, 'rejected', '', row.errors.map((e) => e.code), row.errors.map((e) => e.message));
        continue;
      }
      const result = results[next++];
      const outcome = result.created ? 'created' : result.referral ? 'already-present' : 'rejected';
      if (outcome === 'created') summary.created += 1;
      else if (outcome === 'already-present') summary.alreadyPresent += 1;
      else summary.rejected += 1;
      line(row.line, result.clientReference, outcome, result.referral?.id ?? '', result.userErrors.map((e) => e.code), result.userErrors.map((e) => e.message));
    }
    options.onProgress?.(Math.min(start + batchSize, rows.length), rows.length);
  }
  fs.writeFileSync(options.reportFile, report.join('\n') + '\n');
  return summary;
}

import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { DEFAULT_DISCLOSURE_THRESHOLD } from '../src/modules/performance/suppression';
import { createDataSource } from '../src/db/data-source';
import { DATA_MODEL } from '../src/server/data-model';
import { FieldCipher } from '../src/db/field-encryption';
import { generateNationalHistory } from '../src/demo/national-history';
import { seedDemo } from '../src/demo/seed-demo';
import { Role } from '../src/auth/access.enums';
import { OrganisationKind } from '../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../src/modules/identity/identity.service';
import { PerformanceDimension } from '../src/modules/performance/performance.enums';
import { cohortPerformance } from '../src/modules/performance/performance.service';
import { progressBar } from '../src/scripts/progress';
import { startServer } from '../src/server/app';
import { type Bench, count, ms, ratio, scratchDatabase, serverVersion, timed } from './harness';

/**
 * nationalPerformance at national scale: the report grouped by CPA and payment group over every
 * referral, through HTTP as an analyst, and its SQL alone, beside the same aggregate written as
 * plain SQL over the base tables (referrals joined to their payments and doubts). Checks that
 * both give the same figures.
 *
 * `npm run bench -- performance [REFERRALS]` (default 2,000,000) generates the national history
 * on a scratch database; `SCX_BENCH_DATABASE_URL=postgres://…/db` measures a database seeded
 * already (`npm run seed -- --referrals 2000000`), adding one analyst key to it.
 */
const PLAIN_SQL = `
  SELECT r.cpa_id, r.payment_group, count(*)::int AS referrals, count(r.attached_on)::int AS attachments,
         count(p.referral_id) FILTER (WHERE p.outcomes > 0)::int AS job_outcomes,
         coalesce(sum(p.sustainments), 0)::int AS sustainment_payments,
         coalesce(sum(d.doubts), 0)::int AS compliance_doubts, coalesce(sum(d.sanctions), 0)::int AS sanctions_applied,
         coalesce(sum(p.pence), 0)::bigint AS payments_pence
    FROM referral r
    LEFT JOIN (SELECT referral_id, count(*) FILTER (WHERE kind = 'JOB_OUTCOME') AS outcomes,
                      count(*) FILTER (WHERE kind = 'SUSTAINMENT') AS sustainments, sum(amount_pence) AS pence
                 FROM payment GROUP BY referral_id) p ON p.referral_id = r.id
    LEFT JOIN (SELECT referral_id, count(*) FILTER (WHERE submitted_at IS NOT NULL) AS doubts,
                      count(*) FILTER (WHERE outcome = 'SANCTION_APPLIED') AS sanctions
                 FROM compliance_doubt GROUP BY referral_id) d ON d.referral_id = r.id
   WHERE r.referred_on BETWEEN $1 AND $2
   GROUP BY r.cpa_id, r.payment_group`;

const REPORT = `query($from: Date!, $to: Date!) { nationalPerformance(from: $from, to: $to, groupBy: [CPA, PAYMENT_GROUP]) { rows {
  cpa { id code } paymentGroup referrals attachments jobOutcomes sustainmentPayments complianceDoubts sanctionsApplied paidPence suppressed } } }`;

async function openBenchDatabase(referrals: number): Promise<{ db: DataSource; close(): Promise<void> }> {
  const url = process.env.SCX_BENCH_DATABASE_URL;
  if (url) {
    const db = createDataSource(url, DATA_MODEL);
    await db.initialize();
    await db.runMigrations();
    return { db, close: () => db.destroy() };
  }
  const scratch = await scratchDatabase();
  await seedDemo(scratch.dataSource);
  const history = await generateNationalHistory(scratch.dataSource, referrals, progressBar('referrals'));
  process.stderr.write('\n');
  console.log(`national history: ${history.referrals} referrals, ${history.from} to ${history.to}, loaded in ${history.seconds.toFixed(0)} s`);
  return { db: scratch.dataSource, close: () => scratch.close() };
}

const nationalPerformance: Bench = async (args) => {
  const { db, close } = await openBenchDatabase(Number(args[0] ?? 2_000_000));
  try {
    await db.query('ANALYZE');
    const [{ from, to, referrals }] = await db.query(
      `SELECT min(referred_on)::text AS from, max(referred_on)::text AS to, count(*)::int AS referrals FROM referral_performance`,
    );

    const analysts = await registerOrganisation(db, { name: `Bench analysts ${randomBytes(3).toString('hex')}`, kind: OrganisationKind.DWP });
    const { secret } = await issueApiKey(db, { organisationId: analysts.id, role: Role.ANALYST });
    const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log: pino({ level: 'warn' }) });
    try {
      const http = await timed(5, async () => {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
          body: JSON.stringify({ query: REPORT, variables: { from, to } }),
        });
        const body = (await response.json()) as { data: { nationalPerformance: { rows: Array<Record<string, unknown> & { cpa: { id: string } }> } } };
        return body.data.nationalPerformance.rows;
      });
      const sql = await timed(5, () =>
        cohortPerformance(db, {
          from,
          to,
          groupBy: [PerformanceDimension.CPA, PerformanceDimension.PAYMENT_GROUP],
          disclosureThreshold: DEFAULT_DISCLOSURE_THRESHOLD,
        }),
      );
      const plain = await timed(3, () => db.query(PLAIN_SQL, [from, to]) as Promise<Array<Record<string, string | number>>>);

      // The same figures, wherever the report shows them (a withheld count is null).
      const byKey = new Map(plain.result.map((row) => [`${row.cpa_id}/${row.payment_group}`, row]));
      const pairs: Array<[string, string]> = [
        ['referrals', 'referrals'], ['attachments', 'attachments'], ['jobOutcomes', 'job_outcomes'], ['sustainmentPayments', 'sustainment_payments'],
        ['complianceDoubts', 'compliance_doubts'], ['sanctionsApplied', 'sanctions_applied'], ['paidPence', 'payments_pence'],
      ];
      const differences = http.result.flatMap((row) => {
        const base = byKey.get(`${row.cpa.id}/${row.paymentGroup}`);
        if (!base) return [`${row.cpa.id}/${row.paymentGroup}: no such group in the plain SQL`];
        return pairs.filter(([ours, theirs]) => row[ours] !== null && Number(row[ours]) !== Number(base[theirs])).map(([ours]) => `${row.cpa.id}/${row.paymentGroup} ${ours}`);
      });
      const suppressed = http.result.filter((row) => row.suppressed).length;

      if (differences.length > 0) process.exitCode = 1;
      const summary = (run: { ms: number[]; median: number }) => `${ms(run.median)} (${ms(run.ms[0])}–${ms(run.ms.at(-1)!)}, ${run.ms.length} runs)`;
      return {
        title: `nationalPerformance(groupBy: [CPA, PAYMENT_GROUP]) over ${count(referrals)} referrals, ${from} to ${to}: ${http.result.length} rows, ${suppressed} with a withheld count; database server ${await serverVersion(db)}.`,
        tables: [
          {
            headers: ['GraphQL over HTTP (analyst), median', 'its SQL (referral_performance)', 'plain SQL over the base tables', 'plain SQL / its SQL', 'figures agree'],
            rows: [[summary(http), summary(sql), summary(plain), ratio(plain.median / sql.median), differences.length === 0 ? 'yes' : `NO: ${differences.slice(0, 5).join('; ')}`]],
          },
        ],
        notes: [],
      };
    } finally {
      await server.stop();
    }
  } finally {
    await close();
  }
};
export default nationalPerformance;

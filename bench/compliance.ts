import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { todayUtc } from '../src/common/dates';
import { FieldCipher } from '../src/db/field-encryption';
import { Nation } from '../src/modules/contracts/contracts.enums';
import { awardPrimeContract, createCpa } from '../src/modules/contracts/contracts.service';
import { Role } from '../src/auth/access.enums';
import { OrganisationKind } from '../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../src/modules/identity/identity.service';
import { startServer } from '../src/server/app';
import { type Bench, benchServers, count, databaseCpu, ms, scratchDatabase, serverVersion, timed } from './harness';

/**
 * serviceStandardCompliance at scale, on every server of benchServers() (the embedded
 * PostgreSQL, then SCX_BENCH_SERVERS): PARTICIPANTS attached participants on one contract with
 * CONTACTS contacts between them (default 100,000 and 2,000,000; a tenth did not attend), and
 * four standards. The whole report over HTTP with 20 breaches a standard, per server version.
 * `npm run bench -- compliance [PARTICIPANTS CONTACTS]`.
 */
const STANDARDS = [
  { metric: 'FIRST_CONTACT_WITHIN_DAYS', thresholdDays: 10, scope: 'ALL_PARTICIPANTS', description: 'First contact within 10 days' },
  { metric: 'CONTACT_INTERVAL_DAYS', thresholdDays: 14, scope: 'PERCENT_OF_PARTICIPANTS', minimumPercent: 80, description: 'Every 14 days' },
  { metric: 'CONTACT_INTERVAL_DAYS', paymentGroup: 'JSA_18_24', thresholdDays: 7, scope: 'ALL_PARTICIPANTS', description: 'Weekly for 18-24' },
  { metric: 'ACTION_PLAN_REVIEW_INTERVAL_DAYS', thresholdDays: 31, scope: 'ALL_PARTICIPANTS', description: 'Monthly review' },
];
const REPORT = `query($id: ID!, $asOf: Date!) { serviceStandardCompliance(contractId: $id, asOf: $asOf) { standards {
  standard { metric paymentGroup } participantsInScope participantsMeeting complianceRate met breaches(first: 20) { dueBy lastContactOn } } } }`;

type Standards = Array<{ standard: { metric: string; paymentGroup: string | null }; participantsInScope: number; participantsMeeting: number }>;

/** Participants attached over the last two years, each with contacts spread over their time so far. */
export async function load(db: DataSource, participants: number, contacts: number): Promise<{ contractId: string; secret: string; contactCount: number; seconds: number }> {
  const start = performance.now();
  await createCpa(db, { code: 1, name: 'Bench Area', nation: Nation.ENGLAND });
  const prime = await registerOrganisation(db, { name: 'Bench Prime', kind: OrganisationKind.PROVIDER });
  const contract = await awardPrimeContract(db, { cpaCode: 1, primeId: prime.id, reference: 'BENCH', startsOn: '2020-01-01', endsOn: '2030-12-31' });
  const jobcentre = await registerOrganisation(db, { name: 'Bench Jobcentre', kind: OrganisationKind.JOBCENTRE });
  const { secret } = await issueApiKey(db, { organisationId: prime.id, role: Role.PROVIDER });
  await db.query(
    `INSERT INTO participant (nino, given_name, family_name, date_of_birth, consent_to_share_health)
     SELECT 'AB' || lpad(i::text, 6, '0') || 'A', 'Bench', 'Person ' || i, date '1980-01-01', false FROM generate_series(1, $1) i`,
    [participants],
  );
  // Dates relative to a fixed day, so every run (and every server) has the same data.
  await db.query(
    `INSERT INTO referral (jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
       participation_mode, referred_on, status, contract_id, attached_on, allotted_until)
     SELECT $1, 'B-' || p.nino, p.id, $2, 'Bench', (ARRAY['JSA_18_24', 'JSA_25_PLUS', 'ESA_NEW_CLAIMANT'])[1 + (row_number() OVER (ORDER BY p.nino) % 3)],
            'MANDATORY', $4::date - 3 - (row_number() OVER (ORDER BY p.nino) % 700)::int, 'ATTACHED', $3,
            $4::date - 1 - (row_number() OVER (ORDER BY p.nino) % 700)::int, $4::date + 729 - (row_number() OVER (ORDER BY p.nino) % 700)::int
       FROM participant p`,
    [jobcentre.id, contract.cpaId, contract.id, todayUtc()],
  );
  await db.query(
    `INSERT INTO contact (referral_id, recorded_by, occurred_at, channel, kind, attended)
     SELECT r.id, $1,
            (r.attached_on + (abs(g.n::bigint * 7919 + hashtext(r.client_reference)) % ($3::date - r.attached_on))::int)::timestamp + interval '10 hours',
            'FACE_TO_FACE', (ARRAY['ADVISER_CONTACT', 'ADVISER_CONTACT', 'ACTION_PLAN_REVIEW', 'INITIAL_MEETING'])[1 + g.n % 4],
            (g.n % 10) <> 0
       FROM referral r CROSS JOIN generate_series(1, $2) g(n)
     ON CONFLICT DO NOTHING`,
    [prime.id, Math.ceil(contacts / participants), todayUtc()],
  );
  await db.query('ANALYZE');
  const [{ n }] = await db.query('SELECT count(*)::int AS n FROM contact');
  return { contractId: contract.id, secret, contactCount: n, seconds: (performance.now() - start) / 1000 };
}

const compliance: Bench = async (args) => {
  const participants = Number(args[0] ?? 100000);
  const contacts = Number(args[1] ?? 2000000);
  const rows: Array<Array<string | number>> = [];
  let contactCount = 0;
  let figures = '';
  for (const serverUrl of benchServers()) {
    const database = await scratchDatabase(serverUrl);
    const db = database.dataSource;
    try {
      const loaded = await load(db, participants, contacts);
      contactCount = loaded.contactCount;
      const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log: pino({ level: 'warn' }) });
      try {
        const gql = async (query: string, variables: Record<string, unknown>) => {
          const response = await fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${loaded.secret}` },
            body: JSON.stringify({ query, variables }),
          });
          const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
          if (body.errors) throw new Error(JSON.stringify(body.errors));
          return body.data!;
        };
        await gql(`mutation($input: PublishServiceStandardsInput!) { publishServiceStandards(input: $input) { userErrors { code } } }`, {
          input: { contractId: loaded.contractId, standards: STANDARDS },
        });
        // As if published when the contract started (the API takes no day already past): every day of the history is measured.
        await db.query(`UPDATE service_standard SET effective_from = '2020-01-01' WHERE contract_id = $1`, [loaded.contractId]);
        const cpu = await databaseCpu(db);
        const run = await timed(3, () => gql(REPORT, { id: loaded.contractId, asOf: todayUtc() }));
        const cpuPerReport = (await cpu.stop()) / 4;
        const report = (run.result.serviceStandardCompliance as { standards: Standards }).standards;
        // The same figures on every server, or the comparison means nothing.
        const these = report.map((s) => `${s.standard.metric}${s.standard.paymentGroup ? ` (${s.standard.paymentGroup})` : ''}: ${count(s.participantsMeeting)} of ${count(s.participantsInScope)}`).join('; ');
        if (figures && figures !== these) throw new Error(`figures differ between servers: ${figures} / ${these}`);
        figures = these;
        rows.push([await serverVersion(db), `${loaded.seconds.toFixed(0)} s`, ms(run.median), run.ms.map(ms).join(' / '), `${cpuPerReport.toFixed(2)} s`]);
      } finally {
        await server.stop();
      }
    } finally {
      await database.close();
    }
  }
  return {
    title: `serviceStandardCompliance over HTTP (4 standards, 20 breaches each) for ${count(participants)} attached participants and ${count(contactCount)} contacts on one contract.`,
    tables: [{ headers: ['server', 'data loaded in', 'report over HTTP, median of 3', 'runs', 'server CPU per report'], rows }],
    notes: [`Participants meeting each standard (the same on every server): ${figures}.`],
  };
};
export default compliance;

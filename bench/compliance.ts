import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { addDays, todayUtc } from '../src/common/dates';
import { MAX_PAGE_SIZE } from '../src/common/pagination';
import { FieldCipher } from '../src/db/field-encryption';
import { Nation } from '../src/modules/contracts/contracts.enums';
import { awardPrimeContract, createCpa } from '../src/modules/contracts/contracts.service';
import { Role } from '../src/auth/access.enums';
import { OrganisationKind } from '../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../src/modules/identity/identity.service';
import { PrimeContract } from '../src/modules/contracts/prime-contract.entity';
import { evaluateStandards, standardsInForce } from '../src/modules/standards/standards.service';
import { startServer } from '../src/server/app';
import { evaluateFromContacts } from './compliance-reference';
import { type Bench, benchServers, count, databaseCpu, ms, ratio, scratchDatabase, serverVersion, timed } from './harness';

/**
 * serviceStandardCompliance at scale, on every server of benchServers() (the embedded
 * PostgreSQL, then SCX_BENCH_SERVERS): PARTICIPANTS attached participants on one contract with
 * CONTACTS contacts between them (default 100,000 and 2,000,000; a tenth did not attend), and
 * four standards. The whole report over HTTP with 20 breaches a standard, per server version.
 * Beside it, the report's statement (counts and the first 500 breaches of every standard) against
 * the former one pass over the contract's contacts (bench/compliance-reference.ts), which must
 * give the same answer: today, 200 days ago, with the standards in force from 300 days ago only,
 * and with a second version of them from 100 days ago (other thresholds, so each day is measured
 * against the threshold then in force).
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

/** The report's statement and the reference on `asOf`, timed once each after a warm-up, with the database's CPU; they must agree. */
async function against(db: DataSource, contractId: string, asOf: string): Promise<{ ms: number; cpu: number; referenceMs: number; referenceCpu: number }> {
  const contract = await db.getRepository(PrimeContract).findOneByOrFail({ id: contractId });
  const inForce = await standardsInForce(db, contractId, asOf);
  const scope = { contract, asOf, holder: null };
  const measure = async (evaluate: typeof evaluateStandards) => {
    await evaluate(db, inForce, scope, MAX_PAGE_SIZE);
    const cpu = await databaseCpu(db);
    const start = performance.now();
    const result = await evaluate(db, inForce, scope, MAX_PAGE_SIZE);
    return { ms: performance.now() - start, cpu: await cpu.stop(), answer: JSON.stringify(result) };
  };
  const mine = await measure(evaluateStandards);
  const reference = await measure(evaluateFromContacts);
  if (mine.answer !== reference.answer) throw new Error(`the report and the reference differ on ${asOf}`);
  return { ms: mine.ms, cpu: mine.cpu, referenceMs: reference.ms, referenceCpu: reference.cpu };
}

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

const figures4 = (m: { ms: number; cpu: number; referenceMs: number; referenceCpu: number }) => [
  ms(m.ms),
  `${m.cpu.toFixed(2)} s`,
  ms(m.referenceMs),
  `${m.referenceCpu.toFixed(2)} s`,
  ratio(m.referenceCpu / m.cpu),
];

const compliance: Bench = async (args) => {
  const participants = Number(args[0] ?? 100000);
  const contacts = Number(args[1] ?? 2000000);
  const rows: Array<Array<string | number>> = [];
  const statements: Array<Array<string | number>> = [];
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
        const version = await serverVersion(db);
        rows.push([version, `${loaded.seconds.toFixed(0)} s`, ms(run.median), run.ms.map(ms).join(' / '), `${cpuPerReport.toFixed(2)} s`]);
        const today = todayUtc();
        const days: Array<[string, string]> = [['today', today], ['200 days ago', addDays(today, -200)]];
        for (const [label, asOf] of days) statements.push([version, label, ...figures4(await against(db, loaded.contractId, asOf))]);
        // Published 300 days ago: the days before are measured against nothing.
        await db.query(`UPDATE service_standard SET effective_from = $2 WHERE contract_id = $1`, [loaded.contractId, addDays(today, -300)]);
        statements.push([version, 'today, standards from 300 days ago', ...figures4(await against(db, loaded.contractId, today))]);
        // A second version from 100 days ago, 3 days longer each: the days before are measured against the first.
        await db.query(
          `INSERT INTO service_standard (contract_id, version, payment_group, metric, threshold_days, scope, minimum_percent, description, published_at, effective_from)
           SELECT contract_id, 2, payment_group, metric, threshold_days + 3, scope, minimum_percent, description, now(), $2 FROM service_standard WHERE contract_id = $1`,
          [loaded.contractId, addDays(today, -100)],
        );
        await db.query(`UPDATE service_standard SET effective_until = $2 WHERE contract_id = $1 AND version = 1`, [loaded.contractId, addDays(today, -101)]);
        statements.push([version, 'today, thresholds changed 100 days ago', ...figures4(await against(db, loaded.contractId, today))]);
      } finally {
        await server.stop();
      }
    } finally {
      await database.close();
    }
  }
  return {
    title: `serviceStandardCompliance over HTTP (4 standards, 20 breaches each) for ${count(participants)} attached participants and ${count(contactCount)} contacts on one contract.`,
    tables: [
      { headers: ['server', 'data loaded in', 'report over HTTP, median of 3', 'runs', 'server CPU per report'], rows },
      {
        caption: `The report's statement (counts, and the first ${MAX_PAGE_SIZE} breaches of each standard) beside the former pass over the contacts: the same answers.`,
        headers: ['server', 'asOf', 'from contact_days', 'its server CPU', 'one pass over the contacts', 'its server CPU', 'ratio (CPU)'],
        rows: statements,
      },
    ],
    notes: [`Participants meeting each standard (the same on every server): ${figures}.`],
  };
};
export default compliance;

import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { todayUtc } from '../src/common/dates';
import { FieldCipher } from '../src/db/field-encryption';
import { Nation } from '../src/modules/contracts/contracts.enums';
import { awardPrimeContract, createCpa } from '../src/modules/contracts/contracts.service';
import { OrganisationKind, Role } from '../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../src/modules/identity/identity.service';
import { startServer } from '../src/server/app';
import { scratchDatabase } from './scratch';

/**
 * serviceStandardCompliance at scale: PARTICIPANTS attached participants on one contract with
 * CONTACTS contacts between them (default 100,000 and 2,000,000; a tenth did not attend), and
 * four standards. Prints the time of the whole report over HTTP, and of each standard's SQL.
 * `npm run bench:compliance [-- PARTICIPANTS CONTACTS]`, on a scratch database (bench/scratch.ts).
 */
async function main(): Promise<void> {
  const participants = Number(process.argv[2] ?? 100000);
  const contacts = Number(process.argv[3] ?? 2000000);
  const database = await scratchDatabase();
  const db = database.dataSource;
  try {
    await createCpa(db, { code: 1, name: 'Bench Area', nation: Nation.ENGLAND });
    const prime = await registerOrganisation(db, { name: 'Bench Prime', kind: OrganisationKind.PROVIDER });
    const contract = await awardPrimeContract(db, { cpaCode: 1, primeId: prime.id, reference: 'BENCH', startsOn: '2020-01-01', endsOn: '2030-12-31' });
    const jobcentre = await registerOrganisation(db, { name: 'Bench Jobcentre', kind: OrganisationKind.JOBCENTRE });
    const { secret } = await issueApiKey(db, { organisationId: prime.id, role: Role.PROVIDER });

    const loadStart = performance.now();
    // Participants attached over the last two years, each with contacts spread over their time so far.
    await db.query(
      `INSERT INTO participant (nino, given_name, family_name, date_of_birth, consent_to_share_health)
       SELECT 'AB' || lpad(i::text, 6, '0') || 'A', 'Bench', 'Person ' || i, date '1980-01-01', false FROM generate_series(1, $1) i`,
      [participants],
    );
    await db.query(
      `INSERT INTO referral (jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
         participation_mode, referred_on, status, contract_id, attached_on, allotted_until)
       SELECT $1, 'B-' || p.nino, p.id, $2, 'Bench', (ARRAY['JSA_18_24', 'JSA_25_PLUS', 'ESA_NEW_CLAIMANT'])[1 + (row_number() OVER () % 3)],
              'MANDATORY', current_date - 3 - (row_number() OVER () % 700)::int, 'ATTACHED', $3,
              current_date - 1 - (row_number() OVER () % 700)::int, current_date + 729 - (row_number() OVER () % 700)::int
         FROM participant p`,
      [jobcentre.id, contract.cpaId, contract.id],
    );
    await db.query(
      `INSERT INTO contact (referral_id, recorded_by, occurred_at, channel, kind, attended)
       SELECT r.id, $1,
              (r.attached_on + (abs(g.n::bigint * 7919 + hashtext(r.id::text)) % (current_date - r.attached_on))::int)::timestamp + interval '10 hours',
              'FACE_TO_FACE', (ARRAY['ADVISER_CONTACT', 'ADVISER_CONTACT', 'ACTION_PLAN_REVIEW', 'INITIAL_MEETING'])[1 + g.n % 4],
              (g.n % 10) <> 0
         FROM referral r CROSS JOIN generate_series(1, $2) g(n)
       ON CONFLICT DO NOTHING`,
      [prime.id, Math.ceil(contacts / participants)],
    );
    await db.query('ANALYZE');
    const [{ n: contactCount }] = await db.query('SELECT count(*)::int AS n FROM contact');
    const loadSeconds = (performance.now() - loadStart) / 1000;

    const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log: pino({ level: 'warn' }) });
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };
    await gql(
      `mutation($input: PublishServiceStandardsInput!) { publishServiceStandards(input: $input) { userErrors { code } } }`,
      {
        input: {
          contractId: contract.id,
          standards: [
            { metric: 'FIRST_CONTACT_WITHIN_DAYS', thresholdDays: 10, scope: 'ALL_PARTICIPANTS', description: 'First contact within 10 days' },
            { metric: 'CONTACT_INTERVAL_DAYS', thresholdDays: 14, scope: 'PERCENT_OF_PARTICIPANTS', minimumPercent: 80, description: 'Every 14 days' },
            { metric: 'CONTACT_INTERVAL_DAYS', paymentGroup: 'JSA_18_24', thresholdDays: 7, scope: 'ALL_PARTICIPANTS', description: 'Weekly for 18-24' },
            { metric: 'ACTION_PLAN_REVIEW_INTERVAL_DAYS', thresholdDays: 31, scope: 'ALL_PARTICIPANTS', description: 'Monthly review' },
          ],
        },
      },
    );
    const query = `query($id: ID!, $asOf: Date!) { serviceStandardCompliance(contractId: $id, asOf: $asOf) { standards {
      standard { metric paymentGroup } participantsInScope participantsMeeting complianceRate met breaches(first: 20) { dueBy } } } }`;
    const variables = { id: contract.id, asOf: todayUtc() };
    await gql(query, variables); // warm-up
    const times: number[] = [];
    let result: Record<string, unknown> = {};
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      result = await gql(query, variables);
      times.push(performance.now() - start);
    }
    await server.stop();
    const report = (result.serviceStandardCompliance as { standards: Array<{ standard: { metric: string; paymentGroup: string | null }; participantsInScope: number; participantsMeeting: number }> }).standards;
    console.log(`serviceStandardCompliance: ${participants} attached participants, ${contactCount} contacts (loaded in ${loadSeconds.toFixed(0)} s)`);
    for (const s of report) {
      console.log(`  ${s.standard.metric}${s.standard.paymentGroup ? ` (${s.standard.paymentGroup})` : ''}: ${s.participantsMeeting} of ${s.participantsInScope} meet it`);
    }
    console.log(`  whole report over HTTP (4 standards, 20 breaches each): best ${Math.min(...times).toFixed(0)} ms, runs ${times.map((t) => t.toFixed(0)).join(' / ')} ms`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

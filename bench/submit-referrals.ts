import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { FieldCipher } from '../src/db/field-encryption';
import { Nation } from '../src/modules/contracts/contracts.enums';
import { awardPrimeContract, createCpa } from '../src/modules/contracts/contracts.service';
import type { PrimeContract } from '../src/modules/contracts/prime-contract.entity';
import { OrganisationKind, Role } from '../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../src/modules/identity/identity.service';
import { startServer } from '../src/server/app';
import { scratchDatabase } from './scratch';

/**
 * submitReferrals at volume: N referrals (default 100,000) through GraphQL over HTTP in batches
 * of 500, beside a raw `pg` multi-row INSERT of the same participant, referral and allocation
 * rows in the same run (rolled back, so both write into the same empty tables). Prints both
 * rates and their ratio: what validation, allocation, encryption and the API cost.
 * `npm run bench:referrals [-- N]`, on a scratch database (bench/scratch.ts).
 */
const BATCH = 500;

function nino(n: number): string {
  const prefixes = ['AB', 'CE', 'HJ', 'KL', 'MP', 'RS', 'TW', 'YZ'];
  return `${prefixes[Math.floor(n / 1000000)]}${String(n % 1000000).padStart(6, '0')}${'ABCD'[n % 4]}`;
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100000);
  const database = await scratchDatabase();
  const db = database.dataSource;
  try {
    await createCpa(db, { code: 1, name: 'Bench Area', nation: Nation.ENGLAND });
    const contracts: PrimeContract[] = [];
    for (const name of ['Bench Prime A', 'Bench Prime B']) {
      const prime = await registerOrganisation(db, { name, kind: OrganisationKind.PROVIDER });
      contracts.push(await awardPrimeContract(db, { cpaCode: 1, primeId: prime.id, reference: name, startsOn: '2020-01-01', endsOn: '2030-12-31' }));
    }
    const jobcentre = await registerOrganisation(db, { name: 'Bench Jobcentre', kind: OrganisationKind.JOBCENTRE, cpaCode: 1 });
    const { secret } = await issueApiKey(db, { organisationId: jobcentre.id, role: Role.JOBCENTRE });
    const items = Array.from({ length: total }, (_, i) => ({
      clientReference: `BENCH-${i}`,
      cpaCode: 1,
      jobcentreDistrict: 'Bench District',
      paymentGroup: 'JSA_25_PLUS',
      participationMode: 'MANDATORY',
      referredOn: '2024-06-03',
      claimant: {
        nino: nino(i),
        givenName: 'Bench',
        familyName: `Person ${i}`,
        dateOfBirth: '1985-01-01',
        address: { line1: `${i} Bench Street`, postcode: 'BE1 1NC' },
        phone: '01000 000000',
        consentToShareHealth: false,
      },
    }));

    // The floor: the same rows as plain multi-row INSERTs in one transaction, then rolled back.
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    const rawStart = performance.now();
    for (let start = 0; start < total; start += BATCH) {
      const batch = items.slice(start, start + BATCH);
      const values = (width: number) =>
        batch.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
      const participants: Array<{ id: string }> = await runner.query(
        `INSERT INTO participant (nino, given_name, family_name, date_of_birth, address, phone, consent_to_share_health)
         VALUES ${values(7)} RETURNING id`,
        batch.flatMap((b) => [b.claimant.nino, b.claimant.givenName, b.claimant.familyName, b.claimant.dateOfBirth,
          JSON.stringify(b.claimant.address), b.claimant.phone, false]),
      );
      const referrals: Array<{ id: string; contract_id: string }> = await runner.query(
        `INSERT INTO referral (jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
           participation_mode, referred_on, status, contract_id) VALUES ${values(10)} RETURNING id, contract_id`,
        batch.flatMap((b, r) => [jobcentre.id, b.clientReference, participants[r].id, contracts[0].cpaId, b.jobcentreDistrict,
          b.paymentGroup, b.participationMode, b.referredOn, 'ALLOCATED', contracts[r % 2].id]),
      );
      await runner.query(
        `INSERT INTO referral_allocation (referral_id, contract_id, method, draw, shares, allocated_by) VALUES ${values(6)}`,
        referrals.flatMap((r, i) => [r.id, r.contract_id, 'RANDOM', i % 10000, '[]', jobcentre.id]),
      );
    }
    const rawSeconds = (performance.now() - rawStart) / 1000;
    await runner.rollbackTransaction();
    await runner.release();

    const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log: pino({ level: 'warn' }) });
    const apiStart = performance.now();
    for (let start = 0; start < total; start += BATCH) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({
          query: 'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created referral { id } } } }',
          variables: { input: { referrals: items.slice(start, start + BATCH) } },
        }),
      });
      const body = (await response.json()) as { data?: { submitReferrals: { results: Array<{ created: boolean }> } } };
      if (!body.data?.submitReferrals.results.every((r) => r.created)) throw new Error(`batch at ${start} failed: ${JSON.stringify(body).slice(0, 500)}`);
    }
    const apiSeconds = (performance.now() - apiStart) / 1000;
    await server.stop();

    const rate = (seconds: number) => Math.round(total / seconds);
    console.log(`submitReferrals: ${total} referrals in batches of ${BATCH}`);
    console.log(`  GraphQL over HTTP   ${apiSeconds.toFixed(1)} s   ${rate(apiSeconds)} referrals/s`);
    console.log(`  raw multi-row INSERT ${rawSeconds.toFixed(1)} s   ${rate(rawSeconds)} referrals/s`);
    console.log(`  ratio (raw / GraphQL) ${(rate(rawSeconds) / rate(apiSeconds)).toFixed(2)}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

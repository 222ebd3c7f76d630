import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { FieldCipher } from '../src/db/field-encryption';
import { Nation } from '../src/modules/contracts/contracts.enums';
import { awardPrimeContract, createCpa } from '../src/modules/contracts/contracts.service';
import type { PrimeContract } from '../src/modules/contracts/prime-contract.entity';
import { Role } from '../src/auth/access.enums';
import { OrganisationKind } from '../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../src/modules/identity/identity.service';
import { startServer } from '../src/server/app';
import { type Bench, count, ratio, scratchDatabase, serverVersion } from './harness';

/**
 * Ingest: N referrals (default 20,000) through submitReferrals over HTTP in batches of 500,
 * beside a raw `pg` multi-row INSERT and a COPY of the same participant, referral and allocation
 * rows (same tables, same triggers, same batches, one transaction each, rolled back and vacuumed
 * before the next), on an empty database and on one holding PRELOADED referrals already
 * (default 200,000, written with their triggers and ANALYZEd). Each side warms up first on one
 * batch of other claimants. What validation, allocation, encryption and the API cost over the
 * database's own floor.
 * `npm run bench -- ingest [N PRELOADED]`.
 */
const BATCH = 500;

function nino(n: number): string {
  const prefixes = ['AB', 'CE', 'HJ', 'KL', 'MP', 'RS', 'TW', 'YZ'];
  return `${prefixes[Math.floor(n / 1000000)]}${String(n % 1000000).padStart(6, '0')}${'ABCD'[n % 4]}`;
}

type Item = ReturnType<typeof items>[number];
/** `total` claimants of CPA `cpaCode`, numbered from `from` (their NINOs and references). */
const items = (total: number, { from = 0, cpaCode = 1 } = {}) =>
  Array.from({ length: total }, (_, at) => at + from).map((i) => ({
    clientReference: `BENCH-${i}`,
    cpaCode,
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

interface Setting {
  db: DataSource;
  jobcentreId: string;
  cpaId: string;
  contracts: PrimeContract[];
}

/** The floor: the same rows as multi-row INSERTs, 500 a statement. */
async function rawInsert(client: PoolClient, { jobcentreId, cpaId, contracts }: Setting, batch: Item[]): Promise<void> {
  const values = (width: number) => batch.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
  const participants = await client.query<{ id: string }>(
    `INSERT INTO participant (nino, given_name, family_name, date_of_birth, address, phone, consent_to_share_health)
     VALUES ${values(7)} RETURNING id`,
    batch.flatMap((b) => [b.claimant.nino, b.claimant.givenName, b.claimant.familyName, b.claimant.dateOfBirth, JSON.stringify(b.claimant.address), b.claimant.phone, false]),
  );
  const referrals = await client.query<{ id: string; contract_id: string }>(
    `INSERT INTO referral (jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
       participation_mode, referred_on, status, contract_id) VALUES ${values(10)} RETURNING id, contract_id`,
    batch.flatMap((b, r) => [jobcentreId, b.clientReference, participants.rows[r].id, cpaId, b.jobcentreDistrict, b.paymentGroup, b.participationMode, b.referredOn, 'ALLOCATED', contracts[r % 2].id]),
  );
  await client.query(
    `INSERT INTO referral_allocation (referral_id, contract_id, method, draw, shares, allocated_by) VALUES ${values(6)}`,
    referrals.rows.flatMap((r, i) => [r.id, r.contract_id, 'RANDOM', i % 10000, '[]', jobcentreId]),
  );
}

/** The faster floor: the same rows by COPY, ids chosen here so that nothing is read back. */
async function copy(client: PoolClient, { jobcentreId, cpaId, contracts }: Setting, batch: Item[]): Promise<void> {
  const into = (sql: string, rows: string[][]) => pipeline(Readable.from(rows.map((row) => `${row.join('\t')}\n`)), client.query(copyFrom(sql)));
  const people = batch.map(() => randomUUID());
  const referrals = batch.map(() => randomUUID());
  await into(
    'COPY participant (id, nino, given_name, family_name, date_of_birth, address, phone, consent_to_share_health) FROM STDIN',
    batch.map((b, r) => [people[r], b.claimant.nino, b.claimant.givenName, b.claimant.familyName, b.claimant.dateOfBirth, JSON.stringify(b.claimant.address), b.claimant.phone, 'f']),
  );
  await into(
    `COPY referral (id, jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group, participation_mode,
       referred_on, status, contract_id) FROM STDIN`,
    batch.map((b, r) => [referrals[r], jobcentreId, b.clientReference, people[r], cpaId, b.jobcentreDistrict, b.paymentGroup, b.participationMode, b.referredOn, 'ALLOCATED', contracts[r % 2].id]),
  );
  await into(
    'COPY referral_allocation (referral_id, contract_id, method, draw, shares, allocated_by) FROM STDIN',
    batch.map((_, r) => [referrals[r], contracts[r % 2].id, 'RANDOM', String(r % 10000), '[]', jobcentreId]),
  );
}

/** Referrals/s of one way of writing `all`, batch by batch in one transaction, then undone. */
async function floor(setting: Setting, all: Item[], write: (client: PoolClient, setting: Setting, batch: Item[]) => Promise<void>): Promise<number> {
  const pool = (setting.db.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const start = performance.now();
    for (let at = 0; at < all.length; at += BATCH) await write(client, setting, all.slice(at, at + BATCH));
    const seconds = (performance.now() - start) / 1000;
    await client.query('ROLLBACK');
    await client.query('VACUUM participant, referral, referral_allocation, referral_performance');
    return all.length / seconds;
  } finally {
    client.release();
  }
}

/** PRELOADED referrals of other people, with their triggers, as a database in service holds them. */
async function preload(db: DataSource, { jobcentreId, cpaId, contracts }: Setting, referrals: number): Promise<void> {
  for (let at = 0; at < referrals; at += 100000) {
    const upTo = Math.min(referrals, at + 100000);
    // Six digits a NINO: each million of earlier people has a prefix of its own (WP, WQ… up to 11 million).
    const prefix = `W${String.fromCharCode('P'.charCodeAt(0) + Math.floor(at / 1000000))}`;
    await db.query(
      `INSERT INTO participant (nino, given_name, family_name, date_of_birth, consent_to_share_health)
       SELECT $3 || lpad((i % 1000000)::text, 6, '0') || 'A', 'Earlier', 'Person ' || i, date '1980-01-01', false FROM generate_series($1::int, $2::int) i`,
      [at, upTo - 1, prefix],
    );
    await db.query(
      `INSERT INTO referral (jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
         participation_mode, referred_on, status, contract_id)
       SELECT $1, 'EARLIER-' || p.nino, p.id, $2, 'Bench District', 'JSA_25_PLUS', 'MANDATORY', date '2023-01-02', 'ALLOCATED',
              CASE WHEN substr(p.nino, 8, 1)::int % 2 = 0 THEN $3::uuid ELSE $4::uuid END
         FROM participant p WHERE p.nino BETWEEN $7 || lpad($5::text, 6, '0') || 'A' AND $7 || lpad($6::text, 6, '0') || 'A'`,
      [jobcentreId, cpaId, contracts[0].id, contracts[1].id, at % 1000000, (upTo - 1) % 1000000, prefix],
    );
  }
  await db.query('ANALYZE');
}

/** A CPA with two prime contracts, and a Jobcentre of it with its API key. */
async function area(db: DataSource, code: number): Promise<Setting & { secret: string }> {
  await createCpa(db, { code, name: `Bench Area ${code}`, nation: Nation.ENGLAND });
  const contracts: PrimeContract[] = [];
  for (const name of [`Bench Prime ${code}A`, `Bench Prime ${code}B`]) {
    const prime = await registerOrganisation(db, { name, kind: OrganisationKind.PROVIDER });
    contracts.push(await awardPrimeContract(db, { cpaCode: code, primeId: prime.id, reference: name, startsOn: '2020-01-01', endsOn: '2030-12-31' }));
  }
  const jobcentre = await registerOrganisation(db, { name: `Bench Jobcentre ${code}`, kind: OrganisationKind.JOBCENTRE, cpaCode: code });
  const { secret } = await issueApiKey(db, { organisationId: jobcentre.id, role: Role.JOBCENTRE });
  return { db, jobcentreId: jobcentre.id, cpaId: contracts[0].cpaId, contracts, secret };
}

/** Referrals/s of `all` through submitReferrals, one batch after another. */
async function submit(url: string, secret: string, all: Item[]): Promise<number> {
  const start = performance.now();
  for (let at = 0; at < all.length; at += BATCH) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({
        query: 'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created referral { id } } } }',
        variables: { input: { referrals: all.slice(at, at + BATCH) } },
      }),
    });
    const body = (await response.json()) as { data?: { submitReferrals: { results: Array<{ created: boolean }> } } };
    if (!body.data?.submitReferrals.results.every((r) => r.created)) throw new Error(`batch at ${at} failed: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return all.length / ((performance.now() - start) / 1000);
}

async function measure(total: number, preloaded: number): Promise<Array<string | number>> {
  const database = await scratchDatabase();
  const db = database.dataSource;
  try {
    const { secret, ...setting } = await area(db, 1);
    // Where the API warms up: its batch is committed, so it goes to other people of another CPA.
    const warmUpArea = await area(db, 2);
    if (preloaded > 0) await preload(db, setting, preloaded);
    const all = items(total);
    const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log: pino({ level: 'warn' }) });
    try {
      // Each side writes one batch of other people before it is measured (the floors' rolled back),
      // so that each is measured warm — JIT, plans, caches — and none is the process's first to run.
      const warmUp = items(BATCH, { from: total, cpaCode: 2 });
      await floor(setting, warmUp, rawInsert);
      await floor(setting, warmUp, copy);
      await submit(server.url, warmUpArea.secret, warmUp);
      const raw = await floor(setting, all, rawInsert);
      const copied = await floor(setting, all, copy);
      const api = await submit(server.url, secret, all);
      return [
        `${preloaded ? `${count(preloaded)} referrals` : 'empty'} (${await serverVersion(db)})`,
        `${count(api)}/s`,
        `${count(raw)}/s`,
        `${count(copied)}/s`,
        ratio(api / raw),
        ratio(api / copied),
      ];
    } finally {
      await server.stop();
    }
  } finally {
    await database.close();
  }
}

const ingest: Bench = async (args) => {
  const total = Number(args[0] ?? 20000);
  const preloaded = Number(args[1] ?? 200000);
  const rows = [await measure(total, 0), await measure(total, preloaded)];
  return {
    title: `Ingest: ${count(total)} referrals (one CPA, two contracts, claimants with contact details) in batches of ${BATCH}, one batch after another.`,
    tables: [{ headers: ['database', 'submitReferrals over HTTP', 'raw multi-row INSERT', 'COPY', 'API / INSERT', 'API / COPY'], rows }],
    notes: [
      'INSERT and COPY write the same participant, referral and allocation rows through the same triggers (referral_performance, audit), each in one transaction rolled back before the next; the API also allocates, encrypts, writes inbox items and answers every item.',
      `Each side is measured warm: before the measured runs, INSERT and COPY each write one batch of ${BATCH} other claimants (rolled back) and the API submits them in another CPA (committed: "empty" holds those ${BATCH} referrals), so that none is the process's first run (cold JIT, first plans).`,
    ],
  };
};
export default ingest;

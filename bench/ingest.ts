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
import { INBOX_CHANNEL } from '../src/modules/inbox/inbox';
import { startServer } from '../src/server/app';
import { type Bench, count, ratio, scratchDatabase, serverVersion } from './harness';

/**
 * Ingest: N referrals (default 20,000) through submitReferrals over HTTP in batches of 500,
 * beside a raw `pg` multi-row INSERT and a COPY of the rows the API writes for that input:
 * participant, referral, referral_claimant, referral_allocation and the prime's inbox_item (its
 * inbox_counter taken, its NOTIFY sent), through the same triggers, each batch committed in a
 * transaction of its own. Each side runs on a database of its own in the same state: empty, or
 * holding PRELOADED referrals already (default 200,000, with their claimants, allocations and
 * inbox items, written with their triggers and ANALYZEd), and each first commits one batch of
 * other claimants in another CPA. What validation, allocation, encryption and the API cost over
 * the database's own floor.
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

/** A CPA with two prime contracts, and a Jobcentre of it with its API key. */
interface Area {
  jobcentreId: string;
  cpaId: string;
  contracts: PrimeContract[];
  secret: string;
}

/** The shares a RANDOM allocation records it was drawn against, as the API records them: half each. */
const sharesOf = (area: Area) => JSON.stringify(area.contracts.map((c) => ({ contractId: c.id, shareBasisPoints: 5000 })));

/** The rows one batch writes besides participant and referral, as the API writes them for it (no record, no first appointment). */
function around(area: Area, batch: Item[], referralIds: string[]) {
  const contracts = batch.map((_, r) => area.contracts[r % 2]);
  return {
    claimants: batch.map((b, r) => [referralIds[r], JSON.stringify(b.claimant.address), b.claimant.phone, 'f']),
    allocations: batch.map((_, r) => [referralIds[r], contracts[r].id, 'RANDOM', String((r * 20) % 10000), sharesOf(area), area.jobcentreId]),
    primes: contracts.map((c) => c.primeId),
  };
}

/** Takes each prime's next inbox cursors (its counter row, locked until commit, as addToInbox does): the inbox_item rows. */
async function inboxItems(client: PoolClient, primes: string[], referralIds: string[]): Promise<string[][]> {
  const counts = new Map<string, number>();
  for (const prime of primes) counts.set(prime, (counts.get(prime) ?? 0) + 1);
  const taken = await client.query<{ organisation_id: string; last_seq: string }>(
    `INSERT INTO inbox_counter (organisation_id, last_seq) SELECT * FROM unnest($1::uuid[], $2::bigint[]) ORDER BY 1
     ON CONFLICT (organisation_id) DO UPDATE SET last_seq = inbox_counter.last_seq + excluded.last_seq RETURNING organisation_id, last_seq`,
    [[...counts.keys()], [...counts.values()]],
  );
  const next = new Map(taken.rows.map((row) => [row.organisation_id, Number(row.last_seq) - counts.get(row.organisation_id)!]));
  return primes.map((prime, r) => {
    next.set(prime, next.get(prime)! + 1);
    return [prime, String(next.get(prime)), 'REFERRAL_ALLOCATED', referralIds[r]];
  });
}

const notify = (client: PoolClient, primes: string[]) =>
  client.query('SELECT pg_notify($1, organisation_id) FROM unnest($2::text[]) AS organisation_id', [INBOX_CHANNEL, [...new Set(primes)]]);

/** The floor: the same rows as multi-row INSERTs, 500 a statement. */
async function rawInsert(client: PoolClient, area: Area, batch: Item[]): Promise<void> {
  const insert = async (sql: string, rows: unknown[][], returning = '') =>
    (
      await client.query<{ id: string }>(
        `${sql} VALUES ${rows.map((row, r) => `(${row.map((_, c) => `$${r * row.length + c + 1}`).join(', ')})`).join(', ')} ${returning}`,
        rows.flat(),
      )
    ).rows.map((row) => row.id);
  const people = await insert(
    'INSERT INTO participant (nino, given_name, family_name, date_of_birth, address, phone, consent_to_share_health)',
    batch.map((b) => [b.claimant.nino, b.claimant.givenName, b.claimant.familyName, b.claimant.dateOfBirth, JSON.stringify(b.claimant.address), b.claimant.phone, false]),
    'RETURNING id',
  );
  const referrals = await insert(
    `INSERT INTO referral (jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
       participation_mode, referred_on, status, contract_id)`,
    batch.map((b, r) => [area.jobcentreId, b.clientReference, people[r], area.cpaId, b.jobcentreDistrict, b.paymentGroup, b.participationMode, b.referredOn, 'ALLOCATED', area.contracts[r % 2].id]),
    'RETURNING id',
  );
  const { claimants, allocations, primes } = around(area, batch, referrals);
  await insert('INSERT INTO referral_claimant (referral_id, address, phone, consent_to_share_health)', claimants);
  await insert('INSERT INTO inbox_item (organisation_id, seq, kind, referral_id)', await inboxItems(client, primes, referrals));
  await notify(client, primes);
  await insert('INSERT INTO referral_allocation (referral_id, contract_id, method, draw, shares, allocated_by)', allocations);
}

/** The faster floor: the same rows by COPY, ids chosen here so that nothing is read back. */
async function copy(client: PoolClient, area: Area, batch: Item[]): Promise<void> {
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
    batch.map((b, r) => [referrals[r], area.jobcentreId, b.clientReference, people[r], area.cpaId, b.jobcentreDistrict, b.paymentGroup, b.participationMode, b.referredOn, 'ALLOCATED', area.contracts[r % 2].id]),
  );
  const { claimants, allocations, primes } = around(area, batch, referrals);
  await into('COPY referral_claimant (referral_id, address, phone, consent_to_share_health) FROM STDIN', claimants);
  await into('COPY inbox_item (organisation_id, seq, kind, referral_id) FROM STDIN', await inboxItems(client, primes, referrals));
  await notify(client, primes);
  await into('COPY referral_allocation (referral_id, contract_id, method, draw, shares, allocated_by) FROM STDIN', allocations);
}

/** A way of writing batches on one database, until closed. */
interface Side {
  write(area: Area, batch: Item[]): Promise<void>;
  close(): Promise<void>;
}

/** A floor on its own connection: each batch in a transaction of its own, committed. */
async function floorSide(db: DataSource, write: (client: PoolClient, area: Area, batch: Item[]) => Promise<void>): Promise<Side> {
  const client = await (db.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master.connect();
  return {
    write: async (area, batch) => {
      await client.query('BEGIN');
      try {
        await write(client, area, batch);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    close: async () => client.release(),
  };
}

/** submitReferrals over HTTP, on a server of its own. */
async function apiSide(db: DataSource): Promise<Side> {
  const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log: pino({ level: 'warn' }) });
  return {
    write: async (area, batch) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${area.secret}` },
        body: JSON.stringify({
          query: 'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created referral { id } } } }',
          variables: { input: { referrals: batch } },
        }),
      });
      const body = (await response.json()) as { data?: { submitReferrals: { results: Array<{ created: boolean }> } } };
      if (!body.data?.submitReferrals.results.every((r) => r.created)) throw new Error(`batch failed: ${JSON.stringify(body).slice(0, 500)}`);
    },
    close: () => server.stop(),
  };
}

/**
 * PRELOADED referrals of other people, as a database in service holds them: with their claimants,
 * allocations and prime's inbox items, written with their triggers.
 */
async function preload(db: DataSource, area: Area, referrals: number): Promise<void> {
  const { jobcentreId, cpaId, contracts } = area;
  for (let at = 0; at < referrals; at += 100000) {
    const upTo = Math.min(referrals, at + 100000);
    // Six digits a NINO: each million of earlier people has a prefix of its own (WP, WQ… up to 11 million).
    const prefix = `W${String.fromCharCode('P'.charCodeAt(0) + Math.floor(at / 1000000))}`;
    await db.query(
      `INSERT INTO participant (nino, given_name, family_name, date_of_birth, address, phone, consent_to_share_health)
       SELECT $3 || lpad((i % 1000000)::text, 6, '0') || 'A', 'Earlier', 'Person ' || i, date '1980-01-01',
              jsonb_build_object('line1', i || ' Earlier Street', 'postcode', 'BE1 1NC'), '01000 000000', false
         FROM generate_series($1::int, $2::int) i`,
      [at, upTo - 1, prefix],
    );
    const range = [prefix, at % 1000000, (upTo - 1) % 1000000];
    await db.query(
      `INSERT INTO referral (jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
         participation_mode, referred_on, status, contract_id)
       SELECT $1, 'EARLIER-' || p.nino, p.id, $2, 'Bench District', 'JSA_25_PLUS', 'MANDATORY', date '2023-01-02', 'ALLOCATED',
              CASE WHEN substr(p.nino, 8, 1)::int % 2 = 0 THEN $3::uuid ELSE $4::uuid END
         FROM participant p WHERE p.nino BETWEEN $5 || lpad($6::text, 6, '0') || 'A' AND $5 || lpad($7::text, 6, '0') || 'A'`,
      [jobcentreId, cpaId, contracts[0].id, contracts[1].id, ...range],
    );
    const theirs = `FROM referral r JOIN participant p ON p.id = r.participant_id
      WHERE r.cpa_id = $1 AND p.nino BETWEEN $2 || lpad($3::text, 6, '0') || 'A' AND $2 || lpad($4::text, 6, '0') || 'A'`;
    await db.query(`INSERT INTO referral_claimant (referral_id, address, phone, consent_to_share_health) SELECT r.id, p.address, p.phone, false ${theirs}`, [cpaId, ...range]);
    await db.query(
      `INSERT INTO referral_allocation (referral_id, contract_id, method, draw, shares, allocated_by) SELECT r.id, r.contract_id, 'RANDOM', 0, $6, $5 ${theirs}`,
      [cpaId, ...range, jobcentreId, sharesOf(area)],
    );
  }
  // The primes' inbox items in one statement: a max(seq) read per row would walk back over the
  // items the statement has written already (invisible to it), quadratic in the rows.
  await db.query(
    `INSERT INTO inbox_item (organisation_id, seq, kind, referral_id)
     SELECT c.prime_id, row_number() OVER (PARTITION BY c.prime_id ORDER BY r.seq), 'REFERRAL_ALLOCATED', r.id
       FROM referral r JOIN prime_contract c ON c.id = r.contract_id WHERE r.cpa_id = $1`,
    [cpaId],
  );
  await db.query(
    'INSERT INTO inbox_counter (organisation_id, last_seq) SELECT organisation_id, max(seq) FROM inbox_item GROUP BY organisation_id',
  );
  await db.query('ANALYZE');
}

/** A CPA with two prime contracts, and a Jobcentre of it with its API key. */
async function area(db: DataSource, code: number): Promise<Area> {
  await createCpa(db, { code, name: `Bench Area ${code}`, nation: Nation.ENGLAND });
  const contracts: PrimeContract[] = [];
  for (const name of [`Bench Prime ${code}A`, `Bench Prime ${code}B`]) {
    const prime = await registerOrganisation(db, { name, kind: OrganisationKind.PROVIDER });
    contracts.push(await awardPrimeContract(db, { cpaCode: code, primeId: prime.id, reference: name, startsOn: '2020-01-01', endsOn: '2030-12-31' }));
  }
  const jobcentre = await registerOrganisation(db, { name: `Bench Jobcentre ${code}`, kind: OrganisationKind.JOBCENTRE, cpaCode: code });
  const { secret } = await issueApiKey(db, { organisationId: jobcentre.id, role: Role.JOBCENTRE });
  return { jobcentreId: jobcentre.id, cpaId: contracts[0].cpaId, contracts, secret };
}

/**
 * Referrals/s of one side on a database of its own: PRELOADED referrals in CPA 1, one batch of
 * other claimants committed in CPA 2 to warm it up (JIT, plans, caches), then `total` claimants
 * in CPA 1, batch after batch.
 */
async function measure(total: number, preloaded: number, open: (db: DataSource) => Promise<Side>): Promise<{ rate: number; version: string }> {
  const database = await scratchDatabase();
  const db = database.dataSource;
  try {
    const measured = await area(db, 1);
    const warmUp = await area(db, 2);
    if (preloaded > 0) await preload(db, measured, preloaded);
    const side = await open(db);
    try {
      const run = async (into: Area, all: Item[]) => {
        const start = performance.now();
        for (let at = 0; at < all.length; at += BATCH) await side.write(into, all.slice(at, at + BATCH));
        return all.length / ((performance.now() - start) / 1000);
      };
      await run(warmUp, items(BATCH, { from: total, cpaCode: 2 }));
      return { rate: await run(measured, items(total)), version: await serverVersion(db) };
    } finally {
      await side.close();
    }
  } finally {
    await database.close();
  }
}

async function row(total: number, preloaded: number): Promise<Array<string | number>> {
  const api = await measure(total, preloaded, apiSide);
  const raw = await measure(total, preloaded, (db) => floorSide(db, rawInsert));
  const copied = await measure(total, preloaded, (db) => floorSide(db, copy));
  return [
    `${preloaded ? `${count(preloaded)} referrals` : 'empty'} (${api.version})`,
    `${count(api.rate)}/s`,
    `${count(raw.rate)}/s`,
    `${count(copied.rate)}/s`,
    ratio(api.rate / raw.rate),
    ratio(api.rate / copied.rate),
  ];
}

const ingest: Bench = async (args) => {
  const total = Number(args[0] ?? 20000);
  const preloaded = Number(args[1] ?? 200000);
  const rows = [await row(total, 0), await row(total, preloaded)];
  return {
    title: `Ingest: ${count(total)} referrals (one CPA, two contracts, claimants with contact details) in batches of ${BATCH}, one batch after another.`,
    tables: [{ headers: ['database', 'submitReferrals over HTTP', 'raw multi-row INSERT', 'COPY', 'API / INSERT', 'API / COPY'], rows }],
    notes: [
      'INSERT and COPY write the rows the API writes for this input: participant, referral, referral_claimant, referral_allocation and one inbox_item for the prime (its inbox_counter row taken, its NOTIFY sent), through the same triggers (referral_performance, audit), each batch in a transaction of its own, committed. The input sends no record and no first appointment, so no side writes referral_record or first_appointment rows. The API also reads what its rules need, judges, allocates, encrypts and answers every item.',
      `Each side runs on a database of its own (a new embedded server, migrated), in the same state: empty, or preloaded the same way; and each commits one batch of ${BATCH} other claimants in another CPA before it is measured, so that each is measured warm (JIT, plans, caches) and "empty" holds those ${BATCH} referrals on every side.`,
    ],
  };
};
export default ingest;

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { Role } from '../../src/auth/access.enums';
import { todayUtc } from '../../src/common/dates';
import { createDataSource } from '../../src/db/data-source';
import { type EmbeddedServer, freePort, startEmbeddedPostgres, startEmbeddedStandby } from '../../src/db/embedded';
import { Nation, PAYMENT_GROUPS } from '../../src/modules/contracts/contracts.enums';
import { awardPrimeContract, createCpa, setMarketShares } from '../../src/modules/contracts/contracts.service';
import { OrganisationKind } from '../../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../../src/modules/identity/identity.service';
import { DATA_MODEL } from '../../src/server/data-model';
import { type ApiProcess, startApiProcess } from '../helpers/api-process';
import { bornFor, nino } from '../helpers/registry';
import type { GraphQLResponse } from '../helpers/server';

/**
 * DATABASE_REPLICA_URL with a real streaming replica: a primary and a hot standby made from it,
 * both from the embedded binaries whatever DATABASE_URL says (the test's own cluster), and
 * `src/main.ts` serving over them as the API's role (DATABASE_URL, DATABASE_REPLICA_URL,
 * DATABASE_LISTEN_URL). With replay paused on the standby, a
 * referral submitted through the API is on the primary at once, readable there, and missing from
 * the reports until replay resumes: the reports are served by the replica, the rest by the primary.
 */

const CPA = 71;
const today = todayUtc();
let root: string;
let primary: EmbeddedServer | undefined;
let standby: EmbeddedServer | undefined;
let api: ApiProcess | undefined;
let owner: DataSource | undefined;
let url: string;
let adminKey: string;
let jobcentreKey: string;
let primeKey: string;
let contractId: string;

async function sql<T>(server: EmbeddedServer, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: server.url('scx') });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function gql<T>(query: string, key: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** Until the standby has replayed everything the primary has written so far (bounded: a stuck standby fails the test). */
async function caughtUp(): Promise<void> {
  const [{ lsn }] = await sql<{ lsn: string }>(primary!, 'SELECT pg_current_wal_lsn()::text AS lsn');
  for (let tries = 0; tries < 600; tries++) {
    const [{ replayed }] = await sql<{ replayed: boolean }>(standby!, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed', [lsn]);
    if (replayed) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the standby did not replay up to ${lsn}`);
}

let referrals = 0;
async function refer(): Promise<string> {
  referrals += 1;
  const response = await gql<{ submitReferrals: { results: Array<{ referral: { id: string } | null; userErrors: unknown[] }> } }>(
    `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } userErrors { code } } } }`,
    jobcentreKey,
    {
      input: {
        referrals: [
          {
            clientReference: `R-${referrals}`,
            cpaCode: CPA,
            jobcentreDistrict: 'District',
            paymentGroup: 'JSA_25_PLUS',
            participationMode: 'MANDATORY',
            referredOn: today,
            claimant: { nino: nino(referrals, 'RP'), givenName: 'Robin', familyName: `Replica ${referrals}`, dateOfBirth: bornFor('JSA_25_PLUS', today), consentToShareHealth: false },
          },
        ],
      },
    },
  );
  const [result] = response.data!.submitReferrals.results;
  expect(result.userErrors).toEqual([]);
  return result.referral!.id;
}

/** The three reports that read from the replica: national and CPA referrals, and the compliance report's participants in scope. */
async function reports(): Promise<{ national: number; cpa: number; inScope: number }> {
  const figures = await gql<{
    nationalPerformance: { rows: Array<{ referrals: number }> };
    cpaPerformance: { rows: Array<{ referrals: number }> };
    serviceStandardCompliance: { standards: Array<{ participantsInScope: number }> };
  }>(
    `query($from: Date!, $contract: ID!) {
      nationalPerformance(from: $from, to: $from) { rows { referrals } }
      cpaPerformance(cpaCode: ${CPA}, from: $from, to: $from) { rows { referrals } }
      serviceStandardCompliance(contractId: $contract, asOf: $from) { standards { participantsInScope } } }`,
    adminKey,
    { from: today, contract: contractId },
  );
  expect(figures.errors).toBeUndefined();
  const { nationalPerformance, cpaPerformance, serviceStandardCompliance } = figures.data!;
  return { national: nationalPerformance.rows[0].referrals, cpa: cpaPerformance.rows[0].referrals, inScope: serviceStandardCompliance.standards[0].participantsInScope };
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-replica-'));
  // PostgreSQL runs as the `postgres` user on root machines: it must be able to reach its folders.
  fs.chmodSync(root, 0o755);
  primary = await startEmbeddedPostgres({ dataDir: path.join(root, 'primary'), port: await freePort(), persistent: false });
  const admin = new Client({ connectionString: primary.url('postgres') });
  await admin.connect();
  const apiPassword = randomBytes(12).toString('hex');
  try {
    await admin.query('CREATE DATABASE scx');
    // Served as production serves: a login role of scx_api (made here, before the migrations that grant to it).
    await admin.query('CREATE ROLE scx_api NOLOGIN');
    await admin.query(`CREATE ROLE scx_replica_api LOGIN PASSWORD '${apiPassword}' IN ROLE scx_api`);
    // The inbox's LISTEN connection, under a name of its own (DATABASE_LISTEN_URL: past a transaction pooler in production).
    await admin.query(`CREATE ROLE scx_replica_listener LOGIN PASSWORD '${apiPassword}' IN ROLE scx_api`);
  } finally {
    await admin.end();
  }
  // The standby is made before the migrations run: it receives them, and everything after, by streaming.
  standby = await startEmbeddedStandby({ primaryUrl: primary.url('postgres'), dataDir: path.join(root, 'standby'), port: await freePort() });
  const asApi = (server: EmbeddedServer, role = 'scx_replica_api') => {
    const at = new URL(server.url('scx'));
    at.username = role;
    at.password = apiPassword;
    return at.toString();
  };
  const port = await freePort();
  adminKey = randomBytes(32).toString('hex');
  api = await startApiProcess({
    ...process.env,
    DATABASE_URL: asApi(primary),
    DATABASE_MIGRATION_URL: primary.url('scx'),
    DATABASE_REPLICA_URL: asApi(standby),
    DATABASE_LISTEN_URL: asApi(primary, 'scx_replica_listener'),
    SCX_BOOTSTRAP_ADMIN_KEY: adminKey,
    SCX_DATA_KEY: randomBytes(32).toString('base64'),
    SCX_DISCLOSURE_THRESHOLD: '1',
    PORT: String(port),
    HOST: '127.0.0.1',
    SCX_DEMO: 'off',
    LOG_LEVEL: 'warn',
  });
  url = `http://127.0.0.1:${port}/graphql`;

  // The registry, arranged on the primary as its owner: one CPA, one prime holding every share, a Jobcentre.
  owner = createDataSource(primary.url('scx'), DATA_MODEL, { poolSize: 2 });
  await owner.initialize();
  await createCpa(owner, { code: CPA, name: 'Replicated area', nation: Nation.ENGLAND });
  const prime = await registerOrganisation(owner, { name: 'Replica prime', kind: OrganisationKind.PROVIDER });
  primeKey = (await issueApiKey(owner, { organisationId: prime.id, role: Role.PROVIDER })).secret;
  const contract = await awardPrimeContract(owner, { cpaCode: CPA, primeId: prime.id, reference: 'R-71', startsOn: '2020-04-01', endsOn: '2030-03-31' });
  contractId = contract.id;
  for (const paymentGroup of PAYMENT_GROUPS) {
    await setMarketShares(owner, { cpaCode: CPA, paymentGroup, effectiveFrom: '2020-04-01', shares: [{ contractId, shareBasisPoints: 10000 }] });
  }
  const jobcentre = await registerOrganisation(owner, { name: 'Replica Jobcentre', kind: OrganisationKind.JOBCENTRE, cpaCode: CPA });
  jobcentreKey = (await issueApiKey(owner, { organisationId: jobcentre.id, role: Role.JOBCENTRE })).secret;
  // Two clusters and an API process: about 25 s on a loaded 2-core machine; a bound, not a measure.
}, 180_000);

afterAll(async () => {
  if (api) {
    api.child.kill('SIGTERM');
    await api.exited;
  }
  if (owner?.isInitialized) await owner.destroy();
  await standby?.stop();
  await primary?.stop();
  fs.rmSync(root, { recursive: true, force: true });
}, 120_000);

test('the inbox LISTENs on the primary, through DATABASE_LISTEN_URL', async () => {
  const listening = `SELECT usename FROM pg_stat_activity WHERE datname = 'scx' AND query LIKE 'LISTEN%'`;
  expect(await sql(primary!, listening)).toEqual([{ usename: 'scx_replica_listener' }]);
  expect(await sql(standby!, listening)).toEqual([]);
});

test('reports are served by the replica, lagging while its replay is paused; writes and other reads by the primary', async () => {
  const published = await gql<{ publishServiceStandards: { userErrors: unknown[] } }>(
    `mutation($input: PublishServiceStandardsInput!) { publishServiceStandards(input: $input) { userErrors { code } } }`,
    primeKey,
    { input: { contractId, standards: [{ metric: 'FIRST_CONTACT_WITHIN_DAYS', thresholdDays: 10, scope: 'ALL_PARTICIPANTS', description: 'First contact within 10 days' }] } },
  );
  expect(published.data!.publishServiceStandards.userErrors).toEqual([]);
  await refer();
  await caughtUp();
  expect(await reports()).toEqual({ national: 1, cpa: 1, inScope: 1 });

  await sql(standby!, 'SELECT pg_wal_replay_pause()');
  for (let tries = 0; (await sql<{ state: string }>(standby!, 'SELECT pg_get_wal_replay_pause_state() AS state'))[0].state !== 'paused'; tries++) {
    if (tries > 600) throw new Error('replay did not pause');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The mutation writes to the primary, and what it wrote is read back there at once…
  const second = await refer();
  const [onPrimary] = await sql<{ n: number }>(primary!, 'SELECT count(*)::int AS n FROM referral');
  const [onStandby] = await sql<{ n: number }>(standby!, 'SELECT count(*)::int AS n FROM referral');
  expect({ onPrimary: onPrimary.n, onStandby: onStandby.n }).toEqual({ onPrimary: 2, onStandby: 1 });
  const read = await gql<{ referral: { id: string } | null }>(`query($id: ID!) { referral(id: $id) { id } }`, jobcentreKey, { id: second });
  expect(read.data).toEqual({ referral: { id: second } });
  // …while the reports, read from the paused replica, do not have it yet.
  expect(await reports()).toEqual({ national: 1, cpa: 1, inScope: 1 });

  await sql(standby!, 'SELECT pg_wal_replay_resume()');
  await caughtUp();
  expect(await reports()).toEqual({ national: 2, cpa: 2, inScope: 2 });
});

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { freePort } from '../src/db/embedded';
import { generateNationalHistory } from '../src/demo/national-history';
import { seedDemo } from '../src/demo/seed-demo';
import { LIVE_STATUSES, Role } from '../src/auth/access.enums';
import { issueApiKey } from '../src/modules/identity/identity.service';
import { type Bench, count, databaseCpu, ms, percentile, processCpuSeconds, ratio, scratchDatabase, serverVersion, startCompiledApi, startProcess } from './harness';

/**
 * The caseload read a prime's case-management system makes all day: its live referrals, pages of
 * 100, each with the participant, the allocation, the handoffs with their receivers, the first
 * five contacts with their count, and the compliance doubts. Three systems over one seeded
 * database (a national history of REFERRALS referrals, default 100,000; the prime with the most
 * live referrals): scx over HTTP (the compiled API in production mode, in a process of its own;
 * and in two processes, the clients taking turns),
 * PostGraphile 5 over HTTP (Amber preset and the connection-filter plugin, in a process of its
 * own: bench/postgraphile-server.cjs), and the minimal hand-written SQL through a `pg` pool in this
 * process; at 1, 8 and 32 clients for SECONDS each (default 10), interleaved per level:
 * throughput, p50, p99, and CPU per page of the serving Node process and of PostgreSQL.
 * PostGraphile and the SQL enforce no access rule and audit no read. `npm run bench -- caseload
 * [REFERRALS SECONDS]`; SCX_BENCH_CPU_PROF=DIR writes a CPU profile of the scx server there.
 */
const QUERY = `query($after: String) { referrals(first: 100, after: $after, filter: { status: [ALLOCATED, ACKNOWLEDGED, ATTACHED] }) {
  pageInfo { endCursor } edges { node { id status clientReference participant { givenName familyName }
  allocation { method } handoffs { status to { name } }
  contacts(first: 5) { totalCount edges { node { occurredAt kind } } }
  complianceDoubts { type } } } } }`;

/** PostGraphile's closest equivalent, in its generated names (`rowId` is the table's id; `id` its node id); the prime's contracts given as ids (it knows no viewer). */
const POSTGRAPHILE_QUERY = `query($after: Cursor, $contracts: [UUID!]!, $live: [String!]!) {
  allReferrals(first: 100, after: $after, orderBy: SEQ_ASC, filter: { contractId: { in: $contracts }, status: { in: $live } }) {
  pageInfo { endCursor } nodes { rowId status clientReference participantByParticipantId { givenName familyName }
  referralAllocationsByReferralId(first: 1, orderBy: [ALLOCATED_AT_DESC, PRIMARY_KEY_DESC]) { nodes { method } }
  handoffsByReferralId(orderBy: [OFFERED_AT_ASC, PRIMARY_KEY_ASC]) { nodes { status organisationByToOrganisationId { name } } }
  contactsByReferralId(first: 5, orderBy: [OCCURRED_AT_ASC, PRIMARY_KEY_ASC]) { totalCount nodes { occurredAt kind } }
  complianceDoubtsByReferralId(orderBy: SEQ_ASC) { nodes { type } } } } }`;

const SQL = `
  SELECT r.id, r.seq, r.status, r.client_reference, p.given_name, p.family_name, a.method,
         (SELECT json_agg(json_build_object('status', h.status, 'to', o.name) ORDER BY h.offered_at, h.id)
            FROM handoff h JOIN organisation o ON o.id = h.to_organisation_id WHERE h.referral_id = r.id) AS handoffs,
         (SELECT count(*)::int FROM contact c WHERE c.referral_id = r.id) AS contact_count,
         (SELECT json_agg(x) FROM (SELECT c.occurred_at, c.kind FROM contact c WHERE c.referral_id = r.id ORDER BY c.occurred_at, c.id LIMIT 5) x) AS contacts,
         (SELECT json_agg(d.type ORDER BY d.seq) FROM compliance_doubt d WHERE d.referral_id = r.id) AS doubts
    FROM referral r JOIN participant p ON p.id = r.participant_id
    LEFT JOIN LATERAL (SELECT method FROM referral_allocation WHERE referral_id = r.id ORDER BY allocated_at DESC, id DESC LIMIT 1) a ON true
   WHERE r.contract_id IN (SELECT id FROM prime_contract WHERE prime_id = $1) AND r.status = ANY($2) AND r.seq > $3
   ORDER BY r.seq LIMIT 100`;

const WARM_UP_PAGES = 30;

interface Level {
  clients: number;
  perSecond: number;
  p50: number;
  p99: number;
  nodeCpuMs: number;
  databaseCpuMs: number;
}

/** One system as the load sees it: a page after a cursor (the next cursor, null at the end), and its Node process's CPU seconds. */
interface System {
  name: string;
  ask(after: string | null): Promise<string | null>;
  nodeCpuSeconds(): number;
  /** The ids of the first page, to check that the systems answer the same. */
  firstPage(): Promise<string[]>;
}

/** `clients` loops asking page after page (from the start again at the end) for `seconds`. */
async function load(clients: number, seconds: number, db: Parameters<typeof databaseCpu>[0], system: System): Promise<Level> {
  const times: number[] = [];
  const cpu = system.nodeCpuSeconds();
  const databaseTimer = await databaseCpu(db);
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      let after: string | null = null;
      while (performance.now() < until) {
        const start = performance.now();
        after = await system.ask(after);
        times.push(performance.now() - start);
      }
    }),
  );
  const nodeSeconds = system.nodeCpuSeconds() - cpu;
  const databaseSeconds = await databaseTimer.stop();
  times.sort((a, b) => a - b);
  return {
    clients,
    perSecond: times.length / seconds,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    nodeCpuMs: (nodeSeconds * 1000) / times.length,
    databaseCpuMs: (databaseSeconds * 1000) / times.length,
  };
}

/** A GraphQL POST; the answer's data, or the errors thrown. */
async function post<T>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const caseload: Bench = async (args) => {
  const referrals = Number(args[0] ?? 100_000);
  const seconds = Number(args[1] ?? 10);
  const database = await scratchDatabase();
  const db = database.dataSource;
  const url = (db.options as PostgresConnectionOptions).url!;
  try {
    await seedDemo(db);
    await generateNationalHistory(db, referrals, () => undefined, { randomSeed: 2011 });
    await db.query('ANALYZE');
    const [{ prime_id: primeId, live }] = await db.query(
      `SELECT pc.prime_id, count(*)::int AS live FROM referral r JOIN prime_contract pc ON pc.id = r.contract_id
        WHERE r.status = ANY($1) GROUP BY pc.prime_id ORDER BY 2 DESC LIMIT 1`,
      [LIVE_STATUSES],
    );
    const contracts = (await db.query('SELECT id FROM prime_contract WHERE prime_id = $1', [primeId])).map((row: { id: string }) => row.id);
    const { secret } = await issueApiKey(db, { organisationId: primeId, role: Role.PROVIDER });
    const profile = process.env.SCX_BENCH_CPU_PROF;
    const scxServer = await startCompiledApi(url, {
      nodeOptions: profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : [],
      env: { SCX_RATE_LIMIT_REQUESTS: '10000000' },
    });
    // Past one process (issue 16, item 6): a second API process on the same database, the clients taking turns between the two.
    const secondScxServer = await startCompiledApi(url, { env: { SCX_RATE_LIMIT_REQUESTS: '10000000' } });
    const postgraphilePort = await freePort();
    const postgraphileServer = await startProcess(
      // The same young generation as scx's (bench/harness.ts, as npm start runs it).
      ['--max-semi-space-size=64', '-r', path.join(__dirname, 'polyfill-with-resolvers.cjs'), path.join(__dirname, 'postgraphile-server.cjs')],
      { DATABASE_URL: url, PORT: String(postgraphilePort), NODE_ENV: 'production' },
      'ready',
    );
    const pool = new Pool({ connectionString: url, max: 10 });
    try {
      type ScxPage = { referrals: { pageInfo: { endCursor: string | null }; edges: Array<{ node: { id: string } }> } };
      const scxPage = (after: string | null, server = scxServer) => post<ScxPage>(server.url, QUERY, { after }, { authorization: `Bearer ${secret}` });
      let turn = 0;
      type PostGraphilePage = { allReferrals: { pageInfo: { endCursor: string | null }; nodes: Array<{ rowId: string }> } };
      const postgraphileUrl = `http://127.0.0.1:${postgraphilePort}/graphql`;
      const postgraphilePage = (after: string | null) => post<PostGraphilePage>(postgraphileUrl, POSTGRAPHILE_QUERY, { after, contracts, live: LIVE_STATUSES });
      const sqlPage = async (after: string | null) => {
        const { rows } = await pool.query(SQL, [primeId, LIVE_STATUSES, after ?? '0']);
        JSON.stringify(rows); // what a server would send
        return rows as Array<{ id: string; seq: string }>;
      };
      const systems: System[] = [
        {
          name: 'scx',
          ask: async (after) => (await scxPage(after)).referrals.pageInfo.endCursor,
          nodeCpuSeconds: () => processCpuSeconds(scxServer.pid),
          firstPage: async () => (await scxPage(null)).referrals.edges.map((edge) => edge.node.id),
        },
        {
          name: 'scx, 2 processes',
          ask: async (after) => (await scxPage(after, (turn += 1) % 2 ? scxServer : secondScxServer)).referrals.pageInfo.endCursor,
          nodeCpuSeconds: () => processCpuSeconds(scxServer.pid) + processCpuSeconds(secondScxServer.pid),
          firstPage: async () => (await scxPage(null, secondScxServer)).referrals.edges.map((edge) => edge.node.id),
        },
        {
          name: 'PostGraphile 5',
          ask: async (after) => {
            const page = (await postgraphilePage(after)).allReferrals;
            return page.nodes.length === 100 ? page.pageInfo.endCursor : null;
          },
          nodeCpuSeconds: () => processCpuSeconds(postgraphileServer.pid),
          firstPage: async () => (await postgraphilePage(null)).allReferrals.nodes.map((node) => node.rowId),
        },
        {
          name: 'hand-written SQL',
          ask: async (after) => {
            const rows = await sqlPage(after);
            return rows.length === 100 ? String(rows[99].seq) : null;
          },
          nodeCpuSeconds: () => {
            const { user, system } = process.cpuUsage();
            return (user + system) / 1e6;
          },
          firstPage: async () => (await sqlPage(null)).map((row) => row.id),
        },
      ];
      const [ours, ...others] = await Promise.all(systems.map((system) => system.firstPage()));
      if (others.some((page) => page.join() !== ours.join())) throw new Error(`the systems answer different first pages: ${JSON.stringify([ours, ...others].map((p) => [p.length, p.slice(0, 3)]))}`);
      // Each system warmed up first (JIT, plans, pools): a cold start is not what a caseload system sees all day.
      for (const system of systems) for (let i = 0, after: string | null = null; i < WARM_UP_PAGES; i += 1) after = await system.ask(after);
      const rows: Array<Array<string | number>> = [];
      for (const clients of [1, 8, 32]) {
        const levels = new Map<string, Level>();
        for (const system of systems) levels.set(system.name, await load(clients, seconds, db, system));
        for (const [name, level] of levels) {
          rows.push([clients, name, `${level.perSecond.toFixed(1)}/s`, ms(level.p50), ms(level.p99), ms(level.nodeCpuMs), ms(level.databaseCpuMs)]);
        }
        for (const name of ['scx', 'scx, 2 processes']) {
          const scx = levels.get(name)!.perSecond;
          rows.push([clients, `${name}: / PostGraphile, / SQL`, `${ratio(scx / levels.get('PostGraphile 5')!.perSecond)}, ${ratio(scx / levels.get('hand-written SQL')!.perSecond)}`, '', '', '', '']);
        }
      }
      return {
        title: `Caseload: the prime with the most live referrals (${count(live)}) of a national history of ${count(referrals)} referrals reads them in pages of 100 with participant, allocation, handoffs and receivers, first 5 contacts and their count, and doubts; ${seconds} s per system and level; ${await serverVersion(db)}.`,
        tables: [{ headers: ['clients', 'system', 'pages/s', 'p50', 'p99', 'Node CPU per page', 'PostgreSQL CPU per page'], rows }],
        notes: [
          `scx is the compiled API in production mode and PostGraphile 5.1.5 (Amber preset, connection-filter plugin) its own server, each in a process of its own with a pool of 10 connections and a 64 MB young generation (\`--max-semi-space-size=64\`, as \`npm start\` runs scx), each warmed up with ${WARM_UP_PAGES} pages first; Node CPU is that process's (for the hand-written SQL, the bench process: the pg client). "scx, 2 processes" is two API processes on the same database, the requests alternating between them, its Node CPU the two processes' together: on a 2-core machine the second process competes with PostgreSQL for the same cores. The systems answer the same first page. PostGraphile and the hand-written SQL enforce no access rule and audit no read (PostGraphile is given the prime's contract ids; names are stored in plain text, so no system decrypts anything here).`,
        ],
      };
    } finally {
      await pool.end();
      await postgraphileServer.stop();
      await secondScxServer.stop();
      await scxServer.stop();
    }
  } finally {
    await database.close();
  }
};
export default caseload;

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import pino from 'pino';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { FieldCipher } from '../src/db/field-encryption';
import { generateNationalHistory } from '../src/demo/national-history';
import { seedDemo } from '../src/demo/seed-demo';
import { LIVE_STATUSES, Role } from '../src/auth/access.enums';
import { issueApiKey } from '../src/modules/identity/identity.service';
import { startServer } from '../src/server/app';
import { type Bench, count, databaseCpu, ms, percentile, ratio, scratchDatabase, serverVersion } from './harness';

/**
 * The caseload read a prime's case-management system makes all day: its live referrals, pages of
 * 100, each with the participant, the allocation, the handoffs with their receivers, the first
 * five contacts with their count, and the compliance doubts. scx over HTTP (as the prime with the
 * most live referrals of a national history of REFERRALS, default 100,000) beside the minimal
 * hand-written SQL for the same answer through a `pg` pool, at 1, 8 and 32 clients for SECONDS
 * each (default 10): throughput, p50, p99, and CPU per request of this Node process (the server
 * and its load generator) and of PostgreSQL. The hand-written SQL enforces no access rule and
 * audits no read. `npm run bench -- caseload [REFERRALS SECONDS]`.
 */
const QUERY = `query($after: String) { referrals(first: 100, after: $after, filter: { status: [ALLOCATED, ACKNOWLEDGED, ATTACHED] }) {
  pageInfo { endCursor } edges { node { id status clientReference participant { givenName familyName }
  allocation { method } handoffs { status to { name } }
  contacts(first: 5) { totalCount edges { node { occurredAt kind } } }
  complianceDoubts { type } } } } }`;

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

interface Level {
  clients: number;
  perSecond: number;
  p50: number;
  p99: number;
  nodeCpuMs: number;
  databaseCpuMs: number;
}

/** `clients` loops asking page after page (from the start again at the end) for `seconds`. */
async function load(clients: number, seconds: number, db: Parameters<typeof databaseCpu>[0], ask: (after: string | null) => Promise<string | null>): Promise<Level> {
  const times: number[] = [];
  const cpu = process.cpuUsage();
  const databaseTimer = await databaseCpu(db);
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      let after: string | null = null;
      while (performance.now() < until) {
        const start = performance.now();
        after = await ask(after);
        times.push(performance.now() - start);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const databaseSeconds = await databaseTimer.stop();
  times.sort((a, b) => a - b);
  return {
    clients,
    perSecond: times.length / seconds,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    nodeCpuMs: (used.user + used.system) / 1000 / times.length,
    databaseCpuMs: (databaseSeconds * 1000) / times.length,
  };
}

const caseload: Bench = async (args) => {
  const referrals = Number(args[0] ?? 100_000);
  const seconds = Number(args[1] ?? 10);
  const database = await scratchDatabase();
  const db = database.dataSource;
  try {
    await seedDemo(db);
    await generateNationalHistory(db, referrals, () => undefined, { randomSeed: 2011 });
    await db.query('ANALYZE');
    const [{ prime_id: primeId, live }] = await db.query(
      `SELECT pc.prime_id, count(*)::int AS live FROM referral r JOIN prime_contract pc ON pc.id = r.contract_id
        WHERE r.status = ANY($1) GROUP BY pc.prime_id ORDER BY 2 DESC LIMIT 1`,
      [LIVE_STATUSES],
    );
    const { secret } = await issueApiKey(db, { organisationId: primeId, role: Role.PROVIDER });
    const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log: pino({ level: 'warn' }) });
    const pool = new Pool({ connectionString: (db.options as PostgresConnectionOptions).url, max: 10 });
    try {
      const scx = async (after: string | null) => {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
          body: JSON.stringify({ query: QUERY, variables: { after } }),
        });
        const body = (await response.json()) as { data?: { referrals: { pageInfo: { endCursor: string | null } } }; errors?: unknown[] };
        if (!body.data) throw new Error(JSON.stringify(body.errors));
        return body.data.referrals.pageInfo.endCursor;
      };
      const sql = async (after: string | null) => {
        const { rows } = await pool.query(SQL, [primeId, LIVE_STATUSES, after ?? '0']);
        JSON.stringify(rows); // what a server would send
        return rows.length === 100 ? String(rows[99].seq) : null;
      };
      const rows: Array<Array<string | number>> = [];
      for (const clients of [1, 8, 32]) {
        const ours = await load(clients, seconds, db, scx);
        const theirs = await load(clients, seconds, db, sql);
        for (const [name, level] of [['scx', ours], ['hand-written SQL', theirs]] as const) {
          rows.push([clients, name, `${level.perSecond.toFixed(1)}/s`, ms(level.p50), ms(level.p99), ms(level.nodeCpuMs), ms(level.databaseCpuMs)]);
        }
        rows.push([clients, 'scx / SQL', ratio(ours.perSecond / theirs.perSecond), '', '', '', '']);
      }
      return {
        title: `Caseload: the prime with the most live referrals (${count(live)}) of a national history of ${count(referrals)} referrals reads them in pages of 100 with participant, allocation, handoffs and receivers, first 5 contacts and their count, and doubts; ${seconds} s per level; ${await serverVersion(db)}.`,
        tables: [{ headers: ['clients', 'system', 'pages/s', 'p50', 'p99', 'Node CPU per page', 'PostgreSQL CPU per page'], rows }],
        notes: [
          'Node CPU is this process: the scx server and the load generator (for the hand-written SQL, the pg client only). The hand-written SQL enforces no access rule and audits no read. PostGraphile 5 was not measured in this run.',
        ],
      };
    } finally {
      await pool.end();
      await server.stop();
    }
  } finally {
    await database.close();
  }
};
export default caseload;

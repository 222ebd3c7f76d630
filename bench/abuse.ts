import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { generateNationalHistory } from '../src/demo/national-history';
import { seedDemo } from '../src/demo/seed-demo';
import { Role } from '../src/auth/access.enums';
import { hashSecret, issueApiKey } from '../src/modules/identity/identity.service';
import { CASELOAD_QUERY, type CorpusTarget, type Finding, HOSTILE_CORPUS } from '../tests/helpers/hostile-corpus';
import type { AttackerCommand, AttackerReport } from './abuse-attacker';
import { scratchDatabase, startCompiledApi } from './harness';

/**
 * Issue 11's hostile-request corpus against a victim: the compiled API (`dist/`, built when stale)
 * in production mode, in a process of its own, on a seeded database (the demo registry and REFERRALS referrals of national history); the demo prime's key
 * reads its caseload in a loop for SECONDS alone, then again while ATTACKERS threads send the
 * corpus round and round with keys of their own. Prints the victim's p50/p99 both ways and the
 * ratio (the goal: p99 under attack within 3× of p99 alone), and how the attacks were answered.
 * `npm run bench:abuse [-- SECONDS ATTACKERS REFERRALS]`, on a scratch database (bench/harness.ts).
 */
async function main(): Promise<void> {
  const [seconds, attackers, referrals] = [Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 4), Number(process.argv[4] ?? 20000)];
  const database = await scratchDatabase();
  try {
    const db = database.dataSource;
    const { keys } = await seedDemo(db);
    await generateNationalHistory(db, referrals, undefined, { randomSeed: 11 });
    const demo = (who: string) => keys.find((k) => k.who === who)!.secret;
    const [prime] = await db.query(
      `SELECT o.id AS organisation, c.id AS contract, cpa.code AS cpa, r.id AS referral
         FROM api_key k JOIN organisation o ON o.id = k.organisation_id JOIN prime_contract c ON c.prime_id = o.id
         JOIN cpa ON cpa.id = c.cpa_id JOIN referral r ON r.contract_id = c.id AND r.attached_on IS NOT NULL
        WHERE k.secret_hash = $1 LIMIT 1`,
      [hashSecret(demo('prime'))],
    );
    // The attackers' keys are their own: the victim's key keeps its rate limit and its subscriptions.
    const key = async (organisationId: string, role: Role) => (await issueApiKey(db, { organisationId, role })).secret;
    const dwp = (await db.query("SELECT organisation_id AS id FROM api_key WHERE role = 'ANALYST' LIMIT 1"))[0].id;
    const jobcentre = (await db.query("SELECT organisation_id AS id FROM api_key WHERE role = 'JOBCENTRE' LIMIT 1"))[0].id;
    const revoked = await key(prime.organisation, Role.PROVIDER);
    await db.query("UPDATE api_key SET revoked_at = now(), revocation_reason = 'bench:abuse' WHERE secret_hash = $1", [hashSecret(revoked)]);
    const expired = await key(prime.organisation, Role.PROVIDER);
    await db.query("UPDATE api_key SET expires_at = now() - interval '1 minute' WHERE secret_hash = $1", [hashSecret(expired)]);
    // The API as production runs it, in a process of its own beside the victim and attackers.
    const server = await startCompiledApi((db.options as { url: string }).url);
    const target: CorpusTarget = {
      url: server.url,
      keys: {
        admin: await key(dwp, Role.ADMIN),
        jobcentre: await key(jobcentre, Role.JOBCENTRE),
        prime: await key(prime.organisation, Role.PROVIDER),
        analyst: await key(dwp, Role.ANALYST),
        revoked,
        expired,
      },
      referralId: prime.referral,
      contractId: prime.contract,
      cpaCode: Number(prime.cpa),
    };

    const victimKey = demo('prime');
    const victim = async (ms: number): Promise<number[]> => {
      const times: number[] = [];
      for (const end = performance.now() + ms; performance.now() < end; ) {
        const start = performance.now();
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${victimKey}` },
          body: JSON.stringify({ query: CASELOAD_QUERY }),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (!response.ok || body.errors) throw new Error(`the victim's request failed: ${response.status} ${JSON.stringify(body)}`);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b);
    };
    const at = (times: number[], p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];

    await victim(2000); // warm-up
    const alone = await victim(seconds * 1000);
    // What each attack costs the server on its own: the slowest are where to look first.
    const costs: Array<[string, number]> = [];
    for (const request of HOSTILE_CORPUS) {
      const start = performance.now();
      await request.send(target).catch(() => undefined);
      costs.push([request.name, performance.now() - start]);
    }
    const threads = Array.from({ length: attackers }, (_, i) => {
      const worker = new Worker(`require('ts-node/register/transpile-only'); require(${JSON.stringify(path.join(__dirname, 'abuse-attacker.ts'))});`, {
        eval: true,
        workerData: { target, offset: Math.floor((i * HOSTILE_CORPUS.length) / attackers) },
      });
      worker.once('error', (error) => {
        throw error;
      });
      return { worker, ready: new Promise((resolve) => worker.once('message', resolve)) };
    });
    await Promise.all(threads.map((thread) => thread.ready)); // ts-node compiles in each thread first
    /** The victim's latencies while every attacker sends the corpus (or these findings' requests). */
    const underAttack = async (findings: Finding[] | null | 'control', ms: number) => {
      const reports = threads.map(({ worker }) => new Promise<AttackerReport>((resolve) => worker.once('message', resolve)));
      threads.forEach(({ worker }) => worker.postMessage({ attack: findings } satisfies AttackerCommand));
      const times = await victim(ms);
      threads.forEach(({ worker }) => worker.postMessage({ stop: true } satisfies AttackerCommand));
      return { times, reports: await Promise.all(reports) };
    };
    const { times: attacked, reports } = await underAttack(null, seconds * 1000);
    // The same number of clients sending a legitimate request: what company alone costs the victim.
    const { times: company, reports: companyReports } = await underAttack('control', seconds * 1000);
    // Which findings' requests hurt the victim most, each sent alone by every attacker.
    const byFinding: Array<[Finding, number]> = [];
    if (process.env.SCX_BENCH_ABUSE_BY_FINDING) {
      for (const finding of [...new Set(HOSTILE_CORPUS.map((request) => request.finding))]) {
        byFinding.push([finding, at((await underAttack([finding], 5000)).times, 0.99)]);
      }
    }
    await Promise.all(threads.map(({ worker }) => worker.terminate()));

    const answers: Record<string, number> = {};
    for (const report of reports) for (const [answer, n] of Object.entries(report.answers)) answers[answer] = (answers[answer] ?? 0) + n;
    const unknown = reports.flatMap((report) => report.unknown);
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`victim (the demo prime's caseload, ${referrals.toLocaleString('en-GB')} referrals seeded), ${seconds} s each way:`);
    console.log(`  alone:          ${alone.length} requests, p50 ${ms(at(alone, 0.5))}, p99 ${ms(at(alone, 0.99))}`);
    console.log(`  under attack:   ${attacked.length} requests, p50 ${ms(at(attacked, 0.5))}, p99 ${ms(at(attacked, 0.99))}`);
    console.log(`  p99 ratio:      ${(at(attacked, 0.99) / at(alone, 0.99)).toFixed(2)}× (goal: at most 3×)`);
    const companyRequests = companyReports.reduce((n, r) => n + r.requests, 0);
    console.log(`  beside ${attackers} legitimate clients (${companyRequests} requests): ${company.length} requests, p50 ${ms(at(company, 0.5))}, p99 ${ms(at(company, 0.99))}, ${(at(company, 0.99) / at(alone, 0.99)).toFixed(2)}×`);
    console.log(`attackers: ${attackers}, ${reports.reduce((n, r) => n + r.requests, 0)} hostile requests (${HOSTILE_CORPUS.length} kinds), answered:`);
    for (const [answer, n] of Object.entries(answers).sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${answer}`);
    for (const [finding, p99] of byFinding.sort((a, b) => b[1] - a[1])) console.log(`  only ${finding}: victim p99 ${ms(p99)} (${(p99 / at(alone, 0.99)).toFixed(2)}×)`);
    console.log('the slowest attacks, one at a time (client and server on this machine):');
    for (const [name, took] of costs.sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${ms(took).padStart(10)}  ${name}`);
    if (unknown.length > 0) {
      console.log(`NOT WELL-FORMED OR UNKNOWN CODES:\n  ${[...new Set(unknown)].join('\n  ')}`);
      process.exitCode = 1;
    }
    await server.stop();
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import WebSocket from 'ws';
import { freePort } from '../src/db/embedded';
import { addToInbox } from '../src/modules/inbox/inbox';
import { InboxItemKind } from '../src/modules/inbox/inbox-item.entity';
import { Role } from '../src/auth/access.enums';
import { OrganisationKind } from '../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../src/modules/identity/identity.service';
import { type Bench, count, ms, percentile, scratchDatabase } from './harness';

/**
 * Inbox fan-out: SUBSCRIBERS graphql-ws subscribers (10 per organisation) spread over PROCESSES API
 * processes on one database, ITEMS inbox items committed one after another to those
 * organisations in turn; prints the delay from each commit to each receipt (p50/p99/max).
 * `npm run bench -- fanout [SUBSCRIBERS ITEMS PROCESSES]` (default 1,000, 1,000 and 2).
 */
const PER_ORGANISATION = 10;

async function startApi(url: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, DATABASE_URL: url, SCX_DATA_KEY: randomBytes(32).toString('base64'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('scx GraphQL API on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
  });
  return { url: `ws://127.0.0.1:${port}/graphql`, process: child };
}

const fanout: Bench = async (args) => {
  const subscribers = Number(args[0] ?? 1000);
  const items = Number(args[1] ?? 1000);
  const processes = Number(args[2] ?? 2);
  const organisations = Math.max(1, Math.round(subscribers / PER_ORGANISATION));
  const database = await scratchDatabase();
  const db = database.dataSource;
  const apis: Array<{ url: string; process: ChildProcess }> = [];
  const clients: Array<ReturnType<typeof createClient>> = [];
  try {
    const members: Array<{ id: string; secret: string }> = [];
    for (let i = 0; i < organisations; i++) {
      const organisation = await registerOrganisation(db, { name: `Fan-out provider ${i}`, kind: OrganisationKind.PROVIDER });
      members.push({ id: organisation.id, secret: (await issueApiKey(db, { organisationId: organisation.id, role: Role.PROVIDER })).secret });
    }
    const url = (db.options as PostgresConnectionOptions).url!;
    apis.push(...(await Promise.all(Array.from({ length: processes }, () => startApi(url)))));

    // Receipt times by organisation and cursor, for every subscriber.
    const received: number[] = [];
    const committed = new Map<string, number>();
    const pending: Array<{ key: string; at: number }> = [];
    let connected = 0;
    // Subscriptions ended by the server or the network, by close code (1006: the socket dropped,
    // e.g. by graphql-ws's 12 s keep-alive when a process stalls).
    const dropped = new Map<string, number>();
    const drop = (error: unknown) => {
      const code = String((error as { code?: unknown }).code ?? (error instanceof Error ? error.message : 'unknown'));
      dropped.set(code, (dropped.get(code) ?? 0) + 1);
    };
    const droppedText = () => [...dropped].map(([code, n]) => `${count(n)} (${code})`).join(', ') || 'none';
    for (let s = 0; s < subscribers; s++) {
      const member = members[s % organisations];
      const client = createClient({
        url: apis[s % processes].url,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${member.secret}` },
        retryAttempts: 0,
        on: { connected: () => (connected += 1) },
      });
      clients.push(client);
      client.subscribe<{ inboxItemAdded: { cursor: string } }>(
        { query: 'subscription { inboxItemAdded(after: "MA") { cursor } }' },
        {
          next: ({ data }) => pending.push({ key: `${member.id}:${data!.inboxItemAdded.cursor}`, at: performance.now() }),
          error: drop,
          complete: () => undefined,
        },
      );
    }
    // Bounded: a run whose subscribers cannot all connect stops and says so.
    const connecting = performance.now() + 120000;
    while (connected < subscribers && dropped.size === 0 && performance.now() < connecting) await new Promise((resolve) => setTimeout(resolve, 50));
    if (connected < subscribers || dropped.size > 0) {
      throw new Error(`${count(connected)} of ${count(subscribers)} subscribers connected; subscriptions dropped: ${droppedText()}`);
    }
    // Let every subscription read its (empty) inbox once and wait for a wake-up.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const started = performance.now();
    for (let i = 0; i < items; i++) {
      const member = members[i % organisations];
      await db.transaction((tx) => addToInbox(tx, [{ organisationId: member.id, kind: InboxItemKind.HANDOFF_RESPONDED }]));
      committed.set(`${member.id}:${Buffer.from(String(Math.floor(i / organisations) + 1)).toString('base64url')}`, performance.now());
    }
    const writeSeconds = (performance.now() - started) / 1000;
    const expected = items * PER_ORGANISATION;
    const deadline = performance.now() + 120000;
    while (pending.length < expected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const { key, at } of pending) received.push(at - committed.get(key)!);
    received.sort((a, b) => a - b);
    if (received.length < expected) process.exitCode = 1;
    return {
      title: `Inbox fan-out: ${count(subscribers)} graphql-ws subscribers (${PER_ORGANISATION} per organisation) on ${processes} API processes, ${count(items)} items committed one after another; delay from each COMMIT to each receipt.`,
      tables: [
        {
          headers: ['items committed in', 'deliveries', 'p50', 'p99', 'max', 'subscriptions dropped'],
          rows: [[`${writeSeconds.toFixed(1)} s`, `${count(received.length)} of ${count(expected)}`, ms(percentile(received, 0.5)), ms(percentile(received, 0.99)), ms(received.at(-1) ?? NaN), droppedText()]],
        },
      ],
      notes: [],
    };
  } finally {
    // A client whose socket closed before it connected rejects its dispose() with that close: the API processes still stop.
    await Promise.allSettled(clients.map(async (client) => client.dispose()));
    for (const api of apis) {
      api.process.kill('SIGTERM');
      await new Promise((resolve) => api.process.once('exit', resolve));
    }
    await database.close();
  }
};
export default fanout;

import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { queryCounter } from '../src/db/data-source';
import { seedDemo } from '../src/demo/seed-demo';
import { FieldCipher } from '../src/db/field-encryption';
import { startServer } from '../src/server/app';
import { scratchDatabase } from './scratch';

/**
 * The whole registry as a partner's routing table would read it: 18 CPAs, 40 contracts, their
 * chains and market shares, over HTTP. Prints latency percentiles and SQL statements per request.
 * `npm run bench:registry [-- REQUESTS]`, on a scratch database (bench/scratch.ts).
 */
const QUERY = `{ cpas { code name contracts { reference prime { name } startsOn endsOn
  subcontracts { deliveryModel specialisms subcontractor { name } parent { id } }
  marketShares { paymentGroup shareBasisPoints effectiveFrom } } } }`;

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 500);
  const log = pino({ level: 'warn' });
  const database = await scratchDatabase();
  try {
    const db = database.dataSource;
    const { keys } = await seedDemo(db);
    const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log });
    const ask = async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[3].secret}` },
        body: JSON.stringify({ query: QUERY }),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.text();
    };
    for (let i = 0; i < 20; i++) await ask(); // warm-up
    const before = queryCounter(db).count;
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < requests; i++) {
      const start = performance.now();
      bytes = (await ask()).length;
      times.push(performance.now() - start);
    }
    const statements = (queryCounter(db).count - before) / requests;
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    const total = times.reduce((a, b) => a + b, 0);
    console.log(`registry read: ${requests} sequential requests, ${bytes} bytes each`);
    console.log(`  p50 ${at(0.5)} ms   p95 ${at(0.95)} ms   max ${at(1)} ms   ${(requests / (total / 1000)).toFixed(0)} requests/s`);
    console.log(`  SQL statements per request: ${statements}`);
    await server.stop();
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

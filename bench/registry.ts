import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { queryCounter } from '../src/db/data-source';
import { FieldCipher } from '../src/db/field-encryption';
import { seedDemo } from '../src/demo/seed-demo';
import { startServer } from '../src/server/app';
import { type Bench, count, ms, percentile, scratchDatabase } from './harness';

/**
 * The whole registry as a partner's routing table would read it: 18 CPAs, 40 contracts, their
 * chains and market shares, over HTTP. Latency percentiles and SQL statements per request.
 * `npm run bench -- registry [REQUESTS]` (default 500).
 */
const QUERY = `{ cpas { code name contracts { reference prime { name } startsOn endsOn
  subcontracts { deliveryModel specialisms subcontractor { name } parent { id } }
  marketShares { paymentGroup shareBasisPoints effectiveFrom } } } }`;

const registry: Bench = async (args) => {
  const requests = Number(args[0] ?? 500);
  const database = await scratchDatabase();
  try {
    const db = database.dataSource;
    const { keys } = await seedDemo(db);
    const server = await startServer({ db, cipher: new FieldCipher(randomBytes(32)), port: 0, host: '127.0.0.1', log: pino({ level: 'warn' }) });
    try {
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
      const total = times.reduce((a, b) => a + b, 0);
      return {
        title: `The demo registry (18 CPAs, 40 contracts, chains, market shares; ${count(bytes)} bytes of JSON) read ${requests} times one after another over HTTP.`,
        tables: [
          {
            headers: ['p50', 'p95', 'max', 'requests/s', 'SQL statements per request'],
            rows: [[ms(percentile(times, 0.5)), ms(percentile(times, 0.95)), ms(times.at(-1)!), count(requests / (total / 1000)), statements]],
          },
        ],
        notes: [],
      };
    } finally {
      await server.stop();
    }
  } finally {
    await database.close();
  }
};
export default registry;

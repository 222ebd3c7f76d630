import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import caseload from './caseload';
import compliance from './compliance';
import fanout from './fanout';
import { type Bench, markdown } from './harness';
import ingest from './ingest';
import performance from './performance';
import registry from './registry';

/**
 * `npm run bench -- NAME [ARGS…]`: runs one benchmark, which builds the seeded data it needs and
 * runs its comparisons in the same run, prints its tables and appends them, dated and with the
 * machine's cores, memory and load, to docs/BENCHMARKS.md (`SCX_BENCH_RECORD=0` only prints).
 */
const BENCHES: Record<string, Bench> = { caseload, compliance, fanout, ingest, performance, registry };

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const bench = BENCHES[name ?? ''];
  if (!bench) {
    console.error(`usage: npm run bench -- ${Object.keys(BENCHES).join('|')} [arguments]`);
    process.exit(2);
  }
  const at = new Date();
  const report = await bench(args);
  const text = markdown(name!, report, at);
  console.log(`\n${text}`);
  if (process.env.SCX_BENCH_RECORD !== '0') {
    fs.appendFileSync(path.join(__dirname, '..', 'docs', 'BENCHMARKS.md'), `\n${text}`);
    console.log('recorded in docs/BENCHMARKS.md');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { addDays, todayUtc } from '../../src/common/dates';
import { MAX_PAGE_SIZE } from '../../src/common/pagination';
import { PrimeContract } from '../../src/modules/contracts/prime-contract.entity';
import { evaluateStandards, standardsInForce } from '../../src/modules/standards/standards.service';
import { load } from '../../bench/compliance';
import { evaluateFromContacts } from '../../bench/compliance-reference';
import { type TestDatabase, createTestDatabase } from '../helpers/database';

/**
 * The compliance report (from `contact_days`: binary searches, and a walk of the gaps where
 * thresholds changed) gives the same counts and breaches as one pass over the contacts
 * (bench/compliance-reference.ts), standard by standard, on the bench's generated history at a
 * small scale: one version of the standards, standards published late, and thresholds that
 * grew, shrank, or both — today and 200 days ago. The bench checks the same at 100,000
 * participants; this keeps the walk's shortcuts honest in `npm test`.
 */
let t: TestDatabase;
let contractId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ contractId } = await load(t.dataSource, 600, 9000));
}, 120_000);
afterAll(() => t.drop());

const STANDARDS: Array<[string, string | null, number]> = [
  ['FIRST_CONTACT_WITHIN_DAYS', null, 10],
  ['CONTACT_INTERVAL_DAYS', null, 14],
  ['CONTACT_INTERVAL_DAYS', 'JSA_18_24', 7],
  ['ACTION_PLAN_REVIEW_INTERVAL_DAYS', null, 31],
];

/** The standards' versions: from each day (null: the contract's start), each threshold moved by `change` days. */
async function publish(versions: Array<{ from: string | null; change: number }>): Promise<void> {
  await t.dataSource.query('DELETE FROM service_standard WHERE contract_id = $1', [contractId]);
  for (const [i, { from, change }] of versions.entries()) {
    const until = versions[i + 1]?.from ? addDays(versions[i + 1].from!, -1) : null;
    for (const [metric, paymentGroup, days] of STANDARDS) {
      await t.dataSource.query(
        `INSERT INTO service_standard (contract_id, version, payment_group, metric, threshold_days, scope, minimum_percent, description, published_at, effective_from, effective_until)
         VALUES ($1, $2, $3, $4, $5, 'ALL_PARTICIPANTS', NULL, 'Reference', now(), $6, $7)`,
        [contractId, i + 1, paymentGroup, metric, days + change, from ?? '2020-01-01', until],
      );
    }
  }
}

const today = todayUtc();
it.each([
  ['one version', [{ from: null, change: 0 }]],
  ['published 300 days ago', [{ from: addDays(today, -300), change: 0 }]],
  ['thresholds 3 days longer from 100 days ago', [{ from: null, change: 0 }, { from: addDays(today, -100), change: 3 }]],
  ['thresholds 5 days shorter from 150 days ago', [{ from: null, change: 0 }, { from: addDays(today, -150), change: -5 }]],
  ['shorter, then longer', [{ from: null, change: 0 }, { from: addDays(today, -400), change: -4 }, { from: addDays(today, -60), change: 6 }]],
])('agrees with one pass over the contacts: %s', async (_, versions) => {
  await publish(versions);
  const contract = await t.dataSource.getRepository(PrimeContract).findOneByOrFail({ id: contractId });
  for (const asOf of [today, addDays(today, -200)]) {
    const inForce = await standardsInForce(t.dataSource, contractId, asOf);
    const scope = { contract, asOf, holder: null };
    const report = await evaluateStandards(t.dataSource, inForce, scope, MAX_PAGE_SIZE);
    expect(report.some((standard) => standard.breaches.length > 0 && standard.counts.some((c) => c.meeting > 0))).toBe(true);
    expect(report).toEqual(await evaluateFromContacts(t.dataSource, inForce, scope, MAX_PAGE_SIZE));
  }
});

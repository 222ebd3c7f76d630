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
 * grew, shrank, or both — today, and 200, 240 and 460 days ago. The bench checks the same at 100,000
 * participants; this keeps the walk's shortcuts honest in `npm test`. On top of the bench's
 * data, a harder part: job starts (which stop the adviser and review clocks and start the
 * in-work one, some on the day of attachment), in-work contacts from before the job start to
 * long after it, contacts on the clock's start day, and dense and sparse adviser histories; and
 * timelines with days no version was in force, a version ended before the day measured, and a
 * threshold of one day.
 */
let t: TestDatabase;
let contractId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ contractId } = await load(t.dataSource, 600, 9000));
  await harder(t.dataSource.query.bind(t.dataSource));
}, 120_000);

/** Job starts, in-work contacts around them, contacts on the start day, dense and sparse histories (dates from today, as load's). */
async function harder(query: (sql: string, parameters?: unknown[]) => Promise<unknown>): Promise<void> {
  // A fifth of the participants started a job: some on the day they were attached, some later (a few after the days measured).
  await query(
    `INSERT INTO job_start (referral_id, started_on, recorded_by)
     SELECT r.id, r.attached_on + CASE WHEN n % 15 = 0 THEN 0 ELSE (abs(hashtext(r.client_reference || 'job')) % 400)::int END, c.prime_id
       FROM (SELECT r.*, row_number() OVER (ORDER BY r.client_reference) AS n FROM referral r) r JOIN prime_contract c ON c.id = r.contract_id
      WHERE n % 5 = 0`,
  );
  // In-work contacts every `step` days from 10 days before the job start (on the start day when step divides 10), and a few with no job.
  await query(
    `INSERT INTO contact (referral_id, recorded_by, occurred_at, channel, kind, attended)
     SELECT r.id, c.prime_id, (s.d - 10 + g.n * s.step)::timestamp + interval '9 hours', 'TELEPHONE', 'IN_WORK_SUPPORT', g.n % 9 <> 4
       FROM referral r JOIN prime_contract c ON c.id = r.contract_id
       JOIN LATERAL (SELECT coalesce(min(j.started_on), r.attached_on + 30) AS d,
                            (ARRAY[1, 2, 3, 5, 9, 13, 21, 34, 60])[1 + abs(hashtext(r.client_reference || 'step')) % 9] AS step
                       FROM job_start j WHERE j.referral_id = r.id) s ON true
       CROSS JOIN generate_series(0, 40) g(n)
      WHERE (EXISTS (SELECT FROM job_start j WHERE j.referral_id = r.id) OR abs(hashtext(r.client_reference)) % 13 = 0)
        AND s.d - 10 + g.n * s.step BETWEEN r.referred_on AND $1::date
     ON CONFLICT DO NOTHING`,
    [today],
  );
  // On the clock's start day: an initial meeting or a review on the day of attachment.
  await query(
    `INSERT INTO contact (referral_id, recorded_by, occurred_at, channel, kind, attended)
     SELECT r.id, c.prime_id, r.attached_on::timestamp + interval '8 hours', 'FACE_TO_FACE',
            CASE WHEN abs(hashtext(r.client_reference)) % 2 = 0 THEN 'INITIAL_MEETING' ELSE 'ACTION_PLAN_REVIEW' END, true
       FROM referral r JOIN prime_contract c ON c.id = r.contract_id
      WHERE abs(hashtext(r.client_reference || 'start')) % 4 = 0
     ON CONFLICT DO NOTHING`,
  );
  // Dense runs: adviser contacts every one to three days over a stretch of 60 to 200 days.
  await query(
    `INSERT INTO contact (referral_id, recorded_by, occurred_at, channel, kind, attended)
     SELECT r.id, c.prime_id, d::timestamp + interval '11 hours', 'VIDEO', 'ADVISER_CONTACT', true
       FROM referral r JOIN prime_contract c ON c.id = r.contract_id
       CROSS JOIN LATERAL generate_series(r.attached_on + (abs(hashtext(r.client_reference || 'run')) % 300)::int,
                                          least(r.attached_on + (abs(hashtext(r.client_reference || 'run')) % 300)::int + 60 + abs(hashtext(r.client_reference)) % 140, $1::date),
                                          (1 + abs(hashtext(r.client_reference || 'every')) % 3) * interval '1 day') d
      WHERE abs(hashtext(r.client_reference || 'dense')) % 6 = 0
     ON CONFLICT DO NOTHING`,
    [today],
  );
  // Sparse: a sixth lose every adviser contact after their first few weeks.
  await query(
    `UPDATE contact c SET attended = false FROM referral r
      WHERE r.id = c.referral_id AND c.kind = 'ADVISER_CONTACT' AND c.occurred_at > r.attached_on + 40
        AND abs(hashtext(r.client_reference || 'sparse')) % 6 = 1`,
  );
  await query('ANALYZE');
}
afterAll(() => t.drop());

const STANDARDS: Array<[string, string | null, number]> = [
  ['FIRST_CONTACT_WITHIN_DAYS', null, 10],
  ['CONTACT_INTERVAL_DAYS', null, 14],
  ['CONTACT_INTERVAL_DAYS', 'JSA_18_24', 7],
  ['ACTION_PLAN_REVIEW_INTERVAL_DAYS', null, 31],
  ['IN_WORK_CONTACT_INTERVAL_DAYS', null, 21],
  ['IN_WORK_CONTACT_INTERVAL_DAYS', 'ESA_NEW_CLAIMANT', 8],
];

/**
 * The standards' versions: from each day (null: the contract's start), each threshold moved by `change` days (at least 1), up to
 * `until` when given (days no version is in force may follow), else the day before the next version.
 */
async function publish(versions: Array<{ from: string | null; change: number; until?: string }>): Promise<void> {
  await t.dataSource.query('DELETE FROM service_standard WHERE contract_id = $1', [contractId]);
  for (const [i, { from, change }] of versions.entries()) {
    const until = versions[i].until ?? (versions[i + 1]?.from ? addDays(versions[i + 1].from!, -1) : null);
    for (const [metric, paymentGroup, days] of STANDARDS) {
      await t.dataSource.query(
        `INSERT INTO service_standard (contract_id, version, payment_group, metric, threshold_days, scope, minimum_percent, description, published_at, effective_from, effective_until)
         VALUES ($1, $2, $3, $4, $5, 'ALL_PARTICIPANTS', NULL, 'Reference', now(), $6, $7)`,
        [contractId, i + 1, paymentGroup, metric, Math.max(1, days + change), from ?? '2020-01-01', until],
      );
    }
  }
}

const today = todayUtc();
it.each([
  ['one version', [{ from: null, change: 0 }]],
  ['published 300 days ago', [{ from: addDays(today, -300), change: 0 }]],
  [
    'thresholds 3 days longer from 100 days ago',
    [
      { from: null, change: 0 },
      { from: addDays(today, -100), change: 3 },
    ],
  ],
  [
    'thresholds 5 days shorter from 150 days ago',
    [
      { from: null, change: 0 },
      { from: addDays(today, -150), change: -5 },
    ],
  ],
  [
    'shorter, then longer',
    [
      { from: null, change: 0 },
      { from: addDays(today, -400), change: -4 },
      { from: addDays(today, -60), change: 6 },
    ],
  ],
  [
    'none in force for 50 days, then a threshold of one day and longer',
    [
      { from: null, change: 0, until: addDays(today, -301) },
      { from: addDays(today, -250), change: -30 },
      { from: addDays(today, -120), change: 2 },
    ],
  ],
  [
    'in force from 480 days ago, none from 250 days ago to 220',
    [
      { from: addDays(today, -480), change: -2, until: addDays(today, -251) },
      { from: addDays(today, -220), change: 4 },
    ],
  ],
])('agrees with one pass over the contacts: %s', async (_, versions) => {
  await publish(versions);
  const contract = await t.dataSource.getRepository(PrimeContract).findOneByOrFail({ id: contractId });
  let measured = 0;
  for (const asOf of [today, addDays(today, -200), addDays(today, -240), addDays(today, -460)]) {
    const inForce = await standardsInForce(t.dataSource, contractId, asOf);
    const scope = { contract, asOf, holder: null };
    const report = await evaluateStandards(t.dataSource, inForce, scope, MAX_PAGE_SIZE);
    expect(report).toEqual(await evaluateFromContacts(t.dataSource, inForce, scope, MAX_PAGE_SIZE));
    // A day no version is in force on measures nothing.
    if (inForce.length === 0) continue;
    measured++;
    expect(report.some((standard) => standard.breaches.length > 0 && standard.counts.some((c) => c.meeting > 0))).toBe(true);
    // The in-work clocks (from the first job start) are measured too.
    const inWork = report.filter((_, i) => inForce[i].standard.metric === 'IN_WORK_CONTACT_INTERVAL_DAYS');
    expect(inWork.some((standard) => standard.breaches.length > 0 && standard.counts.some((c) => c.inScope > 0))).toBe(true);
  }
  expect(measured).toBeGreaterThanOrEqual(2);
});

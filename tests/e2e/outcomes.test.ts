import { Role } from '../../src/auth/access.enums';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey, attachedReferral } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

// Contracts run from 2020-04-01, so contract year 2 is 2021-04-01..2022-03-31, year 3 from
// 2022-04-01, year 4 from 2023-04-01. The seeded rate card (migration OutcomesAndPerformance):
// JSA 18-24 attachment £400 / £300 / £250 / nil in years 1-4, job outcome £1,200 after 26 weeks,
// sustainment £170 x 13; JSA ex-IB the same fees after 13 weeks, sustainment £250 x 20.
let t: TestServer;
let c: TestChain;

interface Errors { userErrors: Array<{ code: string; field: string[] | null }> }
type PaymentResult = { payment: { id: string; kind: string; amountPence: number; periodEndsOn: string | null; claimedAt: string } | null } & Errors;
type JobResult = { jobStart: { id: string; startedOn: string; endedOn: string | null } | null } & Errors;

async function jobStart(referralId: string, startedOn: string, key = c.prime.key, extra: Record<string, unknown> = {}): Promise<JobResult> {
  const response = await t.gql<{ recordJobStart: JobResult }>(
    `mutation($input: RecordJobStartInput!) { recordJobStart(input: $input) { jobStart { id startedOn endedOn } userErrors { code field } } }`,
    { input: { referralId, startedOn, ...extra } },
    key,
  );
  return response.data!.recordJobStart;
}

async function jobEnd(jobStartId: string, endedOn: string, key = c.prime.key): Promise<JobResult> {
  const response = await t.gql<{ recordJobEnd: JobResult }>(
    `mutation($input: RecordJobEndInput!) { recordJobEnd(input: $input) { jobStart { id startedOn endedOn } userErrors { code field } } }`,
    { input: { jobStartId, endedOn } },
    key,
  );
  return response.data!.recordJobEnd;
}

/** A job from `startedOn` to `endedOn`, recorded and ended. */
async function job(referralId: string, startedOn: string, endedOn: string | null): Promise<string> {
  const started = await jobStart(referralId, startedOn);
  expect(started.userErrors).toEqual([]);
  if (endedOn) expect((await jobEnd(started.jobStart!.id, endedOn)).userErrors).toEqual([]);
  return started.jobStart!.id;
}

async function claimOutcome(referralId: string, claimedOn: string, key = c.prime.key): Promise<PaymentResult> {
  const response = await t.gql<{ claimJobOutcome: PaymentResult }>(
    `mutation($input: ClaimJobOutcomeInput!) { claimJobOutcome(input: $input) { payment { id kind amountPence periodEndsOn claimedAt } userErrors { code field } } }`,
    { input: { referralId, claimedOn } },
    key,
  );
  return response.data!.claimJobOutcome;
}

async function claimSustainment(referralId: string, periodEndsOn: string, key = c.prime.key): Promise<PaymentResult> {
  const response = await t.gql<{ claimSustainment: PaymentResult }>(
    `mutation($input: ClaimSustainmentInput!) { claimSustainment(input: $input) { payment { id kind amountPence periodEndsOn claimedAt } userErrors { code field } } }`,
    { input: { referralId, periodEndsOn } },
    key,
  );
  return response.data!.claimSustainment;
}

async function payments(referralId: string, key = c.prime.key) {
  const response = await t.gql<{ referral: { status: string; exit: { reason: string } | null; payments: Array<{ kind: string; amountPence: number; periodEndsOn: string | null }>; jobStarts: Array<{ startedOn: string }> } | null }>(
    `query($id: ID!) { referral(id: $id) { status exit { reason } payments { kind amountPence periodEndsOn } jobStarts { startedOn } } }`,
    { id: referralId },
    key,
  );
  return response.data!.referral;
}

const codes = (result: Errors) => result.userErrors.map((e) => e.code);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 43);
});
afterAll(() => t.close());

describe('the job outcome after 26 weeks, then sustainment to the cap (JSA 18-24)', () => {
  let id: string;
  let firstJob: string;
  const OUTCOME_ON = '2022-09-29'; // 2022-04-01 to 2022-09-29 is 182 days, both included

  beforeAll(async () => {
    id = await attachedReferral(t, c, { paymentGroup: 'JSA_18_24', referredOn: '2022-03-01', attachedOn: '2022-03-15' });
  });

  it('attachment paid the rate in force: contract year 2, £300', async () => {
    expect((await payments(id))!.payments).toEqual([{ kind: 'ATTACHMENT', amountPence: 30000, periodEndsOn: null }]);
  });

  it('a job cannot start before the attachment, nor in the future, nor overlap another', async () => {
    expect(codes(await jobStart(id, '2022-03-14'))).toEqual(['BEFORE_ATTACHMENT']);
    expect(codes(await jobStart(id, addDays(new Date().toISOString().slice(0, 10), 1)))).toEqual(['DATE_IN_FUTURE']);
    firstJob = await job(id, '2022-04-01', null);
    expect(codes(await jobStart(id, '2022-05-01'))).toEqual(['JOBS_OVERLAP']);
    expect(codes(await jobStart(id, '2022-04-01'))).toEqual(['JOBS_OVERLAP']);
  });

  it('refuses the outcome on day 181 and pays it on day 182, once, at £1,200 (year 3)', async () => {
    const early = await claimOutcome(id, '2022-09-28');
    expect(early.payment).toBeNull();
    expect(codes(early)).toEqual(['NOT_ENOUGH_TIME_IN_WORK']);
    const outcome = await claimOutcome(id, OUTCOME_ON);
    expect(outcome.userErrors).toEqual([]);
    expect(outcome.payment).toMatchObject({ kind: 'JOB_OUTCOME', amountPence: 120000, periodEndsOn: null });
    expect(codes(await claimOutcome(id, '2022-10-30'))).toEqual(['OUTCOME_ALREADY_CLAIMED']);
  });

  it('a job that paid cannot be ended before the work it was paid for', async () => {
    expect(codes(await jobEnd(firstJob, '2022-09-01'))).toEqual(['END_BEFORE_CLAIMED_WORK']);
  });

  it('claims sustainment period by period, in order and once each', async () => {
    expect(codes(await claimSustainment(id, addDays(OUTCOME_ON, 56)))).toEqual(['PERIOD_OUT_OF_ORDER']);
    expect(codes(await claimSustainment(id, addDays(OUTCOME_ON, 27)))).toEqual(['PERIOD_OUT_OF_ORDER']);
    const first = await claimSustainment(id, addDays(OUTCOME_ON, 28));
    expect(first.payment).toMatchObject({ kind: 'SUSTAINMENT', amountPence: 17000, periodEndsOn: '2022-10-27' });
    expect(codes(await claimSustainment(id, '2022-10-27'))).toEqual(['PERIOD_ALREADY_CLAIMED']);
  });

  it('the 13th sustainment is the last of a cap of 13: it exits the participant; a 14th is refused', async () => {
    for (let period = 2; period <= 12; period += 1) {
      expect((await claimSustainment(id, addDays(OUTCOME_ON, 28 * period))).userErrors).toEqual([]);
    }
    expect((await payments(id))!.status).toBe('ATTACHED');
    const thirteenth = await claimSustainment(id, addDays(OUTCOME_ON, 28 * 13));
    expect(thirteenth.payment).toMatchObject({ amountPence: 17000, periodEndsOn: '2023-09-28' });
    expect(codes(await claimSustainment(id, addDays(OUTCOME_ON, 28 * 14)))).toEqual(['SUSTAINMENT_CAP_REACHED']);
    const after = (await payments(id))!;
    expect(after).toMatchObject({ status: 'EXITED', exit: { reason: 'FINAL_PAYMENT_CLAIMED' } });
    // To the penny: £300 attachment + £1,200 outcome + 13 x £170.
    expect(after.payments.reduce((sum, p) => sum + p.amountPence, 0)).toBe(30000 + 120000 + 13 * 17000);
    expect(after.payments.map((p) => p.kind)).toEqual(['ATTACHMENT', 'JOB_OUTCOME', ...Array(13).fill('SUSTAINMENT')]);
  });

  it('a last period that ends after the allotted time exits the participant on its last day (ALLOTTED_TIME_ENDED), not later', async () => {
    // JSA ex-IB: outcome after 13 weeks, 20 sustainments. Attached 2022-03-15: allottedUntil 2024-03-15, the last day 2024-03-14.
    const late = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: '2022-03-01', attachedOn: '2022-03-15' });
    await job(late, '2023-01-02', null);
    const outcome = await claimOutcome(late, '2023-04-02');
    expect(outcome.userErrors).toEqual([]);
    for (let period = 1; period <= 20; period += 1) {
      expect((await claimSustainment(late, addDays('2023-04-02', 28 * period))).userErrors).toEqual([]);
    }
    expect(await payments(late)).toMatchObject({ status: 'EXITED', exit: { reason: 'ALLOTTED_TIME_ENDED' } });
    const [{ exited_on: exitedOn }] = await t.db.dataSource.query('SELECT exited_on::text FROM referral WHERE id = $1', [late]);
    expect(exitedOn).toBe('2024-03-14');
  });

  it('a payment is written once: the database refuses to change or remove it', async () => {
    await expect(t.db.dataSource.query(`UPDATE payment SET amount_pence = amount_pence + 1 WHERE referral_id = $1`, [id])).rejects.toThrow(/written once/);
    await expect(t.db.dataSource.query(`DELETE FROM payment WHERE referral_id = $1`, [id])).rejects.toThrow(/written once/);
  });
});

describe('a series of short jobs reaching 13 weeks (JSA ex-IB, contract year 4)', () => {
  let id: string;
  beforeAll(async () => {
    id = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: '2023-04-20', attachedOn: '2023-05-02' });
  });

  it('attachment in year 4 is nil, and still recorded', async () => {
    expect((await payments(id))!.payments).toEqual([{ kind: 'ATTACHMENT', amountPence: 0, periodEndsOn: null }]);
  });

  it('counts the days of every spell: 90 days is short, the 91st earns the outcome', async () => {
    await job(id, '2023-06-01', '2023-06-30');
    await job(id, '2023-07-10', '2023-08-08');
    await job(id, '2023-09-01', '2023-09-30');
    expect(codes(await claimOutcome(id, '2023-10-09'))).toEqual(['NOT_ENOUGH_TIME_IN_WORK']);
    const fourth = await job(id, '2023-10-09', null);
    const outcome = await claimOutcome(id, '2023-10-09');
    expect(outcome.payment).toMatchObject({ kind: 'JOB_OUTCOME', amountPence: 120000 });

    // Sustainment needs work throughout the period: a gap refuses it.
    expect((await jobEnd(fourth, '2023-10-20')).userErrors).toEqual([]);
    expect(codes(await jobEnd(fourth, '2023-10-25'))).toEqual(['JOB_ALREADY_ENDED']);
    const gap = await claimSustainment(id, '2023-11-06');
    expect(codes(gap)).toEqual(['NOT_IN_WORK_THROUGHOUT']);
    await job(id, '2023-10-21', null);
    expect((await claimSustainment(id, '2023-11-06')).payment).toMatchObject({ amountPence: 25000 });
  });

  it('refuses an end before its start', async () => {
    const other = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: '2023-04-20', attachedOn: '2023-05-02' });
    const started = await jobStart(other, '2023-06-01');
    expect(codes(await jobEnd(started.jobStart!.id, '2023-05-31'))).toEqual(['END_BEFORE_START']);
  });
});

describe('a gap between jobs in a sustainment period (rate card sustainmentGapDays, 7 by default; 002:2724)', () => {
  it('a weekend between two jobs keeps the sustainment payment; a gap of 8 days refuses it', async () => {
    const id = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: '2023-04-20', attachedOn: '2023-05-02' });
    // 91 days from 2023-05-10: the outcome is earned on 2023-08-08; periods of 28 days from there.
    await job(id, '2023-05-10', '2023-08-25'); // ends on a Friday
    await job(id, '2023-08-28', '2023-09-15'); // starts on the Monday, ends on a Friday
    expect((await claimOutcome(id, '2023-08-08')).payment).toMatchObject({ kind: 'JOB_OUTCOME', amountPence: 120000 });
    expect((await claimSustainment(id, '2023-09-05')).payment).toMatchObject({ kind: 'SUSTAINMENT', amountPence: 25000, periodEndsOn: '2023-09-05' });
    await job(id, '2023-09-24', null); // 8 days out of work, 2023-09-16 to 2023-09-23
    const refused = await claimSustainment(id, '2023-10-03');
    expect(refused).toMatchObject({ payment: null, userErrors: [{ code: 'NOT_IN_WORK_THROUGHOUT', field: ['periodEndsOn'] }] });
    const rates = await t.gql<{ rateCards: Array<{ paymentGroup: string; sustainmentGapDays: number }> }>('{ rateCards { paymentGroup sustainmentGapDays } }', {}, c.prime.key);
    expect(new Set(rates.data!.rateCards.map((r) => r.sustainmentGapDays))).toEqual(new Set([7]));
    expect((await payments(id))!.payments.map((p) => [p.kind, p.amountPence])).toEqual([['ATTACHMENT', 0], ['JOB_OUTCOME', 120000], ['SUSTAINMENT', 25000]]);
  });
});

describe('late claims, past jobs, and claims after an exit', () => {
  it('an outcome claimed late is earned on the day the threshold was reached; sustainment runs from that day', async () => {
    const id = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: '2023-04-20', attachedOn: '2023-05-02' });
    await job(id, '2023-05-10', null);
    // 91 days from 2023-05-10 is reached on 2023-08-08; claimed in December.
    const outcome = await t.gql<{ claimJobOutcome: { payment: { earnedOn: string } } }>(
      `mutation($id: ID!) { claimJobOutcome(input: { referralId: $id, claimedOn: "2023-12-01" }) { payment { earnedOn } userErrors { code } } }`,
      { id },
      c.prime.key,
    );
    expect(outcome.data!.claimJobOutcome.payment.earnedOn).toBe('2023-08-08');
    expect(codes(await claimSustainment(id, '2023-12-29'))).toEqual(['PERIOD_OUT_OF_ORDER']);
    expect((await claimSustainment(id, '2023-09-05')).payment).toMatchObject({ amountPence: 25000, periodEndsOn: '2023-09-05' });
  });

  it('a past job is recorded whole, before a later one', async () => {
    const id = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: '2023-04-20', attachedOn: '2023-05-02' });
    await job(id, '2023-07-01', null);
    expect((await jobStart(id, '2023-05-10', c.prime.key, { endedOn: '2023-06-10' })).jobStart).toMatchObject({ startedOn: '2023-05-10', endedOn: '2023-06-10' });
    expect(codes(await jobStart(id, '2023-06-05', c.prime.key, { endedOn: '2023-06-20' }))).toEqual(['JOBS_OVERLAP']);
    expect(codes(await jobStart(id, '2023-06-12', c.prime.key, { endedOn: '2023-06-11' }))).toEqual(['END_BEFORE_START']);
    expect((await payments(id))!.jobStarts).toEqual([{ startedOn: '2023-05-10' }, { startedOn: '2023-07-01' }]);
  });

  it('two ends of one job at once: one wins, the other is told it has ended', async () => {
    const id = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: '2023-04-20', attachedOn: '2023-05-02' });
    const jobId = await job(id, '2023-05-10', null);
    const results = await Promise.all([jobEnd(jobId, '2023-06-01'), jobEnd(jobId, '2023-07-01')]);
    expect(results.map(codes).sort()).toEqual([[], ['JOB_ALREADY_ENDED']]);
  });

  it('an outcome earned within the allotted time is still claimed after the participant exited', async () => {
    const id = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: '2023-04-20', attachedOn: '2023-05-02' });
    await job(id, '2023-05-10', '2023-09-30');
    await t.gql(`mutation($id: ID!) { recordJobcentreExit(input: { referralId: $id, exitedOn: "2023-10-01" }) { userErrors { code } } }`, { id }, c.jobcentre.key);
    expect((await claimOutcome(id, '2023-10-15')).payment).toMatchObject({ kind: 'JOB_OUTCOME', amountPence: 120000 });
  });
});

describe('who records and claims', () => {
  let id: string;
  beforeAll(async () => {
    id = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn: '2024-01-02', attachedOn: '2024-01-10' });
    await Journey.of(t, c, id).handOn(c.endToEnd);
  });

  it('the subcontractor holding the handoff records a job start and sees it, but neither claims nor sees payments', async () => {
    expect((await jobStart(id, '2024-02-01', c.endToEnd.key, { employerName: ' Acme Ltd ', hoursPerWeek: 30 })).jobStart).toMatchObject({ startedOn: '2024-02-01' });
    const seen = (await payments(id, c.endToEnd.key))!;
    expect(seen.jobStarts).toEqual([{ startedOn: '2024-02-01' }]);
    expect(seen.payments).toEqual([]);
    expect(codes(await claimOutcome(id, '2024-09-01', c.endToEnd.key))).toEqual(['UNKNOWN_REFERRAL']);
  });

  it('nobody outside the chain records or claims; other roles are FORBIDDEN', async () => {
    expect(codes(await jobStart(id, '2024-03-01', c.otherPrimesSubcontractor.key))).toEqual(['UNKNOWN_REFERRAL']);
    expect(codes(await claimOutcome(id, '2024-09-01', c.otherPrime.key))).toEqual(['UNKNOWN_REFERRAL']);
    const response = await t.gql(`mutation($id: ID!) { claimJobOutcome(input: { referralId: $id, claimedOn: "2024-09-01" }) { userErrors { code } } }`, { id }, c.analyst.key);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const jobcentre = await t.gql(`query($id: ID!) { referral(id: $id) { jobStarts { startedOn } payments { amountPence } } }`, { id }, c.jobcentre.key);
    expect(jobcentre.data).toEqual({ referral: { jobStarts: [], payments: [] } });
  });

  it('refuses hours outside 0-168', async () => {
    expect(codes(await jobStart(id, '2024-03-01', c.prime.key, { hoursPerWeek: 0 }))).toEqual(['INVALID_HOURS', 'JOBS_OVERLAP']);
  });

  it('a spot provider offered the referral without its employment history neither reads nor records jobs', async () => {
    const other = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn: '2024-01-02', attachedOn: '2024-01-10' });
    await jobStart(other, '2024-02-01');
    const handTo = async (to: { id: string; key: string }, purpose: string, sharedFields: string[], key = c.prime.key) =>
      t.gql(
        `mutation($input: PassReferralInput!) { passReferral(input: $input) { handoff { id } userErrors { code } } }`,
        { input: { referralId: other, toOrganisationId: to.id, purpose, sharedFields } },
        key,
      );
    await handTo(c.specialist, 'SPECIALIST_SUPPORT', []);
    expect((await payments(other, c.specialist.key))!.jobStarts).toEqual([]);
    expect(codes(await jobStart(other, '2024-06-01', c.specialist.key, { endedOn: '2024-06-02' }))).toEqual(['UNKNOWN_REFERRAL']);
    // Offered an end-to-end handoff: reads the jobs, records none until it accepts.
    await handTo(c.secondEndToEnd, 'END_TO_END_DELIVERY', []);
    expect((await payments(other, c.secondEndToEnd.key))!.jobStarts).toEqual([{ startedOn: '2024-02-01' }]);
    expect(codes(await jobStart(other, '2024-06-01', c.secondEndToEnd.key, { endedOn: '2024-06-02' }))).toEqual(['UNKNOWN_REFERRAL']);
  });
});

describe('the rate card', () => {
  it('holds the seeded rates: groups 1-4 year 1 from the public record, attachment nil from year 4', async () => {
    const response = await t.gql<{ rateCards: Array<{ paymentGroup: string; contractYear: number; attachmentFeePence: number; jobOutcomeFeePence: number; outcomeThresholdWeeks: number; sustainmentFeePence: number; sustainmentMaxCount: number }> }>(
      `{ rateCards { paymentGroup contractYear attachmentFeePence jobOutcomeFeePence outcomeThresholdWeeks sustainmentFeePence sustainmentMaxCount } }`,
      {},
      c.analyst.key,
    );
    const cards = response.data!.rateCards;
    expect(cards).toHaveLength(9 * 4);
    expect(cards.find((r) => r.paymentGroup === 'JSA_25_PLUS' && r.contractYear === 1)).toEqual({
      paymentGroup: 'JSA_25_PLUS', contractYear: 1, attachmentFeePence: 40000, jobOutcomeFeePence: 120000, outcomeThresholdWeeks: 26, sustainmentFeePence: 21500, sustainmentMaxCount: 13,
    });
    expect(cards.filter((r) => r.contractYear === 4).every((r) => r.attachmentFeePence === 0)).toBe(true);
  });

  it('an ADMIN sets a rate: later payments use it, earlier ones keep theirs; others may not', async () => {
    const admin = await t.keyFor(Role.ADMIN, 'Rates admin');
    const input = {
      paymentGroup: 'JSA_25_PLUS', contractYear: 7, attachmentFeePence: 12345, jobOutcomeFeePence: 99999, outcomeThresholdWeeks: 26,
      sustainmentFeePence: 20000, sustainmentMaxCount: 13, source: 'Contract variation 7',
    };
    const set = `mutation($input: SetRateCardInput!) { setRateCard(input: $input) { rateCard { contractYear attachmentFeePence source } userErrors { code field } } }`;
    const refused = await t.gql<{ setRateCard: Errors }>(set, { input: { ...input, attachmentFeePence: -1, source: ' ' } }, admin.secret);
    expect(codes(refused.data!.setRateCard).sort()).toEqual(['INVALID_RATE', 'INVALID_RATE']);
    expect((await t.gql(set, { input }, c.prime.key)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unknown = await t.gql<{ setRateCard: Errors }>(set, { input: { ...input, programme: 'RESTART' } }, admin.secret);
    expect(codes(unknown.data!.setRateCard)).toEqual(['UNKNOWN_PROGRAMME']);
    const response = await t.gql<{ setRateCard: { rateCard: { attachmentFeePence: number } } & Errors }>(set, { input }, admin.secret);
    expect(response.data!.setRateCard).toEqual({ rateCard: { contractYear: 7, attachmentFeePence: 12345, source: 'Contract variation 7' }, userErrors: [] });
    // Today is in contract year 7 (from 2026-04-01): a new attachment is paid at the new rate.
    const today = new Date().toISOString().slice(0, 10);
    const id = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn: today, attachedOn: today });
    expect((await payments(id))!.payments).toEqual([{ kind: 'ATTACHMENT', amountPence: 12345, periodEndsOn: null }]);
    // Setting it again supersedes, and keeps, the row before.
    await t.gql(set, { input: { ...input, attachmentFeePence: 500 } }, admin.secret);
    const rows = await t.db.dataSource.query(`SELECT attachment_fee_pence, superseded_at IS NULL AS in_force FROM rate_card WHERE payment_group = 'JSA_25_PLUS' AND contract_year = 7 ORDER BY set_at`);
    expect(rows).toEqual([{ attachment_fee_pence: 12345, in_force: false }, { attachment_fee_pence: 500, in_force: true }]);
  });
});

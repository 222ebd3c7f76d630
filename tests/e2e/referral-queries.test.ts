import { issueApiKey, registerOrganisation } from '../../src/modules/identity/identity.service';
import { Role } from '../../src/auth/access.enums';
import { OrganisationKind } from '../../src/modules/identity/identity.enums';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { type TestArea, bornFor, createArea, nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * Queries, not rejections, and returners (issue 14, items 1 and 2), through the real server:
 * a prime queries, the Jobcentre withdraws or confirms; the same person referred again goes back
 * to the same contract (RETURNING), and a returner within the allotted time reopens their
 * participation without a draw or a second attachment payment.
 */

let t: TestServer;
let c: TestChain;

beforeAll(async () => {
  // Every count shown: the figures below are checked whole.
  t = await startTestServer({ disclosureThreshold: 1 });
  c = await createChain(t, 61);
});
afterAll(() => t.close());

const USER_ERRORS = 'userErrors { code }';

interface Payload {
  userErrors: Array<{ code: string }>;
}
async function mutation<T extends Payload>(name: string, input: Record<string, unknown>, key: string, selection: string): Promise<T> {
  const response = await t.gql<Record<string, T>>(`mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${selection} ${USER_ERRORS} } }`, { input }, key);
  expect(response.errors).toBeUndefined();
  return response.data![name];
}
const codes = (payload: Payload) => payload.userErrors.map((e) => e.code);

async function inboxKinds(key: string): Promise<Array<{ kind: string; referral: { id: string } | null }>> {
  const response = await t.gql<{ inbox: { edges: Array<{ node: { kind: string; referral: { id: string } | null } }> } }>(
    '{ inbox(first: 500) { edges { node { kind referral { id } } } } }',
    {},
    key,
  );
  return response.data!.inbox.edges.map((e) => e.node);
}
const kindsAbout = async (key: string, referralId: string) => (await inboxKinds(key)).filter((item) => item.referral?.id === referralId).map((item) => item.kind);

interface ReferralRead {
  status: string;
  allottedUntil: string | null;
  allocation: { method: string; contract: { id: string } };
  openQuery: { id: string; status: string } | null;
  queries: Array<{ status: string }>;
}
async function read(referralId: string, key: string): Promise<ReferralRead | null> {
  const response = await t.gql<{ referral: ReferralRead | null }>(
    `query($id: ID!) { referral(id: $id) { status allottedUntil allocation { method contract { id } } openQuery { id status } queries { status } } }`,
    { id: referralId },
    key,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.referral;
}

describe('queries, not rejections', () => {
  it('rejectReferral raises a query: the referral stays, the payload shows the open query, the Jobcentre hears of it', async () => {
    const journey = await Journey.refer(t, c);
    const rejected = await mutation<Payload & { referral: { status: string } | null; openQuery: { status: string; grounds: string; reason: string | null } | null }>(
      'rejectReferral',
      { referralId: journey.referralId, reason: 'INELIGIBLE', note: 'Severe health condition' },
      c.prime.key,
      'referral { status } openQuery { status grounds reason }',
    );
    expect(rejected).toEqual({ referral: { status: 'ALLOCATED' }, openQuery: { status: 'OPEN', grounds: 'INELIGIBLE', reason: 'Severe health condition' }, userErrors: [] });
    expect(await kindsAbout(c.jobcentre.key, journey.referralId)).toEqual(['REFERRAL_QUERIED']);
    // One open query at a time.
    expect(codes(await mutation('queryReferral', { referralId: journey.referralId, grounds: 'DUPLICATE', reason: 'Again' }, c.prime.key, 'referralQuery { id }'))).toEqual(['QUERY_OPEN']);
  });

  it('CONFIRM: the prime proceeds — no query again on the same grounds, and the prime hears of the answer', async () => {
    const journey = await Journey.refer(t, c);
    const queryId = await journey.query('INELIGIBLE', 'Health');
    const confirmed = await mutation<Payload & { referralQuery: { status: string; answer: string | null } | null }>(
      'resolveReferralQuery',
      { referralQueryId: queryId, resolution: 'CONFIRM', note: 'Eligible: fit note on file' },
      c.jobcentre.key,
      'referralQuery { status answer }',
    );
    expect(confirmed.referralQuery).toEqual({ status: 'CONFIRMED', answer: 'Eligible: fit note on file' });
    expect(await kindsAbout(c.prime.key, journey.referralId)).toEqual(['REFERRAL_ALLOCATED', 'REFERRAL_QUERY_RESOLVED']);
    expect(codes(await mutation('queryReferral', { referralId: journey.referralId, grounds: 'INELIGIBLE', reason: 'Still think so' }, c.prime.key, 'referralQuery { id }'))).toEqual([
      'QUERY_ALREADY_CONFIRMED',
    ]);
    expect(codes(await mutation('rejectReferral', { referralId: journey.referralId, reason: 'INELIGIBLE' }, c.prime.key, 'referral { id }'))).toEqual(['QUERY_ALREADY_CONFIRMED']);
    // Answered once: a second answer is refused, and nothing changed.
    expect(codes(await mutation('resolveReferralQuery', { referralQueryId: queryId, resolution: 'WITHDRAW' }, c.jobcentre.key, 'referralQuery { id }'))).toEqual(['ILLEGAL_TRANSITION']);
    expect((await read(journey.referralId, c.prime.key))!.status).toBe('ALLOCATED');
  });

  it('refuses bad input with codes, and writes nothing', async () => {
    const journey = await Journey.refer(t, c);
    const count = async () => (await t.db.dataSource.query('SELECT count(*)::int AS n FROM referral_query'))[0].n;
    const before = await count();
    expect(codes(await mutation('queryReferral', { referralId: journey.referralId, grounds: 'OTHER', reason: '  ' }, c.prime.key, 'referralQuery { id }'))).toEqual(['REASON_REQUIRED']);
    expect(codes(await mutation('rejectReferral', { referralId: journey.referralId, reason: 'OTHER' }, c.prime.key, 'referral { id }'))).toEqual(['NOTE_REQUIRED']);
    // Another prime, a Jobcentre: the referral is not theirs to query.
    expect(codes(await mutation('queryReferral', { referralId: journey.referralId, grounds: 'DUPLICATE', reason: 'x' }, c.otherPrime.key, 'referralQuery { id }'))).toEqual(['UNKNOWN_REFERRAL']);
    // Outside the window (14 days from the allocation, programme data).
    await t.db.dataSource.query(`UPDATE referral_allocation SET allocated_at = now() - interval '15 days' WHERE referral_id = $1`, [journey.referralId]);
    expect(codes(await mutation('queryReferral', { referralId: journey.referralId, grounds: 'DUPLICATE', reason: 'Late' }, c.prime.key, 'referralQuery { id }'))).toEqual([
      'QUERY_WINDOW_CLOSED',
    ]);
    await t.db.dataSource.query(`UPDATE programme SET query_window_days = 30`);
    const late = await mutation<Payload & { referralQuery: { id: string } | null }>('queryReferral', { referralId: journey.referralId, grounds: 'DUPLICATE', reason: 'Late' }, c.prime.key, 'referralQuery { id }');
    await t.db.dataSource.query(`UPDATE programme SET query_window_days = 14`);
    expect(late.userErrors).toEqual([]);
    // Only the referring Jobcentre answers; an unknown id reads as unknown.
    const otherJobcentre = await registerOrganisation(t.db.dataSource, { name: 'Jobcentre elsewhere 61', kind: OrganisationKind.JOBCENTRE, cpaCode: 61 });
    const otherKey = (await issueApiKey(t.db.dataSource, { organisationId: otherJobcentre.id, role: Role.JOBCENTRE })).secret;
    for (const [id, key] of [[late.referralQuery!.id, otherKey], ['00000000-0000-0000-0000-000000000000', c.jobcentre.key], ['nope', c.jobcentre.key]]) {
      expect(codes(await mutation('resolveReferralQuery', { referralQueryId: id, resolution: 'WITHDRAW' }, key, 'referralQuery { id }'))).toEqual(['UNKNOWN_REFERRAL_QUERY']);
    }
    expect(await count()).toBe(before + 1);
    // Attached: the prime proceeds.
    const attached = await (await Journey.refer(t, c)).acknowledge();
    await attached.attach('2024-05-02');
    expect(codes(await mutation('queryReferral', { referralId: attached.referralId, grounds: 'DUPLICATE', reason: 'x' }, c.prime.key, 'referralQuery { id }'))).toEqual(['QUERY_WINDOW_CLOSED']);
  });

  it('shows queries to the referring Jobcentre and the prime only', async () => {
    const journey = await Journey.refer(t, c);
    await journey.acknowledge();
    await journey.query();
    const handoffId = await journey.offer(c.endToEnd);
    await journey.accept(handoffId, c.endToEnd);
    expect((await read(journey.referralId, c.jobcentre.key))!.openQuery!.status).toBe('OPEN');
    expect((await read(journey.referralId, c.prime.key))!.queries).toEqual([{ status: 'OPEN' }]);
    expect(await read(journey.referralId, c.endToEnd.key)).toMatchObject({ openQuery: null, queries: [] });
  });
});

describe('a withdrawn referral, referred again, goes back to the same contract', () => {
  let area: TestArea;
  let jobcentreKey: string;

  beforeAll(async () => {
    area = await createArea(t, 62, [5000, 5000]);
    const jobcentre = await registerOrganisation(t.db.dataSource, { name: 'Jobcentre 62', kind: OrganisationKind.JOBCENTRE, cpaCode: 62 });
    jobcentreKey = (await issueApiKey(t.db.dataSource, { organisationId: jobcentre.id, role: Role.JOBCENTRE })).secret;
  });

  const refer = async (person: string, reference: string): Promise<{ id: string; contractId: string; method: string }> => {
    const response = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string; allocation: { method: string; contract: { id: string } } } | null; userErrors: [] }> } }>(
      `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id allocation { method contract { id } } } userErrors { code } } } }`,
      {
        input: {
          referrals: [{
            clientReference: reference, cpaCode: 62, jobcentreDistrict: 'Back', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY', referredOn: '2024-06-03',
            claimant: { nino: person, givenName: 'Rae', familyName: 'Turner', dateOfBirth: bornFor('JSA_25_PLUS', '2024-06-03'), consentToShareHealth: false },
          }],
        },
      },
      jobcentreKey,
    );
    const [result] = response.data!.submitReferrals.results;
    expect(result.userErrors).toEqual([]);
    return { id: result.referral!.id, contractId: result.referral!.allocation.contract.id, method: result.referral!.allocation.method };
  };

  it('12 of 12 in a 50/50 CPA, RETURNING, outside the draw (allocationCheck counts them apart)', async () => {
    const landed: boolean[] = [];
    for (let i = 1; i <= 12; i += 1) {
      const person = nino(i, 'RW');
      const first = await refer(person, `RW-${i}-a`);
      const holder = area.primeKeys[area.contracts.findIndex((contract) => contract.id === first.contractId)];
      const rejected = await mutation<Payload & { openQuery: { id: string } | null }>('rejectReferral', { referralId: first.id, reason: 'INELIGIBLE' }, holder, 'openQuery { id }');
      const resolved = await mutation<Payload & { referralQuery: { referral: { status: string } } | null }>(
        'resolveReferralQuery',
        { referralQueryId: rejected.openQuery!.id, resolution: 'WITHDRAW' },
        jobcentreKey,
        'referralQuery { referral { status } }',
      );
      expect(resolved.referralQuery!.referral.status).toBe('WITHDRAWN');
      const again = await refer(person, `RW-${i}-b`);
      expect(again.method).toBe('RETURNING');
      landed.push(again.contractId === first.contractId);
    }
    expect(landed.filter(Boolean)).toHaveLength(12);

    const check = await t.gql<{ allocationCheck: { randomReferrals: number; returningReferrals: number } }>(
      '{ allocationCheck(cpaCode: 62, from: "2024-06-01", to: "2024-06-30") { randomReferrals returningReferrals } }',
      {},
      (await t.keyFor(Role.ANALYST, 'Analysts 62')).secret,
    );
    expect(check.errors).toBeUndefined();
    expect(check.data!.allocationCheck).toEqual({ randomReferrals: 12, returningReferrals: 12 });

    // Counted per prime: 12 queries and 12 withdrawals across the two primes' figures.
    const figures = await t.gql<{ nationalPerformance: { rows: Array<{ referralQueries: number; withdrawals: number }> } }>(
      '{ nationalPerformance(from: "2024-06-01", to: "2024-06-30", groupBy: [PRIME]) { rows { referralQueries withdrawals } } }',
      {},
      (await t.keyFor(Role.ANALYST, 'Analysts 62 b')).secret,
    );
    expect(figures.errors).toBeUndefined();
    const rows = figures.data!.nationalPerformance.rows;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.reduce((sum, row) => sum + row.referralQueries, 0)).toBe(12);
    expect(rows.reduce((sum, row) => sum + row.withdrawals, 0)).toBe(12);
  });

  it('after the programme\'s 90 days, a fresh draw', async () => {
    const person = nino(100, 'RW');
    const first = await refer(person, 'RW-100-a');
    const holder = area.primeKeys[area.contracts.findIndex((contract) => contract.id === first.contractId)];
    const queryId = (await mutation<Payload & { referralQuery: { id: string } }>('queryReferral', { referralId: first.id, grounds: 'DUPLICATE', reason: 'Known' }, holder, 'referralQuery { id }')).referralQuery.id;
    await mutation('resolveReferralQuery', { referralQueryId: queryId, resolution: 'WITHDRAW' }, jobcentreKey, 'referralQuery { id }');
    await t.db.dataSource.query(`UPDATE referral SET withdrawn_on = '2024-03-01' WHERE id = $1`, [first.id]);
    expect((await refer(person, 'RW-100-b')).method).toBe('RANDOM');
  });
});

describe('a returner within the allotted time', () => {
  const SAME_PERSON = { givenName: 'Sam', familyName: 'Returner', dateOfBirth: '1984-01-01' };

  /** Refers the person again four months after they left benefit; answers what the prime and the others were told. */
  async function returnAfterFourMonths(person: string, journey: Journey, reference: string) {
    const before = (await read(journey.referralId, c.prime.key))!;
    const jobcentreItems = (await inboxKinds(c.jobcentre.key)).length;
    const otherPrimeItems = (await inboxKinds(c.otherPrime.key)).length;

    const back = await Journey.refer(t, c, { nino: person, referredOn: '2020-11-02', clientReference: reference, claimant: SAME_PERSON });
    expect(back.referralId).toBe(journey.referralId);
    const after = (await read(journey.referralId, c.prime.key))!;
    expect(after).toMatchObject({ status: 'ATTACHED', allottedUntil: before.allottedUntil, allocation: { method: 'RETURNING', contract: { id: before.allocation.contract.id } } });
    const payments = await t.gql<{ referral: { payments: Array<{ kind: string; amountPence: string }>; offBenefitSince: string | null } }>(
      'query($id: ID!) { referral(id: $id) { offBenefitSince payments { kind amountPence } } }',
      { id: journey.referralId },
      c.prime.key,
    );
    expect(payments.data!.referral.offBenefitSince).toBeNull();
    // One £400 attachment payment, not two.
    expect(payments.data!.referral.payments).toEqual([{ kind: 'ATTACHMENT', amountPence: 40000 }]);
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM payment WHERE referral_id = $1`, [journey.referralId])).toEqual([{ n: 1 }]);
    expect((await kindsAbout(c.prime.key, journey.referralId)).at(-1)).toBe('PARTICIPANT_RETURNED');
    expect((await inboxKinds(c.jobcentre.key)).length).toBe(jobcentreItems);
    expect((await inboxKinds(c.otherPrime.key)).length).toBe(otherPrimeItems);

    // The same clientReference again answers the same referral and writes nothing.
    const again = await t.gql<{ submitReferrals: { results: Array<{ created: boolean; referral: { id: string } }> } }>(
      `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created referral { id } } } }`,
      {
        input: {
          referrals: [{
            clientReference: reference, cpaCode: 61, jobcentreDistrict: 'District', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY', referredOn: '2020-11-02',
            claimant: { nino: person, ...SAME_PERSON, consentToShareHealth: false },
          }],
        },
      },
      c.jobcentre.key,
    );
    expect(again.data!.submitReferrals.results).toEqual([{ created: false, referral: { id: journey.referralId } }]);
  }

  it('four months after leaving benefit (the off-benefit marker): same provider, same allottedUntil, no second attachment payment; the prime alone hears of it', async () => {
    const person = nino(1, 'RT');
    // In the contract's first year, when the attachment fee was £400.
    const journey = await Journey.refer(t, c, { nino: person, referredOn: '2020-05-04', clientReference: 'RT-1-a', claimant: SAME_PERSON });
    await journey.acknowledge();
    await journey.attach('2020-05-11');
    await journey.exit('2020-07-01', 'LEFT_BENEFIT');
    await returnAfterFourMonths(person, journey, 'RT-1-b');
  });

  it('four months after a LEFT_BENEFIT exit recorded before leaving benefit stopped being an exit: the same', async () => {
    const person = nino(3, 'RT');
    // In the contract's first year, when the attachment fee was £400.
    const journey = await Journey.refer(t, c, { nino: person, referredOn: '2020-05-04', clientReference: 'RT-3-a', claimant: SAME_PERSON });
    await journey.acknowledge();
    await journey.attach('2020-05-11');
    await t.db.dataSource.query(`UPDATE referral SET status = 'EXITED', exit_reason = 'LEFT_BENEFIT', exited_on = '2020-07-01' WHERE id = $1`, [journey.referralId]);
    await returnAfterFourMonths(person, journey, 'RT-3-b');
    expect(await t.db.dataSource.query(`SELECT exit_reason, exited_on::text FROM referral_return WHERE referral_id = $1`, [journey.referralId])).toEqual([
      { exit_reason: 'LEFT_BENEFIT', exited_on: '2020-07-01' },
    ]);
  });

  it('a person who completed the programme is not taken again, unless the programme allows it', async () => {
    const person = nino(2, 'RT');
    const journey = await Journey.refer(t, c, { nino: person, referredOn: '2024-01-08', claimant: SAME_PERSON });
    await journey.acknowledge();
    await journey.attach('2024-01-15');
    // The allotted time ended (the exchange records that exit itself on allottedUntil).
    await t.db.dataSource.query(`UPDATE referral SET status = 'EXITED', exit_reason = 'ALLOTTED_TIME_ENDED', exited_on = allotted_until WHERE id = $1`, [journey.referralId]);
    const submit = (referredOn: string) =>
      t.gql<{ submitReferrals: { results: Array<{ referral: { id: string; allocation: { method: string } } | null; userErrors: Array<{ code: string }> }> } }>(
        `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id allocation { method } } userErrors { code } } } }`,
        {
          input: {
            referrals: [{
              clientReference: `RT-2-${referredOn}`, cpaCode: 61, jobcentreDistrict: 'District', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY', referredOn,
              claimant: { nino: person, ...SAME_PERSON, consentToShareHealth: false },
            }],
          },
        },
        c.jobcentre.key,
      );
    // Two years from attachment are over by 2026-02-01.
    const refused = await submit('2026-02-01');
    expect(refused.data!.submitReferrals.results[0].userErrors.map((e) => e.code)).toEqual(['PARTICIPATION_COMPLETED']);
    await t.db.dataSource.query(`UPDATE programme SET referral_after_completion = true`);
    try {
      const taken = (await submit('2026-02-02')).data!.submitReferrals.results[0];
      expect(taken.userErrors).toEqual([]);
      expect(taken.referral!.id).not.toBe(journey.referralId);
      expect(taken.referral!.allocation.method).toBe('RANDOM');
    } finally {
      await t.db.dataSource.query(`UPDATE programme SET referral_after_completion = false`);
    }
  });
});

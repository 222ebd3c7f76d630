import { type TestChain, createChain } from '../helpers/chain';
import { Journey, withdrawReferral } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
let c: TestChain;
beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 21);
});
afterAll(() => t.close());

let people = 0;
async function newReferral(claimant: Record<string, unknown> = {}): Promise<string> {
  people += 1;
  const journey = await Journey.refer(t, c, {
    clientReference: `CHAIN-${people}`,
    nino: nino(people, 'MP'),
    district: 'Chainshire',
    claimant: {
      givenName: 'Sam', familyName: 'Chain', address: { line1: '1 Link Lane', postcode: 'CH1 1AA' }, phone: '01000 111111',
      healthConditions: ['diabetes'], consentToShareHealth: true, riskMarkers: ['verbal aggression'], consentToShareRisk: true, ...claimant,
    },
  });
  return journey.referralId;
}

interface Payload {
  handoff: { id: string; status: string; sharedFields: string[]; declineReason: string | null; feedback: string | null } | null;
  userErrors: Array<{ code: string; message: string }>;
}
async function call(mutation: string, input: Record<string, unknown>, key: string): Promise<Payload & { errors?: unknown[] }> {
  const type = `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
  const response = await t.gql<Record<string, Payload>>(
    `mutation($input: ${type}!) { ${mutation}(input: $input) { handoff { id status sharedFields declineReason feedback } userErrors { code message } } }`,
    { input },
    key,
  );
  return { ...(response.data?.[mutation] ?? { handoff: null, userErrors: [] }), errors: response.errors };
}
const pass = (referralId: string, to: string, key: string, purpose = 'END_TO_END_DELIVERY', sharedFields: string[] = ['CONTACT_DETAILS']) =>
  call('passReferral', { referralId, toOrganisationId: to, purpose, sharedFields }, key);
const codes = (p: Payload) => p.userErrors.map((e) => e.code);

describe('passReferral', () => {
  it('offers a referral to a member of the chain, and the receiver accepts, then completes with feedback', async () => {
    const referralId = await newReferral();
    const offered = await pass(referralId, c.endToEnd.id, c.prime.key, 'END_TO_END_DELIVERY', ['CONTACT_DETAILS', 'HEALTH']);
    expect(offered.userErrors).toEqual([]);
    expect(offered.handoff).toMatchObject({ status: 'OFFERED', sharedFields: ['CONTACT_DETAILS', 'HEALTH'] });
    const accepted = await call('respondToHandoff', { handoffId: offered.handoff!.id, accept: true }, c.endToEnd.key);
    expect(accepted.handoff!.status).toBe('ACCEPTED');
    const completed = await call('completeHandoff', { handoffId: offered.handoff!.id, feedback: 'Into work: 30 h/week' }, c.endToEnd.key);
    expect(completed.handoff).toMatchObject({ status: 'COMPLETED', feedback: 'Into work: 30 h/week' });
  });

  it('lets an accepted end-to-end subcontractor pass on to the spot provider it commissioned, but not to another\'s', async () => {
    const referralId = await newReferral();
    const e2e = await pass(referralId, c.endToEnd.id, c.prime.key);
    expect(codes(await pass(referralId, c.spot.id, c.endToEnd.key, 'SPOT_PROVISION', []))).toEqual(['NOT_ALLOWED_TO_PASS']);
    await call('respondToHandoff', { handoffId: e2e.handoff!.id, accept: true }, c.endToEnd.key);
    expect(codes(await pass(referralId, c.spot.id, c.endToEnd.key, 'SPOT_PROVISION', ['CONTACT_DETAILS']))).toEqual([]);
    expect(codes(await pass(referralId, c.inWork.id, c.endToEnd.key, 'IN_WORK_SUPPORT', ['RISK_MARKERS']))).toEqual(['FIELD_NOT_VISIBLE_TO_SENDER']);

    const other = await newReferral();
    const second = await pass(other, c.secondEndToEnd.id, c.prime.key);
    await call('respondToHandoff', { handoffId: second.handoff!.id, accept: true }, c.secondEndToEnd.key);
    expect(codes(await pass(other, c.spot.id, c.secondEndToEnd.key, 'SPOT_PROVISION', []))).toEqual(['SPOT_PARENT_ONLY']);
    expect(codes(await pass(other, c.spot.id, c.prime.key, 'SPOT_PROVISION', []))).toEqual([]);
  });

  it('refuses a receiver outside the chain, a purpose that does not fit, a second live end-to-end handoff and a duplicate', async () => {
    const referralId = await newReferral();
    expect(codes(await pass(referralId, c.otherPrimesSubcontractor.id, c.prime.key))).toEqual(['NOT_IN_CHAIN']);
    expect(codes(await pass(referralId, c.prime.id, c.prime.key))).toEqual(['NOT_IN_CHAIN']);
    expect(codes(await pass(referralId, c.endToEnd.id, c.prime.key, 'SPOT_PROVISION'))).toEqual(['PURPOSE_NOT_FIT']);
    expect(codes(await pass(referralId, c.endToEnd.id, c.prime.key))).toEqual([]);
    expect(codes(await pass(referralId, c.endToEnd.id, c.prime.key))).toEqual(['DUPLICATE_HANDOFF']);
    expect(codes(await pass(referralId, c.secondEndToEnd.id, c.prime.key))).toEqual(['LIVE_END_TO_END_EXISTS']);
    expect(codes(await pass(referralId, c.specialist.id, c.prime.key, 'SPECIALIST_SUPPORT'))).toEqual([]);
  });

  it('shares health only with consent, and nothing beyond name and referral of a MAPPA case', async () => {
    const noConsent = await newReferral({ consentToShareHealth: false });
    expect(codes(await pass(noConsent, c.endToEnd.id, c.prime.key, 'END_TO_END_DELIVERY', ['HEALTH']))).toEqual(['HEALTH_WITHOUT_CONSENT']);
    const mappa = await newReferral({ mappa: true });
    expect(codes(await pass(mappa, c.endToEnd.id, c.prime.key, 'END_TO_END_DELIVERY', ['CONTACT_DETAILS']))).toEqual(['RESTRICTED_RECORD']);
    expect(codes(await pass(mappa, c.endToEnd.id, c.prime.key, 'END_TO_END_DELIVERY', []))).toEqual([]);
  });

  it('refuses the referral to anyone who does not hold it, and after it left the programme', async () => {
    const referralId = await newReferral();
    expect(codes(await pass(referralId, c.endToEnd.id, c.otherPrime.key))).toEqual(['UNKNOWN_REFERRAL']);
    expect(codes(await pass(referralId, c.spot.id, c.endToEnd.key, 'SPOT_PROVISION'))).toEqual(['UNKNOWN_REFERRAL']);
    expect((await pass(referralId, c.endToEnd.id, c.jobcentre.key)).errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
    await withdrawReferral(t, referralId, c.prime.key, c.jobcentre.key);
    expect(codes(await pass(referralId, c.endToEnd.id, c.prime.key))).toEqual(['REFERRAL_NOT_LIVE']);
  });
});

describe('the handoff lifecycle', () => {
  it('declines with a reason, withdraws with a reason, and refuses every illegal move', async () => {
    const referralId = await newReferral();
    const offered = await pass(referralId, c.endToEnd.id, c.prime.key);
    const id = offered.handoff!.id;
    expect(codes(await call('respondToHandoff', { handoffId: id, accept: false }, c.endToEnd.key))).toEqual(['REASON_REQUIRED']);
    expect(codes(await call('respondToHandoff', { handoffId: id, accept: true }, c.prime.key))).toEqual(['UNKNOWN_HANDOFF']);
    expect(codes(await call('completeHandoff', { handoffId: id }, c.endToEnd.key))).toEqual(['ILLEGAL_TRANSITION']);
    const declined = await call('respondToHandoff', { handoffId: id, accept: false, declineReason: 'No capacity this month' }, c.endToEnd.key);
    expect(declined.handoff).toMatchObject({ status: 'DECLINED', declineReason: 'No capacity this month' });
    for (const [mutation, input, key] of [
      ['respondToHandoff', { accept: true }, c.endToEnd.key],
      ['completeHandoff', {}, c.prime.key],
      ['withdrawHandoff', { reason: 'x' }, c.prime.key],
    ] as const) {
      const refused = await call(mutation, { handoffId: id, ...input }, key);
      expect(refused.userErrors).toEqual([{ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('is DECLINED') }]);
    }
    const again = await pass(referralId, c.endToEnd.id, c.prime.key);
    expect(codes(await call('withdrawHandoff', { handoffId: again.handoff!.id, reason: ' ' }, c.prime.key))).toEqual(['REASON_REQUIRED']);
    expect(codes(await call('withdrawHandoff', { handoffId: again.handoff!.id, reason: 'x' }, c.endToEnd.key))).toEqual(['UNKNOWN_HANDOFF']);
    expect((await call('withdrawHandoff', { handoffId: again.handoff!.id, reason: 'Sent in error' }, c.prime.key)).handoff!.status).toBe('WITHDRAWN');
  });
});

describe('access follows the handoff: viewer × phase × field', () => {
  const FIELDS = ['CONTACT_DETAILS', 'HEALTH', 'RISK_MARKERS', 'ACTION_PLAN', 'EMPLOYMENT_HISTORY', 'BENEFIT', 'REFERRAL_REASON', 'QUALIFICATIONS', 'WORK_HISTORY', 'BARRIERS',
    'JOB_GOALS', 'ACCESS_NEEDS', 'CARING_RESPONSIBILITIES'];
  const READ = `query($id: ID!) { referral(id: $id) { id participant { nino givenName visibleFields contact { phone } health { conditions } riskMarkers } } }`;
  type View = { id: string; participant: { nino: string | null; givenName: string; visibleFields: string[]; contact: unknown; health: unknown; riskMarkers: unknown } } | null;
  const LIST = `{ referrals(first: 500) { edges { node { id } } } }`;

  async function sees(key: string, referralId: string): Promise<{ referral: View | 'FORBIDDEN'; listed: boolean | 'FORBIDDEN' }> {
    const read = await t.gql<{ referral: View }>(READ, { id: referralId }, key);
    const list = await t.gql<{ referrals: { edges: Array<{ node: { id: string } }> } }>(LIST, {}, key);
    return {
      referral: read.errors ? 'FORBIDDEN' : read.data!.referral,
      listed: list.errors ? 'FORBIDDEN' : list.data!.referrals.edges.some((e) => e.node.id === referralId),
    };
  }

  /** What each viewer must see of the participant: the fields, or null (no referral), or FORBIDDEN. */
  function expectView(seen: Awaited<ReturnType<typeof sees>>, fields: string[] | null | 'FORBIDDEN') {
    if (fields === 'FORBIDDEN') {
      expect(seen).toEqual({ referral: 'FORBIDDEN', listed: 'FORBIDDEN' });
      return;
    }
    if (fields === null) {
      expect(seen.referral).toBeNull();
      expect(seen.listed).toBe(false);
      return;
    }
    expect(seen.listed).toBe(true);
    const participant = (seen.referral as Exclude<View, null>).participant;
    expect(participant.visibleFields.sort()).toEqual([...fields].sort());
    for (const field of FIELDS) {
      const value = { CONTACT_DETAILS: participant.contact, HEALTH: participant.health, RISK_MARKERS: participant.riskMarkers }[field];
      if (value !== undefined) expect(value !== null).toBe(fields.includes(field));
    }
  }

  it('before, during and after a handoff', async () => {
    const referralId = await newReferral();
    const ALL = FIELDS;
    const viewers = () => ({
      prime: c.prime.key,
      endToEnd: c.endToEnd.key,
      spot: c.spot.key,
      otherPrimesSubcontractor: c.otherPrimesSubcontractor.key,
      jobcentre: c.jobcentre.key,
      analyst: c.analyst.key,
    });
    const check = async (expected: Record<keyof ReturnType<typeof viewers>, string[] | null | 'FORBIDDEN'>) => {
      for (const [who, key] of Object.entries(viewers())) {
        const seen = await sees(key, referralId);
        try {
          expectView(seen, expected[who as keyof typeof expected]);
        } catch (error) {
          throw new Error(`${who}: ${(error as Error).message}`, { cause: error });
        }
      }
    };

    // Before: the prime and the Jobcentre only.
    await check({ prime: ALL, endToEnd: null, spot: null, otherPrimesSubcontractor: null, jobcentre: ALL, analyst: 'FORBIDDEN' });

    // During: the end-to-end subcontractor sees what was shared with it, the spot provider what it was passed.
    const e2e = await pass(referralId, c.endToEnd.id, c.prime.key, 'END_TO_END_DELIVERY', ['CONTACT_DETAILS', 'HEALTH']);
    await check({ prime: ALL, endToEnd: ['CONTACT_DETAILS', 'HEALTH'], spot: null, otherPrimesSubcontractor: null, jobcentre: ALL, analyst: 'FORBIDDEN' });
    await call('respondToHandoff', { handoffId: e2e.handoff!.id, accept: true }, c.endToEnd.key);
    const spot = await pass(referralId, c.spot.id, c.endToEnd.key, 'SPOT_PROVISION', ['CONTACT_DETAILS']);
    await check({ prime: ALL, endToEnd: ['CONTACT_DETAILS', 'HEALTH'], spot: ['CONTACT_DETAILS'], otherPrimesSubcontractor: null, jobcentre: ALL, analyst: 'FORBIDDEN' });

    // After: each receiver loses the referral when its own handoff ends.
    await call('respondToHandoff', { handoffId: spot.handoff!.id, accept: true }, c.spot.key);
    expect((await call('completeHandoff', { handoffId: spot.handoff!.id, feedback: 'Course done' }, c.spot.key)).userErrors).toEqual([]);
    await check({ prime: ALL, endToEnd: ['CONTACT_DETAILS', 'HEALTH'], spot: null, otherPrimesSubcontractor: null, jobcentre: ALL, analyst: 'FORBIDDEN' });
    expect((await call('withdrawHandoff', { handoffId: e2e.handoff!.id, reason: 'Moving to another adviser' }, c.prime.key)).userErrors).toEqual([]);
    await check({ prime: ALL, endToEnd: null, spot: null, otherPrimesSubcontractor: null, jobcentre: ALL, analyst: 'FORBIDDEN' });

    // The ended receiver keeps the handoff it was party to, not the referral behind it.
    const kept = await t.gql<{ node: { status: string; feedback: string } }>(
      `query($id: ID!) { node(id: $id) { ... on Handoff { status feedback } } }`, { id: spot.handoff!.id }, c.spot.key,
    );
    expect(kept.data!.node).toEqual({ status: 'COMPLETED', feedback: 'Course done' });
    const behind = await t.gql(`query($id: ID!) { node(id: $id) { ... on Handoff { referral { id } } } }`, { id: spot.handoff!.id }, c.spot.key);
    expect(behind.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('shows a MAPPA case down the chain as a name only', async () => {
    const referralId = await newReferral({ mappa: true });
    await pass(referralId, c.endToEnd.id, c.prime.key, 'END_TO_END_DELIVERY', []);
    const seen = await t.gql<{ referral: { participant: { nino: string | null; givenName: string; visibleFields: string[] } } }>(
      READ, { id: referralId }, c.endToEnd.key,
    );
    expect(seen.data!.referral.participant).toMatchObject({ nino: null, givenName: 'Sam', visibleFields: [] });
  });

  it('ends the chain\'s access when the referral is withdrawn', async () => {
    const referralId = await newReferral();
    await pass(referralId, c.endToEnd.id, c.prime.key);
    expect((await sees(c.endToEnd.key, referralId)).listed).toBe(true);
    await withdrawReferral(t, referralId, c.prime.key, c.jobcentre.key);
    expect((await sees(c.endToEnd.key, referralId)).referral).toBeNull();
  });

  it('ends the onward handoffs with the one they came from, and lets the prime withdraw any handoff', async () => {
    const referralId = await newReferral();
    const e2e = await pass(referralId, c.endToEnd.id, c.prime.key);
    await call('respondToHandoff', { handoffId: e2e.handoff!.id, accept: true }, c.endToEnd.key);
    const spot = await pass(referralId, c.spot.id, c.endToEnd.key, 'SPOT_PROVISION', ['CONTACT_DETAILS']);
    expect((await sees(c.spot.key, referralId)).listed).toBe(true);
    expect((await call('withdrawHandoff', { handoffId: e2e.handoff!.id, reason: 'Subcontract suspended' }, c.prime.key)).userErrors).toEqual([]);
    expect((await sees(c.spot.key, referralId)).referral).toBeNull();
    const status = await t.gql<{ node: { status: string } }>(`query($id: ID!) { node(id: $id) { ... on Handoff { status } } }`, { id: spot.handoff!.id }, c.spot.key);
    expect(status.data!.node.status).toBe('WITHDRAWN');

    const again = await pass(referralId, c.secondEndToEnd.id, c.prime.key);
    await call('respondToHandoff', { handoffId: again.handoff!.id, accept: true }, c.secondEndToEnd.key);
    const inWork = await pass(referralId, c.inWork.id, c.secondEndToEnd.key, 'IN_WORK_SUPPORT', []);
    expect((await call('withdrawHandoff', { handoffId: inWork.handoff!.id, reason: 'Not needed' }, c.prime.key)).handoff!.status).toBe('WITHDRAWN');
    expect(codes(await call('withdrawHandoff', { handoffId: again.handoff!.id, reason: 'x' }, c.inWork.key))).toEqual(['UNKNOWN_HANDOFF']);
  });

  it('hides the allocation history and override reasons from the chain', async () => {
    const referralId = await newReferral();
    await pass(referralId, c.endToEnd.id, c.prime.key);
    const seen = await t.gql<{ referral: { allocationHistory: Array<{ method: string; reason: string | null }> } }>(
      `query($id: ID!) { referral(id: $id) { allocationHistory { method reason } handoffs { to { id } } } }`, { id: referralId }, c.endToEnd.key,
    );
    expect(seen.data!.referral.allocationHistory).toEqual([{ method: 'RANDOM', reason: null }]);
  });
});

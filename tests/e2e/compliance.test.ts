import { todayUtc } from '../../src/common/dates';
import { Role } from '../../src/modules/identity/identity.enums';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
let c: TestChain;
let decisionMaker: { secret: string; organisationId: string };

const day = (offset: number) => {
  const d = new Date(`${todayUtc()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 51);
  decisionMaker = await t.keyFor(Role.DECISION_MAKER, 'DWP Decision Makers 51');
});
afterAll(() => t.close());

let people = 0;
/** A referral of a new person, attached 500 days ago unless `attach` is false, handed end-to-end to c.endToEnd. */
async function referral(options: { mode?: string; group?: string; attach?: boolean; hand?: boolean; person?: string } = {}): Promise<string> {
  people += 1;
  const journey = await Journey.refer(t, c, {
    clientReference: `DOUBT-${people}`,
    nino: options.person ?? nino(people, 'YZ'),
    district: 'Doubtshire',
    paymentGroup: options.group,
    participationMode: options.mode,
    referredOn: day(-500),
    claimant: { givenName: 'Dee', familyName: 'Doubt', dateOfBirth: '1980-01-01', phone: '01000 222222', healthConditions: ['anxiety'], consentToShareHealth: true },
  });
  if (options.attach !== false) await (await journey.acknowledge()).attach(day(-499));
  if (options.hand !== false) await journey.handOn(c.endToEnd, { sharedFields: ['CONTACT_DETAILS'] });
  return journey.referralId;
}

const activity = (overrides: Record<string, unknown> = {}) => ({
  kind: 'APPOINTMENT', description: 'Adviser appointment', notifiedOn: day(-30), notifiedInWriting: true, scheduledFor: `${day(-20)}T10:00:00Z`, ...overrides,
});

interface Doubt {
  id: string;
  status: string;
  returnReason: string | null;
  decision: { outcome: string; sanctionWeeks: number | null } | null;
}
const DOUBT = 'id status returnReason decision { outcome sanctionWeeks }';

async function mutate(name: string, input: Record<string, unknown>, key: string) {
  const type = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const response = await t.gql<Record<string, { complianceDoubt: Doubt | null; userErrors: Array<{ code: string; message: string }> }>>(
    `mutation($input: ${type}!) { ${name}(input: $input) { complianceDoubt { ${DOUBT} } userErrors { code message } } }`,
    { input },
    key,
  );
  return { ...(response.data?.[name] ?? { complianceDoubt: null, userErrors: [] }), errors: response.errors };
}
const raise = (referralId: string, key: string, overrides: Record<string, unknown> = {}) =>
  mutate('raiseComplianceDoubt', { referralId, type: 'FAILURE_TO_PARTICIPATE', occurredOn: day(-20), description: 'Did not attend', mandatoryActivity: activity(), ...overrides }, key);
const codes = (r: { userErrors: Array<{ code: string }> }) => r.userErrors.map((e) => e.code);

async function inboxKinds(key: string): Promise<Array<[string, string | null]>> {
  const response = await t.gql<{ inbox: { edges: Array<{ node: { kind: string; complianceDoubt: { id: string } | null } }> } }>(
    '{ inbox(first: 500, kinds: [COMPLIANCE_DOUBT_RAISED, COMPLIANCE_DOUBT_SUBMITTED, COMPLIANCE_DOUBT_RETURNED, COMPLIANCE_DECISION, COMPLIANCE_DOUBT_WITHDRAWN]) { edges { node { kind complianceDoubt { id } } } } }',
    {},
    key,
  );
  return response.data!.inbox.edges.map((e) => [e.node.kind, e.node.complianceDoubt?.id ?? null]);
}

describe('the paths of a doubt, with each inbox item at the right organisations and no others', () => {
  it('raise → submit → decide', async () => {
    const before = await Promise.all([c.prime, c.endToEnd, c.jobcentre, c.otherPrime, c.spot].map((m) => inboxKinds(m.key)));
    const dmBefore = await inboxKinds(decisionMaker.secret);
    const referralId = await referral();
    const raised = await raise(referralId, c.endToEnd.key);
    expect(raised.userErrors).toEqual([]);
    const id = raised.complianceDoubt!.id;
    expect(raised.complianceDoubt!.status).toBe('RAISED');
    expect((await inboxKinds(c.prime.key)).slice(before[0].length)).toEqual([['COMPLIANCE_DOUBT_RAISED', id]]);
    expect(await inboxKinds(decisionMaker.secret)).toEqual(dmBefore);

    expect((await mutate('submitComplianceDoubt', { complianceDoubtId: id }, c.prime.key)).complianceDoubt!.status).toBe('SUBMITTED');
    expect((await inboxKinds(decisionMaker.secret)).slice(dmBefore.length)).toEqual([['COMPLIANCE_DOUBT_SUBMITTED', id]]);

    const decided = await mutate('decideComplianceDoubt', { complianceDoubtId: id, outcome: 'SANCTION_APPLIED', reason: 'No good reason given' }, decisionMaker.secret);
    expect(decided.complianceDoubt).toMatchObject({ status: 'DECIDED', decision: { outcome: 'SANCTION_APPLIED', sanctionWeeks: 4 } });
    const after = await Promise.all([c.prime, c.endToEnd, c.jobcentre, c.otherPrime, c.spot].map((m) => inboxKinds(m.key)));
    expect(after.map((items, i) => items.slice(before[i].length))).toEqual([
      [['COMPLIANCE_DOUBT_RAISED', id], ['COMPLIANCE_DECISION', id]],
      [['COMPLIANCE_DECISION', id]],
      // The referring Jobcentre reads the decision too.
      [['COMPLIANCE_DECISION', id]],
      [],
      [],
    ]);
  });

  it('raise → return → raise again', async () => {
    const referralId = await referral();
    const first = await raise(referralId, c.endToEnd.key);
    const returned = await mutate('returnComplianceDoubt', { complianceDoubtId: first.complianceDoubt!.id, reason: 'Attach the appointment letter' }, c.prime.key);
    expect(returned.complianceDoubt).toMatchObject({ status: 'RETURNED', returnReason: 'Attach the appointment letter' });
    expect((await inboxKinds(c.endToEnd.key)).at(-1)).toEqual(['COMPLIANCE_DOUBT_RETURNED', first.complianceDoubt!.id]);
    const again = await raise(referralId, c.endToEnd.key, { description: 'Did not attend; letter attached' });
    expect(again.complianceDoubt!.status).toBe('RAISED');
    expect(codes(await mutate('returnComplianceDoubt', { complianceDoubtId: again.complianceDoubt!.id, reason: ' ' }, c.prime.key))).toEqual(['REASON_REQUIRED']);
  });

  it('raise → withdraw', async () => {
    const referralId = await referral();
    const raised = await raise(referralId, c.endToEnd.key);
    const withdrawn = await mutate('withdrawComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id, reason: 'Administrative error' }, c.endToEnd.key);
    expect(withdrawn.complianceDoubt!.status).toBe('WITHDRAWN');
    expect((await inboxKinds(c.prime.key)).at(-1)).toEqual(['COMPLIANCE_DOUBT_WITHDRAWN', raised.complianceDoubt!.id]);
    expect(codes(await mutate('submitComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id }, c.prime.key))).toEqual(['ILLEGAL_TRANSITION']);
  });

  it('prime raises → decide', async () => {
    const referralId = await referral({ hand: false });
    const raised = await raise(referralId, c.prime.key, { type: 'ENTITLEMENT_DOUBT', description: 'Says they are not available for work', mandatoryActivity: null });
    expect(raised.complianceDoubt!.status).toBe('SUBMITTED');
    const decided = await mutate('decideComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id, outcome: 'NOT_APPLIED_GOOD_REASON', reason: 'Caring responsibilities' }, decisionMaker.secret);
    expect(decided.complianceDoubt).toMatchObject({ status: 'DECIDED', decision: { outcome: 'NOT_APPLIED_GOOD_REASON', sanctionWeeks: null } });
  });
});

describe('the rules of raising a doubt', () => {
  it.each([
    ['MANDATORY_ACTIVITY_REQUIRED', { mandatoryActivity: null }],
    ['NOT_NOTIFIED_IN_WRITING', { mandatoryActivity: activity({ notifiedInWriting: false }) }],
    ['NOTIFIED_AFTER_ACTIVITY', { mandatoryActivity: activity({ notifiedOn: day(-20) }) }],
    ['DESCRIPTION_REQUIRED', { type: 'CHANGE_OF_CIRCUMSTANCES', description: ' ', mandatoryActivity: null }],
    ['DATE_IN_FUTURE', { occurredOn: day(5) }],
    ['DATE_BEFORE_REFERRAL', { occurredOn: day(-600) }],
    ['DATE_IN_FUTURE', { mandatoryActivity: activity({ scheduledFor: `${day(3)}T10:00:00Z` }) }],
  ])('refuses %s', async (code, overrides) => {
    const referralId = await referral();
    const refused = await raise(referralId, c.endToEnd.key, overrides);
    expect(refused.complianceDoubt).toBeNull();
    expect(codes(refused)).toContain(code);
  });

  it('never doubts a voluntary participant over a job interview or offer, or for entitlement', async () => {
    const referralId = await referral({ mode: 'VOLUNTARY', group: 'ESA_VOLUNTEER' });
    expect(codes(await raise(referralId, c.prime.key, { mandatoryActivity: activity({ kind: 'JOB_OFFER' }) }))).toEqual(['VOLUNTARY_PARTICIPANT']);
    expect(codes(await raise(referralId, c.prime.key, { type: 'ENTITLEMENT_DOUBT', description: 'x', mandatoryActivity: null }))).toEqual(['VOLUNTARY_PARTICIPANT']);
    expect(codes(await raise(referralId, c.prime.key, { mandatoryActivity: activity({ kind: 'WORKSHOP' }) }))).toEqual([]);
  });

  it('needs an attached participant, or a missed first appointment', async () => {
    const referralId = await referral({ attach: false, hand: false });
    expect(codes(await raise(referralId, c.prime.key, { mandatoryActivity: activity({ kind: 'WORKSHOP' }) }))).toEqual(['REFERRAL_NOT_ATTACHED']);
    expect(codes(await raise(referralId, c.prime.key))).toEqual([]);
  });

  it('allows one open doubt per referral, type and failure date', async () => {
    const referralId = await referral();
    expect(codes(await raise(referralId, c.endToEnd.key))).toEqual([]);
    expect(codes(await raise(referralId, c.prime.key))).toEqual(['DUPLICATE_DOUBT']);
    expect(codes(await raise(referralId, c.prime.key, { occurredOn: day(-19), mandatoryActivity: activity({ scheduledFor: `${day(-19)}T10:00:00Z` }) }))).toEqual([]);
  });
});

describe('sanctions', () => {
  it('are 13 weeks for a second applied sanction within 52 weeks, and 4 after that', async () => {
    const person = nino(999001, 'YZ');
    const referralId = await referral({ person, hand: false });
    const decide = async (occurredOn: string) => {
      const raised = await raise(referralId, c.prime.key, { occurredOn, mandatoryActivity: activity({ notifiedOn: day(-480), scheduledFor: `${occurredOn}T10:00:00Z` }) });
      expect(raised.userErrors).toEqual([]);
      const decided = await mutate('decideComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id, outcome: 'SANCTION_APPLIED', reason: 'No good reason' }, decisionMaker.secret);
      return decided.complianceDoubt!.decision!.sanctionWeeks;
    };
    expect(await decide(day(-450))).toBe(4);
    expect(await decide(day(-400))).toBe(13); // 50 days after an applied sanction
    expect(await decide(day(-400 + 364 + 1))).toBe(4); // 365 days after the last: outside 52 weeks
    // The same failure cannot be sanctioned twice.
    expect(codes(await raise(referralId, c.prime.key, { occurredOn: day(-450), mandatoryActivity: activity({ notifiedOn: day(-480), scheduledFor: `${day(-450)}T10:00:00Z` }) })))
      .toEqual(['DUPLICATE_DOUBT']);
  });
});

describe('who may do and see what', () => {
  it('refuses a subcontractor deciding, a Decision Maker raising, and an analyst reading doubts', async () => {
    const referralId = await referral();
    const raised = await raise(referralId, c.prime.key);
    expect((await mutate('decideComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id, outcome: 'SANCTION_APPLIED', reason: 'x' }, c.endToEnd.key)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await raise(referralId, decisionMaker.secret)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql('{ complianceDoubts { totalCount } }', {}, c.analyst.key)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps a prime\'s doubts from another prime, a raised doubt from DWP, and shows the Decision Maker the contact details only', async () => {
    const referralId = await referral();
    const raised = await raise(referralId, c.endToEnd.key);
    const list = async (key: string) =>
      (await t.gql<{ complianceDoubts: { edges: Array<{ node: { id: string } }> } }>('{ complianceDoubts(first: 500) { edges { node { id } } } }', {}, key))
        .data!.complianceDoubts.edges.map((e) => e.node.id);
    expect(await list(c.prime.key)).toContain(raised.complianceDoubt!.id);
    expect(await list(c.endToEnd.key)).toContain(raised.complianceDoubt!.id);
    expect(await list(c.otherPrime.key)).not.toContain(raised.complianceDoubt!.id);
    expect(await list(decisionMaker.secret)).not.toContain(raised.complianceDoubt!.id);
    const node = await t.gql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: raised.complianceDoubt!.id }, c.otherPrime.key);
    expect(node.data!.node).toBeNull();

    await mutate('submitComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id }, c.prime.key);
    expect(await list(decisionMaker.secret)).toContain(raised.complianceDoubt!.id);
    const seen = await t.gql<{ node: { referral: { participant: { givenName: string; contact: { phone: string }; health: unknown; visibleFields: string[] } } } }>(
      `query($id: ID!) { node(id: $id) { ... on ComplianceDoubt { referral { participant { givenName contact { phone } health { conditions } visibleFields } } } } }`,
      { id: raised.complianceDoubt!.id },
      decisionMaker.secret,
    );
    expect(seen.data!.node.referral.participant).toEqual({ givenName: 'Dee', contact: { phone: '01000 222222' }, health: null, visibleFields: ['CONTACT_DETAILS'] });

    // Withdrawn: DWP no longer reads it, nor the participant through it, nor acts on it.
    await mutate('withdrawComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id, reason: 'Administrative error' }, c.prime.key);
    const after = await t.gql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: raised.complianceDoubt!.id }, decisionMaker.secret);
    expect(after.data!.node).toBeNull();
    const referralNode = await t.gql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: referralId }, decisionMaker.secret);
    expect(referralNode.data!.node).toBeNull();
    expect(codes(await mutate('decideComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id, outcome: 'SANCTION_APPLIED', reason: 'x' }, decisionMaker.secret)))
      .toEqual(['UNKNOWN_COMPLIANCE_DOUBT']);
  });
});

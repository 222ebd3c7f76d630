import { addDays, todayUtc } from '../../src/common/dates';
import { Role } from '../../src/auth/access.enums';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey, attachedReferral } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
let c: TestChain;
let decisionMaker: { secret: string; organisationId: string };

const day = (offset: number) => addDays(todayUtc(), offset);

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
    const referralId = await referral({ mode: 'VOLUNTARY', group: 'JSA_EARLY_ACCESS' });
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

describe('conditionality (issue 14: WP07 is a notification; who can be doubted; the Decision Maker sets the length)', () => {
  const CHANGE = 'circumstanceChange { effectiveOn description reportedBy { id } }';
  const report = (referralId: string, key: string, description = 'Moved to 4 New Street') =>
    t.gql<{ raiseComplianceDoubt: { complianceDoubt: unknown; circumstanceChange: { effectiveOn: string; description: string; reportedBy: { id: string } } | null; userErrors: Array<{ code: string }> } }>(
      `mutation($input: RaiseComplianceDoubtInput!) { raiseComplianceDoubt(input: $input) { complianceDoubt { id } ${CHANGE} userErrors { code } } }`,
      { input: { referralId, type: 'CHANGE_OF_CIRCUMSTANCES', occurredOn: day(-3), description } },
      key,
    );
  const changes = async (key: string) =>
    (await t.gql<{ inbox: { edges: Array<{ node: { kind: string; referral: { id: string } | null; circumstanceChange: { description: string } | null } }> } }>(
      `{ inbox(first: 500, kinds: [CIRCUMSTANCES_CHANGED]) { edges { node { kind referral { id } circumstanceChange { description } } } } }`, {}, key,
    )).data!.inbox.edges.map((e) => e.node);
  const doubtsOn = async (referralId: string) =>
    Number((await t.db.dataSource.query('SELECT count(*) AS n FROM compliance_doubt WHERE referral_id = $1', [referralId]))[0].n);

  it('files a change of circumstances as a report to the referring Jobcentre, never a doubt, and for anyone (a volunteer too)', async () => {
    const members = [c.prime, c.endToEnd, c.otherPrime, c.spot, c.jobcentre];
    const before = await Promise.all(members.map((m) => changes(m.key)));
    const dmBefore = (await inboxKinds(decisionMaker.secret)).length;
    const referralId = await referral({ mode: 'VOLUNTARY', group: 'ESA_VOLUNTEER' });
    const reported = (await report(referralId, c.endToEnd.key)).data!.raiseComplianceDoubt;
    expect(reported).toEqual({
      complianceDoubt: null,
      circumstanceChange: { effectiveOn: day(-3), description: 'Moved to 4 New Street', reportedBy: { id: c.endToEnd.id } },
      userErrors: [],
    });
    expect(await doubtsOn(referralId)).toBe(0);
    const after = await Promise.all(members.map((m) => changes(m.key)));
    expect(after.map((items, i) => items.slice(before[i].length))).toEqual([
      [], [], [], [],
      [{ kind: 'CIRCUMSTANCES_CHANGED', referral: { id: referralId }, circumstanceChange: { description: 'Moved to 4 New Street' } }],
    ]);
    expect((await inboxKinds(decisionMaker.secret)).length).toBe(dmBefore);
    // What changed is the person's record: the Jobcentre's read of it is on the audit trail.
    const [read] = await t.db.dataSource.query(
      `SELECT details FROM audit_event WHERE action = 'READ' AND organisation_id = $1 ORDER BY occurred_at DESC LIMIT 1`, [c.jobcentre.id],
    );
    expect(Object.values(read.details.fields as Record<string, string[]>)).toContainEqual(expect.arrayContaining(['CircumstanceChange.description']));
    // Bad input is refused with the doubt's codes, and nothing is written.
    expect((await report(referralId, c.endToEnd.key, ' ')).data!.raiseComplianceDoubt).toMatchObject({ circumstanceChange: null, userErrors: [{ code: 'DESCRIPTION_REQUIRED' }] });
    expect((await report(referralId, c.otherPrime.key)).data!.raiseComplianceDoubt.userErrors).toEqual([{ code: 'UNKNOWN_REFERRAL' }]);
    expect((await changes(c.jobcentre.key)).length).toBe(after[4].length);
  });

  it('refuses to sanction an existing change-of-circumstances doubt, and never counts one towards a repeat', async () => {
    const referralId = await referral({ hand: false });
    // Doubts raised before the change: one decided as a sanction, one still waiting.
    const [, waiting] = await t.db.dataSource.query(
      `INSERT INTO compliance_doubt (referral_id, raised_by, type, status, occurred_on, description, submitted_at, outcome, decision_reason, sanction_weeks, sanction_weeks_source, decided_at)
       VALUES ($1, $2, 'CHANGE_OF_CIRCUMSTANCES', 'DECIDED', $3, 'Moved address', now(), 'SANCTION_APPLIED', 'Legacy', 4, 'SUGGESTED', now()),
              ($1, $2, 'CHANGE_OF_CIRCUMSTANCES', 'SUBMITTED', $4, 'Moved again', now(), NULL, NULL, NULL, NULL, NULL) RETURNING id`,
      [referralId, c.prime.id, day(-60), day(-50)],
    );
    expect(codes(await mutate('decideComplianceDoubt', { complianceDoubtId: waiting.id, outcome: 'SANCTION_APPLIED', reason: 'x' }, decisionMaker.secret))).toEqual(['NOT_SANCTIONABLE']);
    const notApplied = await t.gql<{ decideComplianceDoubt: { complianceDoubt: { decision: unknown } } }>(
      `mutation($id: ID!) { decideComplianceDoubt(input: { complianceDoubtId: $id, outcome: NOT_APPLIED_STATUS_CHANGED, reason: "A notification", notAppliedReason: STATUS_CHANGED }) {
         complianceDoubt { decision { outcome sanctionWeeks sanctionWeeksSource notAppliedReason } } } }`,
      { id: waiting.id },
      decisionMaker.secret,
    );
    expect(notApplied.data!.decideComplianceDoubt.complianceDoubt.decision).toEqual({
      outcome: 'NOT_APPLIED_STATUS_CHANGED', sanctionWeeks: null, sanctionWeeksSource: null, notAppliedReason: 'STATUS_CHANGED',
    });
    // A real failure after the WP07 "sanction" is a first sanction: 4 weeks, not 13.
    const raised = await raise(referralId, c.prime.key);
    const suggested = await t.gql<{ node: { suggestedSanctionWeeks: number } }>(
      `query($id: ID!) { node(id: $id) { ... on ComplianceDoubt { suggestedSanctionWeeks } } }`, { id: raised.complianceDoubt!.id }, decisionMaker.secret,
    );
    expect(suggested.data!.node.suggestedSanctionWeeks).toBe(4);
  });

  it('never doubts an IB/IS or ESA volunteer; other volunteers only for attendance and engagement; mandatory participants for everything', async () => {
    for (const group of ['IB_IS', 'ESA_VOLUNTEER']) {
      const referralId = await referral({ mode: 'VOLUNTARY', group });
      expect(codes(await raise(referralId, c.prime.key, { mandatoryActivity: activity({ kind: 'WORK_PLACEMENT' }) }))).toEqual(['NO_CONDITIONALITY']);
      expect(codes(await raise(referralId, c.prime.key, { mandatoryActivity: activity({ kind: 'APPOINTMENT' }) }))).toEqual(['NO_CONDITIONALITY']);
      expect(await doubtsOn(referralId)).toBe(0);
    }
    const volunteer = await referral({ mode: 'VOLUNTARY', group: 'ESA_NEW_CLAIMANT' });
    expect(codes(await raise(volunteer, c.prime.key, { mandatoryActivity: activity({ kind: 'JOB_INTERVIEW' }) }))).toEqual(['VOLUNTARY_PARTICIPANT']);
    expect(codes(await raise(volunteer, c.prime.key, { mandatoryActivity: activity({ kind: 'APPOINTMENT' }) }))).toEqual([]);
    const mandatory = await referral({ mode: 'MANDATORY', group: 'ESA_NEW_CLAIMANT' });
    expect(codes(await raise(mandatory, c.prime.key, { mandatoryActivity: activity({ kind: 'JOB_INTERVIEW' }) }))).toEqual([]);
  });

  it("records the Decision Maker's length, or the suggestion, and says which; checks the decision's parts", async () => {
    const decide = async (input: Record<string, unknown>) =>
      t.gql<{ decideComplianceDoubt: { complianceDoubt: { decision: unknown } | null; userErrors: Array<{ code: string }> } }>(
        `mutation($input: DecideComplianceDoubtInput!) { decideComplianceDoubt(input: $input) {
           complianceDoubt { decision { outcome sanctionWeeks sanctionWeeksSource notAppliedReason } } userErrors { code } } }`,
        { input: { outcome: 'SANCTION_APPLIED', reason: 'No good reason', ...input } },
        decisionMaker.secret,
      );
    const referralId = await referral({ hand: false });
    const first = (await raise(referralId, c.prime.key)).complianceDoubt!.id;
    const refused = await decide({ complianceDoubtId: first, sanctionWeeks: 0, notAppliedReason: 'GOOD_REASON' });
    expect(refused.data!.decideComplianceDoubt.userErrors.map((e) => e.code).sort()).toEqual(['DECISION_INCONSISTENT', 'INVALID_SANCTION_WEEKS']);
    expect((await decide({ complianceDoubtId: first, outcome: 'NOT_APPLIED_GOOD_REASON', sanctionWeeks: 2 })).data!.decideComplianceDoubt.userErrors).toEqual([{ code: 'DECISION_INCONSISTENT' }]);
    expect((await decide({ complianceDoubtId: first, sanctionWeeks: 2 })).data!.decideComplianceDoubt.complianceDoubt!.decision).toEqual({
      outcome: 'SANCTION_APPLIED', sanctionWeeks: 2, sanctionWeeksSource: 'DECISION_MAKER', notAppliedReason: null,
    });
    const second = (await raise(referralId, c.prime.key, { occurredOn: day(-10), mandatoryActivity: activity({ scheduledFor: `${day(-10)}T10:00:00Z` }) })).complianceDoubt!.id;
    expect((await decide({ complianceDoubtId: second })).data!.decideComplianceDoubt.complianceDoubt!.decision).toEqual({
      outcome: 'SANCTION_APPLIED', sanctionWeeks: 13, sanctionWeeksSource: 'SUGGESTED', notAppliedReason: null,
    });
    // ESA sanctions are reductions of another kind: no regime suggests weeks, none is recorded unless entered.
    const esa = await referral({ hand: false, group: 'ESA_NEW_CLAIMANT' });
    const esaDoubt = (await raise(esa, c.prime.key)).complianceDoubt!.id;
    expect((await decide({ complianceDoubtId: esaDoubt })).data!.decideComplianceDoubt.complianceDoubt!.decision).toMatchObject({ sanctionWeeks: null, sanctionWeeksSource: null });
  });

  it('suggests lengths under the regime in force on the failure day: 2, 4, 26 weeks in 2011–12; 4, then 13 within 52 weeks, from 22 October 2012', async () => {
    const old = await createChain(t, 52, { startsOn: '2011-06-01', endsOn: '2030-03-31' });
    const referralId = await attachedReferral(t, old, { paymentGroup: 'JSA_25_PLUS', referredOn: '2011-07-01', attachedOn: '2011-07-02' });
    const weeks: number[] = [];
    for (const failedOn of ['2011-08-01', '2011-09-01', '2011-10-03', '2011-11-01', '2012-11-01', '2012-12-03']) {
      const raised = await raise(referralId, old.prime.key, {
        occurredOn: failedOn, mandatoryActivity: activity({ notifiedOn: '2011-07-15', scheduledFor: `${failedOn}T10:00:00Z` }),
      });
      expect(raised.userErrors).toEqual([]);
      const decided = await mutate('decideComplianceDoubt', { complianceDoubtId: raised.complianceDoubt!.id, outcome: 'SANCTION_APPLIED', reason: 'No good reason' }, decisionMaker.secret);
      weeks.push(decided.complianceDoubt!.decision!.sanctionWeeks!);
    }
    // 2012-11-01 is 366 days after the last 2011 failure: outside 52 weeks.
    expect(weeks).toEqual([2, 4, 26, 26, 4, 13]);
  });
});

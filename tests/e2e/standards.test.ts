import { addMonths, todayUtc } from '../../src/common/dates';
import { type Member, type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';
import { complianceReport, figuresOf as find, inForceSince, publishStandards } from '../helpers/standards';

let t: TestServer;
let c: TestChain;

const day = (offset: number, from = todayUtc()) => {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
// Hand-computed scenario: attachment A is 51 days before the report date (today).
const AS_OF = todayUtc();
const A = day(-51);
const at = (offset: number) => `${day(offset, A)}T10:00:00Z`;

let people = 0;
async function attachedReferral(paymentGroup = 'JSA_25_PLUS'): Promise<string> {
  people += 1;
  const journey = await Journey.refer(t, c, {
    clientReference: `STD-${people}`,
    nino: nino(people, 'TW'),
    district: 'Standards',
    paymentGroup,
    referredOn: day(-8, A),
    claimant: { givenName: 'Pat', familyName: `Standard ${people}` },
  });
  await (await journey.acknowledge()).attach(A);
  return journey.referralId;
}

async function contact(referralId: string, occurredAt: string, kind = 'ADVISER_CONTACT', attended = true, key = c.prime.key) {
  const response = await t.gql<{ recordContact: { contact: { id: string } | null; userErrors: Array<{ code: string }> } }>(
    `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } userErrors { code } } }`,
    { input: { referralId, occurredAt, kind, attended, channel: 'FACE_TO_FACE' } },
    key,
  );
  return response.data!.recordContact;
}

async function handTo(referralId: string, to: Member, sharedFields: string[] = []) {
  await Journey.of(t, c, referralId).handOn(to, { sharedFields });
}

const STANDARDS = [
  { metric: 'FIRST_CONTACT_WITHIN_DAYS', thresholdDays: 18, scope: 'ALL_PARTICIPANTS', description: 'First contact within 18 days of referral' },
  { metric: 'CONTACT_INTERVAL_DAYS', paymentGroup: 'JSA_25_PLUS', thresholdDays: 14, scope: 'PERCENT_OF_PARTICIPANTS', minimumPercent: 30, description: 'Adviser contact every 14 days for 30% of JSA 25+' },
  { metric: 'CONTACT_INTERVAL_DAYS', paymentGroup: 'JSA_18_24', thresholdDays: 14, scope: 'PERCENT_OF_PARTICIPANTS', minimumPercent: 50, description: 'Adviser contact every 14 days for half of JSA 18-24' },
  { metric: 'ACTION_PLAN_REVIEW_INTERVAL_DAYS', thresholdDays: 30, scope: 'ALL_PARTICIPANTS', description: 'Action plan reviewed every 30 days' },
];

const publish = (standards: unknown[], key = c.prime.key) => publishStandards(t, key, c.area.contracts[0].id, standards);

const P: Record<string, string> = {};
beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 41);
  [P.p1, P.p2, P.p3] = [await attachedReferral(), await attachedReferral(), await attachedReferral()];
  P.p4 = await attachedReferral('JSA_18_24');
  await handTo(P.p1, c.endToEnd);
  await handTo(P.p2, c.endToEnd);
  for (const offset of [10, 24, 38]) await contact(P.p1, at(offset));
  await contact(P.p1, at(26), 'ACTION_PLAN_REVIEW');
  for (const offset of [10, 25]) await contact(P.p2, at(offset));
  await contact(P.p3, at(14));
  await contact(P.p3, at(26), 'ADVISER_CONTACT', false); // did not attend: does not count
  await contact(P.p3, at(31));
  expect((await publish(STANDARDS)).userErrors).toEqual([]);
  // In force since the referrals were made, so that their history is measured.
  await inForceSince(t, c.area.contracts[0].id, 1, day(-8, A));
});
afterAll(() => t.close());

const report = (key: string) => complianceReport(t, key, c.area.contracts[0].id, AS_OF);

describe('serviceStandardCompliance', () => {
  it('counts, rates and breaches for the prime, by hand-computed expectation', async () => {
    const { data, errors } = await report(c.prime.key);
    expect(errors).toBeUndefined();
    const r = data!.serviceStandardCompliance;

    // First contact within 18 days of the referral (8 days before attachment): P1 and P2 on day 10
    // of attachment (the boundary day counts); P3 on day 14; P4 never.
    const first = find(r, 'FIRST_CONTACT_WITHIN_DAYS');
    expect(first).toMatchObject({ participantsInScope: 4, participantsMeeting: 2, complianceRate: 0.5, met: false });
    expect(first.breaches).toEqual([
      { referral: { id: P.p3 }, dueBy: day(10, A), lastContactOn: null },
      { referral: { id: P.p4 }, dueBy: day(10, A), lastContactOn: null },
    ].sort((a, b) => a.referral.id.localeCompare(b.referral.id)));
    expect(first.bySubcontractor.sort((a, b) => a.subcontractor.id.localeCompare(b.subcontractor.id))).toEqual(
      [
        { subcontractor: { id: c.endToEnd.id }, participantsInScope: 2, participantsMeeting: 2 },
        { subcontractor: { id: c.prime.id }, participantsInScope: 2, participantsMeeting: 0 },
      ].sort((a, b) => a.subcontractor.id.localeCompare(b.subcontractor.id)),
    );

    // Every 14 days, JSA 25+ only: P1's gaps are 10, 14, 14, 13 (meets); P2's 15 (due day 24);
    // P3's 14 then 17, its did-not-attend contact not counting (due day 28). 1 of 3 ≥ 30%: met.
    const interval = find(r, 'CONTACT_INTERVAL_DAYS', 'JSA_25_PLUS');
    expect(interval).toMatchObject({ participantsInScope: 3, participantsMeeting: 1, met: true });
    expect(interval.complianceRate).toBeCloseTo(1 / 3, 10);
    expect(interval.breaches).toEqual([
      { referral: { id: P.p2 }, dueBy: day(24, A), lastContactOn: day(10, A) },
      { referral: { id: P.p3 }, dueBy: day(28, A), lastContactOn: day(14, A) },
    ]);

    // The same for JSA 18-24: P4 alone, never contacted: 0 of 1 < 50%: missed.
    const young = find(r, 'CONTACT_INTERVAL_DAYS', 'JSA_18_24');
    expect(young).toMatchObject({ participantsInScope: 1, participantsMeeting: 0, complianceRate: 0, met: false });
    expect(young.breaches).toEqual([{ referral: { id: P.p4 }, dueBy: day(14, A), lastContactOn: null }]);

    // Action plan every 30 days: P1 reviewed on day 26, then 25 days to the report: meets.
    const review = find(r, 'ACTION_PLAN_REVIEW_INTERVAL_DAYS');
    expect(review).toMatchObject({ participantsInScope: 4, participantsMeeting: 1, met: false });
    expect(review.breaches.map((b) => b.dueBy)).toEqual([day(30, A), day(30, A), day(30, A)]);
  });

  it('gives a subcontractor its own part, and DWP the figures without the people', async () => {
    const own = (await report(c.endToEnd.key)).data!.serviceStandardCompliance;
    expect(find(own, 'FIRST_CONTACT_WITHIN_DAYS')).toMatchObject({ participantsInScope: 2, participantsMeeting: 2, breaches: [] });
    const interval = find(own, 'CONTACT_INTERVAL_DAYS', 'JSA_25_PLUS');
    expect(interval).toMatchObject({ participantsInScope: 2, participantsMeeting: 1 });
    expect(interval.breaches.map((b) => b.referral.id)).toEqual([P.p2]);
    expect(interval.bySubcontractor.map((s) => s.subcontractor.id)).toEqual([c.endToEnd.id]);

    const figures = (await report(c.analyst.key)).data!.serviceStandardCompliance;
    expect(find(figures, 'FIRST_CONTACT_WITHIN_DAYS')).toMatchObject({ participantsInScope: 4, participantsMeeting: 2, breaches: [] });

    for (const key of [c.otherPrime.key, c.otherPrimesSubcontractor.key, c.jobcentre.key]) {
      expect((await report(key)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('leaves out participants exited by the report date', async () => {
    const exited = await attachedReferral();
    await t.gql(`mutation($id: ID!, $on: Date!) { recordJobcentreExit(input: { referralId: $id, exitedOn: $on }) { userErrors { code } } }`, { id: exited, on: day(-1) }, c.jobcentre.key);
    const r = (await report(c.prime.key)).data!.serviceStandardCompliance;
    expect(find(r, 'FIRST_CONTACT_WITHIN_DAYS').participantsInScope).toBe(4);
  });
});

describe('publishServiceStandards', () => {
  it('refuses a broken set, writing nothing', async () => {
    const broken = await publish([
      { metric: 'FIRST_CONTACT_WITHIN_DAYS', thresholdDays: 0, scope: 'ALL_PARTICIPANTS', description: 'x' },
      { metric: 'CONTACT_INTERVAL_DAYS', thresholdDays: 14, scope: 'PERCENT_OF_PARTICIPANTS', description: 'x' },
      { metric: 'ACTION_PLAN_REVIEW_INTERVAL_DAYS', thresholdDays: 30, scope: 'ALL_PARTICIPANTS', minimumPercent: 50, description: ' ' },
      { metric: 'FIRST_CONTACT_WITHIN_DAYS', thresholdDays: 5, scope: 'ALL_PARTICIPANTS', description: 'again' },
    ]);
    expect(broken.userErrors.map((e) => [e.code, e.field.join('.')])).toEqual([
      ['INVALID_THRESHOLD', 'standards.0.thresholdDays'],
      ['MINIMUM_PERCENT_REQUIRED', 'standards.1.minimumPercent'],
      ['MINIMUM_PERCENT_NOT_ALLOWED', 'standards.2.minimumPercent'],
      ['DESCRIPTION_REQUIRED', 'standards.2.description'],
      ['DUPLICATE_STANDARD', 'standards.3.metric'],
    ]);
    expect((await publish([])).userErrors.map((e) => e.code)).toEqual(['STANDARDS_REQUIRED']);
    expect((await publish(STANDARDS, c.otherPrime.key)).userErrors.map((e) => e.code)).toEqual(['UNKNOWN_CONTRACT']);
    expect((await publish(STANDARDS, c.endToEnd.key)).userErrors.map((e) => e.code)).toEqual(['UNKNOWN_CONTRACT']);
  });

  it('replaces the set with a new version, keeps the old one readable, and tells this chain only', async () => {
    const before = await t.gql<{ inbox: { edges: unknown[] } }>('{ inbox(kinds: [SERVICE_STANDARDS_PUBLISHED]) { edges { cursor } } }', {}, c.spot.key);
    const published = await publish([{ metric: 'FIRST_CONTACT_WITHIN_DAYS', thresholdDays: 5, scope: 'ALL_PARTICIPANTS', description: 'Within 5 days' }]);
    expect(published.standards!.map((s) => s.version)).toEqual([2]);
    const read = await t.gql<{ node: { serviceStandards: Array<{ thresholdDays: number }>; serviceStandardHistory: Array<{ version: number; supersededAt: string | null }> } }>(
      `query($id: ID!) { node(id: $id) { ... on PrimeContract { serviceStandards { thresholdDays } serviceStandardHistory { version supersededAt } } } }`,
      { id: c.area.contracts[0].id },
      c.spot.key,
    );
    expect(read.data!.node.serviceStandards).toEqual([{ thresholdDays: 5 }]);
    expect(read.data!.node.serviceStandardHistory.map((s) => [s.version, s.supersededAt === null])).toEqual([
      [2, true], [1, false], [1, false], [1, false], [1, false],
    ]);
    for (const member of [c.endToEnd, c.secondEndToEnd, c.spot, c.specialist, c.inWork]) {
      const inbox = await t.gql<{ inbox: { edges: Array<{ node: { kind: string; contract: { id: string } } }> } }>(
        '{ inbox(kinds: [SERVICE_STANDARDS_PUBLISHED]) { edges { node { kind contract { id } } } } }', {}, member.key,
      );
      expect(inbox.data!.inbox.edges.at(-1)!.node.contract.id).toBe(c.area.contracts[0].id);
    }
    const spotAfter = await t.gql<{ inbox: { edges: unknown[] } }>('{ inbox(kinds: [SERVICE_STANDARDS_PUBLISHED]) { edges { cursor } } }', {}, c.spot.key);
    expect(spotAfter.data!.inbox.edges.length).toBe(before.data!.inbox.edges.length + 1);
    const outsider = await t.gql<{ inbox: { edges: unknown[] } }>('{ inbox(kinds: [SERVICE_STANDARDS_PUBLISHED]) { edges { cursor } } }', {}, c.otherPrimesSubcontractor.key);
    expect(outsider.data!.inbox.edges).toEqual([]);
  });
});

describe('recordContact', () => {
  it('is idempotent, and refuses the future, before the referral, and anyone not holding the referral', async () => {
    const referralId = await attachedReferral();
    const first = await contact(referralId, at(3));
    const again = await contact(referralId, at(3));
    expect(again).toEqual({ contact: first.contact, userErrors: [] });
    expect((await contact(referralId, `${addMonths(todayUtc(), 1)}T10:00:00Z`)).userErrors.map((e) => e.code)).toEqual(['DATE_IN_FUTURE']);
    expect((await contact(referralId, at(-30))).userErrors.map((e) => e.code)).toEqual(['DATE_BEFORE_REFERRAL']);
    expect((await contact(referralId, at(4), 'ADVISER_CONTACT', true, c.otherPrime.key)).userErrors.map((e) => e.code)).toEqual(['UNKNOWN_REFERRAL']);
    expect((await contact(referralId, at(4), 'ADVISER_CONTACT', true, c.endToEnd.key)).userErrors.map((e) => e.code)).toEqual(['UNKNOWN_REFERRAL']);
    // The contacts go down the chain with CONTACT_NOTES.
    await handTo(referralId, c.endToEnd, ['CONTACT_NOTES']);
    expect((await contact(referralId, at(4), 'ADVISER_CONTACT', true, c.endToEnd.key)).userErrors).toEqual([]);
    const listed = await t.gql<{ referral: { contacts: { totalCount: number; edges: Array<{ node: { recordedBy: { id: string } } }> } } }>(
      `query($id: ID!) { referral(id: $id) { contacts(first: 1) { totalCount edges { node { recordedBy { id } } } } } }`, { id: referralId }, c.endToEnd.key,
    );
    expect(listed.data!.referral.contacts.totalCount).toBe(2);
    expect(listed.data!.referral.contacts.edges.map((e) => e.node.recordedBy.id)).toEqual([c.prime.id]);
  });
});

describe('in-work support', () => {
  it('runs from the first job start; participants not in work are not in scope', async () => {
    const start = (referralId: string, offset: number) =>
      t.gql(`mutation($input: RecordJobStartInput!) { recordJobStart(input: $input) { userErrors { code } } }`, { input: { referralId, startedOn: day(offset, A) } }, c.prime.key);
    // P1 in work from day 20, in-work contacts on days 30 and 44, then 7 days to the report: meets.
    // P2 in work from day 30, never contacted: the 14 days ran out on day 44.
    await start(P.p1, 20);
    await start(P.p2, 30);
    for (const offset of [30, 44]) await contact(P.p1, at(offset), 'IN_WORK_SUPPORT');
    const inWork = { metric: 'IN_WORK_CONTACT_INTERVAL_DAYS', thresholdDays: 14, scope: 'ALL_PARTICIPANTS', description: 'In-work contact every 14 days' };
    expect((await publish([...STANDARDS, inWork])).userErrors).toEqual([]);
    await inForceSince(t, c.area.contracts[0].id, 3, day(20, A));
    const standard = find((await report(c.prime.key)).data!.serviceStandardCompliance, 'IN_WORK_CONTACT_INTERVAL_DAYS');
    expect(standard).toMatchObject({ participantsInScope: 2, participantsMeeting: 1, met: false });
    expect(standard.breaches).toEqual([{ referral: { id: P.p2 }, dueBy: day(44, A), lastContactOn: null }]);
  });
});

import { addDays, addMonths, todayUtc } from '../../src/common/dates';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey, attachedReferral } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';
import { complianceReport, figuresOf, publishStandards } from '../helpers/standards';

/**
 * The standards' clocks (issue 14, item 4), through the real server: first contact from the
 * referral date, attached or not; adviser-contact standards stop at the first job start and
 * every standard after the allotted time; each day is measured against the set in force on it.
 * Standards take effect from today at the earliest, so the figures are read on days from today
 * on, over contacts recorded up to yesterday.
 */

let t: TestServer;
let c: TestChain;
const T = todayUtc();
const day = (offset: number) => addDays(T, offset);
const at = (offset: number) => `${day(offset)}T10:00:00Z`;

// Each case has a payment group of its own on the first contract, so that their figures do not mix.
const STANDARDS = [
  { metric: 'FIRST_CONTACT_WITHIN_DAYS', paymentGroup: 'JSA_25_PLUS', thresholdDays: 10, scope: 'ALL_PARTICIPANTS', description: 'First contact within 10 days of referral' },
  { metric: 'CONTACT_INTERVAL_DAYS', paymentGroup: 'JSA_18_24', thresholdDays: 14, scope: 'ALL_PARTICIPANTS', description: 'Adviser contact every 14 days' },
  { metric: 'IN_WORK_CONTACT_INTERVAL_DAYS', paymentGroup: 'JSA_18_24', thresholdDays: 7, scope: 'ALL_PARTICIPANTS', description: 'A weekly call once in work' },
  { metric: 'FIRST_CONTACT_WITHIN_DAYS', paymentGroup: 'JSA_EX_IB', thresholdDays: 10, scope: 'ALL_PARTICIPANTS', description: 'First contact within 10 days of referral' },
  { metric: 'CONTACT_INTERVAL_DAYS', paymentGroup: 'JSA_EX_IB', thresholdDays: 14, scope: 'ALL_PARTICIPANTS', description: 'Adviser contact every 14 days' },
];

const report = async (asOf: string, contract = 0, key = c.prime.key) => {
  const response = await complianceReport(t, key, c.area.contracts[contract].id, asOf);
  expect(response.errors).toBeUndefined();
  return response.data!.serviceStandardCompliance;
};
const breachesOf = (figures: { breaches: Array<{ referral: { id: string }; dueBy: string }> }) =>
  figures.breaches.map((b) => [b.referral.id, b.dueBy]);

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 42);
  expect((await publishStandards(t, c.prime.key, c.area.contracts[0].id, STANDARDS)).userErrors).toEqual([]);
});
afterAll(() => t.close());

describe('first contact', () => {
  it('counts from the referral date, and a referral nobody contacted is a breach, attached or not', async () => {
    const referredOn = day(-5);
    // Never acknowledged, never contacted.
    const waiting = (await Journey.refer(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn })).referralId;
    // Met before attachment: the first contact counts wherever it happens.
    const met = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn, attachedOn: null });
    await Journey.of(t, c, met).contact({ occurredAt: at(-1), channel: 'TELEPHONE', kind: 'INITIAL_MEETING', attended: true });
    // Attached three days after the referral, never contacted: due 10 days from the referral, not from the attachment.
    const attached = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn, attachedOn: day(-2) });

    const onDayTen = figuresOf(await report(day(5)), 'FIRST_CONTACT_WITHIN_DAYS', 'JSA_25_PLUS');
    expect(onDayTen).toMatchObject({ participantsInScope: 3, participantsMeeting: 3, breaches: [] });
    const after = figuresOf(await report(day(6)), 'FIRST_CONTACT_WITHIN_DAYS', 'JSA_25_PLUS');
    expect(after).toMatchObject({ participantsInScope: 3, participantsMeeting: 1, met: false });
    expect(breachesOf(after)).toEqual([[waiting, day(5)], [attached, day(5)]].sort((a, b) => a[0].localeCompare(b[0])));
  });
});

describe('adviser contact and in-work support', () => {
  it('stops the adviser standard at the first job start: weekly in-work calls meet the in-work standard and breach nothing', async () => {
    const inWork = await attachedReferral(t, c, { paymentGroup: 'JSA_18_24', referredOn: day(-35), attachedOn: day(-30) });
    const journey = Journey.of(t, c, inWork);
    for (const offset of [-29, -16]) await journey.contact({ occurredAt: at(offset), channel: 'FACE_TO_FACE', kind: 'ADVISER_CONTACT', attended: true });
    await journey.job({ startedOn: day(-15), employerName: 'Works Ltd', hoursPerWeek: 30 });
    for (const offset of [-15, -8, -1]) await journey.contact({ occurredAt: at(offset), channel: 'TELEPHONE', kind: 'IN_WORK_SUPPORT', attended: true });
    // Still looking for work: the adviser standard runs on.
    const looking = await attachedReferral(t, c, { paymentGroup: 'JSA_18_24', referredOn: day(-35), attachedOn: day(-30) });
    for (const offset of [-29, -10]) await Journey.of(t, c, looking).contact({ occurredAt: at(offset), channel: 'FACE_TO_FACE', kind: 'ADVISER_CONTACT', attended: true });

    const r = await report(day(6));
    // The participant in work is out of the adviser standard (their last adviser contact was 22 days before).
    const adviser = figuresOf(r, 'CONTACT_INTERVAL_DAYS', 'JSA_18_24');
    expect(adviser).toMatchObject({ participantsInScope: 1, participantsMeeting: 0 });
    expect(breachesOf(adviser)).toEqual([[looking, day(4)]]);
    // A call a week: within 7 days up to the day measured.
    expect(figuresOf(r, 'IN_WORK_CONTACT_INTERVAL_DAYS', 'JSA_18_24')).toMatchObject({ participantsInScope: 1, participantsMeeting: 1, breaches: [] });
    // A week and a day after the last call, the in-work standard is missed.
    const later = figuresOf(await report(day(7)), 'IN_WORK_CONTACT_INTERVAL_DAYS', 'JSA_18_24');
    expect(later.breaches).toEqual([{ referral: { id: inWork }, dueBy: day(6), lastContactOn: day(-1) }]);
  });
});

describe('the allotted time', () => {
  it('ends every standard: nothing is owed from allottedUntil, the day the participant exits', async () => {
    const attachedOn = addDays(addMonths(T, -24), 3);
    const id = await attachedReferral(t, c, { paymentGroup: 'JSA_EX_IB', referredOn: addDays(attachedOn, -5), attachedOn });
    const read = await t.gql<{ referral: { allottedUntil: string } }>('query($id: ID!) { referral(id: $id) { allottedUntil } }', { id }, c.prime.key);
    const until = read.data!.referral.allottedUntil;
    const journey = Journey.of(t, c, id);
    await journey.contact({ occurredAt: `${attachedOn}T10:00:00Z`, channel: 'FACE_TO_FACE', kind: 'INITIAL_MEETING', attended: true });
    // The last adviser contact leaves the participant overdue from the allotted time's last day before the exit.
    await journey.contact({ occurredAt: `${addDays(until, -16)}T10:00:00Z`, channel: 'FACE_TO_FACE', kind: 'ADVISER_CONTACT', attended: true });

    const dayBefore = await report(addDays(until, -1));
    expect(breachesOf(figuresOf(dayBefore, 'CONTACT_INTERVAL_DAYS', 'JSA_EX_IB'))).toEqual([[id, addDays(until, -2)]]);
    expect(figuresOf(dayBefore, 'FIRST_CONTACT_WITHIN_DAYS', 'JSA_EX_IB')).toMatchObject({ participantsInScope: 1, participantsMeeting: 1 });
    const onUntil = await report(until);
    for (const metric of ['CONTACT_INTERVAL_DAYS', 'FIRST_CONTACT_WITHIN_DAYS']) {
      expect(figuresOf(onUntil, metric, 'JSA_EX_IB')).toMatchObject({ participantsInScope: 0, participantsMeeting: 0, breaches: [] });
    }
  });
});

describe('effectiveFrom', () => {
  it('measures each day against the set in force on it: a later set breaches no earlier day, a superseded one keeps its days', async () => {
    const contractId = c.area.contracts[1].id;
    const other = (lastContact: number) =>
      attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn: day(-35), attachedOn: day(-30), toOtherPrime: true }).then(async (id) => {
        await Journey.of(t, c, id, c.otherPrime).contact({ occurredAt: at(lastContact), channel: 'FACE_TO_FACE', kind: 'ADVISER_CONTACT', attended: true });
        return id;
      });
    const [sixDaysAgo, yesterday, longAgo] = [await other(-6), await other(-1), await other(-25)];
    const monthly = { metric: 'CONTACT_INTERVAL_DAYS', thresholdDays: 30, scope: 'ALL_PARTICIPANTS', description: 'Adviser contact every 30 days' };
    const fortnightly = { ...monthly, thresholdDays: 14, description: 'Adviser contact every 14 days' };
    expect((await publishStandards(t, c.otherPrime.key, contractId, [fortnightly], day(-1))).userErrors).toEqual([{ code: 'EFFECTIVE_FROM_IN_PAST', field: ['effectiveFrom'] }]);
    expect((await publishStandards(t, c.otherPrime.key, contractId, [monthly])).userErrors).toEqual([]);
    expect((await publishStandards(t, c.otherPrime.key, contractId, [fortnightly], day(10))).userErrors).toEqual([]);

    const figures = async (asOf: number) => {
      const [standard] = (await report(day(asOf), 1, c.otherPrime.key)).standards;
      return { thresholdDays: standard.standard.thresholdDays, meeting: standard.participantsMeeting, inScope: standard.participantsInScope, breaches: breachesOf(standard) };
    };
    // The monthly standard until day 9: 25 days before today, the last contact is overdue from day 6.
    expect(await figures(5)).toEqual({ thresholdDays: 30, inScope: 3, meeting: 3, breaches: [] });
    expect(await figures(6)).toEqual({ thresholdDays: 30, inScope: 3, meeting: 2, breaches: [[longAgo, day(5)]] });
    // Day 9: a gap of 15 days, but the fortnightly standard is not in force yet.
    expect(await figures(9)).toEqual({ thresholdDays: 30, inScope: 3, meeting: 2, breaches: [[longAgo, day(5)]] });
    // From day 10 the fortnightly one: overdue on its first day. The monthly breach keeps its day.
    expect(await figures(10)).toEqual({ thresholdDays: 14, inScope: 3, meeting: 1, breaches: [[longAgo, day(5)], [sixDaysAgo, day(9)]] });
    expect(await figures(14)).toEqual({ thresholdDays: 14, inScope: 3, meeting: 0, breaches: [[longAgo, day(5)], [sixDaysAgo, day(9)], [yesterday, day(13)]] });

    // Today the monthly set is in force, and says until when; the fortnightly one from day 10.
    const read = await t.gql<{ node: { serviceStandards: Array<{ version: number }>; serviceStandardHistory: Array<{ version: number; effectiveFrom: string; effectiveUntil: string | null }> } }>(
      `query($id: ID!) { node(id: $id) { ... on PrimeContract { serviceStandards { version } serviceStandardHistory { version effectiveFrom effectiveUntil } } } }`,
      { id: contractId },
      c.otherPrime.key,
    );
    expect(read.data!.node).toEqual({
      serviceStandards: [{ version: 1 }],
      serviceStandardHistory: [
        { version: 2, effectiveFrom: day(10), effectiveUntil: null },
        { version: 1, effectiveFrom: T, effectiveUntil: day(9) },
      ],
    });

    // A set for an earlier day replaces the one waiting to take effect, which is then never in force.
    expect((await publishStandards(t, c.otherPrime.key, contractId, [monthly], day(5))).userErrors).toEqual([]);
    const after = await t.gql<{ node: { serviceStandardHistory: Array<{ version: number; effectiveFrom: string; effectiveUntil: string | null }> } }>(
      `query($id: ID!) { node(id: $id) { ... on PrimeContract { serviceStandardHistory { version effectiveFrom effectiveUntil } } } }`,
      { id: contractId },
      c.otherPrime.key,
    );
    expect(after.data!.node.serviceStandardHistory).toEqual([
      { version: 3, effectiveFrom: day(5), effectiveUntil: null },
      { version: 2, effectiveFrom: day(10), effectiveUntil: day(4) },
      { version: 1, effectiveFrom: T, effectiveUntil: day(4) },
    ]);
    expect(await figures(14)).toEqual({ thresholdDays: 30, inScope: 3, meeting: 2, breaches: [[longAgo, day(5)]] });
  });
});

import { flagNotStarted } from '../../src/modules/appointments/not-started';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';
import { FROM_THE_START, type Subscriber, subscribe } from '../helpers/subscriber';

/**
 * First appointments and the warm handover (issue 15, item 2; DOMAIN.md step 3; 002:1230,
 * 004:191), through the real server: booked by the Jobcentre when referring or by the prime, the
 * outcome recorded by the provider holding the referral, a miss told to the Jobcentre, attachment
 * only after an attended one, and referrals not started flagged to both sides once.
 */
let t: TestServer;
let c: TestChain;

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 96);
}, 60000);
afterAll(async () => t?.close());

type Errors = Array<{ code: string; field: string[] | null }>;
interface Appointment {
  id: string;
  startsAt: string;
  channel: string | null;
  place: string | null;
  threeWay: boolean;
  outcome: string | null;
  atAttachment: boolean;
  bookedBy: { id: string };
  rescheduledTo: { id: string } | null;
}
const APPOINTMENT = 'id startsAt channel place threeWay outcome atAttachment bookedBy { id } rescheduledTo { id }';

async function mutate(name: 'bookFirstAppointment' | 'recordFirstAppointmentOutcome' | 'recordAttachment', input: Record<string, unknown>, key: string) {
  const selection = name === 'recordAttachment' ? 'referral { id status }' : `firstAppointment { ${APPOINTMENT} }`;
  const response = await t.gql<Record<string, { firstAppointment?: Appointment | null; referral?: { status: string } | null; userErrors: Errors }>>(
    `mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${selection} userErrors { code field } } }`,
    { input },
    key,
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data![name];
}
const codes = (payload: { userErrors: Errors }) => payload.userErrors.map((e) => e.code);

async function appointmentsOf(referralId: string, key: string): Promise<Appointment[] | null> {
  const response = await t.gql<{ referral: { firstAppointments: Appointment[] } | null }>(
    `query($id: ID!) { referral(id: $id) { firstAppointments { ${APPOINTMENT} } } }`,
    { id: referralId },
    key,
  );
  return response.data!.referral?.firstAppointments ?? null;
}

/** The kinds of the items about one referral in an organisation's inbox, in order. */
async function told(organisationId: string, referralId: string, kinds: string[]): Promise<string[]> {
  const rows: Array<{ kind: string }> = await t.db.dataSource.query(
    'SELECT kind FROM inbox_item WHERE organisation_id = $1 AND referral_id = $2 AND kind = ANY($3) ORDER BY seq',
    [organisationId, referralId, kinds],
  );
  return rows.map((row) => row.kind);
}

const everyone = () => [c.jobcentre, c.prime, c.otherPrime, c.endToEnd, c.secondEndToEnd, c.spot, c.specialist, c.inWork, c.otherPrimesSubcontractor, c.analyst];

let people = 0;
const booking = (startsAt: string, extra: Record<string, unknown> = {}) => ({ startsAt, channel: 'TELEPHONE', ...extra });

describe('booking', () => {
  it('the Jobcentre books it when referring (a three-way call); the prime, the Jobcentre and the end-to-end holder read it, nobody else', async () => {
    const journey = await Journey.refer(t, c, {
      referredOn: '2024-05-01',
      firstAppointment: { startsAt: '2024-05-03T10:00:00Z', channel: 'IN_PERSON', place: ' Leeds office ', threeWay: true },
    });
    const expected = { startsAt: '2024-05-03T10:00:00.000Z', channel: 'IN_PERSON', place: 'Leeds office', threeWay: true, outcome: null, atAttachment: false, bookedBy: { id: c.jobcentre.id } };
    for (const reader of [c.jobcentre, c.prime]) expect(await appointmentsOf(journey.referralId, reader.key)).toEqual([expect.objectContaining(expected)]);
    await (await journey.acknowledge()).handOn(c.endToEnd, { purpose: 'END_TO_END_DELIVERY' });
    expect(await appointmentsOf(journey.referralId, c.endToEnd.key)).toEqual([expect.objectContaining(expected)]);
    expect(await appointmentsOf(journey.referralId, c.otherPrime.key)).toBeNull();
    // One waits for its outcome: the prime books no second one.
    expect(codes(await mutate('bookFirstAppointment', { referralId: journey.referralId, appointment: booking('2024-05-04T10:00:00Z') }, c.prime.key))).toEqual(['FIRST_APPOINTMENT_BOOKED']);
  });

  it('a booking sent with a referral is checked with it: in person needs a place, and it is not before the referral', async () => {
    people += 1;
    const response = await t.gql<{ submitReferrals: { results: Array<{ referral: unknown; userErrors: Errors }> } }>(
      'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } userErrors { code field } } } }',
      {
        input: {
          referrals: [{
            clientReference: `APPT-BAD-${people}`, cpaCode: 96, jobcentreDistrict: 'District', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY', referredOn: '2024-05-01',
            claimant: { nino: nino(people, 'AP'), givenName: 'Ada', familyName: 'Appointment', dateOfBirth: '1980-01-01', consentToShareHealth: false },
            firstAppointment: { startsAt: '2024-04-30T10:00:00Z', channel: 'IN_PERSON' },
          }],
        },
      },
      c.jobcentre.key,
    );
    expect(response.data!.submitReferrals.results).toEqual([{
      referral: null,
      userErrors: [
        { code: 'DATE_BEFORE_REFERRAL', field: ['firstAppointment', 'startsAt'] },
        { code: 'PLACE_REQUIRED', field: ['firstAppointment', 'place'] },
      ],
    }]);
  });

  it('the prime books it after allocation; only the prime does, and only before the attachment', async () => {
    const journey = await Journey.refer(t, c, { referredOn: '2024-05-01' });
    expect(codes(await mutate('bookFirstAppointment', { referralId: journey.referralId, appointment: booking('2024-05-06T09:30:00Z') }, c.otherPrime.key))).toEqual(['UNKNOWN_REFERRAL']);
    const booked = await mutate('bookFirstAppointment', { referralId: journey.referralId, appointment: booking('2024-05-06T09:30:00Z') }, c.prime.key);
    expect(booked.firstAppointment).toMatchObject({ channel: 'TELEPHONE', threeWay: false, outcome: null, bookedBy: { id: c.prime.id } });
    await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'ATTENDED' }, c.prime.key);
    expect(codes(await mutate('bookFirstAppointment', { referralId: journey.referralId, appointment: booking('2024-05-07T09:30:00Z') }, c.prime.key))).toEqual(['FIRST_APPOINTMENT_ATTENDED']);
    await (await journey.acknowledge()).attach('2024-05-06');
    expect(codes(await mutate('bookFirstAppointment', { referralId: journey.referralId, appointment: booking('2024-05-07T09:30:00Z') }, c.prime.key))).toEqual(['NOT_WAITING_TO_START']);
  });
});

describe('outcomes', () => {
  let subscribers: Subscriber[] = [];
  afterEach(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    subscribers = [];
  });

  it('a missed first appointment reaches the referring Jobcentre, live and on replay, and nobody else', async () => {
    const start = (await t.gql<{ inbox: { pageInfo: { endCursor: string | null } } }>('{ inbox(first: 500) { pageInfo { endCursor } } }', {}, c.jobcentre.key)).data!.inbox.pageInfo.endCursor;
    const live = await subscribe(t.url, c.jobcentre.key, 'inboxItemAdded', { after: start ?? FROM_THE_START, kinds: ['FIRST_APPOINTMENT_MISSED'] });
    subscribers.push(live);
    const journey = await Journey.refer(t, c, { referredOn: '2024-05-01', firstAppointment: booking('2024-05-02T10:00:00Z', { threeWay: true }) });
    const missed = await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'DID_NOT_ATTEND' }, c.prime.key);
    expect(missed).toMatchObject({ firstAppointment: { outcome: 'DID_NOT_ATTEND' }, userErrors: [] });

    await live.until(1);
    expect(live.items.map((i) => [i.kind, i.referral?.id])).toEqual([['FIRST_APPOINTMENT_MISSED', journey.referralId]]);
    const replay = await subscribe(t.url, c.jobcentre.key, 'inboxItemAdded', { after: FROM_THE_START, kinds: ['FIRST_APPOINTMENT_MISSED'] });
    subscribers.push(replay);
    await replay.until(1);
    expect(replay.items.map((i) => i.referral?.id)).toContain(journey.referralId);

    for (const member of everyone()) {
      expect(await told(member.id, journey.referralId, ['FIRST_APPOINTMENT_MISSED'])).toEqual(member === c.jobcentre ? ['FIRST_APPOINTMENT_MISSED'] : []);
    }
  });

  it('attachment after a miss is refused until a later appointment was attended; a reschedule points at the new booking', async () => {
    const journey = await (await Journey.refer(t, c, { referredOn: '2024-05-01', firstAppointment: booking('2024-05-02T10:00:00Z') })).acknowledge();
    await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'DID_NOT_ATTEND' }, c.prime.key);

    const refused = await mutate('recordAttachment', { referralId: journey.referralId, attachedOn: '2024-05-10' }, c.prime.key);
    expect(refused).toEqual({ referral: null, userErrors: [{ code: 'NO_ATTENDED_FIRST_APPOINTMENT', field: ['attachedOn'] }] });
    const [row] = await t.db.dataSource.query('SELECT status, attached_on FROM referral WHERE id = $1', [journey.referralId]);
    expect(row).toEqual({ status: 'ACKNOWLEDGED', attached_on: null });
    expect(await t.db.dataSource.query('SELECT id FROM payment WHERE referral_id = $1', [journey.referralId])).toEqual([]);

    expect(codes(await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'ATTENDED' }, c.prime.key))).toEqual(['NO_FIRST_APPOINTMENT_BOOKED']);
    await mutate('bookFirstAppointment', { referralId: journey.referralId, appointment: booking('2024-05-06T10:00:00Z') }, c.prime.key);
    expect(codes(await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'RESCHEDULED' }, c.prime.key))).toEqual(['RESCHEDULE_INCONSISTENT']);
    const moved = await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'RESCHEDULED', rescheduledTo: booking('2024-05-08T10:00:00Z', { channel: 'VIDEO' }) }, c.prime.key);
    expect(moved.firstAppointment).toMatchObject({ outcome: 'RESCHEDULED', rescheduledTo: { id: expect.any(String) } });
    // Still no attended one: the pending booking is not enough after a miss.
    expect(codes(await mutate('recordAttachment', { referralId: journey.referralId, attachedOn: '2024-05-10' }, c.prime.key))).toEqual(['NO_ATTENDED_FIRST_APPOINTMENT']);
    await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'ATTENDED' }, c.prime.key);
    expect(await mutate('recordAttachment', { referralId: journey.referralId, attachedOn: '2024-05-10' }, c.prime.key)).toEqual({ referral: { id: journey.referralId, status: 'ATTACHED' }, userErrors: [] });
    expect((await appointmentsOf(journey.referralId, c.jobcentre.key))!.map((a) => [a.startsAt.slice(0, 10), a.outcome])).toEqual([
      ['2024-05-02', 'DID_NOT_ATTEND'],
      ['2024-05-06', 'RESCHEDULED'],
      ['2024-05-08', 'ATTENDED'],
    ]);
  });

  it('the end-to-end subcontractor that accepted the referral records the outcome; another provider cannot', async () => {
    const journey = await (await Journey.refer(t, c, { referredOn: '2024-05-01', firstAppointment: booking('2024-05-02T10:00:00Z') })).acknowledge();
    await journey.handOn(c.endToEnd, { purpose: 'END_TO_END_DELIVERY' });
    for (const outsider of [c.otherPrime, c.secondEndToEnd, c.spot]) {
      expect(codes(await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'ATTENDED' }, outsider.key))).toEqual(['UNKNOWN_REFERRAL']);
    }
    expect(await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'ATTENDED' }, c.endToEnd.key)).toMatchObject({ firstAppointment: { outcome: 'ATTENDED' }, userErrors: [] });
  });

  it('an outcome other than RESCHEDULED waits until the appointment has begun', async () => {
    const journey = await Journey.refer(t, c, { referredOn: '2024-05-01', firstAppointment: booking('2999-01-01T10:00:00Z') });
    expect(codes(await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: 'DID_NOT_ATTEND' }, c.prime.key))).toEqual(['DATE_IN_FUTURE']);
  });
});

describe('attachment without an appointment (today\'s partners)', () => {
  it('still works, and records the first meeting as attended on the attachment day', async () => {
    const journey = await (await (await Journey.refer(t, c, { referredOn: '2024-05-01' })).acknowledge()).attach('2024-05-09');
    expect(await appointmentsOf(journey.referralId, c.prime.key)).toEqual([
      expect.objectContaining({ startsAt: '2024-05-09T00:00:00.000Z', channel: null, outcome: 'ATTENDED', atAttachment: true, bookedBy: { id: c.prime.id } }),
    ]);
  });

  it('a booking waiting for its outcome is the meeting when on or before the day, and moves to it when later', async () => {
    const before = await (await Journey.refer(t, c, { referredOn: '2024-05-01', firstAppointment: booking('2024-05-03T10:00:00Z') })).acknowledge();
    await before.attach('2024-05-03');
    expect((await appointmentsOf(before.referralId, c.prime.key))!.map((a) => [a.outcome, a.atAttachment])).toEqual([['ATTENDED', false]]);

    const later = await (await Journey.refer(t, c, { referredOn: '2024-05-01', firstAppointment: booking('2024-06-03T10:00:00Z') })).acknowledge();
    await later.attach('2024-05-20');
    const [meeting, moved] = (await appointmentsOf(later.referralId, c.prime.key))!;
    expect(meeting).toMatchObject({ startsAt: '2024-05-20T00:00:00.000Z', outcome: 'ATTENDED', atAttachment: true });
    expect(moved).toMatchObject({ outcome: 'RESCHEDULED', rescheduledTo: { id: meeting.id } });
  });
});

describe('not started', () => {
  it('a referral not attached within the programme\'s days is flagged to the Jobcentre and the prime once, live and on replay', async () => {
    const start = (await t.gql<{ inbox: { pageInfo: { endCursor: string | null } } }>('{ inbox(first: 500) { pageInfo { endCursor } } }', {}, c.prime.key)).data!.inbox.pageInfo.endCursor;
    const live = await subscribe(t.url, c.prime.key, 'inboxItemAdded', { after: start ?? FROM_THE_START, kinds: ['NOT_STARTED'] });
    try {
      const waiting = await Journey.refer(t, c, { referredOn: '2026-01-05' });
      const started = await (await (await Journey.refer(t, c, { referredOn: '2026-01-05' })).acknowledge()).attach('2026-01-10');
      await flagNotStarted(t.db.dataSource, '2026-01-19'); // 14 days: not yet
      expect(await told(c.prime.id, waiting.referralId, ['NOT_STARTED'])).toEqual([]);

      expect(await flagNotStarted(t.db.dataSource, '2026-01-20')).toBeGreaterThanOrEqual(1);
      expect(await flagNotStarted(t.db.dataSource, '2026-01-21')).toBe(0);
      for (const member of everyone()) {
        const expected = member === c.jobcentre || member === c.prime ? ['NOT_STARTED'] : [];
        expect(await told(member.id, waiting.referralId, ['NOT_STARTED'])).toEqual(expected);
        expect(await told(member.id, started.referralId, ['NOT_STARTED'])).toEqual([]);
      }
      // Earlier referrals of this file waiting to start were flagged too.
      const flagged = async (organisationId: string) =>
        (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM inbox_item WHERE organisation_id = $1 AND kind = 'NOT_STARTED'`, [organisationId]))[0].n as number;
      await live.until(await flagged(c.prime.id));
      expect(live.items.map((i) => i.referral?.id)).toContain(waiting.referralId);
      const replay = await subscribe(t.url, c.jobcentre.key, 'inboxItemAdded', { after: FROM_THE_START, kinds: ['NOT_STARTED'] });
      try {
        await replay.until(await flagged(c.jobcentre.id));
        expect(replay.items.map((i) => i.referral?.id)).toContain(waiting.referralId);
      } finally {
        await replay.close();
      }
    } finally {
      await live.close();
    }
  });

  it('counts the days the programme sets', async () => {
    await t.db.dataSource.query(`UPDATE programme SET not_started_days = 30 WHERE code = 'WORK_PROGRAMME'`);
    try {
      const journey = await Journey.refer(t, c, { referredOn: '2026-03-02' });
      await flagNotStarted(t.db.dataSource, '2026-03-31');
      expect(await told(c.jobcentre.id, journey.referralId, ['NOT_STARTED'])).toEqual([]);
      await flagNotStarted(t.db.dataSource, '2026-04-01');
      expect(await told(c.jobcentre.id, journey.referralId, ['NOT_STARTED'])).toEqual(['NOT_STARTED']);
    } finally {
      await t.db.dataSource.query(`UPDATE programme SET not_started_days = 15 WHERE code = 'WORK_PROGRAMME'`);
    }
  });
});

describe('performance', () => {
  it('shows by prime the first-appointment attendance rate and the mean days to the first appointment and to attachment, withholding small counts', async () => {
    const report = async () =>
      (await t.gql<{ cpaPerformance: { rows: Array<Record<string, unknown>> } }>(
        `{ cpaPerformance(cpaCode: 96, from: "2023-02-01", to: "2023-02-28", groupBy: [PRIME]) { rows {
            referrals attachments firstAppointmentsHeld firstAppointmentsAttended firstAppointmentAttendanceRate meanDaysToFirstAppointment meanDaysToAttachment suppressed } } }`,
        {},
        c.analyst.key,
      )).data!.cpaPerformance.rows;
    // Ten referrals, each with a booked first appointment two days on: six attended (and attached three days later), four missed.
    for (let n = 0; n < 10; n++) {
      const journey = await (await Journey.refer(t, c, { referredOn: '2023-02-06', firstAppointment: booking('2023-02-08T10:00:00Z') })).acknowledge();
      await mutate('recordFirstAppointmentOutcome', { referralId: journey.referralId, outcome: n < 6 ? 'ATTENDED' : 'DID_NOT_ATTEND' }, c.prime.key);
      if (n < 6) await journey.attach('2023-02-11');
      if (n === 2) {
        // Three held, all attended: too few to show, and the figures made from them are withheld too.
        expect(await report()).toEqual([expect.objectContaining({ firstAppointmentsHeld: null, firstAppointmentsAttended: null, firstAppointmentAttendanceRate: null, meanDaysToFirstAppointment: null, suppressed: true })]);
      }
    }
    expect(await report()).toEqual([
      { referrals: 10, attachments: 6, firstAppointmentsHeld: 10, firstAppointmentsAttended: 6, firstAppointmentAttendanceRate: 0.6, meanDaysToFirstAppointment: 2, meanDaysToAttachment: 5, suppressed: false },
    ]);
  });
});

import { Role } from '../../src/auth/access.enums';
import { endAllottedTimes } from '../../src/modules/referrals/allotted-time';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * Exits as the research describes them (issue 14, item 2; DOMAIN.md journey steps 5 and 9):
 * leaving benefit is a marker, not an exit; the allotted time ends by itself on its last day; a
 * move to other provision is the Jobcentre's; every exit goes back to the Jobcentre with a handback.
 */
let t: TestServer;
let c: TestChain;

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 64);
}, 60000);

afterAll(async () => t?.close());

type Payload = { referral: { id: string; status: string; offBenefitSince: string | null; exit: { reason: string; exitedOn: string } | null } | null; userErrors: Array<{ code: string }> };
const FIELDS = 'referral { id status offBenefitSince exit { reason exitedOn } } userErrors { code }';

async function mutate(name: string, input: Record<string, unknown>, key: string): Promise<Payload> {
  const response = await t.gql<Record<string, Payload>>(`mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${FIELDS} } }`, { input }, key);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data![name];
}
const codes = (payload: Payload) => payload.userErrors.map((e) => e.code);

/** The REFERRAL_EXITED and HANDOFF_ENDED items about one referral in an organisation's inbox, in order. */
async function told(organisationId: string, referralId: string): Promise<string[]> {
  const rows: Array<{ kind: string }> = await t.db.dataSource.query(
    `SELECT kind FROM inbox_item WHERE organisation_id = $1 AND referral_id = $2 AND kind IN ('REFERRAL_EXITED', 'HANDOFF_ENDED') ORDER BY seq`,
    [organisationId, referralId],
  );
  return rows.map((row) => row.kind);
}

async function attached(attachedOn: string, referredOn = '2023-01-02'): Promise<Journey> {
  return (await (await Journey.refer(t, c, { referredOn })).acknowledge()).attach(attachedOn);
}

describe('leaving benefit', () => {
  it('is a marker on a live participation, not an exit: recordOffBenefit, and LEFT_BENEFIT (deprecated) through recordExit', async () => {
    const journey = await attached('2025-06-02');
    const marked = await mutate('recordOffBenefit', { referralId: journey.referralId, offBenefitOn: '2025-09-01' }, c.prime.key);
    expect(marked).toEqual({ referral: expect.objectContaining({ status: 'ATTACHED', offBenefitSince: '2025-09-01', exit: null }), userErrors: [] });
    expect(codes(await mutate('recordOffBenefit', { referralId: journey.referralId, offBenefitOn: '2025-10-01' }, c.prime.key))).toEqual(['ALREADY_OFF_BENEFIT']);

    const other = await attached('2025-06-02');
    expect(codes(await mutate('recordOffBenefit', { referralId: other.referralId, offBenefitOn: '2025-06-01' }, c.prime.key))).toEqual(['DATE_BEFORE_ATTACHMENT']);
    const viaExit = await mutate('recordExit', { referralId: other.referralId, exitedOn: '2025-08-01', reason: 'LEFT_BENEFIT' }, c.prime.key);
    expect(viaExit).toEqual({ referral: expect.objectContaining({ status: 'ATTACHED', offBenefitSince: '2025-08-01', exit: null }), userErrors: [] });
    // Nobody was told of an exit: there was none.
    expect(await t.db.dataSource.query(`SELECT kind FROM inbox_item WHERE referral_id = $1 AND kind = 'REFERRAL_EXITED'`, [other.referralId])).toEqual([]);
    // Only the prime holding it records it.
    expect(codes(await mutate('recordOffBenefit', { referralId: journey.referralId, offBenefitOn: '2025-09-01' }, c.otherPrime.key))).toEqual(['UNKNOWN_REFERRAL']);
  });
});

describe('the allotted time', () => {
  it('cannot be ended by the prime before its last day (the day after attachment is refused)', async () => {
    const journey = await attached('2025-06-02');
    const early = await mutate('recordExit', { referralId: journey.referralId, exitedOn: '2025-06-03', reason: 'ALLOTTED_TIME_ENDED' }, c.prime.key);
    expect(codes(early)).toEqual(['ALLOTTED_TIME_NOT_ENDED']);
    expect((await t.db.dataSource.query('SELECT status FROM referral WHERE id = $1', [journey.referralId]))[0].status).toBe('ATTACHED');
  });

  it('ends by itself: from allottedUntil the job exits it on its last day, once, and every holder hears of it', async () => {
    const journey = await attached('2023-03-01');
    const handoff = await journey.handOn(c.endToEnd);
    const [{ allotted_until: allottedUntil }] = await t.db.dataSource.query('SELECT allotted_until::text FROM referral WHERE id = $1', [journey.referralId]);
    expect(allottedUntil).toBe('2025-03-01');
    // On its last day nothing happens to it yet.
    await endAllottedTimes(t.db.dataSource, '2025-02-28');
    expect((await t.db.dataSource.query('SELECT status FROM referral WHERE id = $1', [journey.referralId]))[0].status).toBe('ATTACHED');

    expect(await endAllottedTimes(t.db.dataSource, '2026-11-30')).toBeGreaterThanOrEqual(1);
    const [row] = await t.db.dataSource.query('SELECT status, exit_reason, exited_on::text FROM referral WHERE id = $1', [journey.referralId]);
    // allottedUntil is the first day after the allotted time: the exit is on its last day.
    expect(row).toEqual({ status: 'EXITED', exit_reason: 'ALLOTTED_TIME_ENDED', exited_on: '2025-02-28' });
    expect(await endAllottedTimes(t.db.dataSource, '2026-11-30')).toBe(0);

    expect(await told(c.jobcentre.id, journey.referralId)).toEqual(['REFERRAL_EXITED']);
    expect(await told(c.prime.id, journey.referralId)).toEqual(['REFERRAL_EXITED']);
    expect(await told(c.endToEnd.id, journey.referralId)).toEqual(['HANDOFF_ENDED']);
    for (const outsider of [c.otherPrime, c.secondEndToEnd, c.spot]) expect(await told(outsider.id, journey.referralId)).toEqual([]);
    const [{ status }] = await t.db.dataSource.query('SELECT status FROM handoff WHERE id = $1', [handoff]);
    expect(status).toBe('WITHDRAWN');
    // The Jobcentre reads it through the API, with the handback.
    const read = await t.gql<{ referral: { status: string; handback: { reason: string; exitedOn: string; allottedUntil: string } } }>(
      'query($id: ID!) { referral(id: $id) { status handback { reason exitedOn allottedUntil } } }',
      { id: journey.referralId },
      c.jobcentre.key,
    );
    expect(read.data!.referral).toEqual({ status: 'EXITED', handback: { reason: 'ALLOTTED_TIME_ENDED', exitedOn: '2025-02-28', allottedUntil: '2025-03-01' } });
    // The prime gives the handback of the exit the exchange recorded: once, and the Jobcentre hears of it.
    const give = () =>
      t.gql<{ recordHandback: Payload }>(`mutation($input: RecordHandbackInput!) { recordHandback(input: $input) { ${FIELDS} } }`,
        { input: { referralId: journey.referralId, handback: { barriers: ['No recent work history'], summary: 'Attended every review' } } }, c.prime.key);
    expect((await give()).data!.recordHandback.userErrors).toEqual([]);
    expect(codes((await give()).data!.recordHandback)).toEqual(['HANDBACK_GIVEN']);
    expect(await told(c.jobcentre.id, journey.referralId)).toEqual(['REFERRAL_EXITED', 'REFERRAL_EXITED']);
    const handback = await t.gql<{ referral: { handback: { barriers: string[]; summary: string } } }>(
      'query($id: ID!) { referral(id: $id) { handback { barriers summary } } }', { id: journey.referralId }, c.jobcentre.key);
    expect(handback.data!.referral.handback).toEqual({ barriers: ['No recent work history'], summary: 'Attended every review' });
  });
});

describe('a move to other provision (Work Choice)', () => {
  it("is the Jobcentre's decision: the prime is refused, the referring Jobcentre records it and the prime hears of it", async () => {
    const journey = await attached('2025-06-02');
    const byPrime = await mutate('recordExit', { referralId: journey.referralId, exitedOn: '2025-07-01', reason: 'MOVED_TO_OTHER_PROVISION' }, c.prime.key);
    expect(codes(byPrime)).toEqual(['JOBCENTRE_DECISION']);

    const wrongJobcentre = await t.keyFor(Role.JOBCENTRE, 'Another Jobcentre 64');
    expect(codes(await mutate('recordJobcentreExit', { referralId: journey.referralId, exitedOn: '2025-07-01' }, wrongJobcentre.secret))).toEqual(['UNKNOWN_REFERRAL']);
    const asPrime = await t.gql('mutation { recordJobcentreExit(input: { referralId: "x", exitedOn: "2025-07-01" }) { userErrors { code } } }', {}, c.prime.key);
    expect(asPrime.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

    const exit = await mutate('recordJobcentreExit', { referralId: journey.referralId, exitedOn: '2025-07-01', note: 'Work Choice suits better' }, c.jobcentre.key);
    expect(exit).toEqual({ referral: expect.objectContaining({ status: 'EXITED', exit: { reason: 'MOVED_TO_OTHER_PROVISION', exitedOn: '2025-07-01' } }), userErrors: [] });
    expect(await told(c.prime.id, journey.referralId)).toEqual(['REFERRAL_EXITED']);
    expect(await told(c.jobcentre.id, journey.referralId)).toEqual([]); // it decided it itself
    // Work found after it is the other provision's: the prime records no job from after the exit (so nothing is paid twice).
    const job = await t.gql<{ recordJobStart: { userErrors: Array<{ code: string }> } }>(
      'mutation($input: RecordJobStartInput!) { recordJobStart(input: $input) { userErrors { code } } }',
      { input: { referralId: journey.referralId, startedOn: '2025-08-04' } },
      c.prime.key,
    );
    expect(job.data!.recordJobStart.userErrors.map((e) => e.code)).toEqual(['AFTER_EXIT']);
  });
});

describe('an exit for another reason', () => {
  it("needs the referring Jobcentre's agreement: the prime's OTHER raises a query; WITHDRAW ends the participation that day, CONFIRM keeps it", async () => {
    const journey = await attached('2025-06-02');
    expect(codes(await mutate('recordExit', { referralId: journey.referralId, exitedOn: '2025-07-01', reason: 'OTHER' }, c.prime.key))).toEqual(['REASON_REQUIRED']);
    const asked = await t.gql<{ recordExit: { referral: { status: string; openQuery: { id: string; purpose: string } | null } | null; userErrors: unknown[] } }>(
      'mutation($input: RecordExitInput!) { recordExit(input: $input) { referral { status openQuery { id purpose } } userErrors { code } } }',
      { input: { referralId: journey.referralId, exitedOn: '2025-07-01', reason: 'OTHER', handback: { summary: 'Moved in with family in Spain' } } },
      c.prime.key,
    );
    expect(asked.data!.recordExit).toMatchObject({ referral: { status: 'ATTACHED', openQuery: { purpose: 'OTHER_EXIT' } }, userErrors: [] });
    const queryId = asked.data!.recordExit.referral!.openQuery!.id;
    const resolve = (resolution: string) =>
      t.gql<{ resolveReferralQuery: { userErrors: Array<{ code: string }> } }>(
        'mutation($input: ResolveReferralQueryInput!) { resolveReferralQuery(input: $input) { userErrors { code } } }',
        { input: { referralQueryId: queryId, resolution } },
        c.jobcentre.key,
      );
    expect((await resolve('WITHDRAW')).data!.resolveReferralQuery.userErrors).toEqual([]);
    const [row] = await t.db.dataSource.query('SELECT status, exit_reason, exited_on::text, handback_summary FROM referral WHERE id = $1', [journey.referralId]);
    expect(row).toEqual({ status: 'EXITED', exit_reason: 'OTHER', exited_on: expect.any(String), handback_summary: 'Moved in with family in Spain' });
    expect(await told(c.prime.id, journey.referralId)).toEqual(['REFERRAL_EXITED']);

    const kept = await attached('2025-06-02');
    const again = await t.gql<{ recordExit: { referral: { openQuery: { id: string } } } }>(
      'mutation($input: RecordExitInput!) { recordExit(input: $input) { referral { openQuery { id } } } }',
      { input: { referralId: kept.referralId, exitedOn: '2025-07-01', reason: 'OTHER', handback: { summary: 'Not engaging' } } },
      c.prime.key,
    );
    const confirm = await t.gql<{ resolveReferralQuery: { userErrors: unknown[] } }>(
      'mutation($input: ResolveReferralQueryInput!) { resolveReferralQuery(input: $input) { userErrors { code } } }',
      { input: { referralQueryId: again.data!.recordExit.referral.openQuery.id, resolution: 'CONFIRM' } },
      c.jobcentre.key,
    );
    expect(confirm.data!.resolveReferralQuery.userErrors).toEqual([]);
    expect((await t.db.dataSource.query('SELECT status FROM referral WHERE id = $1', [kept.referralId]))[0].status).toBe('ATTACHED');
  });
});

describe('the handback', () => {
  it('goes to the referring Jobcentre with dates, contacts by kind, jobs, outcomes paid, barriers and a summary; nobody else outside the prime reads it', async () => {
    const journey = await attached('2024-11-01', '2024-10-20');
    await journey.contact({ occurredAt: '2024-11-01T10:00:00Z', kind: 'INITIAL_MEETING', attended: true, channel: 'FACE_TO_FACE' });
    await journey.contact({ occurredAt: '2024-11-15T10:00:00Z', kind: 'ADVISER_CONTACT', attended: true, channel: 'TELEPHONE' });
    await journey.contact({ occurredAt: '2024-11-29T10:00:00Z', kind: 'ADVISER_CONTACT', attended: true, channel: 'TELEPHONE' });
    await journey.job({ startedOn: '2025-01-06', endedOn: '2025-02-28' });
    const handoff = await journey.handOn(c.endToEnd);
    expect(handoff).toBeTruthy();
    const exit = await t.gql<{ recordExit: Payload }>(
      `mutation($input: RecordExitInput!) { recordExit(input: $input) { ${FIELDS} } }`,
      { input: { referralId: journey.referralId, exitedOn: '2026-10-31', reason: 'ALLOTTED_TIME_ENDED', handback: { barriers: [' No driving licence ', ''], summary: 'CSCS card done.' } } },
      c.prime.key,
    );
    expect(exit.data!.recordExit.userErrors).toEqual([]);

    const document = `query($id: ID!) { referral(id: $id) { handback { reason referredOn attachedOn exitedOn allottedUntil contacts { kind count } jobs { startedOn endedOn } outcomesPaid { kind earnedOn } barriers summary } } }`;
    const read = await t.gql<{ referral: { handback: unknown } }>(document, { id: journey.referralId }, c.jobcentre.key);
    expect(read.data!.referral.handback).toEqual({
      reason: 'ALLOTTED_TIME_ENDED',
      referredOn: '2024-10-20',
      attachedOn: '2024-11-01',
      exitedOn: '2026-10-31',
      allottedUntil: '2026-11-01',
      contacts: [{ kind: 'ADVISER_CONTACT', count: 2 }, { kind: 'INITIAL_MEETING', count: 1 }],
      jobs: [{ startedOn: '2025-01-06', endedOn: '2025-02-28' }],
      outcomesPaid: [{ kind: 'ATTACHMENT', earnedOn: '2024-11-01' }],
      barriers: ['No driving licence'],
      summary: 'CSCS card done.',
    });
    // The Jobcentre's read of the barriers and summary is a read of the person.
    const [audited] = await t.db.dataSource.query(
      `SELECT details -> 'fields' AS fields FROM audit_event WHERE action = 'READ' AND organisation_id = $1 ORDER BY id DESC LIMIT 1`,
      [c.jobcentre.id],
    );
    expect(Object.values(audited.fields as Record<string, string[]>).flat()).toEqual(expect.arrayContaining(['Handback.barriers', 'Handback.summary']));
    expect(await told(c.jobcentre.id, journey.referralId)).toEqual(['REFERRAL_EXITED']);
    expect(await told(c.endToEnd.id, journey.referralId)).toEqual(['HANDOFF_ENDED']);
    // The prime reads it too; the other prime does not see the referral at all.
    expect((await t.gql<{ referral: { handback: unknown } }>(document, { id: journey.referralId }, c.prime.key)).data!.referral.handback).not.toBeNull();
    expect((await t.gql<{ referral: unknown }>(document, { id: journey.referralId }, c.otherPrime.key)).data!.referral).toBeNull();
  });

  it('takes no free text on a restricted (MAPPA) record', async () => {
    const journey = await (await (await Journey.refer(t, c, { referredOn: '2024-10-20', claimant: { mappa: true } })).acknowledge()).attach('2024-11-01');
    const exit = await mutate('recordExit', { referralId: journey.referralId, exitedOn: '2026-10-31', reason: 'ALLOTTED_TIME_ENDED', handback: { summary: 'Lives at the hostel' } }, c.prime.key);
    expect(codes(exit)).toEqual(['RESTRICTED_RECORD_FREE_TEXT']);
    expect((await mutate('recordExit', { referralId: journey.referralId, exitedOn: '2026-10-31', reason: 'ALLOTTED_TIME_ENDED' }, c.prime.key)).userErrors).toEqual([]);
  });
});

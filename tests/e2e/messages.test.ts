import { Role } from '../../src/auth/access.enums';
import { type TestChain, createChain } from '../helpers/chain';
import { attachedReferral } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';
import { FROM_THE_START, subscribe } from '../helpers/subscriber';

let t: TestServer;
let c: TestChain;
beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 31);
});
afterAll(() => t.close());

interface Thread {
  id: string;
  topic: string;
  subject: string | null;
  status: string;
  dueOn: string | null;
  messages: { totalCount: number; edges: Array<{ node: { body: string | null; from: { id: string } } }> };
}
interface Payload {
  messageThread: Thread | null;
  userErrors: Array<{ code: string; field: string[] | null }>;
}
const THREAD = 'id topic subject status dueOn messages { totalCount edges { node { body from { id } } } }';

let people = 0;
async function newReferral(claimant: Record<string, unknown> = {}): Promise<string> {
  people += 1;
  const response = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string } }> } }>(
    `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } userErrors { code } } } }`,
    {
      input: {
        referrals: [{
          clientReference: `MSG-${people}`, cpaCode: 31, jobcentreDistrict: 'Letterbury', paymentGroup: 'JSA_25_PLUS',
          participationMode: 'MANDATORY', referredOn: '2024-05-01',
          claimant: { nino: nino(people, 'MS'), givenName: 'Pat', familyName: 'Post', dateOfBirth: '1985-01-01', consentToShareHealth: false, ...claimant },
        }],
      },
    },
    c.jobcentre.key,
  );
  return response.data!.submitReferrals.results[0].referral.id;
}

async function mutate(mutation: string, input: Record<string, unknown>, key: string): Promise<Payload & { errors?: Array<{ extensions?: { code?: string } }> }> {
  const type = `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
  const response = await t.gql<Record<string, Payload>>(
    `mutation($input: ${type}!) { ${mutation}(input: $input) { messageThread { ${THREAD} } userErrors { code field } } }`,
    { input },
    key,
  );
  return { ...(response.data?.[mutation] ?? { messageThread: null, userErrors: [] }), errors: response.errors };
}
const start = (input: Record<string, unknown>, key = c.jobcentre.key) => mutate('startMessageThread', input, key);
const reply = (messageThreadId: string, body: string | null, key: string) => mutate('replyToMessageThread', { messageThreadId, body }, key);
const codes = (p: Payload) => p.userErrors.map((e) => e.code);

async function handoff(referralId: string, to: string, purpose: string, key = c.prime.key): Promise<string> {
  const passed = await t.gql<{ passReferral: { handoff: { id: string } } }>(
    `mutation($input: PassReferralInput!) { passReferral(input: $input) { handoff { id } userErrors { code } } }`,
    { input: { referralId, toOrganisationId: to, purpose, sharedFields: [] } },
    key,
  );
  return passed.data!.passReferral.handoff.id;
}
const withdraw = (handoffId: string) =>
  t.gql(`mutation($id: ID!) { withdrawHandoff(input: { handoffId: $id, reason: "Moved on" }) { userErrors { code } } }`, { id: handoffId }, c.prime.key);

/** A referral held by the prime, an accepted end-to-end subcontractor, and a specialist whose handoff ended. */
async function heldReferral(): Promise<{ referralId: string; endToEndHandoff: string }> {
  const referralId = await newReferral();
  const endToEndHandoff = await handoff(referralId, c.endToEnd.id, 'END_TO_END_DELIVERY');
  await t.gql(`mutation($id: ID!) { respondToHandoff(input: { handoffId: $id, accept: true }) { userErrors { code } } }`, { id: endToEndHandoff }, c.endToEnd.key);
  await withdraw(await handoff(referralId, c.specialist.id, 'SPECIALIST_SUPPORT'));
  return { referralId, endToEndHandoff };
}

const threadNode = async (id: string, key: string) =>
  (await t.gql<{ node: { id: string; subject: string } | null }>(`query($id: ID!) { node(id: $id) { ... on MessageThread { id subject } } }`, { id }, key)).data?.node ?? null;

const threadsOf = async (referralId: string, key: string) =>
  (await t.gql<{ referral: { messageThreads: { totalCount: number; edges: Array<{ node: Thread }> } } | null }>(
    `query($id: ID!) { referral(id: $id) { messageThreads { totalCount edges { node { ${THREAD} } } } } }`,
    { id: referralId },
    key,
  )).data?.referral?.messageThreads ?? null;

const ITEM = 'cursor kind referral { id } messageThread { id subject }';

async function referralMessages(key: string): Promise<Array<{ messageThread: { id: string } | null }>> {
  const response = await t.gql<{ inbox: { edges: Array<{ node: { messageThread: { id: string } | null } }> } }>(
    `{ inbox(kinds: [REFERRAL_MESSAGE], first: 500) { edges { node { messageThread { id } } } } }`,
    {},
    key,
  );
  return response.data!.inbox.edges.map((edge) => edge.node);
}

describe('a message thread about a referral', () => {
  it('started by the Jobcentre reaches the prime and the live subcontractor, live and on replay, and nobody else', async () => {
    const { referralId } = await heldReferral();
    const live = await Promise.all([c.prime, c.endToEnd].map((m) => subscribe(t.url, m.key, 'inboxItemAdded', { kinds: ['REFERRAL_MESSAGE'] }, ITEM)));
    const outsiders = [c.otherPrime, c.otherPrimesSubcontractor, c.specialist, c.analyst];
    const before = await Promise.all(outsiders.map((m) => referralMessages(m.key)));

    const started = await start({ referralId, topic: 'ATTENDANCE', subject: 'Missed Tuesday', body: 'Did Pat attend on Tuesday?', dueOn: '2099-01-31' });
    expect(started.userErrors).toEqual([]);
    const thread = started.messageThread!;
    expect(thread).toMatchObject({ topic: 'ATTENDANCE', subject: 'Missed Tuesday', status: 'OPEN', dueOn: '2099-01-31' });
    expect(thread.messages.edges).toEqual([{ node: { body: 'Did Pat attend on Tuesday?', from: { id: c.jobcentre.id } } }]);

    for (const subscriber of live) {
      await subscriber.until(1);
      expect(subscriber.items[0]).toMatchObject({ kind: 'REFERRAL_MESSAGE', referral: { id: referralId }, messageThread: { id: thread.id, subject: 'Missed Tuesday' } });
      await subscriber.close();
    }
    for (const member of [c.prime, c.endToEnd]) {
      const replay = await subscribe(t.url, member.key, 'inboxItemAdded', { kinds: ['REFERRAL_MESSAGE'], after: FROM_THE_START }, ITEM);
      await replay.until(1);
      expect(replay.items.map((item) => item.messageThread?.id)).toContain(thread.id);
      await replay.close();
    }
    // Each delivery of the subject is a read of the person, recorded under the key that received it.
    const [{ participant }] = await t.db.dataSource.query(`SELECT participant_id AS participant FROM referral WHERE id = $1`, [referralId]);
    const [{ deliveries }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS deliveries FROM audit_event WHERE action = 'READ' AND organisation_id = $1 AND details -> 'fields' -> $2::text ? 'MessageThread.subject'`,
      [c.prime.id, participant],
    );
    expect(deliveries).toBe(2);
    // The sender is not told of its own message; the outsiders are not told at all.
    expect((await referralMessages(c.jobcentre.key)).map((item) => item.messageThread?.id)).not.toContain(thread.id);
    expect(await Promise.all(outsiders.map((m) => referralMessages(m.key)))).toEqual(before);
  });

  it('is read by the parties and is invisible to another prime, another chain, an ended handoff, a Decision Maker and the analyst', async () => {
    const { referralId } = await heldReferral();
    const { messageThread } = await start({ referralId, topic: 'SIGNING', subject: 'Signing day', body: 'Signing moves to Thursdays.' });
    const id = messageThread!.id;
    for (const member of [c.jobcentre, c.prime, c.endToEnd]) {
      expect(await threadNode(id, member.key)).toEqual({ id, subject: 'Signing day' });
      expect((await threadsOf(referralId, member.key))!.edges.map((edge) => edge.node.id)).toEqual([id]);
    }
    const decisionMaker = await t.keyFor(Role.DECISION_MAKER, 'Decision Makers 31');
    for (const key of [c.otherPrime.key, c.otherPrimesSubcontractor.key, c.specialist.key, c.analyst.key, decisionMaker.secret]) {
      expect(await threadNode(id, key)).toBeNull();
      expect(await threadsOf(referralId, key)).toBeNull();
    }
    for (const key of [c.otherPrime.key, c.otherPrimesSubcontractor.key, c.specialist.key]) {
      expect(codes(await reply(id, 'Let me in', key))).toEqual(['UNKNOWN_MESSAGE_THREAD']);
      expect(codes(await start({ referralId, topic: 'OTHER', subject: 'Hello', body: 'Hello' }, key))).toEqual(['UNKNOWN_REFERRAL']);
    }
    const analyst = await reply(id, 'Let me in', c.analyst.key);
    expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('is not shown to a Decision Maker who reads the referral through a submitted doubt', async () => {
    const referralId = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn: '2024-05-01', attachedOn: '2024-05-10' });
    const { messageThread } = await start({ referralId, topic: 'ELIGIBILITY', subject: 'Hours', body: 'Pat works 20 hours a week.' });
    const raised = await t.gql<{ raiseComplianceDoubt: { userErrors: unknown[] } }>(
      `mutation($id: ID!) { raiseComplianceDoubt(input: { referralId: $id, type: ENTITLEMENT_DOUBT, occurredOn: "2024-06-01", description: "Working 20 hours" }) { userErrors { code } } }`,
      { id: referralId },
      c.prime.key,
    );
    expect(raised.data!.raiseComplianceDoubt.userErrors).toEqual([]);
    const decisionMaker = await t.keyFor(Role.DECISION_MAKER, 'Decision Makers 31b');
    const doubts = await t.gql<{ complianceDoubts: { edges: Array<{ node: { referral: { messageThreads: { totalCount: number } } } }> } }>(
      `{ complianceDoubts(first: 500) { edges { node { referral { messageThreads { totalCount } } } } } }`,
      {},
      decisionMaker.secret,
    );
    expect(doubts.errors).toBeUndefined();
    expect(doubts.data!.complianceDoubts.edges.map((edge) => edge.node.referral.messageThreads.totalCount)).toEqual([0]);
    expect(await threadNode(messageThread!.id, decisionMaker.secret)).toBeNull();
  });

  it('is lost by a subcontractor the moment its handoff ends: node(id), the inbox item and writing', async () => {
    const { referralId, endToEndHandoff } = await heldReferral();
    const { messageThread } = await start({ referralId, topic: 'CONTACT_DETAILS', subject: 'New phone', body: 'Pat has a new phone number.' });
    const id = messageThread!.id;
    expect(await threadNode(id, c.endToEnd.key)).not.toBeNull();
    expect((await referralMessages(c.endToEnd.key)).map((item) => item.messageThread?.id)).toContain(id);

    await withdraw(endToEndHandoff);
    expect(await threadNode(id, c.endToEnd.key)).toBeNull();
    expect((await referralMessages(c.endToEnd.key)).map((item) => item.messageThread?.id)).not.toContain(id);
    expect(codes(await reply(id, 'Noted', c.endToEnd.key))).toEqual(['UNKNOWN_MESSAGE_THREAD']);
    // …and a later message does not reach it.
    const before = (await referralMessages(c.endToEnd.key)).length;
    expect(codes(await reply(id, 'Noted, thank you', c.prime.key))).toEqual([]);
    expect(await referralMessages(c.endToEnd.key)).toHaveLength(before);
  });

  it('changes status with each reply: ANSWERED from the other side, OPEN again from the starting side, then CLOSED', async () => {
    const { referralId } = await heldReferral();
    const { messageThread } = await start({ referralId, topic: 'ELIGIBILITY', subject: 'Payment group', body: 'Pat says they are 24.' }, c.prime.key);
    const id = messageThread!.id;
    expect(messageThread!.status).toBe('OPEN');
    expect((await reply(id, 'Checked: 25 on referral.', c.jobcentre.key)).messageThread!.status).toBe('ANSWERED');
    expect((await reply(id, 'Thanks; one more question.', c.endToEnd.key)).messageThread!.status).toBe('OPEN');
    const answered = await reply(id, 'Go ahead.', c.jobcentre.key);
    expect(answered.messageThread!.status).toBe('ANSWERED');
    expect(answered.messageThread!.messages.edges.map((edge) => edge.node.from.id)).toEqual([c.prime.id, c.jobcentre.id, c.endToEnd.id, c.jobcentre.id]);

    const closed = await mutate('closeMessageThread', { messageThreadId: id }, c.endToEnd.key);
    expect(closed.messageThread!.status).toBe('CLOSED');
    expect(codes(await reply(id, 'One more thing', c.jobcentre.key))).toEqual(['ILLEGAL_TRANSITION']);
    expect(codes(await mutate('closeMessageThread', { messageThreadId: id }, c.prime.key))).toEqual(['ILLEGAL_TRANSITION']);
  });

  it('pages a thread\'s messages', async () => {
    const { referralId } = await heldReferral();
    const { messageThread } = await start({ referralId, topic: 'OTHER', subject: 'Paging', body: 'One' });
    await reply(messageThread!.id, 'Two', c.prime.key);
    await reply(messageThread!.id, 'Three', c.jobcentre.key);
    const page = async (after: string | null) =>
      (await t.gql<{ node: { messages: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { body: string } }> } } }>(
        `query($id: ID!, $after: String) { node(id: $id) { ... on MessageThread { messages(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { body } } } } } }`,
        { id: messageThread!.id, after },
        c.prime.key,
      )).data!.node.messages;
    const first = await page(null);
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(first.edges.map((edge) => edge.node.body)).toEqual(['One', 'Two']);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((edge) => edge.node.body)).toEqual(['Three']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('answers bad input with userErrors and writes nothing', async () => {
    const { referralId } = await heldReferral();
    const counts = async () =>
      (await t.db.dataSource.query(
        `SELECT (SELECT count(*) FROM message_thread)::int AS threads, (SELECT count(*) FROM message)::int AS messages,
                (SELECT count(*) FROM inbox_item)::int AS items, (SELECT count(*) FROM audit_event WHERE record IN ('message', 'message_thread'))::int AS audits`,
      ))[0];
    const before = await counts();
    const blank = await start({ referralId, topic: 'OTHER', subject: '  ', body: '', dueOn: '2020-01-01' });
    expect(blank.userErrors).toEqual([
      { code: 'SUBJECT_REQUIRED', field: ['subject'] },
      { code: 'BODY_REQUIRED', field: ['body'] },
      { code: 'DUE_DATE_IN_PAST', field: ['dueOn'] },
    ]);
    expect(codes(await start({ referralId, topic: 'OTHER', subject: 'Long', body: 'x'.repeat(2001) }))).toEqual(['TOO_LONG']);
    expect(codes(await start({ referralId: '00000000-0000-4000-8000-000000000000', topic: 'OTHER', subject: 'Who?', body: 'Nobody' }))).toEqual(['UNKNOWN_REFERRAL']);
    expect(codes(await start({ referralId: 'not-an-id', topic: 'OTHER', subject: 'Who?', body: 'Nobody' }))).toEqual(['UNKNOWN_REFERRAL']);
    const { messageThread } = await start({ referralId, topic: 'OTHER', subject: 'Fine', body: 'Fine' });
    const written = await counts();
    expect(codes(await reply(messageThread!.id, ' ', c.prime.key))).toEqual(['BODY_REQUIRED']);
    expect(codes(await reply('not-an-id', 'Hello', c.prime.key))).toEqual(['UNKNOWN_MESSAGE_THREAD']);
    expect(await counts()).toEqual(written);
    // Only the one thread that was accepted: its thread, first message, two inbox items and their audit.
    expect(written).toEqual({ threads: before.threads + 1, messages: before.messages + 1, items: before.items + 2, audits: before.audits + 2 });
  });

  it('takes no free text on a restricted (MAPPA) record: a topic and a due date only', async () => {
    const referralId = await newReferral({ mappa: true });
    const refused = await start({ referralId, topic: 'ATTENDANCE', subject: 'About Pat', body: 'Pat did not come.' });
    expect(refused.userErrors).toEqual([
      { code: 'RESTRICTED_RECORD_FREE_TEXT', field: ['subject'] },
      { code: 'RESTRICTED_RECORD_FREE_TEXT', field: ['body'] },
    ]);
    const started = await start({ referralId, topic: 'ATTENDANCE', dueOn: '2099-01-31' });
    expect(started.userErrors).toEqual([]);
    expect(started.messageThread).toMatchObject({ subject: null, status: 'OPEN', messages: { edges: [{ node: { body: null } }] } });
    expect(codes(await reply(started.messageThread!.id, 'Details', c.prime.key))).toEqual(['RESTRICTED_RECORD_FREE_TEXT']);
    expect((await reply(started.messageThread!.id, null, c.prime.key)).messageThread!.status).toBe('ANSWERED');
  });

  it('records each read of a message in the audit trail, under the person', async () => {
    const referralId = await newReferral();
    const { messageThread } = await start({ referralId, topic: 'COMPLAINT', subject: 'A complaint', body: 'Pat complained about the office.' });
    const [{ participant }] = await t.db.dataSource.query(`SELECT participant_id AS participant FROM referral WHERE id = $1`, [referralId]);
    await t.gql(`query Read($id: ID!) { node(id: $id) { ... on MessageThread { subject messages { edges { node { body } } } } } }`, { id: messageThread!.id }, c.prime.key);
    const [event] = await t.db.dataSource.query(
      `SELECT organisation_id, participant_ids, details FROM audit_event WHERE action = 'READ' AND operation = 'Read' ORDER BY id DESC LIMIT 1`,
    );
    expect(event).toMatchObject({ organisation_id: c.prime.id, participant_ids: [participant] });
    expect(event.details.fields[participant]).toEqual(['Message.body', 'MessageThread.subject']);
  });
});

describe('contact points', () => {
  const SET = `mutation($input: SetContactPointsInput!) { setContactPoints(input: $input) { contactPoints { name role email phone cpa { code } organisation { id } } userErrors { code field } } }`;
  type SetResult = { setContactPoints: { contactPoints: Array<Record<string, unknown>> | null; userErrors: Array<{ code: string; field: string[] }> } };
  const desk = { name: 'Referrals desk', role: 'Team', email: 'referrals@prime.example', phone: '+44 (0)1000 222222' };

  it('are named by an organisation for a CPA, replaced whole, and read by every key holder', async () => {
    const set = await t.gql<SetResult>(SET, { input: { cpaCode: 31, contactPoints: [desk, { name: 'Alex Manager', email: 'alex@prime.example' }] } }, c.prime.key);
    expect(set.data!.setContactPoints.userErrors).toEqual([]);
    expect(set.data!.setContactPoints.contactPoints).toEqual([
      { ...desk, cpa: { code: 31 }, organisation: { id: c.prime.id } },
      { name: 'Alex Manager', role: null, email: 'alex@prime.example', phone: null, cpa: { code: 31 }, organisation: { id: c.prime.id } },
    ]);
    await t.gql(SET, { input: { cpaCode: 31, contactPoints: [{ name: 'Work coaches', email: 'coaches@jobcentre.example' }] } }, c.jobcentre.key);
    await t.gql(SET, { input: { cpaCode: 31, contactPoints: [desk] } }, c.prime.key);

    const read = await t.gql<{ cpa: { contactPoints: Array<{ name: string; organisation: { id: string } }> }; node: { contactPoints: Array<{ name: string }> } }>(
      `query($prime: ID!) { cpa(code: 31) { contactPoints { name organisation { id } } } node(id: $prime) { ... on Organisation { contactPoints(cpaCode: 31) { name } } } }`,
      { prime: c.prime.id },
      c.analyst.key,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.cpa.contactPoints).toHaveLength(2);
    expect(read.data!.cpa.contactPoints).toEqual(
      expect.arrayContaining([{ name: 'Referrals desk', organisation: { id: c.prime.id } }, { name: 'Work coaches', organisation: { id: c.jobcentre.id } }]),
    );
    expect(read.data!.node.contactPoints).toEqual([{ name: 'Referrals desk' }]);
  });

  it('refuse bad entries, an unknown CPA and too many, and keep the list as it was', async () => {
    await t.gql(SET, { input: { cpaCode: 31, contactPoints: [desk] } }, c.otherPrime.key);
    const bad = await t.gql<SetResult>(
      SET,
      { input: { cpaCode: 9999, contactPoints: [{ name: ' ', email: 'not an address', phone: '12' }] } },
      c.otherPrime.key,
    );
    expect(bad.data!.setContactPoints.userErrors).toEqual([
      { code: 'UNKNOWN_CPA', field: ['cpaCode'] },
      { code: 'NAME_REQUIRED', field: ['contactPoints', '0', 'name'] },
      { code: 'INVALID_EMAIL', field: ['contactPoints', '0', 'email'] },
      { code: 'INVALID_PHONE', field: ['contactPoints', '0', 'phone'] },
    ]);
    const many = await t.gql<SetResult>(SET, { input: { cpaCode: 31, contactPoints: Array.from({ length: 11 }, () => desk) } }, c.otherPrime.key);
    expect(many.data!.setContactPoints.userErrors.map((e) => e.code)).toEqual(['TOO_MANY']);
    const [{ count }] = await t.db.dataSource.query(`SELECT count(*)::int AS count FROM contact_point WHERE organisation_id = $1`, [c.otherPrime.id]);
    expect(count).toBe(1);
    const analyst = await t.gql(SET, { input: { cpaCode: 31, contactPoints: [desk] } }, c.analyst.key);
    expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

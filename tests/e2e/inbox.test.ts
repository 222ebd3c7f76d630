import { freePort } from '../../src/db/embedded';
import { addToInbox } from '../../src/modules/inbox/inbox';
import { InboxItemKind } from '../../src/modules/inbox/inbox-item.entity';
import { type ApiProcess, startApiProcess } from '../helpers/api-process';
import { type Member, type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';
import { FROM_THE_START, type Subscriber, subscribe } from '../helpers/subscriber';

let t: TestServer;
let c: TestChain;
let other: ApiProcess;
let otherUrl: string;

/** A second API process on the same database, as behind a load balancer. */
async function startSecondProcess(): Promise<void> {
  const port = await freePort();
  other = await startApiProcess({ ...process.env, DATABASE_URL: t.db.url, SCX_DATA_KEY: t.dataKey, PORT: String(port), SCX_DEMO: 'off', LOG_LEVEL: 'warn' });
  otherUrl = `http://127.0.0.1:${port}/graphql`;
}

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 31);
  await startSecondProcess();
}, 120000);
afterAll(async () => {
  other.child.kill('SIGTERM');
  await other.exited;
  await t.close();
});

let people = 0;
async function refer(url = t.url): Promise<string> {
  people += 1;
  const journey = await Journey.refer(t, c, {
    clientReference: `INBOX-${people}`,
    nino: nino(people, 'RS'),
    district: 'Inboxshire',
    claimant: { givenName: 'Ivy', familyName: 'Inbox' },
    via: { url },
  });
  return journey.referralId;
}

const passTo = (referralId: string, to: Member): Promise<string> => Journey.of(t, c, referralId).offer(to);

async function inbox(key: string, args = ''): Promise<{ edges: Array<{ cursor: string; node: { kind: string; referral: { id: string } | null } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> {
  const response = await t.gql<{ inbox: never }>(`{ inbox${args} { edges { cursor node { kind referral { id } } } pageInfo { hasNextPage endCursor } } }`, {}, key);
  expect(response.errors).toBeUndefined();
  return response.data!.inbox;
}

describe('the inbox', () => {
  it('holds every event addressed to an organisation, in cursor order, readable from any cursor', async () => {
    const referralId = await refer();
    const handoffId = await passTo(referralId, c.endToEnd);
    await t.gql(`mutation($id: ID!) { respondToHandoff(input: { handoffId: $id, accept: false, declineReason: "full" }) { userErrors { code } } }`, { id: handoffId }, c.endToEnd.key);
    await t.gql(`mutation($id: ID!) { rejectReferral(input: { referralId: $id, reason: INELIGIBLE }) { userErrors { code } } }`, { id: referralId }, c.prime.key);

    const prime = await inbox(c.prime.key);
    expect(prime.edges.map((e) => e.node.kind)).toEqual(['REFERRAL_ALLOCATED', 'HANDOFF_RESPONDED']);
    expect((await inbox(c.jobcentre.key)).edges.map((e) => e.node.kind)).toEqual(['REFERRAL_QUERIED']);
    const sub = await inbox(c.endToEnd.key);
    expect(sub.edges.map((e) => e.node.kind)).toEqual(['HANDOFF_OFFERED']);
    // The item stays; what it points at follows the policy: the handoff was declined.
    expect(sub.edges[0].node.referral).toBeNull();
    expect((await inbox(c.jobcentre.key)).edges[0].node.referral).toEqual({ id: referralId });

    expect((await inbox(c.prime.key, '(kinds: [HANDOFF_RESPONDED])')).edges.map((e) => e.node.kind)).toEqual(['HANDOFF_RESPONDED']);
    const first = await inbox(c.prime.key, '(first: 1)');
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await inbox(c.prime.key, `(after: "${first.pageInfo.endCursor}")`);
    expect(rest.edges.map((e) => e.node.kind)).toEqual(['HANDOFF_RESPONDED']);
    expect((await inbox(c.otherPrimesSubcontractor.key)).edges).toEqual([]);
  });
});

describe('subscriptions', () => {
  let subscribers: Subscriber[] = [];
  const listen = async (...args: Parameters<typeof subscribe>) => {
    const subscriber = await subscribe(...args);
    subscribers.push(subscriber);
    return subscriber;
  };
  afterEach(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    subscribers = [];
  });

  it('deliver every item for the organisation, in cursor order, and none for others', async () => {
    const before = (await inbox(c.secondEndToEnd.key)).edges.length;
    expect(before).toBe(0);
    const mine = await listen(t.url, c.secondEndToEnd.key, 'inboxItemAdded', { after: FROM_THE_START });
    const theirs = await listen(t.url, c.otherPrimesSubcontractor.key, 'inboxItemAdded', { after: FROM_THE_START });
    const referrals = [await refer(), await refer(), await refer()];
    const handoffs = [];
    for (const referralId of referrals) handoffs.push(await passTo(referralId, c.secondEndToEnd));
    await mine.until(3);
    expect(mine.items.map((i) => [i.kind, i.handoff?.id, i.referral?.id])).toEqual(
      handoffs.map((h, i) => ['HANDOFF_OFFERED', h, referrals[i]]),
    );
    const cursors = mine.items.map((i) => Number(Buffer.from(i.cursor, 'base64url').toString()));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(theirs.items).toEqual([]);
  });

  it('referralReceived delivers new work only: allocations to a prime', async () => {
    const received = await listen(t.url, c.prime.key, 'referralReceived', { after: (await inbox(c.prime.key, '(first: 500)')).pageInfo.endCursor });
    const referralId = await refer();
    await Journey.of(t, c, referralId).handOn(c.endToEnd);
    const next = await refer();
    await received.until(2);
    expect(received.items.map((i) => [i.kind, i.referral?.id])).toEqual([
      ['REFERRAL_ALLOCATED', referralId],
      ['REFERRAL_ALLOCATED', next],
    ]);
  });

  it('are delivered by both API processes, whichever one the change went through', async () => {
    const start = (await inbox(c.prime.key, '(first: 500)')).pageInfo.endCursor;
    const onThis = await listen(t.url, c.prime.key, 'inboxItemAdded', { after: start });
    const onOther = await listen(otherUrl, c.prime.key, 'inboxItemAdded', { after: start });
    const viaThis = await refer(t.url);
    const viaOther = await refer(otherUrl);
    await onThis.until(2);
    await onOther.until(2);
    for (const subscriber of [onThis, onOther]) {
      expect(subscriber.items.map((i) => i.referral?.id)).toEqual([viaThis, viaOther]);
    }
  });

  it('lose nothing across a disconnection: inbox(after:) and a resumed subscription give exactly the missed items', async () => {
    const start = (await inbox(c.prime.key, '(first: 500)')).pageInfo.endCursor;
    const first = await listen(t.url, c.prime.key, 'inboxItemAdded', { after: start });
    const seen = await refer();
    await first.until(1);
    const lastCursor = first.items[0].cursor;
    await first.close();
    subscribers = [];
    const missed = [await refer(), await refer()];
    const readBack = await inbox(c.prime.key, `(after: "${lastCursor}")`);
    expect(readBack.edges.map((e) => e.node.referral?.id)).toEqual(missed);
    const resumed = await listen(t.url, c.prime.key, 'inboxItemAdded', { after: lastCursor });
    await resumed.until(2);
    expect(resumed.items.map((i) => i.referral?.id)).toEqual(missed);
    expect(first.items.map((i) => i.referral?.id)).toEqual([seen]);
  });

  it('never deliver the items of a rolled-back transaction', async () => {
    const start = (await inbox(c.inWork.key, '(first: 500)')).pageInfo.endCursor;
    const subscriber = await listen(t.url, c.inWork.key, 'inboxItemAdded', { after: start ?? FROM_THE_START });
    const runner = t.db.dataSource.createQueryRunner();
    await runner.startTransaction();
    await addToInbox(runner.manager, [{ organisationId: c.inWork.id, kind: InboxItemKind.HANDOFF_ENDED }]);
    await runner.rollbackTransaction();
    await runner.release();
    await t.db.dataSource.transaction((tx) => addToInbox(tx, [{ organisationId: c.inWork.id, kind: InboxItemKind.HANDOFF_RESPONDED }]));
    await subscriber.until(1);
    expect(subscriber.items.map((i) => i.kind)).toEqual(['HANDOFF_RESPONDED']);
    expect((await inbox(c.inWork.key)).edges.map((e) => e.node.kind)).toEqual(['HANDOFF_RESPONDED']);
  });

  it('refuse a connection without a valid key', async () => {
    await expect(subscribe(t.url, 'scx_wrong', 'inboxItemAdded')).rejects.toThrow('closed before connecting: 4401');
  });
});

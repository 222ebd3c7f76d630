import { todayUtc } from '../../src/common/dates';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

/** A referral's contacts, a page at a time: pages of one referral asked together, and their counts. */
let t: TestServer;
let c: TestChain;
beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 77);
});
afterAll(() => t.close());

const day = (offset: number) => {
  const d = new Date(`${todayUtc()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

describe('Referral.contacts: one referral asked for two pages in one request', () => {
  it('answers the page after the cursor, not the first page again', async () => {
    const journey = await Journey.refer(t, c, {
      clientReference: 'REVIEW-1', nino: nino(1, 'CE'), district: 'Review', paymentGroup: 'JSA_25_PLUS', referredOn: day(-30),
      claimant: { givenName: 'Rae', familyName: 'View' },
    });
    await (await journey.acknowledge()).attach(day(-20));
    const ids: string[] = [];
    for (const offset of [-15, -10, -5]) {
      const response = await t.gql<{ recordContact: { contact: { id: string } | null; userErrors: unknown[] } }>(
        `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } userErrors { code } } }`,
        { input: { referralId: journey.referralId, occurredAt: `${day(offset)}T10:00:00Z`, kind: 'ADVISER_CONTACT', attended: true, channel: 'FACE_TO_FACE' } },
        c.prime.key,
      );
      expect(response.data!.recordContact.userErrors).toEqual([]);
      ids.push(response.data!.recordContact.contact!.id);
    }
    type Page = { edges: Array<{ cursor: string; node: { id: string } }> };
    const first = await t.gql<{ referral: { contacts: Page } }>(
      `query($id: ID!) { referral(id: $id) { contacts(first: 1) { edges { cursor node { id } } } } }`, { id: journey.referralId }, c.prime.key,
    );
    const cursor = first.data!.referral.contacts.edges[0].cursor;
    // Alone, the second page is right.
    const alone = await t.gql<{ referral: { contacts: Page } }>(
      `query($id: ID!, $after: String) { referral(id: $id) { contacts(first: 1, after: $after) { edges { node { id } } } } }`,
      { id: journey.referralId, after: cursor }, c.prime.key,
    );
    expect(alone.data!.referral.contacts.edges.map((e) => e.node.id)).toEqual([ids[1]]);
    // Beside the first page (same size, same direction: one batch of the loader), it is not.
    const both = await t.gql<{ referral: { a: Page; b: Page } }>(
      `query($id: ID!, $after: String) { referral(id: $id) {
         a: contacts(first: 1) { edges { node { id } } }
         b: contacts(first: 1, after: $after) { edges { node { id } } } } }`,
      { id: journey.referralId, after: cursor }, c.prime.key,
    );
    expect(both.errors).toBeUndefined();
    expect(both.data!.referral.a.edges.map((e) => e.node.id)).toEqual([ids[0]]);
    expect(both.data!.referral.b.edges.map((e) => e.node.id)).toEqual([ids[1]]);
  });

  it('counts the same with and without a page beside it, newest first and after a cursor', async () => {
    const journey = await Journey.refer(t, c, {
      clientReference: 'REVIEW-2', nino: nino(2, 'CE'), district: 'Review', paymentGroup: 'JSA_25_PLUS', referredOn: day(-30),
      claimant: { givenName: 'Rae', familyName: 'Count' },
    });
    const empty = await t.gql<{ referral: { a: { totalCount: number }; b: { edges: unknown[] } } }>(
      `query($id: ID!) { referral(id: $id) { a: contacts(first: 2) { totalCount } b: contacts(first: 2) { edges { cursor } } } }`, { id: journey.referralId }, c.prime.key,
    );
    expect(empty.data!.referral).toEqual({ a: { totalCount: 0 }, b: { edges: [] } });
  });
});

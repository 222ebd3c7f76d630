import { DeliveryModel } from '../../src/modules/contracts/contracts.enums';
import { addSubcontractor } from '../../src/modules/contracts/contracts.service';
import { type Member, type TestChain, createChain } from '../helpers/chain';
import { Journey, withdrawReferral } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

/** What a prime's case-management system asks of each referral on its caseload: the live handoffs, the open doubts. */
let t: TestServer;
let c: TestChain;

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 67);
}, 60000);

afterAll(async () => t?.close());

it('filters a referral\'s handoffs by live, and its doubts by open', async () => {
  const journey = await (await (await Journey.refer(t, c, { referredOn: '2025-09-01' })).acknowledge()).attach('2025-09-08');
  const live = await journey.handOn(c.endToEnd);
  const ended = await journey.handOn(c.inWork, { purpose: 'IN_WORK_SUPPORT' });
  await t.gql('mutation($id: ID!) { withdrawHandoff(input: { handoffId: $id, reason: "Not needed" }) { userErrors { code } } }', { id: ended }, c.prime.key);
  const open = await journey.doubt({ type: 'ENTITLEMENT_DOUBT', occurredOn: '2025-10-01', description: 'Working cash in hand' });
  const withdrawn = await journey.doubt({ type: 'ENTITLEMENT_DOUBT', occurredOn: '2025-10-02', description: 'Working cash in hand' });
  await t.gql('mutation($id: ID!) { withdrawComplianceDoubt(input: { complianceDoubtId: $id, reason: "Mistaken" }) { userErrors { code } } }', { id: withdrawn }, c.prime.key);

  const read = await t.gql<{ referral: Record<string, Array<{ id: string }>> }>(
    `query($id: ID!) { referral(id: $id) { all: handoffs { id } live: handoffs(live: true) { id } ended: handoffs(live: false) { id }
       doubts: complianceDoubts { id } open: complianceDoubts(open: true) { id } closed: complianceDoubts(open: false) { id } } }`,
    { id: journey.referralId },
    c.prime.key,
  );
  const ids = (key: string) => read.data!.referral[key].map((x) => x.id).sort();
  expect(ids('all')).toEqual([live, ended].sort());
  expect(ids('live')).toEqual([live]);
  expect(ids('ended')).toEqual([ended]);
  expect(ids('doubts')).toEqual([open, withdrawn].sort());
  expect(ids('open')).toEqual([open]);
  expect(ids('closed')).toEqual([withdrawn]);
});

describe('the referrals list, from each of its sources', () => {
  const LIVE = ['ALLOCATED', 'ACKNOWLEDGED', 'ATTACHED'];
  let other: TestChain;

  /** What the list held before it read each source by its own index: the access rule as one filter, in arrival order. */
  async function expected(member: Member, status: string[] | null): Promise<string[]> {
    const rows: Array<{ id: string }> = await t.db.dataSource.query(
      `SELECT id FROM referral r WHERE (r.contract_id IN (SELECT id FROM prime_contract WHERE prime_id = $1)
          OR r.id IN (SELECT referral_id FROM handoff WHERE to_organisation_id = $1 AND status IN ('OFFERED', 'ACCEPTED')))
         AND ($2::text[] IS NULL OR r.status = ANY($2)) ORDER BY r.seq`,
      [member.id, status],
    );
    return rows.map((row) => row.id);
  }

  /** The whole list, two at a time from cursor to cursor, and the totalCount of its first page. */
  async function pages(member: Member, status: string[] | null): Promise<{ ids: string[]; totalCount: number }> {
    const ids: string[] = [];
    let after: string | null = null;
    let totalCount = -1;
    do {
      type Page = { referrals: { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: Array<{ node: { id: string } }> } };
      const response = await t.gql<Page>(
        'query($after: String, $filter: ReferralFilter) { referrals(first: 2, after: $after, filter: $filter) { totalCount pageInfo { endCursor hasNextPage } edges { node { id } } } }',
        { after, filter: status && { status } },
        member.key,
      );
      const list: Page['referrals'] = response.data!.referrals;
      if (after === null) totalCount = list.totalCount;
      ids.push(...list.edges.map((edge) => edge.node.id));
      after = list.pageInfo.hasNextPage ? list.pageInfo.endCursor : null;
    } while (after !== null);
    return { ids, totalCount };
  }

  beforeAll(async () => {
    other = await createChain(t, 68);
    // The first chain's prime also delivers in the other chain's: its list has both sources.
    await addSubcontractor(t.db.dataSource, { contractId: other.area.contracts[0].id, subcontractorId: c.prime.id, deliveryModel: DeliveryModel.END_TO_END });
    const asMember = { ...c.prime };
    for (let i = 0; i < 3; i += 1) await Journey.refer(t, c, { referredOn: '2025-09-01' });
    const attached = await (await (await Journey.refer(t, c, { referredOn: '2025-09-01' })).acknowledge()).attach('2025-09-08');
    await attached.handOn(c.endToEnd);
    await withdrawReferral(t, (await Journey.refer(t, c, { referredOn: '2025-09-01' })).referralId, c.prime.key, c.jobcentre.key);
    const handed = await (await (await Journey.refer(t, other, { referredOn: '2025-09-02' })).acknowledge()).attach('2025-09-09');
    await handed.handOn(asMember);
    await (await Journey.refer(t, other, { referredOn: '2025-09-02' })).offer(asMember);
    const ended = await Journey.refer(t, other, { referredOn: '2025-09-02' });
    const handoffId = await ended.offer(asMember);
    await t.gql('mutation($id: ID!) { withdrawHandoff(input: { handoffId: $id, reason: "Not needed" }) { userErrors { code } } }', { id: handoffId }, other.prime.key);
    await Journey.refer(t, c, { referredOn: '2025-09-03' });
  }, 120000);

  it.each([
    ['a prime with referrals handed to it too', () => c.prime],
    ['a subcontractor', () => c.endToEnd],
    ['the other chain\'s prime', () => other.prime],
  ])('gives %s each referral once, in arrival order, page after page, with and without the live filter', async (_who, member) => {
    for (const status of [null, LIVE, ['WITHDRAWN']]) {
      const want = await expected(member(), status);
      expect(await pages(member(), status)).toEqual({ ids: want, totalCount: want.length });
    }
    expect((await expected(c.prime, LIVE)).length).toBeGreaterThan(5);
  });
});

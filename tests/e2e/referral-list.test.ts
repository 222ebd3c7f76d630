import { LIVE_HANDOFF_STATUSES, LIVE_STATUSES, Role } from '../../src/auth/access.enums';
import { accessTo, createAccessLoaders } from '../../src/auth/referral-access';
import type { Viewer } from '../../src/auth/viewer';
import { listReferrals } from '../../src/modules/referrals/referrals.service';
import { DeliveryModel } from '../../src/modules/contracts/contracts.enums';
import { addSubcontractor } from '../../src/modules/contracts/contracts.service';
import { type Member, type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

/** The `referrals` list, read source by source (src/auth/referral-access.ts, referralListSql), against the access rule as one filter. */
let t: TestServer;
let c: TestChain;
beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 83);
});
afterAll(() => t.close());

type Filter = { status?: string[]; cpaCode?: number; paymentGroup?: string; referredFrom?: string; referredTo?: string };

/** The rule 9422dbf replaced (PROVIDER_REFERRALS, and the Jobcentre's), with the same filters, in seq order. */
async function expected(viewer: { id: string; jobcentre: boolean }, f: Filter): Promise<string[]> {
  const params: unknown[] = [viewer.id];
  const where = [
    viewer.jobcentre
      ? 'r.jobcentre_id = $1'
      : `(r.contract_id IN (SELECT id FROM prime_contract WHERE prime_id = $1)
          OR r.id IN (SELECT referral_id FROM handoff WHERE to_organisation_id = $1 AND status = ANY($${params.push(LIVE_HANDOFF_STATUSES)})))`,
  ];
  if (f.status?.length) where.push(`r.status = ANY($${params.push(f.status)})`);
  if (f.cpaCode != null) where.push(`r.cpa_id = (SELECT id FROM cpa WHERE code = $${params.push(f.cpaCode)})`);
  if (f.paymentGroup) where.push(`r.payment_group = $${params.push(f.paymentGroup)}`);
  if (f.referredFrom) where.push(`r.referred_on >= $${params.push(f.referredFrom)}`);
  if (f.referredTo) where.push(`r.referred_on <= $${params.push(f.referredTo)}`);
  const rows: Array<{ id: string }> = await t.db.dataSource.query(`SELECT r.id FROM referral r WHERE ${where.join(' AND ')} ORDER BY r.seq`, params);
  return rows.map((row) => row.id);
}

type Page = { referrals: { totalCount: number; edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

async function listed(key: string, filter: Filter, first: number): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const response: { data?: Page | null; errors?: unknown } = await t.gql<Page>(
      `query($filter: ReferralFilter, $first: Int, $after: String) { referrals(filter: $filter, first: $first, after: $after) {
         totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
      { filter, first, after },
      key,
    );
    expect(response.errors).toBeUndefined();
    const page: Page["referrals"] = response.data!.referrals;
    ids.push(...page.edges.map((e) => e.node.id));
    totals.push(page.totalCount);
    if (!page.pageInfo.hasNextPage) return { ids, totals };
    after = page.pageInfo.endCursor;
  }
  throw new Error('no end');
}

it('lists for every viewer what the replaced rule listed, page by page, with every filter', async () => {
  // Prime A also delivers for prime B (an end-to-end place on contract B).
  await addSubcontractor(t.db.dataSource, { contractId: c.area.contracts[1].id, subcontractorId: c.prime.id, deliveryModel: DeliveryModel.END_TO_END });
  const refer = (n: number, referredOn: string, paymentGroup = 'JSA_25_PLUS') =>
    Journey.refer(t, c, { referredOn, paymentGroup, clientReference: `LIST-${n}` });
  const j: Journey[] = [];
  for (let n = 0; n < 12; n++) j.push(await refer(n, n % 2 ? '2024-05-01' : '2024-06-01', n % 3 ? 'JSA_25_PLUS' : 'JSA_18_24'));
  // On contract B: 6..11.
  for (const journey of j.slice(6)) await journey.overrideTo(1);
  const primeA: Member = c.prime;
  // Prime B hands 6 (offered), 7 (accepted) and 8 (accepted, then the referral exits: the handoff ends) to prime A.
  await j[6].offer(primeA);
  await j[7].handOn(primeA);
  await j[8].handOn(primeA);
  await (await j[8].acknowledge()).attach('2024-06-10');
  await j[8].exit('2024-07-01');
  // On A's own contract: 1 offered down, 2 accepted and passed on to the spot provider, 3 handed then exited.
  await j[1].offer(c.endToEnd);
  await j[2].handOn(c.endToEnd);
  await j[2].offer(c.spot, { from: c.endToEnd, purpose: 'SPOT_PROVISION' });
  await j[3].handOn(c.endToEnd);
  await (await j[3].acknowledge()).attach('2024-06-10');
  await j[3].exit('2024-07-01');
  await (await j[4].acknowledge()).attach('2024-06-10');
  await j[10].acknowledge();

  const viewers = [
    { name: 'prime A', member: primeA, jobcentre: false },
    { name: 'prime B', member: c.otherPrime, jobcentre: false },
    { name: 'end-to-end', member: c.endToEnd, jobcentre: false },
    { name: 'spot', member: c.spot, jobcentre: false },
    { name: 'jobcentre', member: c.jobcentre, jobcentre: true },
  ];
  const filters: Filter[] = [
    {},
    { status: ['ALLOCATED', 'ACKNOWLEDGED', 'ATTACHED'] },
    { status: ['EXITED'] },
    { status: ['ALLOCATED'], paymentGroup: 'JSA_25_PLUS' },
    { cpaCode: 83, referredFrom: '2024-05-15' },
    { referredTo: '2024-05-15', status: ['ALLOCATED', 'ACKNOWLEDGED', 'ATTACHED', 'EXITED'] },
    { cpaCode: 9999 },
  ];
  // 8's handoff to prime A ends (as a withdrawal would leave it).
  await t.db.dataSource.query(`UPDATE handoff SET status = 'WITHDRAWN' WHERE referral_id = $1 AND to_organisation_id = $2`, [j[8].referralId, primeA.id]);
  const all = await expected({ id: primeA.id, jobcentre: false }, {});
  expect(all).toEqual(expect.arrayContaining([j[6].referralId, j[7].referralId]));
  expect(all).not.toContain(j[8].referralId);
  expect(await expected({ id: c.spot.id, jobcentre: false }, {})).toEqual([j[2].referralId]);
  for (const viewer of viewers) {
    // The facts read with the page are those the gate would load.
    const asViewer: Viewer = { apiKeyId: 'x', role: viewer.jobcentre ? Role.JOBCENTRE : Role.PROVIDER, organisation: { id: viewer.member.id } as Viewer['organisation'], expiresAt: null };
    const list = await listReferrals(t.db.dataSource, asViewer, {}, { first: 500 });
    expect(list.facts.length).toBe(list.referrals.edges.length);
    for (const facts of list.facts) {
      const loaded = await accessTo({ viewer: asViewer, loaders: createAccessLoaders(t.db.dataSource) }, facts.id);
      expect(facts).toEqual(loaded!.facts);
    }
    for (const filter of filters) {
      const want = await expected({ id: viewer.member.id, jobcentre: viewer.jobcentre }, filter);
      for (const first of [1, 2, 3, 500]) {
        const got = await listed(viewer.member.key, filter, first);
        expect({ viewer: viewer.name, filter, first, ids: got.ids }).toEqual({ viewer: viewer.name, filter, first, ids: want });
        expect(new Set(got.totals)).toEqual(new Set([want.length]));
      }
    }
  }
});

it('has the live referrals of each contract indexed by exactly the statuses the gate calls live', async () => {
  const [{ indexdef }] = await t.db.dataSource.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'referral_live_contract_seq_idx'`);
  expect((indexdef as string).match(/'[A-Z_]+'/g)!.sort()).toEqual(LIVE_STATUSES.map((status) => `'${status}'`).sort());
});

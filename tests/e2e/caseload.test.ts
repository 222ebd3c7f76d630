import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
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


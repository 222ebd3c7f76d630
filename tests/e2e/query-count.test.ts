import { queryCounter } from '../../src/db/data-source';
import { DeliveryModel, Nation } from '../../src/modules/contracts/contracts.enums';
import { addSubcontractor, awardPrimeContract, createCpa } from '../../src/modules/contracts/contracts.service';
import { OrganisationKind } from '../../src/modules/identity/identity.enums';
import { registerOrganisation } from '../../src/modules/identity/identity.service';
import { createChain } from '../helpers/chain';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const NESTED_READ = '{ cpas { code contracts { reference prime { name } subcontracts { deliveryModel subcontractor { name } } marketShares { shareBasisPoints } } } }';

let nextCode = 1;
async function addCpas(count: number): Promise<void> {
  const db = t.db.dataSource;
  for (let i = 0; i < count; i++) {
    const code = nextCode++;
    await createCpa(db, { code, name: `Area ${code}`, nation: Nation.ENGLAND });
    for (const letter of ['A', 'B']) {
      const prime = await registerOrganisation(db, { name: `Prime ${code}${letter}`, kind: OrganisationKind.PROVIDER });
      const contract = await awardPrimeContract(db, {
        cpaCode: code, primeId: prime.id, reference: `Q-${code}-${letter}`, startsOn: '2024-04-01', endsOn: '2029-03-31',
      });
      for (const model of [DeliveryModel.END_TO_END, DeliveryModel.IN_WORK_SUPPORT]) {
        const sub = await registerOrganisation(db, { name: `Sub ${code}${letter} ${model}`, kind: OrganisationKind.PROVIDER });
        await addSubcontractor(db, { contractId: contract.id, subcontractorId: sub.id, deliveryModel: model });
      }
    }
  }
}

async function statementsFor(query: string): Promise<{ statements: number; cpas: number }> {
  const counter = queryCounter(t.serverDb);
  const before = counter.count;
  const response = await t.gql<{ cpas: unknown[] }>(query);
  expect(response.errors).toBeUndefined();
  return { statements: counter.count - before, cpas: response.data!.cpas.length };
}

describe('SQL statements per nested registry read (DataLoader batching)', () => {
  it('does not grow with the number of CPAs, contracts and subcontracts', async () => {
    await addCpas(2);
    const small = await statementsFor(NESTED_READ);
    await addCpas(6);
    const large = await statementsFor(NESTED_READ);
    expect(small.cpas).toBe(2);
    expect(large.cpas).toBe(8);
    expect(large.statements).toBe(small.statements);
    // key lookup, CPAs, contracts, primes, subcontracts, subcontractors, market shares
    expect(large.statements).toBe(7);
  });
});

describe('SQL statements per page of referrals with their participants (the audit of reads)', () => {
  const PAGE = '{ referrals(first: 500) { edges { node { status participant { givenName contact { phone } } } } } }';

  it('does not grow with the number of people read: their reads are recorded in one statement', async () => {
    const c = await createChain(t, 90);
    let people = 0;
    const refer = async (count: number) => {
      const referrals = Array.from({ length: count }, () => {
        people += 1;
        return {
          clientReference: `COUNT-${people}`, cpaCode: 90, jobcentreDistrict: 'Countshire', paymentGroup: 'JSA_25_PLUS',
          participationMode: 'MANDATORY', referredOn: '2024-05-01',
          claimant: { nino: nino(people, 'CE'), givenName: 'Cal', familyName: 'Count', dateOfBirth: '1985-01-01', phone: '01000 333333', consentToShareHealth: false },
        };
      });
      const response = await t.gql(`mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } } } }`, { input: { referrals } }, c.jobcentre.key);
      expect(response.errors).toBeUndefined();
    };
    const read = async () => {
      const counter = queryCounter(t.serverDb);
      const [{ events: before }] = await t.db.dataSource.query(`SELECT count(*)::int AS events FROM audit_event WHERE action = 'READ'`);
      const start = counter.count;
      const response = await t.gql<{ referrals: { edges: unknown[] } }>(PAGE, {}, c.prime.key);
      expect(response.errors).toBeUndefined();
      const statements = counter.count - start;
      const [{ events: after }] = await t.db.dataSource.query(`SELECT count(*)::int AS events FROM audit_event WHERE action = 'READ'`);
      return { statements, people: response.data!.referrals.edges.length, auditEvents: after - before };
    };
    await refer(2);
    const small = await read();
    await refer(10);
    const large = await read();
    expect([small.people, large.people]).toEqual([2, 12]);
    expect([small.auditEvents, large.auditEvents]).toEqual([1, 1]);
    expect(large.statements).toBe(small.statements);
  });
});

describe('SQL statements per page of referrals with their message threads', () => {
  // Ten fields deep, the most a request may be.
  const PAGE = `{ referrals(first: 50) { edges { node { messageThreads(first: 5) { totalCount edges { node { subject startedBy { name }
    messages(first: 5) { edges { node { body } } } } } } } } } }`;

  it('does not grow with the number of referrals, threads and messages: each level is one batched read', async () => {
    const c = await createChain(t, 91);
    let people = 0;
    const refer = async (count: number) => {
      for (let i = 0; i < count; i++) {
        people += 1;
        const submitted = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string } }> } }>(
          `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } } } }`,
          {
            input: {
              referrals: [{
                clientReference: `THREADS-${people}`, cpaCode: 91, jobcentreDistrict: 'Countshire', paymentGroup: 'JSA_25_PLUS',
                participationMode: 'MANDATORY', referredOn: '2024-05-01',
                claimant: { nino: nino(people, 'CT'), givenName: 'Cal', familyName: 'Count', dateOfBirth: '1985-01-01', consentToShareHealth: false },
              }],
            },
          },
          c.jobcentre.key,
        );
        const referralId = submitted.data!.submitReferrals.results[0].referral.id;
        const started = await t.gql<{ startMessageThread: { messageThread: { id: string } } }>(
          `mutation($id: ID!) { startMessageThread(input: { referralId: $id, topic: OTHER, subject: "Hello", body: "First" }) { messageThread { id } } }`,
          { id: referralId },
          c.jobcentre.key,
        );
        await t.gql(
          `mutation($id: ID!) { replyToMessageThread(input: { messageThreadId: $id, body: "Second" }) { messageThread { id } } }`,
          { id: started.data!.startMessageThread.messageThread.id },
          c.prime.key,
        );
      }
    };
    const read = async () => {
      const counter = queryCounter(t.serverDb);
      const before = counter.count;
      const response = await t.gql<{ referrals: { edges: Array<{ node: { messageThreads: { totalCount: number } } }> } }>(PAGE, {}, c.prime.key);
      expect(response.errors).toBeUndefined();
      return { statements: counter.count - before, threads: response.data!.referrals.edges.map((edge) => edge.node.messageThreads.totalCount) };
    };
    await refer(2);
    const small = await read();
    await refer(8);
    const large = await read();
    expect(small.threads).toEqual([1, 1]);
    expect(large.threads).toHaveLength(10);
    expect(large.statements).toBe(small.statements);
    // key, count, page; contracts and handoffs (access); threads, their starters, their messages; the
    // referrals again by id (whose person each subject and body is), and the audit of those reads
    expect(large.statements).toBe(10);
  });
});

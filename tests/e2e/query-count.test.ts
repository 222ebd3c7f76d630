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
    const c = await createChain(t, 92);
    let people = 0;
    const refer = async (count: number) => {
      for (let i = 0; i < count; i++) {
        people += 1;
        const submitted = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string } }> } }>(
          `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } } } }`,
          {
            input: {
              referrals: [{
                clientReference: `THREADS-${people}`, cpaCode: 92, jobcentreDistrict: 'Countshire', paymentGroup: 'JSA_25_PLUS',
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
    // key, page with the referrals' facts (the access gate; the list is not asked its count); threads, their starters,
    // their messages; the referrals again by id (whose person each subject and body is), and the audit of those reads
    expect(large.statements).toBe(7);
  });
});

describe('SQL statements per page of the caseload with every nested list', () => {
  const STATEMENTS = 13;
  const caseload = (first: number, newestFirst = false) => `{ referrals(first: ${first}) { totalCount edges { node {
    status participant { givenName } allocation { method contract { reference } } allocationHistory { method }
    handoffs { status to { name } } complianceDoubts { status } jobStarts { startedOn } payments { kind }
    contacts(first: 5, newestFirst: ${newestFirst}) { totalCount edges { node { occurredAt recordedBy { name } } } }
  } } } }`;

  it('is the same for pages of 10 and 500 (contacts through a loader, counted once for the page)', async () => {
    const c = await createChain(t, 91);
    const referrals = Array.from({ length: 14 }, (_, i) => ({
      clientReference: `CASELOAD-${i}`, cpaCode: 91, jobcentreDistrict: 'Countshire', paymentGroup: 'JSA_25_PLUS',
      participationMode: 'MANDATORY', referredOn: '2024-05-01',
      claimant: { nino: nino(500 + i, 'HJ'), givenName: 'Cara', familyName: 'Caseload', dateOfBirth: '1985-01-01', consentToShareHealth: false },
    }));
    const submitted = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string } }> } }>(
      `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } } } }`, { input: { referrals } }, c.jobcentre.key,
    );
    expect(submitted.errors).toBeUndefined();
    // Three contacts for each referral, recorded by the prime.
    await t.db.dataSource.query(
      `INSERT INTO contact (referral_id, recorded_by, occurred_at, channel, kind, attended)
       SELECT r, $2, timestamptz '2024-05-02 10:00Z' + n * interval '1 day', 'FACE_TO_FACE', 'ADVISER_CONTACT', true
         FROM unnest($1::uuid[]) r CROSS JOIN generate_series(1, 3) n`,
      [submitted.data!.submitReferrals.results.map((r) => r.referral.id), c.prime.id],
    );
    const read = async (first: number, newestFirst = false) => {
      const counter = queryCounter(t.serverDb);
      const start = counter.count;
      const response = await t.gql<{ referrals: { edges: Array<{ node: { contacts: { totalCount: number; edges: Array<{ node: { occurredAt: string } }> } } }> } }>(
        caseload(first, newestFirst), {}, c.prime.key,
      );
      expect(response.errors).toBeUndefined();
      return { statements: counter.count - start, edges: response.data!.referrals.edges };
    };
    const small = await read(10);
    const large = await read(500);
    expect([small.edges.length, large.edges.length]).toEqual([10, 14]);
    expect(large.edges.every((e) => e.node.contacts.totalCount === 3 && e.node.contacts.edges.length === 3)).toBe(true);
    expect(large.statements).toBe(small.statements);
    // The key, the page with its access facts, and its total; participants, allocations, contracts, handoffs,
    // receivers, doubts, job starts, payments; contacts with their counts; the audit of the reads.
    expect(small.statements).toBe(STATEMENTS);
    // The list's total is counted only when asked: one statement fewer without it.
    const counter = queryCounter(t.serverDb);
    const before = counter.count;
    const uncounted = await t.gql<{ referrals: { edges: unknown[] } }>(caseload(500).replace('{ referrals(first: 500) { totalCount edges', '{ referrals(first: 500) { edges'), {}, c.prime.key);
    expect(uncounted.data!.referrals.edges).toHaveLength(14);
    expect(counter.count - before).toBe(small.statements - 1);
    // ...also through a fragment.
    const viaFragment = await t.gql<{ referrals: { totalCount: number } }>('{ referrals(first: 1) { ...total } } fragment total on ReferralConnection { totalCount }', {}, c.prime.key);
    expect(viaFragment.data!.referrals.totalCount).toBe(14);
    const newest = await read(500, true);
    expect(newest.edges[0].node.contacts.edges.map((e) => e.node.occurredAt)).toEqual(['2024-05-05T10:00:00.000Z', '2024-05-04T10:00:00.000Z', '2024-05-03T10:00:00.000Z']);
    expect(newest.statements).toBe(small.statements);
    // A referral without contacts counts none, in the same statement as the others' pages.
    const alone = await t.gql(
      `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created } } }`,
      { input: { referrals: [{ ...referrals[0], clientReference: 'CASELOAD-ALONE', claimant: { ...referrals[0].claimant, nino: nino(600, 'HJ') } }] } },
      c.jobcentre.key,
    );
    expect(alone.data).toEqual({ submitReferrals: { results: [{ created: true }] } });
    const withAlone = await read(500);
    expect(withAlone.edges.at(-1)!.node.contacts).toEqual({ totalCount: 0, edges: [] });
    expect(withAlone.edges.slice(0, 14).every((e) => e.node.contacts.totalCount === 3)).toBe(true);
    expect(withAlone.statements).toBe(STATEMENTS);
  });
});

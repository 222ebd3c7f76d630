import { Nation } from '../../src/modules/contracts/contracts.enums';
import { Role } from '../../src/auth/access.enums';
import { type TestChain, createChain } from '../helpers/chain';
import { createArea, nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

// Issue 14, item 5: eligibility by group, a Jobcentre refers into its own CPA, overrides carry a category.
let t: TestServer;
let c: TestChain;
let other: TestChain;
let admin: string;

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 71);
  other = await createChain(t, 72);
  admin = (await t.keyFor(Role.ADMIN)).secret;
});
afterAll(() => t.close());

interface Result { referral: { id: string } | null; userErrors: Array<{ code: string; field: string[] }> }
let people = 0;
async function submit(key: string, overrides: Record<string, unknown> = {}, claimant: Record<string, unknown> = {}): Promise<Result> {
  people += 1;
  const response = await t.gql<{ submitReferrals: { results: Result[] } }>(
    `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } userErrors { code field } } } }`,
    {
      input: {
        referrals: [{
          clientReference: `ELIG-${people}`, cpaCode: 71, jobcentreDistrict: 'District', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY',
          referredOn: '2024-06-15', ...overrides,
          claimant: { nino: nino(people, 'EL'), givenName: 'Eli', familyName: 'Gible', dateOfBirth: '1980-01-01', consentToShareHealth: false, ...claimant },
        }],
      },
    },
    key,
  );
  return response.data!.submitReferrals.results[0];
}
const codes = (result: Result) => result.userErrors.map((e) => e.code);
async function allocatedItems(key: string): Promise<number> {
  const response = await t.gql<{ inbox: { edges: unknown[] } }>('{ inbox(first: 500, kinds: [REFERRAL_ALLOCATED]) { edges { cursor } } }', {}, key);
  return response.data!.inbox.edges.length;
}
const referralCount = async () => Number((await t.db.dataSource.query('SELECT count(*) AS n FROM referral'))[0].n);

describe('eligibility by payment group, checked at submission', () => {
  it('JSA 18–24 is for people aged 18 to 24 on the referral date: a 60-year-old is refused, and nothing is written', async () => {
    const before = await referralCount();
    const primeItems = await allocatedItems(c.prime.key);
    const sixty = await submit(c.jobcentre.key, { paymentGroup: 'JSA_18_24' }, { dateOfBirth: '1964-03-01' });
    expect(sixty).toEqual({ referral: null, userErrors: [{ code: 'AGE_OUTSIDE_GROUP', field: ['claimant', 'dateOfBirth'] }] });
    expect(codes(await submit(c.jobcentre.key, { paymentGroup: 'JSA_18_24' }, { dateOfBirth: '1999-06-15' }))).toEqual(['AGE_OUTSIDE_GROUP']); // 25 that day
    expect(codes(await submit(c.jobcentre.key, { paymentGroup: 'JSA_25_PLUS' }, { dateOfBirth: '2000-01-01' }))).toEqual(['AGE_OUTSIDE_GROUP']);
    expect(await referralCount()).toBe(before);
    expect(await allocatedItems(c.prime.key)).toBe(primeItems);
    const young = await submit(c.jobcentre.key, { paymentGroup: 'JSA_18_24' }, { dateOfBirth: '1999-06-16' }); // 24, a day before 25
    expect(young.userErrors).toEqual([]);
    expect(await allocatedItems(c.prime.key)).toBe(primeItems + 1);
  });

  it('IB/IS is England only: refused into a Scottish CPA by its own Jobcentre, accepted in England', async () => {
    const scotland = await createArea(t, 73, [10000], undefined, Nation.SCOTLAND);
    const { secret: scottishJobcentre } = await registerJobcentre('Jobcentre 73', 73);
    const refused = await submit(scottishJobcentre, { cpaCode: 73, paymentGroup: 'IB_IS', participationMode: 'VOLUNTARY' });
    expect(refused).toEqual({ referral: null, userErrors: [{ code: 'GROUP_NOT_AVAILABLE_IN_CPA', field: ['paymentGroup'] }] });
    expect((await t.gql<{ inbox: { edges: unknown[] } }>('{ inbox { edges { cursor } } }', {}, scotland.primeKeys[0])).data!.inbox.edges).toEqual([]);
    expect((await submit(scottishJobcentre, { cpaCode: 73, paymentGroup: 'ESA_VOLUNTEER', participationMode: 'VOLUNTARY' })).userErrors).toEqual([]);
    expect((await submit(c.jobcentre.key, { paymentGroup: 'IB_IS', participationMode: 'VOLUNTARY' })).userErrors).toEqual([]);
  });
});

async function registerJobcentre(name: string, cpaCode: number | null): Promise<{ secret: string; id: string }> {
  const registered = await t.gql<{ registerOrganisation: { organisation: { id: string; cpa: { code: number } | null } } }>(
    `mutation($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { organisation { id cpa { code } } userErrors { code } } }`,
    { input: { name, kind: 'JOBCENTRE', cpaCode } },
    admin,
  );
  const organisation = registered.data!.registerOrganisation.organisation;
  expect(organisation.cpa?.code ?? null).toBe(cpaCode);
  const issued = await t.gql<{ issueApiKey: { secret: string } }>(
    `mutation($id: ID!) { issueApiKey(input: { organisationId: $id, role: JOBCENTRE }) { secret } }`,
    { id: organisation.id },
    admin,
  );
  return { secret: issued.data!.issueApiKey.secret, id: organisation.id };
}

describe("a Jobcentre refers into its own CPA's contracts only", () => {
  it("refuses a referral into another CPA, and the other CPA's primes hear nothing", async () => {
    const otherPrimeItems = await allocatedItems(other.prime.key);
    const before = await referralCount();
    expect(await submit(c.jobcentre.key, { cpaCode: 72 })).toEqual({ referral: null, userErrors: [{ code: 'CPA_NOT_SERVED', field: ['cpaCode'] }] });
    expect(await referralCount()).toBe(before);
    expect(await allocatedItems(other.prime.key)).toBe(otherPrimeItems);
    expect((await submit(other.jobcentre.key, { cpaCode: 72 })).userErrors).toEqual([]);
    expect(await allocatedItems(other.prime.key)).toBe(otherPrimeItems + 1);
  });

  it('the registry places a Jobcentre in one CPA; only a Jobcentre, and only a known CPA', async () => {
    const me = await t.gql<{ viewer: { organisation: { cpa: { code: number } } } }>('{ viewer { organisation { cpa { code } } } }', {}, c.jobcentre.key);
    expect(me.data!.viewer.organisation.cpa.code).toBe(71);
    const register = async (input: Record<string, unknown>) =>
      (await t.gql<{ registerOrganisation: { userErrors: Array<{ code: string }> } }>(
        `mutation($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { userErrors { code } } }`, { input }, admin,
      )).data!.registerOrganisation.userErrors.map((e) => e.code);
    expect(await register({ name: 'A provider in a CPA', kind: 'PROVIDER', cpaCode: 71 })).toEqual(['CPA_ONLY_FOR_JOBCENTRE']);
    expect(await register({ name: 'Jobcentre nowhere', kind: 'JOBCENTRE', cpaCode: 999 })).toEqual(['UNKNOWN_CPA']);
  });
});

describe('overrides carry a reason category as well as free text', () => {
  it('records the category beside the free text; the new prime reads both', async () => {
    const submitted = await submit(c.jobcentre.key);
    const id = submitted.referral!.id;
    const moved = await t.gql<{ overrideAllocation: { referral: { allocation: { method: string; reason: string; reasonCategory: string } } | null; userErrors: unknown[] } }>(
      `mutation($id: ID!, $contract: ID!) { overrideAllocation(input: { referralId: $id, contractId: $contract, reason: "Step-free access needed", reasonCategory: ACCESSIBILITY }) {
         referral { allocation { method reason reasonCategory } } userErrors { code } } }`,
      { id, contract: c.area.contracts[1].id },
      c.jobcentre.key,
    );
    expect(moved.data!.overrideAllocation).toEqual({
      referral: { allocation: { method: 'MANUAL_OVERRIDE', reason: 'Step-free access needed', reasonCategory: 'ACCESSIBILITY' } },
      userErrors: [],
    });
    const read = async (key: string) =>
      (await t.gql<{ referral: { allocation: { reason: string | null; reasonCategory: string | null } } }>(
        `query($id: ID!) { referral(id: $id) { allocation { reason reasonCategory } } }`, { id }, key,
      )).data!.referral.allocation;
    expect(await read(c.otherPrime.key)).toEqual({ reason: 'Step-free access needed', reasonCategory: 'ACCESSIBILITY' });
    // Without a category, as before.
    const plain = (await submit(c.jobcentre.key)).referral!.id;
    const movedPlain = await t.gql<{ overrideAllocation: { referral: { allocation: { reasonCategory: string | null } } } }>(
      `mutation($id: ID!, $contract: ID!) { overrideAllocation(input: { referralId: $id, contractId: $contract, reason: "Nearer" }) { referral { allocation { reasonCategory } } } }`,
      { id: plain, contract: c.area.contracts[1].id },
      c.jobcentre.key,
    );
    expect(movedPlain.data!.overrideAllocation.referral.allocation.reasonCategory).toBeNull();
  });
});

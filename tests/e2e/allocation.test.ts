import { chiSquarePValue } from '../../src/modules/allocation/chi-square';
import { Role } from '../../src/modules/identity/identity.enums';
import { type TestArea, createArea, nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

/** Random allocation is fair: 20,000 draws per CPA, stored in PostgreSQL, tested by allocationCheck. */
let t: TestServer;
let jobcentre: string;
let analyst: string;

beforeAll(async () => {
  t = await startTestServer();
  jobcentre = (await t.keyFor(Role.JOBCENTRE)).secret;
  analyst = (await t.keyFor(Role.ANALYST)).secret;
});
afterAll(() => t.close());

const ALLOCATIONS = 20000;
const BATCH = 1000;

async function referMany(cpaCode: number, prefix: string): Promise<void> {
  for (let start = 0; start < ALLOCATIONS; start += BATCH) {
    const referrals = Array.from({ length: BATCH }, (_, i) => ({
      clientReference: `${prefix}-${start + i}`,
      cpaCode,
      jobcentreDistrict: 'Fairness',
      paymentGroup: 'JSA_25_PLUS',
      participationMode: 'MANDATORY',
      referredOn: '2024-06-03',
      claimant: { nino: nino(start + i, prefix), givenName: 'Test', familyName: 'Person', dateOfBirth: '1990-01-01', consentToShareHealth: false },
    }));
    const response = await t.gql<{ submitReferrals: { results: Array<{ created: boolean }> } }>(
      'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created } } }',
      { input: { referrals } },
      jobcentre,
    );
    expect(response.data!.submitReferrals.results.every((r) => r.created)).toBe(true);
  }
}

interface Check {
  referrals: number;
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  shares: Array<{ contract: { id: string }; expectedShare: number; observedShare: number; referrals: number }>;
}

async function check(cpaCode: number, key = analyst) {
  return t.gql<{ allocationCheck: Check }>(
    `query($code: Int!) { allocationCheck(cpaCode: $code, from: "2024-06-01", to: "2024-06-30", paymentGroup: JSA_25_PLUS) {
      referrals chiSquare degreesOfFreedom pValue shares { contract { id } expectedShare observedShare referrals } } }`,
    { code: cpaCode },
    key,
  );
}

/** The same test against shares that are not the ones drawn with, so that the test can fail. */
function pValueAgainst(result: Check, area: TestArea, shares: number[]): number {
  const chiSquare = area.contracts.reduce((sum, contract, i) => {
    const observed = result.shares.find((s) => s.contract.id === contract.id)!.referrals;
    const expected = (result.referrals * shares[i]) / 10000;
    return sum + (observed - expected) ** 2 / expected;
  }, 0);
  return chiSquarePValue(chiSquare, area.contracts.length - 1);
}

describe.each([
  [2, 41, [5000, 5000], [5500, 4500]],
  [3, 42, [4000, 3000, 3000], [3400, 3300, 3300]],
])('random allocation over a %i-contract CPA', (_contracts, cpaCode, shares, wrongShares) => {
  let area: TestArea;
  let result: Check;

  beforeAll(async () => {
    area = await createArea(t, cpaCode, shares);
    await referMany(cpaCode, cpaCode === 41 ? 'KA' : 'KB');
    const response = await check(cpaCode);
    expect(response.errors).toBeUndefined();
    result = response.data!.allocationCheck;
  });

  it(`passes the chi-square test at ${shares.join('/')} (p > 0.001)`, () => {
    expect(result.referrals).toBe(ALLOCATIONS);
    expect(result.degreesOfFreedom).toBe(shares.length - 1);
    expect(result.pValue).toBeGreaterThan(0.001);
    for (const [i, contract] of area.contracts.entries()) {
      const share = result.shares.find((s) => s.contract.id === contract.id)!;
      expect(share.expectedShare).toBeCloseTo(shares[i] / 10000, 10);
      expect(Math.abs(share.observedShare - share.expectedShare)).toBeLessThan(0.02);
    }
  });

  it(`fails it against the wrong shares ${wrongShares.join('/')}`, () => {
    expect(pValueAgainst(result, area, shares)).toBeCloseTo(result.pValue, 10);
    expect(pValueAgainst(result, area, wrongShares)).toBeLessThan(0.001);
  });
});

describe('allocationCheck access', () => {
  it('is for analysts and admins only, and NOT_FOUND for an unknown CPA', async () => {
    expect((await check(41, jobcentre)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await check(41, (await t.keyFor(Role.PROVIDER)).secret)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await check(41, (await t.keyFor(Role.ADMIN)).secret)).errors).toBeUndefined();
    expect((await check(99)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

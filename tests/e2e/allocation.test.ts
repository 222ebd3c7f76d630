import { chiSquarePValue } from '../../src/modules/allocation/chi-square';
import { PaymentGroup } from '../../src/modules/contracts/contracts.enums';
import { setMarketShares } from '../../src/modules/contracts/contracts.service';
import { Role } from '../../src/auth/access.enums';
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
  from: string;
  to: string;
  randomReferrals: number | null;
  degreesOfFreedom: number;
  test: { chiSquare: number; pValue: number } | null;
  suppressed: boolean;
  shares: Array<{ contract: { id: string }; expectedShare: number; randomShare: number | null; randomReferrals: number | null }>;
}

const CHECK = `from to randomReferrals degreesOfFreedom test { chiSquare pValue } suppressed
  shares { contract { id } expectedShare randomShare randomReferrals }`;
/** The fields the partner contract first had, deprecated since they cannot be null. */
const DEPRECATED = 'referrals chiSquare pValue shares { referrals observedShare }';

async function check(cpaCode: number, key = analyst, period = { from: '2024-06-01', to: '2024-06-30' }, fields = CHECK) {
  return t.gql<{ allocationCheck: Check }>(
    `query($code: Int!, $from: Date!, $to: Date!) { allocationCheck(cpaCode: $code, from: $from, to: $to, paymentGroup: JSA_25_PLUS) { ${fields} } }`,
    { code: cpaCode, ...period },
    key,
  );
}

/** The same test against shares that are not the ones drawn with, so that the test can fail. */
function pValueAgainst(result: Check, area: TestArea, shares: number[]): number {
  const chiSquare = area.contracts.reduce((sum, contract, i) => {
    const observed = result.shares.find((s) => s.contract.id === contract.id)!.randomReferrals!;
    const expected = (result.randomReferrals! * shares[i]) / 10000;
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
    // 20,000 referrals through the API: ~15 s on a quiet machine, over 60 s when CI runs another suite beside it.
  }, 300000);

  it(`passes the chi-square test at ${shares.join('/')} (p > 0.001)`, () => {
    expect(result).toMatchObject({ from: '2024-06-01', to: '2024-06-30', randomReferrals: ALLOCATIONS, suppressed: false });
    expect(result.degreesOfFreedom).toBe(shares.length - 1);
    expect(result.test!.pValue).toBeGreaterThan(0.001);
    for (const [i, contract] of area.contracts.entries()) {
      const share = result.shares.find((s) => s.contract.id === contract.id)!;
      expect(share.expectedShare).toBeCloseTo(shares[i] / 10000, 10);
      expect(Math.abs(share.randomShare! - share.expectedShare)).toBeLessThan(0.02);
    }
  });

  it(`fails it against the wrong shares ${wrongShares.join('/')}`, () => {
    expect(pValueAgainst(result, area, shares)).toBeCloseTo(result.test!.pValue, 10);
    expect(pValueAgainst(result, area, wrongShares)).toBeLessThan(0.001);
  });

  it('answers the deprecated fields the same while nothing is withheld', async () => {
    const old = (await check(cpaCode, analyst, undefined, DEPRECATED)).data!.allocationCheck as unknown as {
      referrals: number;
      chiSquare: number;
      pValue: number;
      shares: Array<{ referrals: number; observedShare: number }>;
    };
    expect(old).toEqual({
      referrals: result.randomReferrals,
      chiSquare: result.test!.chiSquare,
      pValue: result.test!.pValue,
      shares: result.shares.map((share) => ({ referrals: share.randomReferrals, observedShare: share.randomShare })),
    });
  });
});

/**
 * Disclosure control: CPA 43's shares send every referral to contract A until 10 July 2024 and
 * every one to contract B from then, so that the counts are known: 6 to A on 2 July, 2 to B on 15 July,
 * and 2 to B on 3 September.
 */
describe('small counts', () => {
  let area: TestArea;

  beforeAll(async () => {
    area = await createArea(t, 43, [10000, 0]);
    await setMarketShares(t.db.dataSource, {
      cpaCode: 43,
      paymentGroup: PaymentGroup.JSA_25_PLUS,
      effectiveFrom: '2024-07-10',
      shares: area.contracts.map((contract, i) => ({ contractId: contract.id, shareBasisPoints: [0, 10000][i] })),
    });
    const referrals = [...Array(10).keys()].map((i) => ({
      clientReference: `SMALL-${i}`,
      cpaCode: 43,
      jobcentreDistrict: 'Small',
      paymentGroup: 'JSA_25_PLUS',
      participationMode: 'MANDATORY',
      referredOn: i < 6 ? '2024-07-02' : i < 8 ? '2024-07-15' : '2024-09-03',
      claimant: { nino: nino(i, 'KC'), givenName: 'Test', familyName: 'Person', dateOfBirth: '1990-01-01', consentToShareHealth: false },
    }));
    const response = await t.gql<{ submitReferrals: { results: Array<{ created: boolean }> } }>(
      'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created } } }',
      { input: { referrals } },
      jobcentre,
    );
    expect(response.data!.submitReferrals.results.every((r) => r.created)).toBe(true);
  });

  const july = { from: '2024-07-01', to: '2024-07-31' };
  const shareOf = (result: Check, i: number) => result.shares.find((s) => s.contract.id === area.contracts[i].id)!;

  it("withholds every contract's count and the test when one count is under the threshold, and shows the total", async () => {
    const response = await check(43, analyst, july);
    expect(response.errors).toBeUndefined();
    const result = response.data!.allocationCheck;
    // B's 2 alone would be the total less A's 6; with two contracts the chi-square would give it back too.
    expect(result).toMatchObject({ randomReferrals: 8, degreesOfFreedom: 1, test: null, suppressed: true });
    expect(shareOf(result, 0)).toMatchObject({ randomReferrals: null, randomShare: null, expectedShare: 0.75 });
    expect(shareOf(result, 1)).toMatchObject({ randomReferrals: null, randomShare: null, expectedShare: 0.25 });
    expect(JSON.stringify(result)).not.toMatch(/"randomReferrals":[26]\b/);
  });

  it('withholds a total under the threshold, and everything made of it', async () => {
    const result = (await check(43, analyst, { from: '2024-09-01', to: '2024-09-30' })).data!.allocationCheck;
    expect(result).toMatchObject({ randomReferrals: null, degreesOfFreedom: 0, test: null, suppressed: true });
    expect(result.shares.map(({ randomReferrals, randomShare }) => [randomReferrals, randomShare])).toEqual([[null, null]]);
    // Expected shares come from the market shares in force, which every key reads anyway.
    expect(shareOf(result, 1).expectedShare).toBe(1);
  });

  it('counts whole months, so that a narrow range cannot isolate a referral', async () => {
    const day = (await check(43, analyst, { from: '2024-07-15', to: '2024-07-15' })).data!.allocationCheck;
    expect(day).toMatchObject({ from: '2024-07-01', to: '2024-07-31', randomReferrals: 8, suppressed: true });
    expect(day.shares.map((share) => share.randomReferrals)).toEqual([null, null]);
  });

  it('shows a true zero', async () => {
    const none = (await check(43, analyst, { from: '2024-08-01', to: '2024-08-31' })).data!.allocationCheck;
    expect(none).toMatchObject({ from: '2024-08-01', to: '2024-08-31', randomReferrals: 0, suppressed: false, shares: [] });
  });

  it('fails a deprecated non-null field whose figure is withheld with WITHHELD, rather than show it', async () => {
    const response = await check(43, analyst, july, 'referrals shares { referrals }');
    expect(response.status).toBe(200);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['allocationCheck', 'shares', 0, 'referrals'],
        extensions: { code: 'WITHHELD' },
        message: 'referrals is withheld under the disclosure threshold; read randomReferrals, which is null when withheld',
      }),
    ]);
    // The total is not withheld, and still reads.
    expect((await check(43, analyst, july, 'referrals')).data!.allocationCheck).toEqual({ referrals: 8 });
    expect((await check(43, analyst, july, 'pValue')).errors![0].extensions).toEqual({ code: 'WITHHELD' });
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

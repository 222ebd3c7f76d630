import { type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

type Payload = { userErrors: Array<{ code: string; field: string[] | null; message: string }> } & Record<string, unknown>;

async function mutate(name: string, inputType: string, input: Record<string, unknown>, selection: string): Promise<Payload> {
  const response = await t.gql<Record<string, Payload>>(
    `mutation($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { code field message } } }`,
    { input },
  );
  expect(response.errors).toBeUndefined();
  return response.data![name];
}

const createCpa = (input: Record<string, unknown>) => mutate('createCpa', 'CreateCpaInput', input, 'cpa { id code name nation }');
const registerOrganisation = (input: Record<string, unknown>) =>
  mutate('registerOrganisation', 'RegisterOrganisationInput', input, 'organisation { id name kind }');
const award = (input: Record<string, unknown>) =>
  mutate('awardPrimeContract', 'AwardPrimeContractInput', input, 'contract { id reference startsOn endsOn cpa { code } prime { id } }');
const addSubcontractor = (input: Record<string, unknown>) =>
  mutate('addSubcontractor', 'AddSubcontractorInput', input, 'subcontract { id deliveryModel specialisms parent { id } }');
const setShares = (input: Record<string, unknown>) =>
  mutate('setMarketShares', 'SetMarketSharesInput', input, 'marketShares { paymentGroup shareBasisPoints effectiveFrom contract { id } }');

const codes = (payload: Payload) => payload.userErrors.map((e) => e.code);
const id = (payload: Payload, key: string) => (payload[key] as { id: string }).id;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

async function provider(name: string): Promise<string> {
  return id(await registerOrganisation({ name, kind: 'PROVIDER' }), 'organisation');
}

describe('createCpa', () => {
  it('creates a CPA', async () => {
    const payload = await createCpa({ code: 101, name: 'Test Area', nation: 'WALES' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.cpa).toMatchObject({ code: 101, name: 'Test Area', nation: 'WALES' });
  });

  it('refuses a duplicate code, writing nothing', async () => {
    const payload = await createCpa({ code: 101, name: 'Again', nation: 'ENGLAND' });
    expect(payload.cpa).toBeNull();
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE_CPA_CODE', field: ['code'] })]);
    const read = await t.gql<{ cpa: { name: string } }>('{ cpa(code: 101) { name } }');
    expect(read.data!.cpa.name).toBe('Test Area');
  });

  it('refuses a code that is not positive and a blank name, together', async () => {
    expect(codes(await createCpa({ code: 0, name: '  ', nation: 'ENGLAND' }))).toEqual(['INVALID_CPA_CODE', 'NAME_REQUIRED']);
  });
});

describe('registerOrganisation', () => {
  it('registers, and refuses the same name and kind in any letter case', async () => {
    const first = await registerOrganisation({ name: 'Acme Futures', kind: 'PROVIDER' });
    expect(first.organisation).toMatchObject({ name: 'Acme Futures', kind: 'PROVIDER' });
    expect(codes(await registerOrganisation({ name: 'ACME futures', kind: 'PROVIDER' }))).toEqual(['DUPLICATE_ORGANISATION']);
    expect(codes(await registerOrganisation({ name: ' ', kind: 'PROVIDER' }))).toEqual(['NAME_REQUIRED']);
  });
});

describe('awardPrimeContract and market shares', () => {
  let primeA: string;
  let primeB: string;
  let primeC: string;
  let contractA: string;
  let contractB: string;

  beforeAll(async () => {
    await createCpa({ code: 201, name: 'Shares Area', nation: 'ENGLAND' });
    [primeA, primeB, primeC] = [await provider('Prime A'), await provider('Prime B'), await provider('Prime C')];
  });

  it('awards a contract that starts on the whole market in every payment group', async () => {
    const payload = await award({ cpaCode: 201, primeId: primeA, reference: 'C-201-A', startsOn: '2024-04-01', endsOn: '2029-03-31' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.contract).toMatchObject({ reference: 'C-201-A', startsOn: '2024-04-01', endsOn: '2029-03-31', cpa: { code: 201 } });
    contractA = id(payload, 'contract');
    const read = await t.gql<{ node: { marketShares: Array<{ shareBasisPoints: number; effectiveFrom: string }> } }>(
      `query($id: ID!) { node(id: $id) { ... on PrimeContract { marketShares { shareBasisPoints effectiveFrom } } } }`,
      { id: contractA },
    );
    expect(read.data!.node.marketShares).toHaveLength(9);
    expect(read.data!.node.marketShares.every((s) => s.shareBasisPoints === 10000 && s.effectiveFrom === '2024-04-01')).toBe(true);
  });

  it('splits the market equally when a second contract starts', async () => {
    const payload = await award({ cpaCode: 201, primeId: primeB, reference: 'C-201-B', startsOn: '2024-07-01', endsOn: '2029-03-31' });
    contractB = id(payload, 'contract');
    const read = await t.gql<{ cpa: { contracts: Array<{ reference: string; marketShares: Array<{ shareBasisPoints: number; effectiveFrom: string; paymentGroup: string }> }> } }>(
      '{ cpa(code: 201) { contracts { reference marketShares { paymentGroup shareBasisPoints effectiveFrom } } } }',
    );
    const [a, b] = read.data!.cpa.contracts;
    expect(a.reference).toBe('C-201-A');
    expect(a.marketShares.filter((s) => s.effectiveFrom === '2024-07-01').map((s) => s.shareBasisPoints)).toEqual(Array(9).fill(5000));
    expect(b.marketShares.map((s) => s.shareBasisPoints)).toEqual(Array(9).fill(5000));
  });

  it('refuses unknown CPA, unknown prime, a Jobcentre as prime, blank reference and an end before the start', async () => {
    const jobcentre = id(await registerOrganisation({ name: 'JCP Shares', kind: 'JOBCENTRE' }), 'organisation');
    expect(codes(await award({ cpaCode: 999, primeId: UNKNOWN_ID, reference: ' ', startsOn: '2024-04-01', endsOn: '2024-03-31' })))
      .toEqual(['UNKNOWN_CPA', 'UNKNOWN_ORGANISATION', 'REFERENCE_REQUIRED', 'INVALID_CONTRACT_PERIOD']);
    expect(codes(await award({ cpaCode: 201, primeId: 'not-an-id', reference: 'X', startsOn: '2024-04-01', endsOn: '2025-03-31' })))
      .toEqual(['UNKNOWN_ORGANISATION']);
    expect(codes(await award({ cpaCode: 201, primeId: jobcentre, reference: 'X', startsOn: '2024-04-01', endsOn: '2025-03-31' })))
      .toEqual(['NOT_A_PROVIDER']);
  });

  it('refuses a duplicate reference and a second overlapping contract for one prime in one CPA, leaving shares as they were', async () => {
    expect(codes(await award({ cpaCode: 201, primeId: primeC, reference: 'C-201-A', startsOn: '2024-07-01', endsOn: '2029-03-31' })))
      .toEqual(['DUPLICATE_CONTRACT_REFERENCE']);
    expect(codes(await award({ cpaCode: 201, primeId: primeA, reference: 'C-201-A2', startsOn: '2028-04-01', endsOn: '2030-03-31' })))
      .toEqual(['PRIME_ALREADY_IN_CPA']);
    const read = await t.gql<{ cpa: { contracts: unknown[] } }>('{ cpa(code: 201) { contracts { id } } }');
    expect(read.data!.cpa.contracts).toHaveLength(2);
  });

  it('refuses a contract starting before the CPA\'s latest market shares', async () => {
    const payload = await award({ cpaCode: 201, primeId: primeC, reference: 'C-201-C', startsOn: '2024-05-01', endsOn: '2029-03-31' });
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'STARTS_BEFORE_CURRENT_SHARES', field: ['startsOn'] })]);
  });

  it('sets shares for a CPA and payment group from a date', async () => {
    const payload = await setShares({
      cpaCode: 201,
      paymentGroup: 'JSA_25_PLUS',
      effectiveFrom: '2025-09-01',
      shares: [
        { contractId: contractA, shareBasisPoints: 5500 },
        { contractId: contractB, shareBasisPoints: 4500 },
      ],
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.marketShares).toEqual([
      { paymentGroup: 'JSA_25_PLUS', shareBasisPoints: 5500, effectiveFrom: '2025-09-01', contract: { id: contractA } },
      { paymentGroup: 'JSA_25_PLUS', shareBasisPoints: 4500, effectiveFrom: '2025-09-01', contract: { id: contractB } },
    ]);
  });

  it('refuses shares not summing to 10000, a missing, duplicate, foreign or negative share, and a date with no contract', async () => {
    const base = { cpaCode: 201, paymentGroup: 'JSA_18_24', effectiveFrom: '2025-01-01' };
    expect(codes(await setShares({ ...base, shares: [{ contractId: contractA, shareBasisPoints: 5000 }, { contractId: contractB, shareBasisPoints: 4999 }] })))
      .toEqual(['SHARES_NOT_10000']);
    expect(codes(await setShares({ ...base, shares: [{ contractId: contractA, shareBasisPoints: 10000 }] })))
      .toEqual(['MISSING_SHARE']);
    expect(codes(await setShares({ ...base, shares: [
      { contractId: contractA, shareBasisPoints: 5000 },
      { contractId: contractA, shareBasisPoints: 5000 },
    ] }))).toEqual(['DUPLICATE_SHARE', 'MISSING_SHARE']);
    const wrong = await setShares({ ...base, shares: [
      { contractId: contractA, shareBasisPoints: 10001 },
      { contractId: contractB, shareBasisPoints: -1 },
      { contractId: UNKNOWN_ID, shareBasisPoints: 0 },
    ] });
    expect(wrong.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_SHARE', field: ['shares', '0', 'shareBasisPoints'] }),
      expect.objectContaining({ code: 'INVALID_SHARE', field: ['shares', '1', 'shareBasisPoints'] }),
      expect.objectContaining({ code: 'CONTRACT_NOT_IN_FORCE_IN_CPA', field: ['shares', '2', 'contractId'] }),
    ]);
    // Contract B starts on 2024-07-01: before that only A is in force, so B's share is foreign.
    expect(codes(await setShares({ ...base, effectiveFrom: '2024-05-01', shares: [
      { contractId: contractA, shareBasisPoints: 5000 },
      { contractId: contractB, shareBasisPoints: 5000 },
    ] }))).toEqual(['CONTRACT_NOT_IN_FORCE_IN_CPA']);
    expect(codes(await setShares({ ...base, effectiveFrom: '2010-01-01', shares: [] }))).toEqual(['NO_CONTRACT_IN_FORCE']);
    expect(codes(await setShares({ ...base, cpaCode: 999, shares: [] }))).toEqual(['UNKNOWN_CPA']);
    const read = await t.gql<{ node: { marketShares: Array<{ paymentGroup: string; effectiveFrom: string }> } }>(
      `query($id: ID!) { node(id: $id) { ... on PrimeContract { marketShares { paymentGroup effectiveFrom } } } }`,
      { id: contractA },
    );
    expect(read.data!.node.marketShares.filter((s) => s.effectiveFrom === '2025-01-01')).toEqual([]);
  });

  it('refuses a malformed date before any rule runs', async () => {
    const response = await t.gql(
      'mutation { setMarketShares(input: { cpaCode: 201, paymentGroup: JSA_18_24, effectiveFrom: "2025-02-30", shares: [] }) { userErrors { code } } }',
    );
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('addSubcontractor', () => {
  let contract: string;
  let otherContract: string;
  let prime: string;

  beforeAll(async () => {
    await createCpa({ code: 301, name: 'Chain Area', nation: 'SCOTLAND' });
    prime = await provider('Chain Prime');
    contract = id(await award({ cpaCode: 301, primeId: prime, reference: 'C-301', startsOn: '2024-04-01', endsOn: '2029-03-31' }), 'contract');
    otherContract = id(
      await award({ cpaCode: 301, primeId: await provider('Other Prime'), reference: 'C-301-O', startsOn: '2024-04-01', endsOn: '2029-03-31' }),
      'contract',
    );
  });

  it('builds a three-tier chain: an end-to-end subcontractor commissioning a spot provider', async () => {
    const endToEnd = await addSubcontractor({ contractId: contract, subcontractorId: await provider('E2E One'), deliveryModel: 'END_TO_END' });
    expect(endToEnd.userErrors).toEqual([]);
    const spot = await addSubcontractor({
      contractId: contract,
      subcontractorId: await provider('Spot One'),
      deliveryModel: 'SPOT',
      specialisms: [' forklift licence ', 'forklift licence', ''],
      parentSubcontractId: id(endToEnd, 'subcontract'),
    });
    expect(spot.userErrors).toEqual([]);
    expect(spot.subcontract).toMatchObject({ deliveryModel: 'SPOT', specialisms: ['forklift licence'], parent: { id: id(endToEnd, 'subcontract') } });
    const read = await t.gql<{ node: { subcontracts: Array<{ subcontractor: { name: string }; parent: { subcontractor: { name: string } } | null }> } }>(
      `query($id: ID!) { node(id: $id) { ... on PrimeContract { subcontracts { subcontractor { name } parent { subcontractor { name } } } } } }`,
      { id: contract },
    );
    expect(read.data!.node.subcontracts).toEqual([
      { subcontractor: { name: 'E2E One' }, parent: null },
      { subcontractor: { name: 'Spot One' }, parent: { subcontractor: { name: 'E2E One' } } },
    ]);
  });

  it('refuses a parent on another contract, a parent that is not end-to-end, and a parent for a non-spot place', async () => {
    const foreignParent = await addSubcontractor({ contractId: otherContract, subcontractorId: await provider('E2E Other'), deliveryModel: 'END_TO_END' });
    const spotParent = await addSubcontractor({ contractId: contract, subcontractorId: await provider('Spot Central'), deliveryModel: 'SPOT' });
    const spotProvider = await provider('Spot Two');
    expect(codes(await addSubcontractor({ contractId: contract, subcontractorId: spotProvider, deliveryModel: 'SPOT', parentSubcontractId: id(foreignParent, 'subcontract') })))
      .toEqual(['PARENT_ON_OTHER_CONTRACT']);
    expect(codes(await addSubcontractor({ contractId: contract, subcontractorId: spotProvider, deliveryModel: 'SPOT', parentSubcontractId: id(spotParent, 'subcontract') })))
      .toEqual(['PARENT_NOT_END_TO_END']);
    expect(codes(await addSubcontractor({ contractId: contract, subcontractorId: spotProvider, deliveryModel: 'IN_WORK_SUPPORT', parentSubcontractId: UNKNOWN_ID })))
      .toEqual(['UNKNOWN_SUBCONTRACT', 'PARENT_ONLY_FOR_SPOT']);
  });

  it('refuses unknown ids, a non-provider, the prime itself and a duplicate place', async () => {
    const jobcentre = id(await registerOrganisation({ name: 'JCP Chain', kind: 'JOBCENTRE' }), 'organisation');
    expect(codes(await addSubcontractor({ contractId: UNKNOWN_ID, subcontractorId: UNKNOWN_ID, deliveryModel: 'SPOT' })))
      .toEqual(['UNKNOWN_CONTRACT', 'UNKNOWN_ORGANISATION']);
    expect(codes(await addSubcontractor({ contractId: contract, subcontractorId: jobcentre, deliveryModel: 'SPOT' }))).toEqual(['NOT_A_PROVIDER']);
    expect(codes(await addSubcontractor({ contractId: contract, subcontractorId: prime, deliveryModel: 'SPOT' }))).toEqual(['SUBCONTRACTOR_IS_PRIME']);
    const twice = await provider('Twice');
    expect(codes(await addSubcontractor({ contractId: contract, subcontractorId: twice, deliveryModel: 'IN_WORK_SUPPORT' }))).toEqual([]);
    expect(codes(await addSubcontractor({ contractId: contract, subcontractorId: twice, deliveryModel: 'IN_WORK_SUPPORT' }))).toEqual(['DUPLICATE_SUBCONTRACT']);
  });
});

describe('reads', () => {
  it('answers organisation(id) with its prime contracts and subcontracts, and null for unknown ids', async () => {
    const prime = await provider('Reader Prime');
    await createCpa({ code: 401, name: 'Read Area', nation: 'ENGLAND' });
    await award({ cpaCode: 401, primeId: prime, reference: 'C-401', startsOn: '2024-04-01', endsOn: '2029-03-31' });
    const read = await t.gql<{ organisation: { name: string; kind: string; primeContracts: Array<{ reference: string }>; subcontracts: unknown[] } }>(
      `query($id: ID!) { organisation(id: $id) { name kind primeContracts { reference } subcontracts { id } } }`,
      { id: prime },
    );
    expect(read.data!.organisation).toEqual({ name: 'Reader Prime', kind: 'PROVIDER', primeContracts: [{ reference: 'C-401' }], subcontracts: [] });
    for (const unknown of [UNKNOWN_ID, 'nonsense']) {
      const none = await t.gql<{ organisation: null; node: null }>(`query($id: ID!) { organisation(id: $id) { id } node(id: $id) { id } }`, { id: unknown });
      expect(none.data).toEqual({ organisation: null, node: null });
    }
  });

  it('resolves node(id) for every registry type', async () => {
    const read = await t.gql<{ cpa: { id: string; contracts: Array<{ id: string; prime: { id: string } }> } }>(
      '{ cpa(code: 401) { id contracts { id prime { id } } } }',
    );
    const cpa = read.data!.cpa;
    const ids = [cpa.id, cpa.contracts[0].id, cpa.contracts[0].prime.id];
    const nodes = await Promise.all(ids.map((nodeId) => t.gql<{ node: { __typename: string; id: string } }>(
      `query($id: ID!) { node(id: $id) { __typename id } }`, { id: nodeId },
    )));
    expect(nodes.map((n) => n.data!.node)).toEqual([
      { __typename: 'Cpa', id: ids[0] },
      { __typename: 'PrimeContract', id: ids[1] },
      { __typename: 'Organisation', id: ids[2] },
    ]);
  });
});

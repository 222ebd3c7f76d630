import { Role } from '../../src/auth/access.enums';
import { type TestArea, createArea, nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';
import { withdrawReferral } from '../helpers/journey';

let t: TestServer;
let area: TestArea; // CPA 11: two contracts at 50/50
let otherArea: TestArea; // CPA 12: one contract
let jobcentre: string;
let otherJobcentre: string;
let analyst: string;

beforeAll(async () => {
  t = await startTestServer();
  area = await createArea(t, 11, [5000, 5000]);
  otherArea = await createArea(t, 12, [10000]);
  jobcentre = (await t.keyFor(Role.JOBCENTRE, 'Jobcentre Plus Testshire')).secret;
  otherJobcentre = (await t.keyFor(Role.JOBCENTRE, 'Jobcentre Plus Elsewhere')).secret;
  analyst = (await t.keyFor(Role.ANALYST)).secret;
});
afterAll(() => t.close());

const REFERRAL = `id clientReference status referredOn paymentGroup participationMode jobcentreDistrict cpa { code }
  allocation { method reason contract { id } } allocationHistory { method reason contract { id } }
  acknowledgedAt attachedOn allottedUntil rejection { reason note } exit { reason exitedOn }
  participant { id nino givenName familyName dateOfBirth restricted visibleFields disabled
    contact { phone email address { line1 postcode } } health { conditions } riskMarkers }`;

interface ReferralShape {
  id: string;
  status: string;
  allocation: { method: string; reason: string | null; contract: { id: string } };
  allocationHistory: Array<{ method: string; reason: string | null; contract: { id: string } }>;
  allottedUntil: string | null;
  participant: {
    nino: string | null;
    restricted: boolean;
    visibleFields: string[];
    contact: { phone: string | null; address: { line1: string; postcode: string } | null } | null;
    health: { conditions: string[] } | null;
    riskMarkers: string[] | null;
  };
  [key: string]: unknown;
}
interface Result {
  clientReference: string;
  created: boolean;
  referral: ReferralShape | null;
  userErrors: Array<{ code: string; field: string[]; message: string }>;
}

let counter = 0;
function referral(overrides: Record<string, unknown> = {}, claimant: Record<string, unknown> = {}) {
  counter += 1;
  return {
    clientReference: `REF-${counter}`,
    cpaCode: 11,
    jobcentreDistrict: 'Testshire North',
    paymentGroup: 'JSA_25_PLUS',
    participationMode: 'MANDATORY',
    referredOn: '2024-05-01',
    ...overrides,
    claimant: {
      nino: nino(counter, 'CE'),
      givenName: 'Ada',
      familyName: 'Example',
      dateOfBirth: '1980-02-03',
      address: { line1: '1 Test Street', postcode: 'TE1 1ST' },
      phone: '01000 000000',
      consentToShareHealth: false,
      healthConditions: ['asthma'],
      riskMarkers: ['lone working not advised'],
      riskSharingBasis: 'PUBLIC_TASK',
      ...claimant,
    },
  };
}

async function submit(items: unknown[], key = jobcentre): Promise<Result[]> {
  const response = await t.gql<{ submitReferrals: { results: Result[] } }>(
    `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results {
      clientReference created userErrors { code field message } referral { ${REFERRAL} } } } }`,
    { input: { referrals: items } },
    key,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.submitReferrals.results;
}

async function move(mutation: string, input: Record<string, unknown>, key: string) {
  const response = await t.gql<Record<string, { referral: ReferralShape | null; userErrors: Array<{ code: string; message: string }> }>>(
    `mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) {
      referral { ${REFERRAL} } userErrors { code message } } }`,
    { input },
    key,
  );
  return { ...response.data?.[mutation], errors: response.errors };
}

const primeKeyOf = (r: ReferralShape) => {
  const i = area.contracts.findIndex((c) => c.id === r.allocation.contract.id);
  return { own: area.primeKeys[i], other: area.primeKeys[1 - i] };
};

describe('submitReferrals', () => {
  it('stores a referral allocated at random to a contract of its CPA, and answers a resubmission with the first result', async () => {
    const item = referral();
    const [first] = await submit([item]);
    expect(first).toMatchObject({ clientReference: item.clientReference, created: true, userErrors: [] });
    expect(first.referral).toMatchObject({ status: 'ALLOCATED', cpa: { code: 11 }, allocation: { method: 'RANDOM', reason: null } });
    expect(area.contracts.map((c) => c.id)).toContain(first.referral!.allocation.contract.id);
    const [again] = await submit([{ ...item, claimant: { ...item.claimant, givenName: 'Changed' } }]);
    expect(again).toMatchObject({ created: false, userErrors: [], referral: { id: first.referral!.id } });
    const [{ count }] = await t.db.dataSource.query('SELECT count(*)::int AS count FROM referral WHERE client_reference = $1', [item.clientReference]);
    expect(count).toBe(1);
  });

  it('stores the audit of the draw with each random allocation', async () => {
    const [result] = await submit([referral()]);
    const [row] = await t.db.dataSource.query('SELECT draw, shares FROM referral_allocation WHERE referral_id = $1', [result.referral!.id]);
    expect(row.shares).toEqual(area.contracts.map((c) => ({ contractId: c.id, shareBasisPoints: 5000 })));
    expect(row.draw).toBeGreaterThanOrEqual(0);
    expect(row.draw).toBeLessThan(10000);
    expect(result.referral!.allocation.contract.id).toBe(area.contracts[row.draw < 5000 ? 0 : 1].id);
  });

  it.each([
    ['UNKNOWN_CPA', { cpaCode: 99 }, {}],
    ['NO_CONTRACT_IN_FORCE', { referredOn: '2019-01-01' }, {}],
    ['REFERRED_ON_IN_FUTURE', { referredOn: '2999-01-01' }, {}],
    ['PARTICIPATION_MODE_NOT_ALLOWED', { paymentGroup: 'JSA_18_24', participationMode: 'VOLUNTARY' }, {}],
    ['PARTICIPATION_MODE_NOT_ALLOWED', { paymentGroup: 'ESA_VOLUNTEER', participationMode: 'MANDATORY' }, {}],
    ['INVALID_NINO', {}, { nino: 'QQ123456A' }],
    ['NAME_REQUIRED', {}, { familyName: '  ' }],
    ['INVALID_DATE_OF_BIRTH', {}, { dateOfBirth: '2024-06-01' }],
    ['ADDRESS_INCOMPLETE', {}, { address: { line1: '1 Street', postcode: ' ' } }],
    ['CLIENT_REFERENCE_REQUIRED', { clientReference: ' ' }, {}],
    ['DISTRICT_REQUIRED', { jobcentreDistrict: '' }, {}],
    ['JOINT_CLAIMANT_NOT_REFERRED', { jointClaimantNino: 'JG103759A', jointClaimReason: 'Couple' }, {}],
    ['INVALID_NINO', { jointClaimantNino: 'nonsense' }, {}],
  ])('refuses %s, writing nothing', async (code, overrides, claimant) => {
    const before = await t.db.dataSource.query('SELECT count(*)::int AS n FROM referral');
    const [result] = await submit([referral(overrides, claimant)]);
    expect(result.created).toBe(false);
    expect(result.referral).toBeNull();
    expect(result.userErrors.map((e) => e.code)).toContain(code);
    expect(await t.db.dataSource.query('SELECT count(*)::int AS n FROM referral')).toEqual(before);
  });

  it('accepts either basis where the payment group allows both', async () => {
    const results = await submit([
      referral({ paymentGroup: 'JSA_EARLY_ACCESS', participationMode: 'VOLUNTARY' }),
      referral({ paymentGroup: 'ESA_NEW_CLAIMANT', participationMode: 'MANDATORY' }),
    ]);
    expect(results.map((r) => r.created)).toEqual([true, true]);
  });

  it('refuses a second live referral of one person, in the same batch or later, and accepts one after exit', async () => {
    const person = nino(900001, 'HJ');
    const [a, b] = await submit([referral({}, { nino: person }), referral({}, { nino: person.toLowerCase() })]);
    expect(a.created).toBe(true);
    expect(b.userErrors.map((e) => e.code)).toEqual(['LIVE_REFERRAL_EXISTS']);
    const [c] = await submit([referral({}, { nino: person })]);
    expect(c.userErrors.map((e) => e.code)).toEqual(['LIVE_REFERRAL_EXISTS']);
    const prime = primeKeyOf(a.referral!).own;
    await withdrawReferral(t, a.referral!.id, prime, jobcentre);
    const [d] = await submit([referral({}, { nino: person, phone: '02000 000000' })]);
    expect(d.created).toBe(true);
    // One record per person: the second referral links to it and updates the contact details.
    expect(d.referral!.participant).toMatchObject({ nino: person, contact: { phone: '02000 000000' } });
    const rows = await t.db.dataSource.query('SELECT count(*)::int AS n FROM participant WHERE nino = $1', [person]);
    expect(rows[0].n).toBe(1);
  });

  it('takes a returning person\'s current consent and health from the new referral', async () => {
    const person = nino(900002, 'HJ');
    const [a] = await submit([referral({}, { nino: person, consentToShareHealth: true, healthConditions: ['asthma'] })]);
    const firstPrime = primeKeyOf(a.referral!).own;
    expect(a.referral!.participant.health).toEqual({ conditions: ['asthma'] });
    await withdrawReferral(t, a.referral!.id, firstPrime, jobcentre);
    const [b] = await submit([referral({}, { nino: person, consentToShareHealth: false, healthConditions: ['back pain'] })]);
    const view = (await t.gql<{ referral: ReferralShape }>(`query($id: ID!) { referral(id: $id) { ${REFERRAL} } }`, { id: b.referral!.id }, primeKeyOf(b.referral!).own))
      .data!.referral.participant;
    expect(view.health).toBeNull();
    expect(view.visibleFields).not.toContain('HEALTH');
    expect((await t.gql<{ referral: ReferralShape }>(`query($id: ID!) { referral(id: $id) { ${REFERRAL} } }`, { id: b.referral!.id }, jobcentre)).data!.referral.participant.health)
      .toEqual({ conditions: ['back pain'] });
  });

  it('stores the valid items of a batch and answers every item in input order', async () => {
    const items = [referral(), referral({ cpaCode: 99 }), referral(), referral({}, { nino: 'bad' })];
    const results = await submit(items);
    expect(results.map((r) => r.clientReference)).toEqual(items.map((i) => i.clientReference));
    expect(results.map((r) => r.created)).toEqual([true, false, true, false]);
    expect(results.map((r) => r.userErrors.map((e) => e.code))).toEqual([[], ['UNKNOWN_CPA'], [], ['INVALID_NINO']]);
  });

  it('yields exactly one referral per clientReference when the same batch is submitted twice at once', async () => {
    const batch = Array.from({ length: 40 }, () => referral());
    const [one, two] = await Promise.all([submit(batch), submit(batch)]);
    for (let i = 0; i < batch.length; i++) {
      expect(one[i].referral!.id).toBe(two[i].referral!.id);
      expect([one[i].created, two[i].created].sort()).toEqual([false, true]);
    }
    const rows = await t.db.dataSource.query('SELECT count(*)::int AS n FROM referral WHERE client_reference = ANY($1)', [
      batch.map((b) => b.clientReference),
    ]);
    expect(rows[0].n).toBe(batch.length);
    const allocations = await t.db.dataSource.query(
      'SELECT count(*)::int AS n FROM referral_allocation a JOIN referral r ON r.id = a.referral_id WHERE r.client_reference = ANY($1)',
      [batch.map((b) => b.clientReference)],
    );
    expect(allocations[0].n).toBe(batch.length);
  });

  it('lets clientReferences repeat across Jobcentres', async () => {
    const [mine] = await submit([referral({ clientReference: 'SHARED-1' })]);
    const [theirs] = await submit([referral({ clientReference: 'SHARED-1' })], otherJobcentre);
    expect([mine.created, theirs.created]).toEqual([true, true]);
  });

  it('refuses more than 1,000 referrals in a call', async () => {
    const response = await t.gql('mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created } } }', {
      input: { referrals: Array.from({ length: 1001 }, () => referral()) },
    }, jobcentre);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('joint claims', () => {
  it('allocates a joint claimant to the partner\'s contract, earlier or in the same batch', async () => {
    const partner = nino(700001, 'JG');
    const [first] = await submit([referral({}, { nino: partner })]);
    const [joint] = await submit([referral({ jointClaimantNino: partner, jointClaimReason: 'Couple' })]);
    expect(joint.referral!.allocation).toEqual({ method: 'JOINT_CLAIM', reason: null, contract: first.referral!.allocation.contract });
    const couple = nino(700002, 'JG');
    const [a, b] = await submit([referral({}, { nino: couple }), referral({ jointClaimantNino: couple, jointClaimReason: 'Couple' })]);
    expect(b.referral!.allocation.method).toBe('JOINT_CLAIM');
    expect(b.referral!.allocation.contract).toEqual(a.referral!.allocation.contract);
  });

  it('refuses a joint claimant referred in another CPA, and the claimant as their own partner', async () => {
    const partner = nino(700003, 'JG');
    await submit([referral({ cpaCode: 12 }, { nino: partner })]);
    const [joint] = await submit([referral({ jointClaimantNino: partner, jointClaimReason: 'Couple' })]);
    expect(joint.userErrors.map((e) => e.code)).toEqual(['JOINT_CLAIMANT_IN_OTHER_CPA']);
    const self = nino(700004, 'JG');
    const [own] = await submit([referral({ jointClaimantNino: self, jointClaimReason: 'Couple' }, { nino: self })]);
    expect(own.userErrors.map((e) => e.code)).toEqual(['JOINT_CLAIMANT_IS_CLAIMANT']);
  });
});

describe('overrideAllocation', () => {
  it('moves a referral to another contract of its CPA with a reason, keeping the history', async () => {
    const [{ referral: r }] = await submit([referral()]);
    const { own, other } = primeKeyOf(r!);
    await move('acknowledgeReferral', { referralId: r!.id }, own);
    const target = area.contracts.find((c) => c.id !== r!.allocation.contract.id)!;
    const moved = await move('overrideAllocation', { referralId: r!.id, contractId: target.id, reason: 'Disabled claimant: nearer provider' }, jobcentre);
    expect(moved.userErrors).toEqual([]);
    expect(moved.referral).toMatchObject({
      status: 'ALLOCATED',
      acknowledgedAt: null,
      allocation: { method: 'MANUAL_OVERRIDE', reason: 'Disabled claimant: nearer provider', contract: { id: target.id } },
    });
    expect(moved.referral!.allocationHistory.map((a) => a.method)).toEqual(['RANDOM', 'MANUAL_OVERRIDE']);
    // The new prime holds it now; the old one no longer sees it.
    expect((await t.gql<{ referral: unknown }>(`query($id: ID!) { referral(id: $id) { id } }`, { id: r!.id }, other)).data!.referral).toEqual({ id: r!.id });
    expect((await t.gql<{ referral: unknown }>(`query($id: ID!) { referral(id: $id) { id } }`, { id: r!.id }, own)).data!.referral).toBeNull();
  });

  it('refuses a missing reason, the same contract, an unknown or foreign contract, and after attachment', async () => {
    const [{ referral: r }] = await submit([referral()]);
    const current = r!.allocation.contract.id;
    const codes = async (input: Record<string, unknown>, key = jobcentre) =>
      (await move('overrideAllocation', { referralId: r!.id, reason: 'reason', ...input }, key)).userErrors!.map((e) => e.code);
    expect(await codes({ contractId: current, reason: ' ' })).toEqual(['REASON_REQUIRED', 'SAME_CONTRACT']);
    expect(await codes({ contractId: otherArea.contracts[0].id })).toEqual(['CONTRACT_NOT_IN_CPA']);
    expect(await codes({ contractId: '00000000-0000-4000-8000-000000000000' })).toEqual(['UNKNOWN_CONTRACT']);
    expect(await codes({ contractId: current }, otherJobcentre)).toEqual(['UNKNOWN_REFERRAL']);
    const prime = primeKeyOf(r!).own;
    await move('acknowledgeReferral', { referralId: r!.id }, prime);
    await move('recordAttachment', { referralId: r!.id, attachedOn: '2024-05-10' }, prime);
    expect(await codes({ contractId: area.contracts.find((c) => c.id !== current)!.id })).toEqual(['ALREADY_ATTACHED']);
    const byPrime = await move('overrideAllocation', { referralId: r!.id, contractId: current, reason: 'x' }, prime);
    expect(byPrime.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the lifecycle', () => {
  it('goes ALLOCATED → ACKNOWLEDGED → ATTACHED → EXITED, with two years of allotted time', async () => {
    const [{ referral: r }] = await submit([referral({ referredOn: '2024-01-15' })]);
    const prime = primeKeyOf(r!).own;
    expect((await move('acknowledgeReferral', { referralId: r!.id }, prime)).referral!.status).toBe('ACKNOWLEDGED');
    const attached = await move('recordAttachment', { referralId: r!.id, attachedOn: '2024-02-29' }, prime);
    expect(attached.referral).toMatchObject({ status: 'ATTACHED', attachedOn: '2024-02-29', allottedUntil: '2026-02-28' });
    const exited = await move('recordExit', { referralId: r!.id, exitedOn: '2026-02-27', reason: 'ALLOTTED_TIME_ENDED' }, prime);
    expect(exited.referral).toMatchObject({ status: 'EXITED', exit: { reason: 'ALLOTTED_TIME_ENDED', exitedOn: '2026-02-27' } });
  });

  it('a rejection (deprecated) is a query: the referral stays, and the Jobcentre reads the grounds', async () => {
    const [{ referral: r }] = await submit([referral()]);
    const prime = primeKeyOf(r!).own;
    expect((await move('rejectReferral', { referralId: r!.id, reason: 'OTHER' }, prime)).userErrors!.map((e) => e.code)).toEqual(['NOTE_REQUIRED']);
    await move('rejectReferral', { referralId: r!.id, reason: 'ALREADY_IN_WORK', note: 'Started work last week' }, prime);
    const read = await t.gql<{ referral: { status: string; rejection: unknown; openQuery: unknown } }>(
      `query($id: ID!) { referral(id: $id) { status rejection { reason note } openQuery { grounds reason } } }`, { id: r!.id }, jobcentre,
    );
    expect(read.data!.referral).toEqual({ status: 'ALLOCATED', rejection: null, openQuery: { grounds: 'ALREADY_IN_WORK', reason: 'Started work last week' } });
  });

  it('refuses every illegal move, naming the current status', async () => {
    const legal: Record<string, string[]> = {
      ALLOCATED: ['acknowledgeReferral'],
      ACKNOWLEDGED: ['recordAttachment'],
      ATTACHED: ['recordExit'],
      WITHDRAWN: [],
      EXITED: [],
    };
    const route: Record<string, Array<[string, Record<string, unknown>]>> = {
      ALLOCATED: [],
      ACKNOWLEDGED: [['acknowledgeReferral', {}]],
      ATTACHED: [['acknowledgeReferral', {}], ['recordAttachment', { attachedOn: '2024-05-02' }]],
      WITHDRAWN: [],
      EXITED: [['acknowledgeReferral', {}], ['recordAttachment', { attachedOn: '2024-05-02' }], ['recordExit', { exitedOn: '2026-05-01', reason: 'ALLOTTED_TIME_ENDED' }]],
    };
    const inputs: Record<string, Record<string, unknown>> = {
      acknowledgeReferral: {},
      recordAttachment: { attachedOn: '2024-05-03' },
      recordExit: { exitedOn: '2026-05-01', reason: 'ALLOTTED_TIME_ENDED' },
    };
    for (const [status, steps] of Object.entries(route)) {
      const [{ referral: r }] = await submit([referral()]);
      const prime = primeKeyOf(r!).own;
      for (const [mutation, input] of steps) await move(mutation, { referralId: r!.id, ...input }, prime);
      if (status === 'WITHDRAWN') await withdrawReferral(t, r!.id, prime, jobcentre);
      for (const mutation of Object.keys(inputs).filter((m) => !legal[status].includes(m))) {
        const refused = await move(mutation, { referralId: r!.id, ...inputs[mutation] }, prime);
        expect(refused.referral).toBeNull();
        expect(refused.userErrors).toEqual([{ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining(`is ${status}`) }]);
      }
    }
  });

  it('refuses dates before the referral or attachment and in the future', async () => {
    const [{ referral: r }] = await submit([referral({ referredOn: '2024-05-01' })]);
    const prime = primeKeyOf(r!).own;
    await move('acknowledgeReferral', { referralId: r!.id }, prime);
    const codes = async (mutation: string, input: Record<string, unknown>) =>
      (await move(mutation, { referralId: r!.id, ...input }, prime)).userErrors!.map((e) => e.code);
    expect(await codes('recordAttachment', { attachedOn: '2024-04-30' })).toEqual(['DATE_BEFORE_REFERRAL']);
    expect(await codes('recordAttachment', { attachedOn: '2999-01-01' })).toEqual(['DATE_IN_FUTURE']);
    expect(await codes('recordAttachment', { attachedOn: '2024-05-01' })).toEqual([]);
    expect(await codes('recordExit', { exitedOn: '2024-04-30', reason: 'FINAL_PAYMENT_CLAIMED' })).toEqual(['EXIT_BEFORE_ATTACHMENT']);
  });

  it('lets only the prime holding the contract move a referral', async () => {
    const [{ referral: r }] = await submit([referral()]);
    const { other } = primeKeyOf(r!);
    expect((await move('acknowledgeReferral', { referralId: r!.id }, other)).userErrors!.map((e) => e.code)).toEqual(['UNKNOWN_REFERRAL']);
    expect((await move('acknowledgeReferral', { referralId: r!.id }, jobcentre)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('who reads what', () => {
  const read = (id: string, key: string) =>
    t.gql<{ referral: ReferralShape | null }>(`query($id: ID!) { referral(id: $id) { ${REFERRAL} } }`, { id }, key);

  it('shows the prime and the referring Jobcentre the referral; other primes and Jobcentres nothing; analysts are refused', async () => {
    const [{ referral: r }] = await submit([referral()]);
    const { own, other } = primeKeyOf(r!);
    expect((await read(r!.id, own)).data!.referral!.id).toBe(r!.id);
    expect((await read(r!.id, jobcentre)).data!.referral!.id).toBe(r!.id);
    expect((await read(r!.id, other)).data!.referral).toBeNull();
    expect((await read(r!.id, otherJobcentre)).data!.referral).toBeNull();
    for (const key of [analyst, (await t.keyFor(Role.DECISION_MAKER)).secret]) {
      expect((await read(r!.id, key)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const node = (id: string, key: string) =>
      t.gql<{ node: { __typename: string; health?: unknown; visibleFields?: string[] } | null }>(
        `query($id: ID!) { node(id: $id) { __typename ... on Participant { health { conditions } visibleFields } } }`, { id }, key,
      );
    expect((await node(r!.id, other)).data!.node).toBeNull();
    expect((await node(r!.id, own)).data!.node).toEqual({ __typename: 'Referral' });
    const participantId = (r!.participant as unknown as { id: string }).id;
    expect((await node(participantId, own)).data!.node).toMatchObject({ __typename: 'Participant', health: null });
    expect((await node(participantId, jobcentre)).data!.node).toMatchObject({ health: { conditions: ['asthma'] } });
    expect((await node(participantId, other)).data!.node).toBeNull();
    // A role that never reads people is told nothing, not even that the id exists.
    expect((await node(participantId, analyst)).data!.node).toBeNull();
  });

  it('withholds health from the prime without consent, and shows it with consent', async () => {
    const [{ referral: without }, { referral: withConsent }] = await submit([
      referral({}, { consentToShareHealth: false }),
      referral({}, { consentToShareHealth: true }),
    ]);
    const primeView = (await read(without!.id, primeKeyOf(without!).own)).data!.referral!.participant;
    expect(primeView).toMatchObject({ health: null, riskMarkers: ['lone working not advised'], contact: { phone: '01000 000000' } });
    expect(primeView.visibleFields).not.toContain('HEALTH');
    expect((await read(without!.id, jobcentre)).data!.referral!.participant.health).toEqual({ conditions: ['asthma'] });
    const consented = (await read(withConsent!.id, primeKeyOf(withConsent!).own)).data!.referral!.participant;
    expect(consented.health).toEqual({ conditions: ['asthma'] });
    expect(consented.visibleFields).toContain('HEALTH');
  });

  it('holds a MAPPA case as a minimal record: identity only', async () => {
    const [{ referral: r }] = await submit([referral({}, { mappa: true, consentToShareHealth: true })]);
    const view = (await read(r!.id, primeKeyOf(r!).own)).data!.referral!.participant;
    expect(view).toMatchObject({ restricted: true, visibleFields: [], contact: null, health: null, riskMarkers: null });
    expect(view.nino).not.toBeNull();
    const [row] = await t.db.dataSource.query('SELECT address, phone, health_encrypted, risk_markers_encrypted FROM participant WHERE id = $1', [
      (r!.participant as unknown as { id: string }).id,
    ]);
    expect(row).toEqual({ address: null, phone: null, health_encrypted: null, risk_markers_encrypted: null });
  });

  it('keeps health and risk markers encrypted in the database', async () => {
    const [{ referral: r }] = await submit([referral({}, { healthConditions: ['epilepsy'], riskMarkers: ['history of violence'] })]);
    const [row] = await t.db.dataSource.query(
      'SELECT p.* FROM participant p JOIN referral r ON r.participant_id = p.id WHERE r.id = $1', [r!.id],
    );
    expect(JSON.stringify(row)).not.toMatch(/epilepsy|history of violence/);
    expect(row.health_encrypted).toMatch(new RegExp(`^v2\\.${t.cipher.keyId}\\.`));
    expect(t.cipher.decrypt('health', row.id, row.health_encrypted)).toEqual({ conditions: ['epilepsy'] });
    expect(() => t.cipher.decrypt('risk_markers', row.id, row.health_encrypted)).toThrow();
  });

  it('lists a viewer\'s referrals a page at a time, with filters and the total', async () => {
    const key = (await t.keyFor(Role.JOBCENTRE)).secret;
    await submit(Array.from({ length: 5 }, (_, i) => referral({ paymentGroup: i < 3 ? 'JSA_18_24' : 'JSA_25_PLUS' }, { dateOfBirth: i < 3 ? '2002-02-03' : '1980-02-03' })), key);
    const page = (after: string | null, filter: Record<string, unknown> = {}) =>
      t.gql<{ referrals: { totalCount: number; edges: Array<{ cursor: string; node: { clientReference: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
        `query($after: String, $filter: ReferralFilter) { referrals(first: 2, after: $after, filter: $filter) {
          totalCount edges { cursor node { clientReference } } pageInfo { hasNextPage endCursor } } }`,
        { after, filter }, key,
      );
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data } = await page(after);
      expect(data!.referrals.totalCount).toBe(5);
      seen.push(...data!.referrals.edges.map((e) => e.node.clientReference));
      if (!data!.referrals.pageInfo.hasNextPage) break;
      after = data!.referrals.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect((await page(null, { paymentGroup: 'JSA_18_24' })).data!.referrals.totalCount).toBe(3);
    expect((await page(null, { cpaCode: 12 })).data!.referrals.totalCount).toBe(0);
    expect((await page(null, { status: ['REJECTED'] })).data!.referrals.totalCount).toBe(0);
    expect((await page('bogus')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql('{ referrals { totalCount } }', {}, analyst)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('a joint claim whose partner loses a race', () => {
  it('is undone, with nothing left behind, when the partner\'s referral is refused at the last moment', async () => {
    // CPA 13: every random draw goes to contract 0.
    const race = await createArea(t, 13, [10000, 0]);
    const other = (await t.keyFor(Role.JOBCENTRE, 'Jobcentre Plus Racing')).secret;
    const partner = nino(800001, 'KL');
    const newcomer = nino(800002, 'KL');
    // The partner was referred elsewhere, moved to contract 1, and withdrawn there: not live now.
    const [earlier] = await submit([referral({ cpaCode: 13 }, { nino: partner })], other);
    await move('overrideAllocation', { referralId: earlier.referral!.id, contractId: race.contracts[1].id, reason: 'Nearer' }, other);
    await withdrawReferral(t, earlier.referral!.id, race.primeKeys[1], other);
    // Long ago: the partner referred again is drawn afresh, not sent back to contract 1.
    await t.db.dataSource.query(`UPDATE referral SET withdrawn_on = '2020-01-01' WHERE id = $1`, [earlier.referral!.id]);

    // Another transaction makes that referral live again, and holds it uncommitted...
    const runner = t.db.dataSource.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`UPDATE referral SET status = 'ALLOCATED', withdrawn_on = NULL WHERE id = $1`, [earlier.referral!.id]);
    // ...while this Jobcentre refers the partner (to contract 0) and a joint claimant with them.
    const submitting = submit([referral({ cpaCode: 13 }, { nino: partner }), referral({ cpaCode: 13, jointClaimantNino: partner, jointClaimReason: 'Couple' }, { nino: newcomer })]);
    for (let waited = 0; ; waited += 20) {
      const [{ n }] = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (n > 0) break;
      if (waited > 10000) throw new Error('the submission never waited for the other transaction');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await runner.commitTransaction();
    await runner.release();

    const [a, b] = await submitting;
    expect(a.userErrors.map((e) => e.code)).toEqual(['LIVE_REFERRAL_EXISTS']);
    expect(b).toMatchObject({ created: false, referral: null });
    expect(b.userErrors.map((e) => e.code)).toEqual(['JOINT_CLAIMANT_NOT_REFERRED']);
    const left = await t.db.dataSource.query('SELECT count(*)::int AS n FROM participant WHERE nino = $1', [newcomer]);
    expect(left[0].n).toBe(0);
  });
});

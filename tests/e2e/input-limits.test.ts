import { InboxItemKind } from '../../src/modules/inbox/inbox-item.entity';
import { Role } from '../../src/auth/access.enums';
import { type TestChain, createChain } from '../helpers/chain';
import { attachedReferral } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';
import { subscribe } from '../helpers/subscriber';

/** Every kind of input limit, through the real server: refused with a code and a path, and nothing written. */

let t: TestServer;
let c: TestChain;
let referralId: string;

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 61);
  referralId = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn: '2024-03-01', attachedOn: '2024-03-04' });
});
afterAll(() => t.close());

interface UserErrors {
  userErrors: Array<{ code: string; field: string[] | null; message: string }>;
}

/** How many inbox kinds there are: a list of one more must repeat one. */
const INBOX_KINDS = Object.keys(InboxItemKind).length;
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.dataSource.query(sql, params))[0].count);
const cursor = (position: string) => Buffer.from(position, 'utf8').toString('base64url');
const codes = (response: { errors?: Array<{ extensions?: { code?: string } }> }) => response.errors?.map((e) => e.extensions?.code);

describe('a mutation over a limit', () => {
  it('answers TOO_LONG with the field, and writes nothing', async () => {
    const name = 'N'.repeat(161);
    const response = await t.gql<{ registerOrganisation: UserErrors & { organisation: null } }>(
      `mutation($name: String!) { registerOrganisation(input: { name: $name, kind: PROVIDER }) { organisation { id } userErrors { code field message } } }`,
      { name },
    );
    expect(response.data!.registerOrganisation).toEqual({
      organisation: null,
      userErrors: [{ code: 'TOO_LONG', field: ['name'], message: 'At most 160 characters (this has 161)' }],
    });
    expect(await count('SELECT count(*) FROM organisation WHERE name = $1', [name])).toBe(0);
    // 160 is allowed.
    const fits = await t.gql<{ registerOrganisation: UserErrors }>(
      `mutation($name: String!) { registerOrganisation(input: { name: $name, kind: PROVIDER }) { userErrors { code } } }`,
      { name: 'N'.repeat(160) },
    );
    expect(fits.data!.registerOrganisation.userErrors).toEqual([]);
  });

  it('answers TOO_MANY for a list, with every broken limit at once, and writes nothing', async () => {
    const { organisationId } = await t.keyFor(Role.PROVIDER, 'Too many specialisms');
    const response = await t.gql<{ addSubcontractor: UserErrors }>(
      `mutation($input: AddSubcontractorInput!) { addSubcontractor(input: $input) { subcontract { id } userErrors { code field } } }`,
      {
        input: {
          contractId: c.area.contracts[0].id,
          subcontractorId: organisationId,
          deliveryModel: 'SPOT',
          specialisms: Array.from({ length: 21 }, (_, i) => `specialism ${i}`),
        },
      },
    );
    expect(response.data!.addSubcontractor.userErrors).toEqual([{ code: 'TOO_MANY', field: ['specialisms'] }]);
    expect(await count('SELECT count(*) FROM subcontract WHERE subcontractor_id = $1', [organisationId])).toBe(0);

    const both = await t.gql<{ addSubcontractor: UserErrors }>(
      `mutation($input: AddSubcontractorInput!) { addSubcontractor(input: $input) { userErrors { code field } } }`,
      { input: { contractId: c.area.contracts[0].id, subcontractorId: organisationId, deliveryModel: 'SPOT', specialisms: ['ok', 'x'.repeat(101)] } },
    );
    expect(both.data!.addSubcontractor.userErrors).toEqual([{ code: 'TOO_LONG', field: ['specialisms', '1'] }]);
  });

  it('refuses the reproduced 9 MB contact note for what it is, at any size over 2,000 characters', async () => {
    const contacts = () => count('SELECT count(*) FROM contact WHERE referral_id = $1', [referralId]);
    const before = await contacts();
    for (const note of ['n'.repeat(2001), 'n'.repeat(200_000)]) {
      const response = await t.gql<{ recordContact: UserErrors }>(
        `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } userErrors { code field } } }`,
        { input: { referralId, occurredAt: '2024-03-05T10:00:00Z', channel: 'FACE_TO_FACE', kind: 'ADVISER_CONTACT', attended: true, note } },
        c.prime.key,
      );
      expect(response.data!.recordContact.userErrors).toEqual([{ code: 'TOO_LONG', field: ['note'] }]);
    }
    expect(await contacts()).toBe(before);
  });

  it('names the path inside nested inputs', async () => {
    const response = await t.gql<{ raiseComplianceDoubt: UserErrors }>(
      `mutation($input: RaiseComplianceDoubtInput!) { raiseComplianceDoubt(input: $input) { complianceDoubt { id } userErrors { code field } } }`,
      {
        input: {
          referralId,
          type: 'FAILURE_TO_PARTICIPATE',
          occurredOn: '2024-03-20',
          description: '',
          mandatoryActivity: { kind: 'WORKSHOP', description: 'd'.repeat(2001), notifiedOn: '2024-03-10', notifiedInWriting: true, scheduledFor: '2024-03-20T10:00:00Z' },
        },
      },
      c.prime.key,
    );
    expect(response.data!.raiseComplianceDoubt.userErrors).toEqual([{ code: 'TOO_LONG', field: ['mandatoryActivity', 'description'] }]);
    expect(await count('SELECT count(*) FROM compliance_doubt WHERE referral_id = $1', [referralId])).toBe(0);
  });

  it('is FORBIDDEN, not a list of what is wrong, for a role without the permission', async () => {
    const response = await t.gql(
      `mutation($name: String!) { registerOrganisation(input: { name: $name, kind: PROVIDER }) { userErrors { code } } }`,
      { name: 'N'.repeat(161) },
      c.analyst.key,
    );
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });
});

describe('submitReferrals', () => {
  let submitted = 0;
  const referral = (claimant: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) => {
    submitted += 1;
    return {
      clientReference: `LIMIT-${submitted}`,
      cpaCode: 61,
      jobcentreDistrict: 'Limits',
      paymentGroup: 'JSA_25_PLUS',
      participationMode: 'MANDATORY',
      referredOn: '2024-04-01',
      ...overrides,
      claimant: { nino: nino(submitted, 'LM'), givenName: 'Lim', familyName: 'Its', dateOfBirth: '1980-01-01', consentToShareHealth: true, ...claimant },
    };
  };
  const submit = (referrals: unknown[]) =>
    t.gql<{ submitReferrals: { results: Array<UserErrors & { clientReference: string; created: boolean; referral: { id: string } | null }> } }>(
      `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { clientReference created referral { id } userErrors { code field } } } }`,
      { input: { referrals } },
      c.jobcentre.key,
    );

  it('refuses a referral over a limit on its own result; the others proceed', async () => {
    const referrals = () => count("SELECT count(*) FROM referral WHERE jobcentre_district = 'Limits'");
    const before = await referrals();
    const response = await submit([
      referral(),
      referral({ givenName: 'G'.repeat(101) }),
      referral({ healthConditions: Array.from({ length: 21 }, () => 'asthma') }),
      referral({ healthConditions: ['asthma', 'h'.repeat(201)], address: { line1: '1 Long Road', postcode: 'TOO LONG 123' } }),
      referral({}, { clientReference: 'R'.repeat(101) }),
      referral(),
    ]);
    expect(response.errors).toBeUndefined();
    const results = response.data!.submitReferrals.results;
    expect(results.map((r) => r.userErrors)).toEqual([
      [],
      [{ code: 'TOO_LONG', field: ['claimant', 'givenName'] }],
      [{ code: 'TOO_MANY', field: ['claimant', 'healthConditions'] }],
      [
        { code: 'TOO_LONG', field: ['claimant', 'address', 'postcode'] },
        { code: 'TOO_LONG', field: ['claimant', 'healthConditions', '1'] },
      ],
      [{ code: 'TOO_LONG', field: ['clientReference'] }],
      [],
    ]);
    expect(results.map((r) => r.created)).toEqual([true, false, false, false, false, true]);
    expect(await referrals()).toBe(before + 2);
    // Nobody refused for a limit became a participant.
    expect(await count("SELECT count(*) FROM participant WHERE nino LIKE 'LM%'")).toBe(2);
  });

  it('refuses more than 1,000 referrals as a whole (BAD_USER_INPUT), as before', async () => {
    const response = await submit(Array.from({ length: 1001 }, () => referral()));
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].message).toBe('referrals: At most 1000 items (this has 1001)');
  });
});

describe('a query argument over a limit is BAD_USER_INPUT', () => {
  it.each([
    ['a cursor', `{ referrals(after: "${'x'.repeat(101)}") { totalCount } }`, () => c.jobcentre.key],
    ['a list of enum values', `{ inbox(kinds: [${Array(INBOX_KINDS + 1).fill('REFERRAL_ALLOCATED').join(', ')}]) { edges { cursor } } }`, () => c.prime.key],
    ['a filter of statuses', `{ referrals(filter: { status: [${Array(7).fill('ATTACHED').join(', ')}] }) { totalCount } }`, () => c.prime.key],
    ['a programme', `{ rateCards(programme: "${'P'.repeat(51)}") { id } }`, () => c.analyst.key],
    ['a groupBy', `{ nationalPerformance(from: "2024-01-01", to: "2024-12-31", groupBy: [${Array(7).fill('CPA').join(', ')}]) { groupBy } }`, () => c.analyst.key],
  ])('%s', async (_what, query, key) => {
    const response = await t.gql(query, {}, key());
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].message).toMatch(/At most \d+ (characters|items)/);
  });

  it('on a field of a result too (Referral.contacts)', async () => {
    const response = await t.gql(`query($id: ID!) { referral(id: $id) { contacts(after: "${'x'.repeat(101)}") { totalCount } } }`, { id: referralId }, c.prime.key);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('a forged cursor is BAD_USER_INPUT on every paginated list', () => {
  const PAST_BIGINT = cursor('99999999999999999999');
  const forged = [
    ['past bigint', PAST_BIGINT],
    ['negative', cursor('-1')],
    ['not our encoding', 'MTA$'],
    ['padded', `${cursor('10')}=`],
    ['empty', ''],
  ];
  const lists: Array<[string, (after: string) => string, () => string]> = [
    ['referrals', (after) => `{ referrals(after: "${after}") { totalCount } }`, () => c.prime.key],
    ['complianceDoubts', (after) => `{ complianceDoubts(after: "${after}") { totalCount } }`, () => c.prime.key],
    ['inbox', (after) => `{ inbox(after: "${after}") { edges { cursor } } }`, () => c.prime.key],
  ];

  it.each(lists.flatMap(([list, query, key]) => forged.map(([what, after]) => [list, what, query(after), key] as const)))(
    '%s, %s',
    async (_list, _what, query, key) => {
      const response = await t.gql(query, {}, key());
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    },
  );

  it.each([
    ['an impossible instant that passed the old pattern', cursor(`9999-99-99T99:99:99.999Z|${'-'.repeat(36)}`)],
    ['a day that does not exist', cursor('2024-02-30T10:00:00.000Z|00000000-0000-4000-8000-000000000000')],
    ['year 0', cursor('0000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000')],
    ['not a UUID', cursor('2024-03-05T10:00:00.000Z|zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz')],
    ['a seq cursor', cursor('12')],
  ])('Referral.contacts, %s', async (_what, after) => {
    const response = await t.gql(`query($id: ID!, $after: String) { referral(id: $id) { contacts(after: $after) { totalCount } } }`, { id: referralId, after }, c.prime.key);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('a cursor the list gave out still pages', async () => {
    const first = await t.gql<{ inbox: { edges: Array<{ cursor: string }>; pageInfo: { endCursor: string } } }>(
      `{ inbox(first: 1) { edges { cursor } pageInfo { endCursor } } }`,
      {},
      c.prime.key,
    );
    const next = await t.gql(`query($after: String) { inbox(first: 1, after: $after) { edges { cursor } } }`, { after: first.data!.inbox.pageInfo.endCursor }, c.prime.key);
    expect(next.errors).toBeUndefined();
  });

  it.each([
    ['inboxItemAdded, a forged cursor', 'inboxItemAdded', { after: PAST_BIGINT }],
    ['inboxItemAdded, too many kinds', 'inboxItemAdded', { kinds: Array(INBOX_KINDS + 1).fill('HANDOFF_OFFERED') }],
    ['referralReceived, a cursor too long', 'referralReceived', { after: 'x'.repeat(101) }],
  ] as const)('over WebSocket: %s', async (_what, field, args) => {
    const subscriber = await subscribe(t.url, c.prime.key, field, args);
    try {
      await expect(subscriber.until(1)).rejects.toThrow(/BAD_USER_INPUT/);
    } finally {
      await subscriber.close();
    }
  });
});

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '../../src/auth/access.enums';
import { BOOTSTRAP_ADMIN_KEY, type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const ADMIN_MUTATIONS: Array<[string, string]> = [
  ['createCpa', '{ code: 7001, name: "Nope", nation: ENGLAND }'],
  ['registerOrganisation', '{ name: "Nope", kind: PROVIDER }'],
  ['awardPrimeContract', '{ cpaCode: 1, primeId: "x", reference: "x", startsOn: "2024-01-01", endsOn: "2025-01-01" }'],
  ['addSubcontractor', '{ contractId: "x", subcontractorId: "x", deliveryModel: SPOT }'],
  ['setMarketShares', '{ cpaCode: 1, paymentGroup: JSA_18_24, effectiveFrom: "2024-01-01", shares: [] }'],
  ['issueApiKey', '{ organisationId: "x", role: ANALYST }'],
];
const NON_ADMIN_ROLES = [Role.JOBCENTRE, Role.DECISION_MAKER, Role.PROVIDER, Role.ANALYST];

describe('authentication', () => {
  it.each([
    ['no key', null, 'MISSING'],
    ['an unknown key', 'scx_not_a_real_key', 'UNKNOWN'],
  ])('answers 401 UNAUTHENTICATED with %s, for queries and mutations, saying why', async (_label, key, reason) => {
    for (const query of ['{ viewer { role } }', '{ cpas { code } }', 'mutation { createCpa(input: { code: 9, name: "x", nation: WALES }) { cpa { id } } }']) {
      const response = await t.gql(query, {}, key);
      expect(response.status).toBe(401);
      expect(response.errors?.map((e) => e.extensions)).toEqual([{ code: 'UNAUTHENTICATED', reason }]);
      expect(JSON.stringify(response)).not.toMatch(/stack|at .*\.ts/);
    }
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${BOOTSTRAP_ADMIN_KEY}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await response.json()) as { errors: Array<{ extensions: unknown }> }).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'MALFORMED' });
  });

  it('knows the bootstrap key as an ADMIN of DWP', async () => {
    const response = await t.gql<{ viewer: unknown }>('{ viewer { role organisation { name kind } } }');
    expect(response.data!.viewer).toEqual({ role: 'ADMIN', organisation: { name: 'Department for Work and Pensions', kind: 'DWP' } });
  });
});

describe('issueApiKey', () => {
  it('shows the secret once; the secret then authenticates as that organisation and role', async () => {
    const org = await t.gql<{ registerOrganisation: { organisation: { id: string } } }>(
      'mutation { registerOrganisation(input: { name: "Keyed Provider", kind: PROVIDER }) { organisation { id } } }',
    );
    const organisationId = org.data!.registerOrganisation.organisation.id;
    const issued = await t.gql<{ issueApiKey: { secret: string; apiKey: { id: string; role: string; label: string; organisation: { id: string } } } }>(
      `mutation($id: ID!) { issueApiKey(input: { organisationId: $id, role: PROVIDER, label: "case system" }) {
        secret apiKey { id role label organisation { id } } userErrors { code } } }`,
      { id: organisationId },
    );
    const { secret, apiKey } = issued.data!.issueApiKey;
    expect(apiKey).toMatchObject({ role: 'PROVIDER', label: 'case system', organisation: { id: organisationId } });
    expect(secret).toMatch(/^scx_[\w-]{43}$/);
    const stored: Array<{ secret_hash: string }> = await t.db.dataSource.query('SELECT secret_hash FROM api_key WHERE id = $1', [apiKey.id]);
    expect(stored[0].secret_hash).not.toContain(secret);
    const me = await t.gql<{ viewer: { role: string; organisation: { id: string } } }>('{ viewer { role organisation { id } } }', {}, secret);
    expect(me.data!.viewer).toEqual({ role: 'PROVIDER', organisation: { id: organisationId } });
  });

  it('refuses an unknown organisation and a role that does not fit the organisation kind', async () => {
    const jobcentre = await t.keyFor(Role.JOBCENTRE);
    const wrongKind = await t.gql<{ issueApiKey: { secret: null; userErrors: Array<{ code: string }> } }>(
      `mutation($id: ID!) { issueApiKey(input: { organisationId: $id, role: ADMIN }) { secret userErrors { code } } }`,
      { id: jobcentre.organisationId },
    );
    expect(wrongKind.data!.issueApiKey).toEqual({ secret: null, userErrors: [{ code: 'ROLE_NOT_FOR_ORGANISATION_KIND' }] });
    const unknown = await t.gql<{ issueApiKey: { userErrors: Array<{ code: string }> } }>(
      'mutation { issueApiKey(input: { organisationId: "00000000-0000-4000-8000-000000000000", role: ANALYST }) { userErrors { code } } }',
    );
    expect(unknown.data!.issueApiKey.userErrors).toEqual([{ code: 'UNKNOWN_ORGANISATION' }]);
  });
});

describe('permissions', () => {
  const keys = new Map<Role, string>();
  beforeAll(async () => {
    for (const role of NON_ADMIN_ROLES) keys.set(role, (await t.keyFor(role)).secret);
  });

  it.each(NON_ADMIN_ROLES.flatMap((role) => ADMIN_MUTATIONS.map(([name, input]) => [role, name, input] as const)))(
    '%s may not %s: FORBIDDEN, nothing written',
    async (role, name, input) => {
      const response = await t.gql(`mutation { ${name}(input: ${input}) { userErrors { code } } }`, {}, keys.get(role));
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(response.data).toBeNull();
    },
  );

  it.each(NON_ADMIN_ROLES)('%s reads the registry and its own viewer', async (role) => {
    const response = await t.gql<{ viewer: { role: string }; cpas: unknown[] }>('{ viewer { role } cpas { code } }', {}, keys.get(role));
    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer.role).toBe(role);
  });

  it('leaves no CPA behind from the refused mutations', async () => {
    expect((await t.gql<{ cpa: null }>('{ cpa(code: 7001) { id } }')).data!.cpa).toBeNull();
  });
});

describe('errors', () => {
  it('answers a malformed query with a client error code and no stack trace', async () => {
    const response = await t.gql('{ viewer { nope } }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(response)).not.toContain('stacktrace');
  });
});

describe('WebSocket (graphql-ws)', () => {
  const reasons: string[] = [];
  const connect = (authorization?: string) =>
    new Promise<'connected' | number>((resolve) => {
      const client = createClient({
        url: t.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams: authorization ? { authorization } : {},
        on: {
          connected: () => {
            resolve('connected');
            void client.dispose();
          },
          closed: (event) => {
            reasons.push((event as { reason: string }).reason);
            resolve((event as { code: number }).code);
          },
        },
        onNonLazyError: () => undefined,
      });
    });

  it('accepts a connection with a valid key in connectionParams', async () => {
    expect(await connect(`Bearer ${BOOTSTRAP_ADMIN_KEY}`)).toBe('connected');
  });

  it.each([
    [undefined, 'MISSING'],
    ['Bearer scx_wrong', 'UNKNOWN'],
  ])('refuses a connection with %s: 4401, saying why', async (authorization, reason) => {
    expect(await connect(authorization)).toBe(4401);
    expect(reasons.at(-1)).toMatch(new RegExp(`^${reason}: `));
  });
});

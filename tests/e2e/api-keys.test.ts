import { Client } from 'pg';
import { API_KEY_CHANNEL, authenticateRequest } from '../../src/auth/authenticate';
import { Role } from '../../src/auth/access.enums';
import { BOOTSTRAP_REPLACED, ensureBootstrapAdmin, keyLookup } from '../../src/modules/identity/identity.service';
import { BOOTSTRAP_ADMIN_KEY, type GraphQLResponse, type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

interface KeyNode {
  id: string;
  label: string | null;
  role: string;
  status: string;
  bootstrap: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
  organisation: { id: string };
  issuedBy: { id: string; label: string | null } | null;
  revokedBy: { id: string } | null;
}
const KEY_FIELDS = `id label role status bootstrap createdAt lastUsedAt expiresAt revokedAt revocationReason
  organisation { id } issuedBy { id label } revokedBy { id }`;
type Errors = Array<{ code: string; field: string[] | null }>;

const whoAmI = (key: string) => t.gql<{ viewer: { role: string } | null }>('{ viewer { role } }', {}, key);
/** Why the server refused the request before reading it (HTTP 401 and its reason), or null when it answered. */
const refused = (response: GraphQLResponse<{ viewer: { role: string } | null }>) =>
  response.data?.viewer ? null : { status: response.status, extensions: response.errors?.[0].extensions };
const unauthenticated = (reason: string) => ({ status: 401, extensions: { code: 'UNAUTHENTICATED', reason } });

async function issue(organisationId: string, role: Role, extra = ''): Promise<{ secret: string | null; apiKey: KeyNode | null; userErrors: Errors }> {
  const response = await t.gql<{ issueApiKey: { secret: string | null; apiKey: KeyNode | null; userErrors: Errors } }>(
    `mutation($id: ID!, $role: Role!) { issueApiKey(input: { organisationId: $id, role: $role, label: "case system" ${extra} }) {
      secret apiKey { ${KEY_FIELDS} } userErrors { code field } } }`,
    { id: organisationId, role },
  );
  return response.data!.issueApiKey;
}

async function revoke(apiKeyId: string, reason: string, key = BOOTSTRAP_ADMIN_KEY) {
  return t.gql<{ revokeApiKey: { apiKey: KeyNode | null; userErrors: Errors } }>(
    `mutation($id: ID!, $reason: String!) { revokeApiKey(input: { apiKeyId: $id, reason: $reason }) { apiKey { ${KEY_FIELDS} } userErrors { code field } } }`,
    { id: apiKeyId, reason },
    key,
  );
}

async function listKeys(args: string, key = BOOTSTRAP_ADMIN_KEY) {
  return t.gql<{ apiKeys: { edges: Array<{ cursor: string; node: KeyNode }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
    `{ apiKeys${args} { edges { cursor node { ${KEY_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
    {},
    key,
  );
}

const bootstrapKeyId = async () => (await t.db.dataSource.query(`SELECT id FROM api_key WHERE bootstrap`))[0].id as string;

describe('issueApiKey with an expiry', () => {
  it('issues a key that expires, naming who issued it; an expiry not in the future is EXPIRY_IN_PAST', async () => {
    const { organisationId } = await t.keyFor(Role.PROVIDER);
    const past = await issue(organisationId, Role.PROVIDER, ', expiresAt: "2020-01-01T00:00:00Z"');
    expect(past).toEqual({ secret: null, apiKey: null, userErrors: [{ code: 'EXPIRY_IN_PAST', field: ['expiresAt'] }] });

    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const issued = await issue(organisationId, Role.PROVIDER, `, expiresAt: "${expiresAt}"`);
    expect(issued.userErrors).toEqual([]);
    expect(issued.apiKey).toMatchObject({
      role: 'PROVIDER', label: 'case system', status: 'ACTIVE', bootstrap: false, expiresAt, lastUsedAt: null, revokedAt: null,
      organisation: { id: organisationId }, issuedBy: { id: await bootstrapKeyId(), label: 'bootstrap' },
    });
    expect((await whoAmI(issued.secret!)).data!.viewer).toEqual({ role: 'PROVIDER' });
    const result = await authenticateRequest(keyLookup(t.db.dataSource), `Bearer ${issued.secret}`);
    expect('viewer' in result && result.viewer.expiresAt?.toISOString()).toBe(expiresAt);
  });

  it('refuses a key once its expiry has passed, saying EXPIRED', async () => {
    const { organisationId } = await t.keyFor(Role.ANALYST);
    const issued = await issue(organisationId, Role.ANALYST, `, expiresAt: "${new Date(Date.now() + 86_400_000).toISOString()}"`);
    expect(refused(await whoAmI(issued.secret!))).toBeNull();
    // Time passes: the expiry is moved to the past rather than waited for.
    await t.db.dataSource.query(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [issued.apiKey!.id]);
    expect(refused(await whoAmI(issued.secret!))).toEqual(unauthenticated('EXPIRED'));
    expect(await authenticateRequest(keyLookup(t.db.dataSource), `Bearer ${issued.secret}`)).toEqual({ failure: 'EXPIRED', message: 'This API key has expired' });
    const listed = await listKeys(`(filter: { organisationId: "${organisationId}" })`);
    expect(listed.data!.apiKeys.edges.map((e) => e.node.status)).toEqual(['ACTIVE', 'EXPIRED']);
  });
});

describe('revokeApiKey', () => {
  it('revokes a key at once, with its reason and revoker, and announces it on the API key channel', async () => {
    const listener = new Client({ connectionString: t.db.url });
    await listener.connect();
    await listener.query(`LISTEN ${API_KEY_CHANNEL}`);
    const announced: string[] = [];
    listener.on('notification', (message) => announced.push(message.payload!));
    try {
      const { secret } = await t.keyFor(Role.JOBCENTRE);
      const [{ id }] = await t.db.dataSource.query(`SELECT id FROM api_key WHERE created_at = (SELECT max(created_at) FROM api_key)`);
      expect(refused(await whoAmI(secret))).toBeNull();

      const response = await revoke(id, '  laptop lost  ');
      expect(response.data!.revokeApiKey.userErrors).toEqual([]);
      const revoked = response.data!.revokeApiKey.apiKey!;
      expect(revoked).toMatchObject({ id, status: 'REVOKED', revocationReason: 'laptop lost', revokedBy: { id: await bootstrapKeyId() } });
      expect(refused(await whoAmI(secret))).toEqual(unauthenticated('REVOKED'));
      expect(await authenticateRequest(keyLookup(t.db.dataSource), `Bearer ${secret}`)).toEqual({ failure: 'REVOKED', message: 'This API key has been revoked' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(announced).toEqual([id]);

      // Again: nothing changes, the first revocation stands, and nothing more is announced.
      const again = await revoke(id, 'rotated');
      expect(again.data!.revokeApiKey).toEqual({ apiKey: revoked, userErrors: [] });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(announced).toEqual([id]);
    } finally {
      await listener.end();
    }
  });

  it('refuses an unknown key and a missing or overlong reason', async () => {
    const unknown = await revoke('00000000-0000-4000-8000-000000000000', 'rotated');
    expect(unknown.data!.revokeApiKey).toEqual({ apiKey: null, userErrors: [{ code: 'UNKNOWN_API_KEY', field: ['apiKeyId'] }] });
    expect((await revoke('not-an-id', 'rotated')).data!.revokeApiKey.userErrors).toEqual([{ code: 'UNKNOWN_API_KEY', field: ['apiKeyId'] }]);
    const id = await bootstrapKeyId();
    expect((await revoke(id, '   ')).data!.revokeApiKey.userErrors).toEqual([{ code: 'REASON_REQUIRED', field: ['reason'] }]);
    expect((await revoke(id, 'x'.repeat(2001))).data!.revokeApiKey.userErrors).toEqual([{ code: 'TOO_LONG', field: ['reason'] }]);
    expect(refused(await whoAmI(BOOTSTRAP_ADMIN_KEY))).toBeNull();
  });

  it('is for ADMIN keys only, as is apiKeys', async () => {
    for (const role of [Role.JOBCENTRE, Role.PROVIDER, Role.ANALYST, Role.DECISION_MAKER]) {
      const { secret } = await t.keyFor(role);
      const revoked = await revoke(await bootstrapKeyId(), 'mine now', secret);
      expect(revoked.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect((await listKeys('', secret)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });

  it('cannot be undone: the database refuses to restore a revoked key', async () => {
    const [{ id }] = await t.db.dataSource.query(`SELECT id FROM api_key WHERE revoked_at IS NOT NULL LIMIT 1`);
    await expect(t.db.dataSource.query(`UPDATE api_key SET revoked_at = NULL, revocation_reason = NULL WHERE id = $1`, [id])).rejects.toThrow(
      /a revoked API key stays revoked/,
    );
  });
});

describe('apiKeys', () => {
  it('pages every key, oldest first, and filters by organisation and status; never a secret', async () => {
    const all: KeyNode[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof listKeys>> = await listKeys(`(first: 3${after ? `, after: "${after}"` : ''})`);
      all.push(...page.data!.apiKeys.edges.map((e) => e.node));
      if (!page.data!.apiKeys.pageInfo.hasNextPage) break;
      after = page.data!.apiKeys.pageInfo.endCursor;
    }
    const [{ count }] = await t.db.dataSource.query(`SELECT count(*)::int AS count FROM api_key`);
    expect(all).toHaveLength(count);
    expect(new Set(all.map((k) => k.id)).size).toBe(count);
    expect(all.map((k) => k.createdAt)).toEqual([...all.map((k) => k.createdAt)].sort());
    expect(all[0]).toMatchObject({ bootstrap: true, label: 'bootstrap', role: 'ADMIN', issuedBy: null });

    const revoked = await listKeys('(filter: { status: [REVOKED] })');
    expect(revoked.data!.apiKeys.edges.length).toBeGreaterThan(0);
    expect(revoked.data!.apiKeys.edges.every((e) => e.node.status === 'REVOKED' && e.node.revokedAt)).toBe(true);

    const type = await t.gql<{ __type: { fields: Array<{ name: string }> } }>('{ __type(name: "ApiKey") { fields { name } } }');
    expect(type.data!.__type.fields.map((f) => f.name).filter((name) => /secret|hash/i.test(name))).toEqual([]);
    expect(JSON.stringify(all)).not.toContain(BOOTSTRAP_ADMIN_KEY);
    expect((await listKeys('(after: "bm90LWEtY3Vyc29y")')).errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('knows when a key was last used, to the minute, without writing on every request', async () => {
    const { secret, organisationId } = await t.keyFor(Role.ANALYST);
    const lastUsed = async () => (await listKeys(`(filter: { organisationId: "${organisationId}" })`)).data!.apiKeys.edges[0].node.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await whoAmI(secret);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    // Half a minute ago: the next requests leave it as it is.
    await t.db.dataSource.query(`UPDATE api_key SET last_used_at = now() - interval '30 seconds' WHERE organisation_id = $1`, [organisationId]);
    const [{ at }] = await t.db.dataSource.query(`SELECT last_used_at AS at FROM api_key WHERE organisation_id = $1`, [organisationId]);
    for (let i = 0; i < 3; i++) await whoAmI(secret);
    expect(await lastUsed()).toBe((at as Date).toISOString());
    // Two minutes ago: the next request records it again.
    await t.db.dataSource.query(`UPDATE api_key SET last_used_at = now() - interval '2 minutes' WHERE organisation_id = $1`, [organisationId]);
    await whoAmI(secret);
    expect(Date.parse((await lastUsed())!)).toBeGreaterThan((at as Date).getTime());
  });
});

describe('the bootstrap key', () => {
  it('is retired (revoked) when the exchange starts with another SCX_BOOTSTRAP_ADMIN_KEY', async () => {
    const next = 'scx_next_bootstrap_key_for_this_test_only';
    expect(await ensureBootstrapAdmin(t.db.dataSource, BOOTSTRAP_ADMIN_KEY)).toEqual({ revoked: false, retired: 0 });
    expect(await ensureBootstrapAdmin(t.db.dataSource, next)).toEqual({ revoked: false, retired: 1 });
    expect(await authenticateRequest(keyLookup(t.db.dataSource), `Bearer ${BOOTSTRAP_ADMIN_KEY}`)).toMatchObject({ failure: 'REVOKED' });
    const listed = await listKeys('(filter: { status: [REVOKED] })', next);
    expect(listed.data!.apiKeys.edges.find((e) => e.node.bootstrap)!.node).toMatchObject({
      label: 'bootstrap', revocationReason: BOOTSTRAP_REPLACED, revokedBy: null,
    });
    // Starting again with the old value neither brings it back nor retires the working one.
    expect(await ensureBootstrapAdmin(t.db.dataSource, BOOTSTRAP_ADMIN_KEY)).toEqual({ revoked: true, retired: 0 });
    expect(refused(await whoAmI(BOOTSTRAP_ADMIN_KEY))).toEqual(unauthenticated('REVOKED'));
    expect(refused(await whoAmI(next))).toBeNull();
  });
});

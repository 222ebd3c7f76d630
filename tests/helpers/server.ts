import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { RateLimit } from '../../src/modules/identity/rate-limit';
import { Role } from '../../src/auth/access.enums';
import { OrganisationKind, ROLE_ORGANISATION_KIND } from '../../src/modules/identity/identity.enums';
import { ensureBootstrapAdmin, issueApiKey, registerOrganisation } from '../../src/modules/identity/identity.service';
import { FieldCipher } from '../../src/db/field-encryption';
import { type ScxServer, type ServerMode, startServer } from '../../src/server/app';
import { type TestDatabase, connectAsApiRole, createTestDatabase } from './database';

export const BOOTSTRAP_ADMIN_KEY = 'scx_test_bootstrap_admin_key';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string } }>;
}

export interface TestServer {
  server: ScxServer;
  /** The test's database, connected as its owner: tests arrange and inspect through it. */
  db: TestDatabase;
  /** What the server is connected as: `db.dataSource`, or with `asApiRole` the API's own role. */
  serverDb: DataSource;
  cipher: FieldCipher;
  /** The cipher's key, base64, for another process on the same database (SCX_DATA_KEY). */
  dataKey: string;
  url: string;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GraphQLResponse<T>>;
  /** A key of `role` for a new organisation of the kind that role belongs to. */
  keyFor(role: Role, organisationName?: string): Promise<{ secret: string; organisationId: string }>;
  close(): Promise<void>;
}

let organisations = 0;

/** The real HTTP/WebSocket server on a free port, over a database of its own. */
export async function startTestServer(
  options: {
    log?: Logger;
    disclosureThreshold?: number;
    rateLimit?: RateLimit;
    /**
     * Serve as production does: connected as a login role of `scx_api`, which owns nothing.
     * SCX_TEST_AS_API_ROLE=1 makes it the default for every test server (CI's second pass).
     */
    asApiRole?: boolean;
  } & ServerMode = {},
): Promise<TestServer> {
  const db = await createTestDatabase();
  await ensureBootstrapAdmin(db.dataSource, BOOTSTRAP_ADMIN_KEY);
  const apiRole = (options.asApiRole ?? process.env.SCX_TEST_AS_API_ROLE === '1') ? await connectAsApiRole(db) : null;
  const serverDb = apiRole?.dataSource ?? db.dataSource;
  const dataKey = randomBytes(32);
  const cipher = new FieldCipher(dataKey);
  const server = await startServer({
    db: serverDb,
    cipher,
    port: 0,
    host: '127.0.0.1',
    ...options,
    log: options.log ?? pino({ level: process.env.SCX_TEST_LOG ?? 'silent' }),
  });
  return {
    server,
    db,
    serverDb,
    cipher,
    dataKey: dataKey.toString('base64'),
    url: server.url,
    gql: async (query, variables, key = BOOTSTRAP_ADMIN_KEY) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    keyFor: async (role, organisationName) => {
      const kind: OrganisationKind = ROLE_ORGANISATION_KIND[role];
      const organisation = await registerOrganisation(db.dataSource, {
        name: organisationName ?? `Test ${kind} ${++organisations} ${Date.now()}`,
        kind,
      });
      const { secret } = await issueApiKey(db.dataSource, { organisationId: organisation.id, role });
      return { secret, organisationId: organisation.id };
    },
    close: async () => {
      await server.stop();
      await apiRole?.drop();
      await db.drop();
    },
  };
}

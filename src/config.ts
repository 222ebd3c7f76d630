import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseConfig } from './db/database';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './modules/identity/rate-limit';
import { DEFAULT_DISCLOSURE_THRESHOLD } from './modules/performance/suppression';
import { LIMITS, type Limits } from './server/limits';

/** The folder holding package.json, whether we run from `src/` (ts) or `dist/src/` (built). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

/** Everything the exchange reads from the environment, read in one place. */
export interface Config extends DatabaseConfig {
  port: number;
  bootstrapAdminKey: string | undefined;
  /** SCX_DATA_KEY: the key for special-category fields; generated under dataDir for the embedded database. */
  dataKey: string | undefined;
  /** SCX_DATA_KEYS_PREVIOUS: older data keys (comma-separated), read until `npm run keys:rotate` retires them. */
  previousDataKeys: string | undefined;
  /** Demo data on first start against an empty embedded database (`SCX_DEMO=off` skips it). */
  demo: boolean;
  logLevel: string;
  /** SCX_DISCLOSURE_THRESHOLD: performance counts below it are withheld (null, row marked suppressed). */
  disclosureThreshold: number;
  /** SCX_RATE_LIMIT_REQUESTS per SCX_RATE_LIMIT_WINDOW_SECONDS and API key, counted in PostgreSQL. */
  rateLimit: RateLimit;
  /** HOST: the interface to listen on; loopback only unless told (docker sets 0.0.0.0). */
  host: string;
  /** NODE_ENV=production: no GraphiQL or introspection unless turned on, no schema details in errors. */
  production: boolean;
  /** SCX_GRAPHIQL: the GraphQL IDE at GET /graphql (default: on outside production). */
  graphiql: boolean;
  /** SCX_INTROSPECTION: schema introspection, HTTP and WebSocket (default: on outside production). */
  introspection: boolean;
  /** The request budget, each bound from its SCX_MAX_… variable (src/server/limits.ts). */
  limits: Limits;
  /** DATABASE_LISTEN_URL: the inbox's LISTEN connection, a direct (or session-pooled) one when DATABASE_URL goes through a transaction pooler. */
  listenDatabaseUrl: string | undefined;
}

/** A whole number from the environment within [min, max], or the fallback when unset. */
function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, { min, max, what }: { min: number; max: number; what: string }): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be ${what}, got "${raw}"`);
  return value;
}

const PORT = { min: 0, max: 65535, what: 'a port number' };
const POSITIVE = { min: 1, max: Number.MAX_SAFE_INTEGER, what: 'a whole number of at least 1' };

/** A bootstrap key has at least this many characters… */
export const BOOTSTRAP_KEY_MIN_LENGTH = 32;
/** …and at least this many bits by `entropyBits`. */
export const BOOTSTRAP_KEY_MIN_BITS = 128;

/**
 * A cautious estimate of a secret's entropy: its length times the Shannon entropy of its own
 * characters. 16 × "a" has none; `openssl rand -hex 32` (64 characters) about 240 bits. It
 * underestimates short random strings, never overestimates repetitive ones.
 */
export function entropyBits(secret: string): number {
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const char of chars) counts.set(char, (counts.get(char) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / chars.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * chars.length;
}

/** The first ADMIN key must be as hard to guess as an issued one: it is sent as `Bearer <key>`, so no spaces. */
function bootstrapKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.SCX_BOOTSTRAP_ADMIN_KEY || undefined;
  if (key !== undefined && (/\s/.test(key) || key.length < BOOTSTRAP_KEY_MIN_LENGTH || entropyBits(key) < BOOTSTRAP_KEY_MIN_BITS)) {
    throw new Error(
      `SCX_BOOTSTRAP_ADMIN_KEY is too easy to guess: use at least ${BOOTSTRAP_KEY_MIN_LENGTH} random characters without spaces ` +
        `(${BOOTSTRAP_KEY_MIN_BITS} bits or more), e.g. the output of \`openssl rand -hex 32\`.`,
    );
  }
  return key;
}

/** `on` or `off`, or the fallback when unset. */
function switchFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be on or off, got "${env[name]}"`);
  return raw === 'on';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  // Other ways to the operator's server (a replica of it, a direct way past its pooler): the embedded one has one way.
  for (const name of ['DATABASE_REPLICA_URL', 'DATABASE_LISTEN_URL']) {
    if (env[name] && !env.DATABASE_URL) throw new Error(`${name} needs DATABASE_URL: it names another way to DATABASE_URL's server`);
  }
  const bootstrapAdminKey = bootstrapKey(env);
  return {
    port: intFromEnv(env, 'PORT', 4000, PORT),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.SCX_DATA_DIR || path.join(projectRoot(), '.data')),
    embeddedPort: intFromEnv(env, 'SCX_EMBEDDED_PG_PORT', 54329, PORT),
    bootstrapAdminKey,
    dataKey: env.SCX_DATA_KEY || undefined,
    previousDataKeys: env.SCX_DATA_KEYS_PREVIOUS || undefined,
    demo: (env.SCX_DEMO ?? 'on').toLowerCase() !== 'off',
    logLevel: env.LOG_LEVEL || 'info',
    disclosureThreshold: intFromEnv(env, 'SCX_DISCLOSURE_THRESHOLD', DEFAULT_DISCLOSURE_THRESHOLD, POSITIVE),
    rateLimit: {
      requests: intFromEnv(env, 'SCX_RATE_LIMIT_REQUESTS', DEFAULT_RATE_LIMIT.requests, POSITIVE),
      windowSeconds: intFromEnv(env, 'SCX_RATE_LIMIT_WINDOW_SECONDS', DEFAULT_RATE_LIMIT.windowSeconds, { min: 1, max: 86400, what: 'a number of seconds from 1 to 86400' }),
    },
    migrationDatabaseUrl: env.DATABASE_MIGRATION_URL || undefined,
    replicaDatabaseUrl: env.DATABASE_REPLICA_URL || undefined,
    listenDatabaseUrl: env.DATABASE_LISTEN_URL || undefined,
    host: env.HOST || 'localhost',
    production,
    graphiql: switchFromEnv(env, 'SCX_GRAPHIQL', !production),
    introspection: switchFromEnv(env, 'SCX_INTROSPECTION', !production),
    limits: Object.fromEntries(
      Object.entries(LIMITS).map(([name, limit]) => [
        name,
        intFromEnv(env, limit.env, limit.default, { min: limit.min, max: Number.MAX_SAFE_INTEGER, what: `a whole number of at least ${limit.min}` }),
      ]),
    ) as Limits,
  };
}

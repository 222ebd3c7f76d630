/**
 * Every bound on what one request may ask of the server, in one table: the value, the
 * environment variable that changes it, and what it bounds. `loadConfig` reads them
 * (src/config.ts); README's configuration table lists them. The defaults fit every legitimate
 * request we know of (the test suite, the dashboard, GraphiQL, the README's examples) with room
 * to spare, and refuse the hostile ones of issue 11.
 */
export const LIMITS = {
  maxBodyBytes: {
    env: 'SCX_MAX_BODY_BYTES',
    // A realistic 1,000-referral submitReferrals body is 650,200 bytes (tests/e2e/limits.test.ts
    // builds it: full names, address, phone, email, a health condition): this leaves a tenth more.
    default: 704 * 1024,
    min: 1024,
    what: 'the largest HTTP request body, in bytes (413 above it)',
  },
  maxTokens: {
    env: 'SCX_MAX_TOKENS',
    default: 5000,
    min: 100,
    what: 'the most lexical tokens in one GraphQL document (QUERY_TOO_LARGE)',
  },
  maxDepth: {
    env: 'SCX_MAX_DEPTH',
    default: 10,
    min: 2,
    what: 'the deepest nesting of fields in an operation (QUERY_TOO_DEEP)',
  },
  maxCost: {
    env: 'SCX_MAX_COST',
    default: 100000,
    min: 1,
    what: 'the largest estimated cost of an operation (QUERY_TOO_COSTLY; cost model in README)',
  },
  maxAliases: {
    env: 'SCX_MAX_ALIASES',
    default: 30,
    min: 0,
    what: 'the most aliased fields in an operation, counted as they appear in the answer (TOO_MANY_ALIASES)',
  },
  maxRootFields: {
    env: 'SCX_MAX_ROOT_FIELDS',
    default: 10,
    min: 1,
    what: 'the most top-level fields in an operation (TOO_MANY_ROOT_FIELDS)',
  },
  maxVariablesDepth: {
    env: 'SCX_MAX_VARIABLES_DEPTH',
    default: 8,
    min: 2,
    what: 'the deepest nesting of objects and lists in `variables` (BAD_USER_INPUT)',
  },
  maxVariablesValues: {
    env: 'SCX_MAX_VARIABLES_VALUES',
    default: 60000,
    min: 10,
    what: 'the most values (objects, lists, strings, numbers…) in `variables` (BAD_USER_INPUT)',
  },
  maxWebSocketPayloadBytes: {
    env: 'SCX_MAX_WS_PAYLOAD_BYTES',
    default: 64 * 1024,
    min: 1024,
    what: 'the largest WebSocket message, in bytes (the socket is closed with 1009 above it)',
  },
  maxConnectionsPerKey: {
    env: 'SCX_MAX_WS_CONNECTIONS_PER_KEY',
    default: 20,
    min: 1,
    what: 'open WebSocket connections per API key, in each API process',
  },
  maxSubscriptionsPerConnection: {
    env: 'SCX_MAX_SUBSCRIPTIONS_PER_CONNECTION',
    default: 20,
    min: 1,
    what: 'running subscriptions on one WebSocket connection (TOO_MANY_SUBSCRIPTIONS)',
  },
  maxSubscriptionsPerKey: {
    env: 'SCX_MAX_SUBSCRIPTIONS_PER_KEY',
    default: 100,
    min: 1,
    what: 'running subscriptions per API key, in each API process (TOO_MANY_SUBSCRIPTIONS)',
  },
} as const satisfies Record<string, { env: string; default: number; min: number; what: string }>;

export type Limits = { [K in keyof typeof LIMITS]: number };

export const DEFAULT_LIMITS: Limits = Object.fromEntries(Object.entries(LIMITS).map(([name, limit]) => [name, limit.default])) as Limits;

/**
 * The codes of refusals by a limit: client errors (they pass formatError), each naming the
 * limit; the message gives the limit and what was measured.
 */
export const LIMIT_CODES = [
  'QUERY_TOO_LARGE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COSTLY',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'ONE_OPERATION_PER_DOCUMENT',
  'TOO_MANY_SUBSCRIPTIONS',
  'RATE_LIMITED',
] as const;

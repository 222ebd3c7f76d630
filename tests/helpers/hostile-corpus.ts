import WebSocket from 'ws';
import { ERROR_CODES } from '../../src/common/error-codes';
import { CLIENT_ERROR_CODES } from '../../src/server/errors';
import { DEFAULT_LIMITS } from '../../src/server/limits';

/**
 * Issue 11's hostile requests, one entry per attack, as an attacker sends them to the real server
 * (HTTP or graphql-transport-ws), each with the answer the server gives it. tests/e2e/hostile.test.ts
 * sends every entry and checks the answers; `npm run bench:abuse` (bench/abuse.ts) sends them in a
 * loop from several attackers while a victim measures its latency. The answers assume a server in
 * production mode with the default limits.
 */

/** What the corpus needs of the server it attacks. */
export interface CorpusTarget {
  /** http://…/graphql */
  url: string;
  keys: {
    admin: string;
    jobcentre: string;
    /** The prime holding `referralId`. */
    prime: string;
    analyst: string;
    revoked: string;
    expired: string;
  };
  /** An attached referral of the prime's. */
  referralId: string;
  /** A prime contract of the prime's. */
  contractId: string;
  /** A CPA code that exists. */
  cpaCode: number;
}

/** The answer to one hostile request, reduced to what can be checked. */
export interface Outcome {
  /** The HTTP status; for a WebSocket, the close code when the server closed the socket. */
  status?: number;
  /** graphql-ws: the code the server closed the socket with (undefined: it stayed open). */
  closeCode?: number;
  /** `errors[].extensions.code`, in order. */
  codes: string[];
  /** `errors[].extensions.reason` (UNAUTHENTICATED's), or the close reason's first word. */
  reasons: string[];
  messages: string[];
  /** Every `userErrors[].code` anywhere in `data`. */
  userErrorCodes: string[];
  /** The answer's `data`, as it came. */
  data?: unknown;
  /** The body was a GraphQL response (an object with `errors` and/or `data`), or the socket answered per protocol. */
  wellFormed: boolean;
}

export interface HostileRequest {
  name: string;
  /** The row of issue 11's findings table the request reproduces. */
  finding: Finding;
  send(target: CorpusTarget): Promise<Outcome>;
  /** What the server answers. */
  expected: Partial<Pick<Outcome, 'status' | 'closeCode' | 'codes' | 'reasons' | 'userErrorCodes'>>;
}

export const FINDINGS = {
  budget: 'No depth, cost or alias limit, over HTTP or WebSocket',
  parseBeforeKey: 'Parse and validation before any key check',
  frames: 'WebSocket frames up to 100 MiB, before authentication',
  subscriptions: 'Unlimited subscriptions per connection and key',
  slowFields: 'Slow fields repeated by alias',
  freeText: 'No length limits on free text',
  keys: 'Keys cannot be revoked, expired, rotated or listed; weak bootstrap key',
  audit: 'No audit trail',
  embedded: 'Embedded PostgreSQL superuser password is a constant',
  production: 'Production mode: introspection and mutations over WebSocket, suggestions, GraphiQL, headers, interfaces',
  delivery: 'A database blip during delivery sends referral: null',
  faults: 'Fault logs say [object Object]; forged cursors and nested variables answer INTERNAL_SERVER_ERROR',
  encryption: 'Field encryption binds the ciphertext to the field name only',
  allocation: 'allocationCheck counts are not suppressed',
} as const;
export type Finding = keyof typeof FINDINGS;

/** Every code an answer may carry: the request-level codes of src/server/errors.ts and the userErrors catalogue. */
export const KNOWN_CODES = new Set<string>([...CLIENT_ERROR_CODES, ...Object.keys(ERROR_CODES)]);

// ---------------------------------------------------------------- sending

type GraphQLError = { message?: unknown; extensions?: { code?: unknown; reason?: unknown } };

function userErrorCodes(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => userErrorCodes(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'userErrors' && Array.isArray(inner)) found.push(...inner.map((e: { code: string }) => e.code));
      else userErrorCodes(inner, found);
    }
  }
  return found;
}

/** An Outcome from a GraphQL response body (HTTP) or an error payload (graphql-ws). */
export function outcomeOf(body: unknown, status?: number): Outcome {
  const response = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as { data?: unknown; errors?: GraphQLError[] };
  const errors = Array.isArray(response.errors) ? response.errors : [];
  const wellFormed =
    ('data' in response || errors.length > 0) &&
    errors.every((e) => typeof e.message === 'string' && typeof e.extensions?.code === 'string');
  return {
    status,
    codes: errors.map((e) => String(e.extensions?.code)),
    reasons: errors.flatMap((e) => (typeof e.extensions?.reason === 'string' ? [e.extensions.reason] : [])),
    messages: errors.map((e) => String(e.message)),
    userErrorCodes: userErrorCodes(response.data),
    data: response.data,
    wellFormed,
  };
}

/** POSTs `body` (a string as is, anything else as JSON) to the target with `key`. */
export async function post(url: string, body: unknown, key: string | null, headers: Record<string, string> = {}): Promise<Outcome> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: response.status, codes: [], reasons: [], messages: [text.slice(0, 200)], userErrorCodes: [], wellFormed: false };
  }
  return outcomeOf(parsed, response.status);
}

const gql = (query: string, variables?: Record<string, unknown>) => ({ query, variables });

/**
 * One graphql-transport-ws session: connection_init with `key`, then `operations` subscribed at
 * once; it ends when `answers` operations have answered (error or complete), when the server
 * closes the socket, or after `waitMs`. Raw frames, as an attacker sends them.
 */
export function overWebSocket(
  url: string,
  key: string | null,
  operations: Array<{ query: string; variables?: Record<string, unknown> }>,
  options: { answers?: number; waitMs?: number; initPayload?: unknown } = {},
): Promise<Outcome> {
  const outcome: Outcome = { codes: [], reasons: [], messages: [], userErrorCodes: [], wellFormed: true };
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  let answered = 0;
  return new Promise<Outcome>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
      resolve(outcome);
    };
    const timer = setTimeout(finish, options.waitMs ?? 5000);
    socket.on('error', () => undefined); // the close that follows says what happened
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: options.initPayload ?? (key ? { authorization: `Bearer ${key}` } : {}) }));
    });
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        operations.forEach((payload, i) => socket.send(JSON.stringify({ type: 'subscribe', id: String(i + 1), payload })));
        if (operations.length === 0) finish();
      } else if (message.type === 'error' || message.type === 'next') {
        const answer = message.type === 'error' ? outcomeOf({ errors: message.payload }) : outcomeOf(message.payload);
        outcome.codes.push(...answer.codes);
        outcome.reasons.push(...answer.reasons);
        outcome.messages.push(...answer.messages);
        outcome.userErrorCodes.push(...answer.userErrorCodes);
        outcome.wellFormed &&= answer.wellFormed;
        if (message.type === 'error' && ++answered >= (options.answers ?? operations.length)) finish();
      } else if (message.type === 'complete') {
        if (++answered >= (options.answers ?? operations.length)) finish();
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    });
    socket.on('close', (code: number, reason: Buffer) => {
      outcome.closeCode = code;
      outcome.status = code;
      const word = /^([A-Z_]+):/.exec(reason.toString());
      if (word) outcome.reasons.push(word[1]);
      finish();
    });
  });
}

// ---------------------------------------------------------------- the requests

/** `{ cpas { contracts { subcontracts { contract { subcontracts { … } } } } } }`, `depth` times round the cycle. */
export function cyclicRegistryQuery(depth: number): string {
  let inner = 'id subcontractor { name }';
  for (let i = 0; i < depth; i++) inner = `contract { subcontracts { ${inner} } }`;
  return `{ cpas { contracts { subcontracts { ${inner} } } } }`;
}

const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');

const made = new Map<string, string>();
/** A large body made once (per target): the bench's attackers send it again and again, and should spend their time sending, not building. */
const once = (name: string, make: () => string): string => {
  if (!made.has(name)) made.set(name, make());
  return made.get(name)!;
};

/** The reproduced keyless document: 290,000 operations, about 6 MB. */
const hugeDocument = () => once('290,000 operations', () => JSON.stringify({ query: Array.from({ length: 290_000 }, (_, i) => `query q${i}{__typename}`).join('') }));

const forge = (position: string) => Buffer.from(position, 'utf8').toString('base64url');

const CONTACT = 'mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } userErrors { code field } } }';
const contact = (t: CorpusTarget, note: string) =>
  gql(CONTACT, { input: { referralId: t.referralId, occurredAt: '2024-03-05T10:00:00Z', channel: 'FACE_TO_FACE', kind: 'ADVISER_CONTACT', attended: true, note } });

/** A valid subscription operation. */
const ITEMS_OPERATION = { query: 'subscription { inboxItemAdded { cursor kind } }' };
const REFUSED_FOR_SIZE = { status: 400, codes: ['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY'] };

export const HOSTILE_CORPUS: HostileRequest[] = [
  // ---- the budget
  ...[5, 6].map((depth): HostileRequest => ({
    name: `the cyclic registry query at depth ${depth}`,
    finding: 'budget',
    send: (t) => post(t.url, gql(cyclicRegistryQuery(depth)), t.keys.analyst),
    expected: REFUSED_FOR_SIZE,
  })),
  {
    name: '1,000 aliases inside a list',
    finding: 'budget',
    send: (t) => post(t.url, gql(`{ cpas { ${aliases(1000, 'name')} } }`), t.keys.analyst),
    expected: { status: 400, codes: ['TOO_MANY_ALIASES'] },
  },
  {
    name: '1,000 aliases of viewer',
    finding: 'budget',
    send: (t) => post(t.url, gql(`{ ${aliases(1000, 'viewer { role }')} }`), t.keys.analyst),
    expected: { status: 400, codes: ['QUERY_TOO_LARGE'] },
  },
  {
    name: 'a deep subscription over WebSocket',
    finding: 'budget',
    send: (t) => {
      let deep = 'id';
      for (let i = 0; i < 6; i++) deep = `handoffs { referral { ${deep} } }`;
      return overWebSocket(t.url, t.keys.prime, [gql(`subscription { inboxItemAdded { referral { ${deep} } } }`)]);
    },
    expected: { codes: ['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY'] },
  },
  {
    name: 'a fragment bomb',
    finding: 'budget',
    send: (t) => {
      const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
      return post(t.url, gql(`{ ...F40 } fragment F0 on Query { viewer { role } } ${fragments}`), t.keys.analyst);
    },
    expected: { status: 400, codes: ['TOO_MANY_ROOT_FIELDS', 'QUERY_TOO_COSTLY'] },
  },
  {
    name: 'two operations in one document',
    finding: 'budget',
    send: (t) => post(t.url, { query: 'query A { viewer { role } } query B { cpas { code } }', operationName: 'A' }, t.keys.analyst),
    expected: { status: 400, codes: ['ONE_OPERATION_PER_DOCUMENT'] },
  },
  // ---- parse before key
  {
    name: 'a keyless document of 290,000 operations',
    finding: 'parseBeforeKey',
    send: (t) => post(t.url, hugeDocument(), null),
    expected: { status: 401, codes: ['UNAUTHENTICATED'], reasons: ['MISSING'] },
  },
  {
    name: 'the same document with a key',
    finding: 'parseBeforeKey',
    send: (t) => post(t.url, hugeDocument(), t.keys.analyst),
    expected: { status: 413, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a keyless body that is not JSON',
    finding: 'parseBeforeKey',
    send: (t) => post(t.url, '{ not json', null),
    expected: { status: 401, codes: ['UNAUTHENTICATED'], reasons: ['MISSING'] },
  },
  {
    name: 'a keyed body that is not JSON',
    finding: 'parseBeforeKey',
    send: (t) => post(t.url, '{ not json', t.keys.analyst),
    expected: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a document past maxTokens',
    finding: 'parseBeforeKey',
    send: (t) => post(t.url, gql(`{ viewer { ${'role '.repeat(DEFAULT_LIMITS.maxTokens + 1)}} }`), t.keys.analyst),
    expected: { status: 400, codes: ['QUERY_TOO_LARGE'] },
  },
  // ---- WebSocket frames
  {
    name: 'a 1 MB connection_init before authentication',
    finding: 'frames',
    send: (t) => overWebSocket(t.url, null, [], { initPayload: { padding: 'x'.repeat(1024 * 1024) } }),
    expected: { closeCode: 1009, codes: [] },
  },
  {
    name: 'a keyless connection_init',
    finding: 'frames',
    send: (t) => overWebSocket(t.url, null, [ITEMS_OPERATION]),
    expected: { closeCode: 4401, reasons: ['MISSING'], codes: [] },
  },
  // ---- subscriptions
  {
    name: `${DEFAULT_LIMITS.maxSubscriptionsPerConnection + 1} subscriptions on one socket`,
    finding: 'subscriptions',
    send: (t) =>
      overWebSocket(t.url, t.keys.prime, Array.from({ length: DEFAULT_LIMITS.maxSubscriptionsPerConnection + 1 }, () => ITEMS_OPERATION), { answers: 1 }),
    expected: { codes: ['TOO_MANY_SUBSCRIPTIONS'] },
  },
  // ---- slow fields
  {
    name: '100 aliases of nationalPerformance',
    finding: 'slowFields',
    send: (t) => post(t.url, gql(`{ ${aliases(100, 'nationalPerformance(from: "2020-01-01", to: "2024-12-31") { rows { referrals } }')} }`), t.keys.analyst),
    expected: { status: 400, codes: ['TOO_MANY_ROOT_FIELDS', 'TOO_MANY_ALIASES', 'QUERY_TOO_COSTLY'] },
  },
  {
    name: '4 aliases of nationalPerformance',
    finding: 'slowFields',
    send: (t) => post(t.url, gql(`{ ${aliases(4, 'nationalPerformance(from: "2020-01-01", to: "2024-12-31") { rows { referrals } }')} }`), t.keys.analyst),
    expected: { status: 400, codes: ['QUERY_TOO_COSTLY'] },
  },
  {
    name: '10 aliases of allocationCheck',
    finding: 'slowFields',
    send: (t) => post(t.url, gql(`{ ${aliases(10, `allocationCheck(cpaCode: ${t.cpaCode}, from: "2020-01-01", to: "2024-12-31") { randomReferrals }`)} }`), t.keys.analyst),
    expected: { status: 400, codes: ['QUERY_TOO_COSTLY'] },
  },
  {
    name: '10 aliases of serviceStandardCompliance',
    finding: 'slowFields',
    send: (t) =>
      post(t.url, gql(`{ ${aliases(10, `serviceStandardCompliance(asOf: "2024-06-01", contractId: "${t.contractId}") { contract { id } }`)} }`), t.keys.prime),
    expected: { status: 400, codes: ['QUERY_TOO_COSTLY'] },
  },
  // ---- free text
  {
    name: 'the reproduced 9 MB contact note',
    finding: 'freeText',
    send: (t) => post(t.url, once(`9 MB note ${t.referralId}`, () => JSON.stringify(contact(t, 'n'.repeat(9 * 1024 * 1024)))), t.keys.prime),
    expected: { status: 413, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a contact note of 2,001 characters',
    finding: 'freeText',
    send: (t) => post(t.url, contact(t, 'n'.repeat(2001)), t.keys.prime),
    expected: { status: 200, codes: [], userErrorCodes: ['TOO_LONG'] },
  },
  {
    name: 'a note with a NUL character',
    finding: 'freeText',
    send: (t) => post(t.url, contact(t, 'before\u0000after'), t.keys.prime),
    expected: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  // ---- keys
  {
    name: 'a revoked key',
    finding: 'keys',
    send: (t) => post(t.url, gql('{ viewer { role } }'), t.keys.revoked),
    expected: { status: 401, codes: ['UNAUTHENTICATED'], reasons: ['REVOKED'] },
  },
  {
    name: 'an expired key',
    finding: 'keys',
    send: (t) => post(t.url, gql('{ viewer { role } }'), t.keys.expired),
    expected: { status: 401, codes: ['UNAUTHENTICATED'], reasons: ['EXPIRED'] },
  },
  {
    name: 'a short guessable key',
    finding: 'keys',
    send: (t) => post(t.url, gql('{ viewer { role } }'), 'a'.repeat(16)),
    expected: { status: 401, codes: ['UNAUTHENTICATED'], reasons: ['UNKNOWN'] },
  },
  {
    name: 'a revoked key over WebSocket',
    finding: 'keys',
    send: (t) => overWebSocket(t.url, t.keys.revoked, [ITEMS_OPERATION]),
    expected: { closeCode: 4401, reasons: ['REVOKED'], codes: [] },
  },
  {
    name: 'a provider listing the API keys',
    finding: 'keys',
    send: (t) => post(t.url, gql('{ apiKeys { edges { node { id } } } }'), t.keys.prime),
    expected: { status: 200, codes: ['FORBIDDEN'] },
  },
  // ---- audit
  {
    name: "a provider asking who read a person's record",
    finding: 'audit',
    send: (t) => post(t.url, gql('query($id: ID!) { personAccessLog(participantId: $id) { edges { cursor } } }', { id: t.referralId }), t.keys.prime),
    expected: { status: 200, codes: ['FORBIDDEN'] },
  },
  // ---- production mode
  {
    name: 'introspection over HTTP',
    finding: 'production',
    send: (t) => post(t.url, gql('{ __schema { types { name } } }'), t.keys.analyst),
    expected: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'introspection over WebSocket',
    finding: 'production',
    send: (t) => overWebSocket(t.url, t.keys.analyst, [gql('subscription { inboxItemAdded { __type(name: "Referral") { name } } }')]),
    expected: { codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a mutation over WebSocket',
    finding: 'production',
    send: (t) => overWebSocket(t.url, t.keys.admin, [gql('mutation { registerOrganisation(input: { name: "Via a socket", kind: PROVIDER }) { organisation { id } } }')]),
    expected: { codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a misspelt field, fishing for "Did you mean"',
    finding: 'production',
    send: (t) => post(t.url, gql('{ referals { totalCount } }'), t.keys.prime),
    expected: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a misspelt input field in variables',
    finding: 'production',
    send: (t) =>
      post(t.url, gql('mutation($input: CreateCpaInput!) { createCpa(input: $input) { userErrors { code } } }', { input: { code: 5, name: 'x', natoin: 'WALES' } }), t.keys.admin),
    // `natoin` is unknown, `nation` is missing
    expected: { status: 400, codes: ['BAD_USER_INPUT', 'BAD_USER_INPUT'] },
  },
  // ---- faults: cursors and variables
  ...[
    ['past bigint', forge('99999999999999999999')],
    ['negative', forge('-1')],
    ['not our encoding', 'MTA$'],
  ].map(([what, after]): HostileRequest => ({
    name: `a forged cursor (${what})`,
    finding: 'faults',
    send: (t) => post(t.url, gql('query($after: String) { referrals(after: $after) { totalCount } }', { after }), t.keys.prime),
    expected: { status: 200, codes: ['BAD_USER_INPUT'] },
  })),
  {
    name: 'a forged cursor on a subscription',
    finding: 'faults',
    send: (t) => overWebSocket(t.url, t.keys.prime, [gql('subscription($after: String) { inboxItemAdded(after: $after) { cursor } }', { after: forge('99999999999999999999') })]),
    expected: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'variables nested 50,000 deep',
    finding: 'faults',
    send: (t) => {
      const query = 'mutation($name: String!) { registerOrganisation(input: { name: $name, kind: PROVIDER }) { userErrors { code } } }';
      // Written by hand: JSON.stringify itself cannot nest 50,000 deep.
      return post(t.url, once('50,000 deep', () => `{"query": ${JSON.stringify(query)}, "variables": {"name": ${'['.repeat(50000)}"x"${']'.repeat(50000)}}}`), t.keys.admin);
    },
    expected: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: `variables holding more than ${DEFAULT_LIMITS.maxVariablesValues.toLocaleString('en-GB')} values`,
    finding: 'faults',
    send: (t) => post(t.url, once('too many values', () => JSON.stringify(gql('query($x: [Int!]) { viewer { role } }', { x: new Array(DEFAULT_LIMITS.maxVariablesValues).fill(1) }))), t.keys.analyst),
    expected: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'variables with more than 50 errors (graphql-js stops at its limit)',
    finding: 'faults',
    send: (t) =>
      post(t.url, gql('mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created } } }', { input: { referrals: new Array(60).fill(null) } }), t.keys.jobcentre),
    expected: { status: 400, codes: new Array(51).fill('BAD_USER_INPUT') },
  },
  {
    name: 'an Int variable past 32 bits',
    finding: 'faults',
    send: (t) => post(t.url, gql('query($code: Int!) { cpa(code: $code) { id } }', { code: 2 ** 40 }), t.keys.analyst),
    expected: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a node id with a NUL character',
    finding: 'faults',
    send: (t) => post(t.url, gql('query($id: ID!) { node(id: $id) { id } }', { id: '\u0000\uffff not an id' }), t.keys.prime),
    expected: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a node id that is not ours',
    finding: 'faults',
    send: (t) => post(t.url, gql('query($id: ID!) { node(id: $id) { id } }', { id: 'UmVmZXJyYWw6bm90LWEtdXVpZA' }), t.keys.prime),
    expected: { status: 200, codes: [] },
  },
  // ---- allocation
  {
    name: 'allocationCheck over a single day',
    finding: 'allocation',
    send: (t) => post(t.url, gql(`{ allocationCheck(cpaCode: ${t.cpaCode}, from: "2024-03-01", to: "2024-03-01") { from to randomReferrals } }`), t.keys.analyst),
    expected: { status: 200, codes: [] },
  },
];

/** The victim's request, and a normal request to check the server still answers after the corpus. */
export const CASELOAD_QUERY = `{ referrals(first: 20) { totalCount edges { node { id status referredOn participant { givenName familyName } } } } }`;

import type { Viewer } from './viewer';

/** Why a request carries no usable key: said to the caller (HTTP error message, WebSocket close reason). */
export type AuthenticationFailure = 'MISSING' | 'MALFORMED' | 'UNKNOWN' | 'REVOKED' | 'EXPIRED' | 'RATE_LIMITED';

/** `retryAfterSeconds` with RATE_LIMITED: when the key may ask again. */
export type Refusal = { failure: AuthenticationFailure; message: string; retryAfterSeconds?: number };

export type Authentication<V extends Viewer = Viewer> = { viewer: V } | Refusal;

/** What a bearer secret stands for: a viewer, or why it cannot be one. */
export type SecretCheck<V extends Viewer> =
  | { viewer: V }
  | { failure: 'UNKNOWN' | 'REVOKED' | 'EXPIRED' }
  | { failure: 'RATE_LIMITED'; retryAfterSeconds: number };

/**
 * Finds the key a secret belongs to and counts the request against its rate limit. The identity
 * module, which holds the keys, answers it (`keyLookup` in identity.service.ts); the server
 * hands it to `authenticateRequest`, so that auth does not import the module above it.
 */
export type KeyLookup<V extends Viewer> = (secret: string) => Promise<SecretCheck<V>>;

/**
 * PostgreSQL channel on which a revoked key's id is announced: every API process ends that key's
 * WebSocket sessions. The trigger `api_key_revocation` (migrations/*-KeyLifecycle.ts) sends it.
 */
export const API_KEY_CHANNEL = 'scx_api_key';

const FAILURE_MESSAGES: Record<AuthenticationFailure, string> = {
  MISSING: 'Authentication required: send Authorization: Bearer <API key>',
  MALFORMED: 'The Authorization value is not "Bearer <API key>"',
  UNKNOWN: 'This API key is not known',
  REVOKED: 'This API key has been revoked',
  EXPIRED: 'This API key has expired',
  RATE_LIMITED: 'Too many requests with this API key',
};

export function failure(reason: AuthenticationFailure): Refusal {
  return { failure: reason, message: FAILURE_MESSAGES[reason] };
}

/**
 * Who is behind an `Authorization: Bearer <secret>` value (HTTP header or the `authorization`
 * connection parameter of a WebSocket), or why nobody is, as `lookup` finds the key (with the
 * identity module's, one SQL statement that also counts the request against the key's rate limit).
 */
export async function authenticateRequest<V extends Viewer>(lookup: KeyLookup<V>, authorization: unknown): Promise<Authentication<V>> {
  if (authorization === undefined || authorization === null || authorization === '') return failure('MISSING');
  if (typeof authorization !== 'string') return failure('MALFORMED');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return failure('MALFORMED');
  const result = await lookup(match[1]);
  if ('viewer' in result) return result;
  const refused = failure(result.failure);
  return 'retryAfterSeconds' in result ? { ...refused, retryAfterSeconds: result.retryAfterSeconds } : refused;
}

import type { DataSource } from 'typeorm';
import { DEFAULT_RATE_LIMIT, type RateLimit } from '../config';
import { authenticateSecret } from '../modules/identity/identity.service';
import type { Viewer } from './viewer';

/** Why a request carries no usable key: said to the caller (HTTP error message, WebSocket close reason). */
export type AuthenticationFailure = 'MISSING' | 'MALFORMED' | 'UNKNOWN' | 'REVOKED' | 'EXPIRED' | 'RATE_LIMITED';

export type Authentication =
  | { viewer: Viewer }
  /** `retryAfterSeconds` with RATE_LIMITED: when the key may ask again. */
  | { failure: AuthenticationFailure; message: string; retryAfterSeconds?: number };

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

export function failure(reason: AuthenticationFailure): Authentication {
  return { failure: reason, message: FAILURE_MESSAGES[reason] };
}

/**
 * Who is behind an `Authorization: Bearer <secret>` value (HTTP header or the `authorization`
 * connection parameter of a WebSocket), or why nobody is. A known key's request counts against
 * its rate limit (`rateLimit`, shared by every API process on the database). One SQL statement.
 */
export async function authenticateRequest(
  db: DataSource,
  authorization: unknown,
  rateLimit: RateLimit = DEFAULT_RATE_LIMIT,
): Promise<Authentication> {
  if (authorization === undefined || authorization === null || authorization === '') return failure('MISSING');
  if (typeof authorization !== 'string') return failure('MALFORMED');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return failure('MALFORMED');
  const result = await authenticateSecret(db, match[1], rateLimit);
  if ('viewer' in result) return result;
  const refused = failure(result.failure);
  return 'retryAfterSeconds' in result ? { ...refused, retryAfterSeconds: result.retryAfterSeconds } : refused;
}

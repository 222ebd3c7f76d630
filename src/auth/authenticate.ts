import type { DataSource } from 'typeorm';
import { findViewerBySecret } from '../modules/identity/identity.service';
import type { Viewer } from './viewer';

/** Why a request carries no usable key: said to the caller (HTTP error message, WebSocket close reason). */
export type AuthenticationFailure = 'MISSING' | 'MALFORMED' | 'UNKNOWN' | 'REVOKED' | 'EXPIRED' | 'RATE_LIMITED';

export type Authentication =
  | { viewer: Viewer }
  /** `retryAfterSeconds` with RATE_LIMITED: when the key may ask again. */
  | { failure: AuthenticationFailure; message: string; retryAfterSeconds?: number };

/** PostgreSQL channel on which a revoked key's id is announced: every API process ends that key's WebSocket sessions. */
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
 * connection parameter of a WebSocket), or why nobody is.
 */
export async function authenticateRequest(db: DataSource, authorization: unknown): Promise<Authentication> {
  if (authorization === undefined || authorization === null || authorization === '') return failure('MISSING');
  if (typeof authorization !== 'string') return failure('MALFORMED');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return failure('MALFORMED');
  const viewer = await findViewerBySecret(db, match[1]);
  return viewer ? { viewer } : failure('UNKNOWN');
}

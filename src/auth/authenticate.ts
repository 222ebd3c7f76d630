import type { DataSource } from 'typeorm';
import { findViewerBySecret } from '../modules/identity/identity.service';
import type { Viewer } from './viewer';

/**
 * The viewer behind an `Authorization: Bearer <secret>` value (HTTP header or the
 * `authorization` connection parameter of a WebSocket), or null when absent or unknown.
 * A null viewer meets UNAUTHENTICATED at the first field that needs one.
 */
export async function authenticate(db: DataSource, authorization: unknown): Promise<Viewer | null> {
  if (typeof authorization !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? findViewerBySecret(db, match[1]) : null;
}

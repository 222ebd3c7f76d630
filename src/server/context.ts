import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/viewer';
import { createContractsLoaders } from '../modules/contracts/contracts.loaders';
import { createIdentityLoaders } from '../modules/identity/identity.loaders';
import { createReferralsLoaders } from '../modules/referrals/referrals.loaders';
import type { FieldCipher } from '../db/field-encryption';

export function createLoaders(db: DataSource) {
  return { ...createIdentityLoaders(db), ...createContractsLoaders(db), ...createReferralsLoaders(db) };
}
export type Loaders = ReturnType<typeof createLoaders>;

/** One per request (or WebSocket operation): who asks, the database, and fresh DataLoaders. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer | null;
  db: DataSource;
  /** Encrypts and decrypts special-category fields (health, risk markers). */
  cipher: FieldCipher;
  loaders: Loaders;
  log: Logger;
}

export function createContext(args: Omit<RequestContext, 'loaders'>): RequestContext {
  return { ...args, loaders: createLoaders(args.db) };
}

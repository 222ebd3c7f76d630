import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/viewer';
import { createContractsLoaders } from '../modules/contracts/contracts.loaders';
import { createIdentityLoaders } from '../modules/identity/identity.loaders';

export function createLoaders(db: DataSource) {
  return { ...createIdentityLoaders(db), ...createContractsLoaders(db) };
}
export type Loaders = ReturnType<typeof createLoaders>;

/** One per request (or WebSocket operation): who asks, the database, and fresh DataLoaders. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer | null;
  db: DataSource;
  loaders: Loaders;
  log: Logger;
}

export function createContext(args: { requestId: string; viewer: Viewer | null; db: DataSource; log: Logger }): RequestContext {
  return { ...args, loaders: createLoaders(args.db) };
}

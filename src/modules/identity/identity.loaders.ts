import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../db/loaders';
import { ApiKey } from './api-key.entity';
import { Organisation } from './organisation.entity';

export function createIdentityLoaders(db: DataSource, cache = true) {
  return {
    organisation: byIdLoader(db, Organisation, cache),
    apiKey: byIdLoader(db, ApiKey, cache),
  };
}
export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;

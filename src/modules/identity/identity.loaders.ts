import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../db/loaders';
import { Organisation } from './organisation.entity';

export function createIdentityLoaders(db: DataSource, cache = true) {
  return {
    organisation: byIdLoader(db, Organisation, cache),
  };
}
export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;

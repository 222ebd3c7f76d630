import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../db/loaders';
import { Organisation } from './organisation.entity';

export function createIdentityLoaders(db: DataSource) {
  return {
    organisation: byIdLoader(db, Organisation),
  };
}
export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;

import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { Handoff } from './handoff.entity';

export function createChainLoaders(db: DataSource, cache = true) {
  return {
    handoff: byIdLoader(db, Handoff, cache),
    handoffsByReferral: groupLoader(db, Handoff, 'referralId', { offeredAt: 'ASC', id: 'ASC' }, cache),
  };
}

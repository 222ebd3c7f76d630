import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { CircumstanceChange } from './circumstance-change.entity';
import { ComplianceDoubt } from './compliance-doubt.entity';
import { sanctionSuggestions } from './sanctions';

export function createComplianceLoaders(db: DataSource, cache = true) {
  return {
    doubtsByReferral: groupLoader(db, ComplianceDoubt, 'referralId', { seq: 'ASC' }, cache),
    complianceDoubt: byIdLoader(db, ComplianceDoubt, cache),
    suggestedSanctionWeeks: new DataLoader<string, number | null>((ids) => sanctionSuggestions(db, ids), { cache }),
    circumstanceChange: byIdLoader(db, CircumstanceChange, cache),
    circumstanceChangesByReferral: groupLoader(db, CircumstanceChange, 'referralId', { effectiveOn: 'ASC', reportedAt: 'ASC' }, cache),
  };
}

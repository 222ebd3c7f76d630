import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { ReferralAllocation } from '../allocation/referral-allocation.entity';
import { Participant } from './participant.entity';
import { Referral } from './referral.entity';

export function createReferralsLoaders(db: DataSource) {
  return {
    referral: byIdLoader(db, Referral),
    participant: byIdLoader(db, Participant),
    allocationsByReferral: groupLoader(db, ReferralAllocation, 'referralId', { allocatedAt: 'ASC', id: 'ASC' }),
  };
}

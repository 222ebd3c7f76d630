import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { ReferralAllocation } from '../allocation/referral-allocation.entity';
import { Participant } from './participant.entity';
import { ReferralClaimant } from './referral-claimant.entity';
import { ReferralQuery } from './referral-query.entity';
import { Referral } from './referral.entity';

export function createReferralsLoaders(db: DataSource, cache = true) {
  return {
    referral: byIdLoader(db, Referral, cache),
    referralQuery: byIdLoader(db, ReferralQuery, cache),
    participant: byIdLoader(db, Participant, cache),
    allocationsByReferral: groupLoader(db, ReferralAllocation, 'referralId', { allocatedAt: 'ASC', id: 'ASC' }, cache),
    referralsByParticipant: groupLoader(db, Referral, 'participantId', { seq: 'ASC' }, cache),
    claimantByReferral: groupLoader(db, ReferralClaimant, 'referralId', { id: 'ASC' }, cache),
    queriesByReferral: groupLoader(db, ReferralQuery, 'referralId', { raisedAt: 'ASC', id: 'ASC' }, cache),
  };
}

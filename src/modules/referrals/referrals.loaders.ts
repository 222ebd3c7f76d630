import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { ReferralAllocation } from '../allocation/referral-allocation.entity';
import { Handoff } from '../chain/handoff.entity';
import DataLoader from 'dataloader';
import { CircumstanceChange } from '../compliance/circumstance-change.entity';
import { ComplianceDoubt } from '../compliance/compliance-doubt.entity';
import { sanctionSuggestions } from '../compliance/sanctions';
import { Participant } from './participant.entity';
import { ReferralClaimant } from './referral-claimant.entity';
import { ReferralQuery } from './referral-query.entity';
import { Referral } from './referral.entity';

export function createReferralsLoaders(db: DataSource, cache = true) {
  return {
    referral: byIdLoader(db, Referral, cache),
    participant: byIdLoader(db, Participant, cache),
    allocationsByReferral: groupLoader(db, ReferralAllocation, 'referralId', { allocatedAt: 'ASC', id: 'ASC' }, cache),
    referralsByParticipant: groupLoader(db, Referral, 'participantId', { seq: 'ASC' }, cache),
    claimantByReferral: groupLoader(db, ReferralClaimant, 'referralId', { id: 'ASC' }, cache),
    queriesByReferral: groupLoader(db, ReferralQuery, 'referralId', { raisedAt: 'ASC', id: 'ASC' }, cache),
    handoff: byIdLoader(db, Handoff, cache),
    handoffsByReferral: groupLoader(db, Handoff, 'referralId', { offeredAt: 'ASC', id: 'ASC' }, cache),
    doubtsByReferral: groupLoader(db, ComplianceDoubt, 'referralId', { seq: 'ASC' }, cache),
    complianceDoubt: byIdLoader(db, ComplianceDoubt, cache),
    suggestedSanctionWeeks: new DataLoader<string, number | null>((ids) => sanctionSuggestions(db, ids), { cache }),
    circumstanceChange: byIdLoader(db, CircumstanceChange, cache),
  };
}

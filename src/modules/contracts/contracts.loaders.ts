import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { Cpa } from './cpa.entity';
import { MarketShare } from './market-share.entity';
import { PrimeContract } from './prime-contract.entity';
import { Subcontract } from './subcontract.entity';

export function createContractsLoaders(db: DataSource) {
  return {
    cpa: byIdLoader(db, Cpa),
    primeContract: byIdLoader(db, PrimeContract),
    subcontract: byIdLoader(db, Subcontract),
    contractsByCpa: groupLoader(db, PrimeContract, 'cpaId', { startsOn: 'ASC', reference: 'ASC' }),
    contractsByPrime: groupLoader(db, PrimeContract, 'primeId', { startsOn: 'ASC', reference: 'ASC' }),
    subcontractsByContract: groupLoader(db, Subcontract, 'contractId', { createdAt: 'ASC', id: 'ASC' }),
    subcontractsBySubcontractor: groupLoader(db, Subcontract, 'subcontractorId', { createdAt: 'ASC', id: 'ASC' }),
    marketSharesByContract: groupLoader(db, MarketShare, 'contractId', { paymentGroup: 'ASC', effectiveFrom: 'ASC' }),
  };
}
export type ContractsLoaders = ReturnType<typeof createContractsLoaders>;

import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { ServiceStandard } from '../standards/service-standard.entity';
import { Cpa } from './cpa.entity';
import { MarketShare } from './market-share.entity';
import { PrimeContract } from './prime-contract.entity';
import { Subcontract } from './subcontract.entity';

export function createContractsLoaders(db: DataSource, cache = true) {
  return {
    cpa: byIdLoader(db, Cpa, cache),
    primeContract: byIdLoader(db, PrimeContract, cache),
    subcontract: byIdLoader(db, Subcontract, cache),
    contractsByCpa: groupLoader(db, PrimeContract, 'cpaId', { startsOn: 'ASC', reference: 'ASC' }, cache),
    contractsByPrime: groupLoader(db, PrimeContract, 'primeId', { startsOn: 'ASC', reference: 'ASC' }, cache),
    subcontractsByContract: groupLoader(db, Subcontract, 'contractId', { createdAt: 'ASC', id: 'ASC' }, cache),
    subcontractsBySubcontractor: groupLoader(db, Subcontract, 'subcontractorId', { createdAt: 'ASC', id: 'ASC' }, cache),
    standardsByContract: groupLoader(db, ServiceStandard, 'contractId', { version: 'ASC', metric: 'ASC' }, cache),
    marketSharesByContract: groupLoader(db, MarketShare, 'contractId', { paymentGroup: 'ASC', effectiveFrom: 'ASC' }, cache),
  };
}
export type ContractsLoaders = ReturnType<typeof createContractsLoaders>;

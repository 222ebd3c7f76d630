import type { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../../common/ids';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { isUniqueViolation } from '../../db/errors';
import { OrganisationKind } from '../identity/identity.enums';
import { findOrganisation } from '../identity/identity.service';
import { DeliveryModel, Nation, PaymentGroup } from './contracts.enums';
import { Cpa } from './cpa.entity';
import { MarketShare } from './market-share.entity';
import { WHOLE_MARKET, equalSharesForEveryGroup } from './market-shares';
import { PrimeContract } from './prime-contract.entity';
import { Subcontract } from './subcontract.entity';

/** The contract registry's rules: CPAs, prime contracts, supply chains and market shares. */

const END_TO_END_MODELS: readonly DeliveryModel[] = [DeliveryModel.END_TO_END, DeliveryModel.SPECIALIST_END_TO_END];

export async function createCpa(db: DataSource, input: { code: number; name: string; nation: Nation }): Promise<Cpa> {
  const errors: UserError[] = [];
  if (!Number.isInteger(input.code) || input.code <= 0) {
    errors.push(userError(ErrorCode.INVALID_CPA_CODE, 'A CPA code is a positive whole number', ['code']));
  }
  const name = input.name.trim();
  if (name === '') errors.push(userError(ErrorCode.NAME_REQUIRED, 'A CPA needs a name', ['name']));
  assertNoUserErrors(errors);
  const repository = db.getRepository(Cpa);
  try {
    return await repository.save(repository.create({ code: input.code, name, nation: input.nation }));
  } catch (error) {
    if (isUniqueViolation(error, 'cpa_code_key')) {
      refuse(ErrorCode.DUPLICATE_CPA_CODE, `CPA ${input.code} exists already`, ['code']);
    }
    throw error;
  }
}

export function findCpaByCode(db: DataSource | EntityManager, code: number): Promise<Cpa | null> {
  return db.getRepository(Cpa).findOneBy({ code });
}

export function listCpas(db: DataSource): Promise<Cpa[]> {
  return db.getRepository(Cpa).find({ order: { code: 'ASC' } });
}

/** Locks the CPA's row: market shares of one CPA change one transaction at a time. */
async function lockCpa(tx: EntityManager, code: number): Promise<Cpa | null> {
  return tx.getRepository(Cpa).findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
}

/** Contracts of a CPA in force on `date` (start and end inclusive), oldest first. */
function contractsInForce(tx: EntityManager, cpaId: string, date: string): Promise<PrimeContract[]> {
  return tx
    .getRepository(PrimeContract)
    .createQueryBuilder('c')
    .where('c.cpa_id = :cpaId AND c.starts_on <= :date AND c.ends_on >= :date', { cpaId, date })
    .orderBy('c.starts_on')
    .addOrderBy('c.reference')
    .getMany();
}

export async function awardPrimeContract(
  db: DataSource,
  input: { cpaCode: number; primeId: string; reference: string; startsOn: string; endsOn: string },
): Promise<PrimeContract> {
  return db.transaction(async (tx) => {
    const errors: UserError[] = [];
    const cpa = await lockCpa(tx, input.cpaCode);
    if (!cpa) errors.push(userError(ErrorCode.UNKNOWN_CPA, `No CPA has code ${input.cpaCode}`, ['cpaCode']));
    const prime = await findOrganisation(tx, input.primeId);
    if (!prime) {
      errors.push(userError(ErrorCode.UNKNOWN_ORGANISATION, 'No organisation has this id', ['primeId']));
    } else if (prime.kind !== OrganisationKind.PROVIDER) {
      errors.push(userError(ErrorCode.NOT_A_PROVIDER, `A prime is a provider; this is ${prime.kind}`, ['primeId']));
    }
    const reference = input.reference.trim();
    if (reference === '') {
      errors.push(userError(ErrorCode.REFERENCE_REQUIRED, 'A contract needs a reference', ['reference']));
    }
    if (input.endsOn < input.startsOn) {
      errors.push(userError(ErrorCode.INVALID_CONTRACT_PERIOD, 'A contract cannot end before it starts', ['endsOn']));
    }
    assertNoUserErrors(errors);
    const overlapping = await tx
      .getRepository(PrimeContract)
      .createQueryBuilder('c')
      .where('c.cpa_id = :cpaId AND c.prime_id = :primeId', { cpaId: cpa!.id, primeId: prime!.id })
      .andWhere('c.starts_on <= :endsOn AND c.ends_on >= :startsOn', input)
      .getExists();
    if (overlapping) {
      refuse(
        ErrorCode.PRIME_ALREADY_IN_CPA,
        `${prime!.name} already holds a contract in CPA ${cpa!.code} for part of this period`,
        ['primeId'],
      );
    }
    // Shares are effective-dated sets; a contract starting before the CPA's latest set would be
    // missing from that set, so the shares in force on later dates would not add up.
    const [{ latest }]: Array<{ latest: string | null }> = await tx.query(
      `SELECT max(s.effective_from)::text AS latest FROM market_share s
         JOIN prime_contract c ON c.id = s.contract_id WHERE c.cpa_id = $1`,
      [cpa!.id],
    );
    if (latest !== null && input.startsOn < latest) {
      refuse(
        ErrorCode.STARTS_BEFORE_CURRENT_SHARES,
        `CPA ${cpa!.code} has market shares from ${latest}; a new contract cannot start before that`,
        ['startsOn'],
      );
    }
    const contracts = tx.getRepository(PrimeContract);
    let contract: PrimeContract;
    try {
      contract = await contracts.save(
        contracts.create({ reference, cpaId: cpa!.id, primeId: prime!.id, startsOn: input.startsOn, endsOn: input.endsOn }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'prime_contract_reference_key')) {
        refuse(ErrorCode.DUPLICATE_CONTRACT_REFERENCE, `Contract ${reference} exists already`, ['reference']);
      }
      throw error;
    }
    // A new contract starts the CPA on equal shares, in every payment group, from its first day.
    const inForce = await contractsInForce(tx, cpa!.id, input.startsOn);
    await tx.getRepository(MarketShare).upsert(
      equalSharesForEveryGroup(
        inForce.map((c) => c.id),
        input.startsOn,
      ),
      ['contractId', 'paymentGroup', 'effectiveFrom'],
    );
    return contract;
  });
}

export async function addSubcontractor(
  db: DataSource,
  input: {
    contractId: string;
    subcontractorId: string;
    deliveryModel: DeliveryModel;
    specialisms?: string[] | null;
    parentSubcontractId?: string | null;
  },
): Promise<Subcontract> {
  const errors: UserError[] = [];
  const contract = isUuid(input.contractId)
    ? await db.getRepository(PrimeContract).findOneBy({ id: input.contractId })
    : null;
  if (!contract) errors.push(userError(ErrorCode.UNKNOWN_CONTRACT, 'No prime contract has this id', ['contractId']));
  const subcontractor = await findOrganisation(db, input.subcontractorId);
  if (!subcontractor) {
    errors.push(userError(ErrorCode.UNKNOWN_ORGANISATION, 'No organisation has this id', ['subcontractorId']));
  } else if (subcontractor.kind !== OrganisationKind.PROVIDER) {
    errors.push(
      userError(ErrorCode.NOT_A_PROVIDER, `A subcontractor is a provider; this is ${subcontractor.kind}`, [
        'subcontractorId',
      ]),
    );
  } else if (contract && contract.primeId === subcontractor.id) {
    errors.push(
      userError(ErrorCode.SUBCONTRACTOR_IS_PRIME, 'The prime cannot be a subcontractor on its own contract', [
        'subcontractorId',
      ]),
    );
  }
  if (input.parentSubcontractId != null) {
    const parent = isUuid(input.parentSubcontractId)
      ? await db.getRepository(Subcontract).findOneBy({ id: input.parentSubcontractId })
      : null;
    const field = ['parentSubcontractId'];
    if (!parent) {
      errors.push(userError(ErrorCode.UNKNOWN_SUBCONTRACT, 'No subcontract has this id', field));
    } else if (contract && parent.contractId !== contract.id) {
      errors.push(
        userError(ErrorCode.PARENT_ON_OTHER_CONTRACT, 'The parent subcontract is on another prime contract', field),
      );
    } else if (!END_TO_END_MODELS.includes(parent.deliveryModel)) {
      errors.push(
        userError(
          ErrorCode.PARENT_NOT_END_TO_END,
          `Only an end-to-end subcontractor commissions others; the parent is ${parent.deliveryModel}`,
          field,
        ),
      );
    }
    if (input.deliveryModel !== DeliveryModel.SPOT) {
      errors.push(
        userError(
          ErrorCode.PARENT_ONLY_FOR_SPOT,
          'Only spot provision is commissioned by an end-to-end subcontractor; other places are the prime\'s',
          ['deliveryModel'],
        ),
      );
    }
  }
  assertNoUserErrors(errors);
  const specialisms = [...new Set((input.specialisms ?? []).map((s) => s.trim()).filter((s) => s !== ''))];
  const repository = db.getRepository(Subcontract);
  try {
    return await repository.save(
      repository.create({
        contractId: contract!.id,
        subcontractorId: subcontractor!.id,
        deliveryModel: input.deliveryModel,
        specialisms,
        parentId: input.parentSubcontractId ?? null,
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error, 'subcontract_place_key')) {
      refuse(
        ErrorCode.DUPLICATE_SUBCONTRACT,
        `${subcontractor!.name} already holds a ${input.deliveryModel} place on this contract`,
        ['subcontractorId'],
      );
    }
    throw error;
  }
}

export async function setMarketShares(
  db: DataSource,
  input: {
    cpaCode: number;
    paymentGroup: PaymentGroup;
    effectiveFrom: string;
    shares: Array<{ contractId: string; shareBasisPoints: number }>;
  },
): Promise<MarketShare[]> {
  return db.transaction(async (tx) => {
    const cpa = await lockCpa(tx, input.cpaCode);
    if (!cpa) refuse(ErrorCode.UNKNOWN_CPA, `No CPA has code ${input.cpaCode}`, ['cpaCode']);
    const inForce = await contractsInForce(tx, cpa.id, input.effectiveFrom);
    if (inForce.length === 0) {
      refuse(
        ErrorCode.NO_CONTRACT_IN_FORCE,
        `No contract is in force in CPA ${cpa.code} on ${input.effectiveFrom}`,
        ['effectiveFrom'],
      );
    }
    const errors: UserError[] = [];
    const inForceIds = new Set(inForce.map((c) => c.id));
    const seen = new Set<string>();
    let total = 0;
    input.shares.forEach((share, i) => {
      if (!inForceIds.has(share.contractId)) {
        errors.push(
          userError(
            ErrorCode.CONTRACT_NOT_IN_FORCE_IN_CPA,
            `Not a contract in force in CPA ${cpa.code} on ${input.effectiveFrom}`,
            ['shares', i, 'contractId'],
          ),
        );
      } else if (seen.has(share.contractId)) {
        errors.push(userError(ErrorCode.DUPLICATE_SHARE, 'This contract is listed twice', ['shares', i, 'contractId']));
      }
      seen.add(share.contractId);
      if (!Number.isInteger(share.shareBasisPoints) || share.shareBasisPoints < 0 || share.shareBasisPoints > WHOLE_MARKET) {
        errors.push(
          userError(ErrorCode.INVALID_SHARE, 'A share is a whole number of basis points from 0 to 10000', [
            'shares',
            i,
            'shareBasisPoints',
          ]),
        );
      }
      total += share.shareBasisPoints;
    });
    for (const contract of inForce) {
      if (!seen.has(contract.id)) {
        errors.push(
          userError(ErrorCode.MISSING_SHARE, `Contract ${contract.reference} is in force but has no share`, ['shares']),
        );
      }
    }
    if (total !== WHOLE_MARKET) {
      errors.push(userError(ErrorCode.SHARES_NOT_10000, `Shares sum to ${total}, not ${WHOLE_MARKET}`, ['shares']));
    }
    assertNoUserErrors(errors);
    const rows = input.shares.map((share) => ({
      contractId: share.contractId,
      paymentGroup: input.paymentGroup,
      effectiveFrom: input.effectiveFrom,
      shareBasisPoints: share.shareBasisPoints,
    }));
    await tx.getRepository(MarketShare).upsert(rows, ['contractId', 'paymentGroup', 'effectiveFrom']);
    return rows.map((row) => tx.getRepository(MarketShare).create(row));
  });
}

export function listContractsOfPrime(db: DataSource, primeId: string): Promise<PrimeContract[]> {
  return db.getRepository(PrimeContract).find({ where: { primeId }, order: { startsOn: 'ASC', reference: 'ASC' } });
}

export function listSubcontracts(db: DataSource, contractId: string): Promise<Subcontract[]> {
  return db.getRepository(Subcontract).find({ where: { contractId }, order: { createdAt: 'ASC', id: 'ASC' } });
}

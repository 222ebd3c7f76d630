import { Nation, PAYMENT_GROUPS } from '../../src/modules/contracts/contracts.enums';
import { awardPrimeContract, createCpa, setMarketShares } from '../../src/modules/contracts/contracts.service';
import type { PrimeContract } from '../../src/modules/contracts/prime-contract.entity';
import { Role } from '../../src/auth/access.enums';
import type { TestServer } from './server';

export interface TestArea {
  code: number;
  contracts: PrimeContract[];
  /** A PROVIDER key for the prime of each contract, in the same order. */
  primeKeys: string[];
}

/** A CPA whose contracts hold `shares` (basis points) of every payment group, each prime with a key. */
export async function createArea(
  t: TestServer,
  code: number,
  shares: number[],
  period = { startsOn: '2020-04-01', endsOn: '2030-03-31' },
  nation = Nation.ENGLAND,
): Promise<TestArea> {
  const db = t.db.dataSource;
  await createCpa(db, { code, name: `Area ${code}`, nation });
  const contracts: PrimeContract[] = [];
  const primeKeys: string[] = [];
  for (const [i] of shares.entries()) {
    const prime = await t.keyFor(Role.PROVIDER, `Prime ${code}-${i}`);
    primeKeys.push(prime.secret);
    contracts.push(
      await awardPrimeContract(db, { cpaCode: code, primeId: prime.organisationId, reference: `T-${code}-${i}`, ...period }),
    );
  }
  for (const paymentGroup of PAYMENT_GROUPS) {
    await setMarketShares(db, {
      cpaCode: code,
      paymentGroup,
      effectiveFrom: period.startsOn,
      shares: contracts.map((contract, i) => ({ contractId: contract.id, shareBasisPoints: shares[i] })),
    });
  }
  return { code, contracts, primeKeys };
}

/** A date of birth inside the payment group's age band on `referredOn`: 20 years old in JSA 18–24, 40 otherwise. */
export function bornFor(paymentGroup: string, referredOn: string): string {
  return `${Number(referredOn.slice(0, 4)) - (paymentGroup === 'JSA_18_24' ? 20 : 40)}-01-01`;
}

/** The n-th of a run of valid, distinct NINOs under a two-letter prefix. */
export function nino(n: number, prefix = 'AB'): string {
  return `${prefix}${String(n).padStart(6, '0')}${'ABCD'[n % 4]}`;
}

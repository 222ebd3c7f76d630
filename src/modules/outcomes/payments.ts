import type { EntityManager } from 'typeorm';
import { ErrorCode } from '../../common/error-codes';
import { refuse } from '../../common/user-error';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { ReferralStatus } from '../../auth/access.enums';
import { referralLifecycle } from '../referrals/referral-lifecycle';
import type { Referral } from '../referrals/referral.entity';
import { PaymentKind } from './outcomes.enums';
import { Payment } from './payment.entity';
import { Programme } from './programme.entity';
import { RateCard } from './rate-card.entity';

/**
 * Contract years: year 1 from the contract's start, and a new one each time the programme's year
 * turns (the Work Programme's on 1 April), so that a contract starting in June 2011 is in year 4
 * from April 2014.
 */
export function contractYear(contract: Pick<PrimeContract, 'startsOn'>, on: string, yearStartsOn: string): number {
  const programmeYear = (date: string) => Number(date.slice(0, 4)) - (date.slice(5) < yearStartsOn ? 1 : 0);
  return Math.max(1, programmeYear(on) - programmeYear(contract.startsOn) + 1);
}

/** The rate in force for the contract year of `on`: the row for that year, or the latest year before it. */
export async function rateInForce(
  tx: EntityManager,
  contract: Pick<PrimeContract, 'programme' | 'startsOn'>,
  paymentGroup: string,
  on: string,
): Promise<{ rate: RateCard; contractYear: number }> {
  const programme = await tx.getRepository(Programme).findOneByOrFail({ code: contract.programme });
  const year = contractYear(contract, on, programme.yearStartsOn);
  const rate = await tx
    .getRepository(RateCard)
    .createQueryBuilder('r')
    .where('r.programme = :programme AND r.payment_group = :paymentGroup AND r.superseded_at IS NULL AND r.contract_year <= :year', {
      programme: contract.programme,
      paymentGroup,
      year,
    })
    .orderBy('r.contract_year', 'DESC')
    .getOne();
  if (!rate) refuse(ErrorCode.RATE_NOT_SET, `No rate card is set for ${contract.programme}, ${paymentGroup}, contract year ${year}`, ['referralId']);
  return { rate, contractYear: year };
}

const FEE: Record<PaymentKind, (rate: RateCard) => number> = {
  [PaymentKind.ATTACHMENT]: (rate) => rate.attachmentFeePence,
  [PaymentKind.JOB_OUTCOME]: (rate) => rate.jobOutcomeFeePence,
  [PaymentKind.SUSTAINMENT]: (rate) => rate.sustainmentFeePence,
};

/**
 * Writes one payment at the rate in force on the day it was earned. The payment's unique key
 * (referral, kind, sequence) and the table's no-update trigger make each payment exist once.
 */
export async function writePayment(
  tx: EntityManager,
  input: {
    referral: Referral;
    contract: PrimeContract;
    kind: PaymentKind;
    earnedOn: string;
    sequence?: number;
    claimedById: string;
  },
): Promise<Payment> {
  const { rate, contractYear: year } = await rateInForce(tx, input.contract, input.referral.paymentGroup, input.earnedOn);
  const inserted = await tx
    .getRepository(Payment)
    .createQueryBuilder()
    .insert()
    .values({
      referralId: input.referral.id,
      contractId: input.contract.id,
      kind: input.kind,
      sequence: input.sequence ?? 1,
      amountPence: FEE[input.kind](rate),
      earnedOn: input.earnedOn,
      periodEndsOn: input.kind === PaymentKind.SUSTAINMENT ? input.earnedOn : null,
      rateCardId: rate.id,
      contractYear: year,
      claimedById: input.claimedById,
    })
    .orIgnore()
    .returning('id')
    .execute();
  const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
  if (!id) refuse(ErrorCode.ALREADY_PAID, `This ${input.kind} payment has been claimed already`, ['referralId']);
  return tx.getRepository(Payment).findOneByOrFail({ id });
}

/** Attachment earns the attachment fee at the rate in force on the day, claimed by the prime that recorded it. */
export const attachmentFee = referralLifecycle.on([ReferralStatus.ATTACHED], 'outcomes: attachment fee', async (tx, { subject, actorId }) => {
  if (!actorId) throw new Error('An attachment is recorded by its prime');
  const contract = await tx.getRepository(PrimeContract).findOneByOrFail({ id: subject.contractId });
  await writePayment(tx, { referral: subject, contract, kind: PaymentKind.ATTACHMENT, earnedOn: subject.attachedOn!, claimedById: actorId });
  return [];
});

import type { DataSource } from 'typeorm';
import { todayUtc } from '../../common/dates';
import { Referral } from './referral.entity';
import { ExitReason } from './referral.enums';
import { ReferralStatus } from '../../auth/access.enums';
import { exitReferral, lastAllottedDay } from './referrals.service';

/** How many participations one transaction ends: a first run over years of history stays in short transactions. */
const BATCH = 200;

/**
 * The allotted time ends by itself (002:501): every attached participation whose `allottedUntil`
 * (the first day after it) has come is exited on its last day, ALLOTTED_TIME_ENDED, through the referral's
 * lifecycle (the chain's handoffs end, the Jobcentre and the prime hear of it). Idempotent, and
 * safe beside another process running it: rows another run holds are skipped (SKIP LOCKED), and an
 * exited one no longer matches. Returns how many it exited.
 */
export async function endAllottedTimes(db: DataSource, today: string = todayUtc()): Promise<number> {
  let exited = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const due = await tx
        .getRepository(Referral)
        .createQueryBuilder('r')
        .where('r.status = :attached AND r.allotted_until <= :today', { attached: ReferralStatus.ATTACHED, today })
        .orderBy('r.allotted_until')
        .addOrderBy('r.id')
        .limit(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const referral of due) {
        await exitReferral(tx, referral, { exitedOn: lastAllottedDay(referral), reason: ExitReason.ALLOTTED_TIME_ENDED }, null, today);
      }
      return due.length;
    });
    exited += count;
    if (count < BATCH) return exited;
  }
}

import type { DataSource } from 'typeorm';
import { todayUtc } from '../../common/dates';
import { addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { ReferralStatus } from '../../auth/access.enums';

/** How many referrals one transaction flags: a first run over years of history stays in short transactions. */
const BATCH = 200;

/**
 * A referral not started within its programme's `not_started_days` of the referral (15 by
 * default) is flagged to both sides once: NOT_STARTED to the referring Jobcentre and to the prime
 * holding it (JCP's worry was the delay between referral and engagement, 002:1120). Idempotent
 * (`referral_not_started` holds each flag once), and safe beside another process running it:
 * rows another run holds are skipped (SKIP LOCKED). Returns how many it flagged.
 */
export async function flagNotStarted(db: DataSource, today: string = todayUtc()): Promise<number> {
  let flagged = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const due: Array<{ id: string; jobcentre_id: string; prime_id: string }> = await tx.query(
        `SELECT r.id, r.jobcentre_id, c.prime_id
           FROM referral r JOIN prime_contract c ON c.id = r.contract_id JOIN programme p ON p.code = c.programme
          WHERE r.status = ANY($1) AND r.referred_on + p.not_started_days <= $2::date
            AND NOT EXISTS (SELECT 1 FROM referral_not_started n WHERE n.referral_id = r.id)
          ORDER BY r.referred_on, r.id
          LIMIT ${BATCH}
          FOR UPDATE OF r SKIP LOCKED`,
        [[ReferralStatus.ALLOCATED, ReferralStatus.ACKNOWLEDGED], today],
      );
      if (due.length === 0) return 0;
      const inserted: Array<{ referral_id: string }> = await tx.query(
        `INSERT INTO referral_not_started (referral_id, flagged_on) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING RETURNING referral_id`,
        [due.map((r) => r.id), today],
      );
      const fresh = new Set(inserted.map((r) => r.referral_id));
      await addToInbox(
        tx,
        due
          .filter((r) => fresh.has(r.id))
          .flatMap((r) => [
            { organisationId: r.jobcentre_id, kind: InboxItemKind.NOT_STARTED, referralId: r.id },
            { organisationId: r.prime_id, kind: InboxItemKind.NOT_STARTED, referralId: r.id },
          ]),
      );
      return due.length;
    });
    flagged += count;
    if (count < BATCH) return flagged;
  }
}

import type { EntityManager } from 'typeorm';
import { entityFromRow } from '../../db/loaders';
import { addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { Referral } from './referral.entity';
import { LIVE_STATUSES, ReferralStatus } from '../../auth/access.enums';
import { RETURN_TRANSITIONS } from './referral-states';
import type { Accepted } from './submission';

/** The statuses a returner's referral reopens from (RETURN_TRANSITIONS); and ATTACHED with the off-benefit marker, which is no move. */
const REOPENS_FROM = (Object.keys(RETURN_TRANSITIONS) as ReferralStatus[]).filter((status) => RETURN_TRANSITIONS[status].includes(ReferralStatus.ATTACHED));

/**
 * Reopens the participations of the returners of a batch (returns.ts says why on the same row):
 * the referral is ATTACHED again (an exited one) or back on benefit (the off-benefit marker
 * cleared), with its own attachment, allottedUntil and payments; the return
 * is recorded with the Jobcentre's clientReference and day, a RETURNING allocation to the same
 * contract joins the history, and the prime hears PARTICIPANT_RETURNED. No draw, no attachment
 * payment. Answers each item's reopened referral, or null when the person became live meanwhile
 * (a concurrent batch): that item is refused as a live referral would be.
 */
export async function reopenParticipations(
  tx: EntityManager,
  jobcentreId: string,
  returners: Accepted[],
  primes: Map<string, string>,
): Promise<Map<number, Referral | null>> {
  if (returners.length === 0) return new Map();
  // An UPDATE's answer through TypeORM is [rows, count].
  const [reopened]: [Array<Record<string, unknown> & { id: string; previous_exit_reason: string; previous_exited_on: string }>, number] = await tx.query(
    `WITH ended AS (
       SELECT id, coalesce(exit_reason, 'LEFT_BENEFIT') AS exit_reason, coalesce(exited_on, off_benefit_since)::text AS exited_on
         FROM referral
        WHERE id = ANY($1::uuid[]) AND (status = ANY($2) OR (status = 'ATTACHED' AND off_benefit_since IS NOT NULL))
        ORDER BY id FOR UPDATE
     )
     UPDATE referral r SET status = 'ATTACHED', exit_reason = NULL, exited_on = NULL, off_benefit_since = NULL
       FROM ended
      WHERE r.id = ended.id
        AND NOT EXISTS (SELECT 1 FROM referral l WHERE l.participant_id = r.participant_id AND l.id <> r.id AND l.status = ANY($3))
     RETURNING r.*, ended.exit_reason AS previous_exit_reason, ended.exited_on AS previous_exited_on`,
    [returners.map((entry) => entry.reopens), REOPENS_FROM, LIVE_STATUSES],
  );
  const byId = new Map(reopened.map((row) => [row.id, row]));
  const done = returners.filter((entry) => byId.has(entry.reopens!));
  if (done.length > 0) {
    await tx.query(
      `INSERT INTO referral_return (referral_id, jobcentre_id, client_reference, referred_on, exit_reason, exited_on)
       SELECT referral_id, $2, client_reference, referred_on, exit_reason, exited_on
         FROM jsonb_to_recordset($1::jsonb) AS x(referral_id uuid, client_reference text, referred_on date, exit_reason text, exited_on date)`,
      [
        JSON.stringify(
          done.map(({ reopens, item }) => ({
            referral_id: reopens,
            client_reference: item.clientReference.trim(),
            referred_on: item.referredOn,
            exit_reason: byId.get(reopens!)!.previous_exit_reason,
            exited_on: byId.get(reopens!)!.previous_exited_on,
          })),
        ),
        jobcentreId,
      ],
    );
    await tx.query(
      `INSERT INTO referral_allocation (referral_id, contract_id, method, allocated_by)
       SELECT referral_id, contract_id, 'RETURNING', $2 FROM jsonb_to_recordset($1::jsonb) AS x(referral_id uuid, contract_id uuid)`,
      [JSON.stringify(done.map(({ reopens, contractId }) => ({ referral_id: reopens, contract_id: contractId }))), jobcentreId],
    );
    await addToInbox(
      tx,
      done.map(({ reopens, contractId }) => ({ organisationId: primes.get(contractId)!, kind: InboxItemKind.PARTICIPANT_RETURNED, referralId: reopens })),
    );
  }
  return new Map(
    returners.map(({ index, reopens }) => {
      const row = byId.get(reopens!);
      return [index, row ? entityFromRow(tx.connection, Referral, row) : null];
    }),
  );
}

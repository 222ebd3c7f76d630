import type { EntityManager } from 'typeorm';
import type { InboxItemKind } from './inbox-item.entity';

/** PostgreSQL channel that wakes subscribers: the payload is the organisation whose inbox grew. */
export const INBOX_CHANNEL = 'scx_inbox';

export interface InboxEvent {
  organisationId: string;
  kind: InboxItemKind;
  referralId?: string | null;
  handoffId?: string | null;
  contractId?: string | null;
  complianceDoubtId?: string | null;
  messageThreadId?: string | null;
  circumstanceChangeId?: string | null;
}

/**
 * Puts events in their organisations' inboxes, inside the caller's transaction: they commit or
 * roll back with the change that caused them. Each organisation's next cursors come from its
 * counter row, locked until commit, so its items commit in cursor order. NOTIFY is delivered
 * only at commit, so no subscriber is woken for an item that never existed.
 */
export async function addToInbox(tx: EntityManager, events: InboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  // A key left out reads as NULL: a submitReferrals batch sends 1,000 items, each with one reference.
  const rows = JSON.stringify(
    events.map((event, ord) => ({
      ord,
      organisation_id: event.organisationId,
      kind: event.kind,
      referral_id: event.referralId ?? undefined,
      handoff_id: event.handoffId ?? undefined,
      contract_id: event.contractId ?? undefined,
      compliance_doubt_id: event.complianceDoubtId ?? undefined,
      message_thread_id: event.messageThreadId ?? undefined,
      circumstance_change_id: event.circumstanceChangeId ?? undefined,
    })),
  );
  await tx.query(
    `WITH x AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS x(ord int, organisation_id uuid, kind text, referral_id uuid, handoff_id uuid, contract_id uuid, compliance_doubt_id uuid,
              circumstance_change_id uuid, message_thread_id uuid)
     ), counts AS (
       SELECT organisation_id, count(*) AS n FROM x GROUP BY organisation_id ORDER BY organisation_id
     ), taken AS (
       INSERT INTO inbox_counter (organisation_id, last_seq) SELECT organisation_id, n FROM counts
       ON CONFLICT (organisation_id) DO UPDATE SET last_seq = inbox_counter.last_seq + excluded.last_seq
       RETURNING organisation_id, last_seq
     )
     INSERT INTO inbox_item (organisation_id, seq, kind, referral_id, handoff_id, contract_id, compliance_doubt_id, circumstance_change_id, message_thread_id)
     SELECT x.organisation_id,
            taken.last_seq - counts.n + row_number() OVER (PARTITION BY x.organisation_id ORDER BY x.ord),
            x.kind, x.referral_id, x.handoff_id, x.contract_id, x.compliance_doubt_id, x.circumstance_change_id, x.message_thread_id
       FROM x JOIN counts USING (organisation_id) JOIN taken USING (organisation_id)`,
    [rows],
  );
  await tx.query('SELECT pg_notify($1, organisation_id) FROM unnest($2::text[]) AS organisation_id', [
    INBOX_CHANNEL,
    [...new Set(events.map((event) => event.organisationId))],
  ]);
}

import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The hash the first event follows. */
const GENESIS = '0'.repeat(64);
/** Events read per statement while walking the chain. */
const BATCH = 5000;

export interface AuditVerification {
  /** Events checked, in chain order. */
  events: number;
  /** Payments checked against the events that recorded them. */
  payments: number;
  /** The last event: keep (seq, hash) somewhere else, and pass it as an anchor later. */
  head: { seq: string; hash: string };
  /** The first thing wrong, naming the event or payment; null when the trail is whole. */
  broken: string | null;
}

interface EventRow {
  id: string;
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
  payload: string;
}

/**
 * Recomputes the audit chain from its first event: each event's hash over its content (the
 * migration's `audit_event_payload`, hashed here), each event naming the hash of the one before,
 * sequence numbers without gaps, the chain head agreeing with the last event, and `anchor` (an
 * earlier head kept elsewhere) still on the chain. Then every payment against the event that
 * recorded it: a payment changed, removed or added behind the API's back shows.
 */
export async function verifyAuditTrail(db: DataSource, anchor?: { seq: string; hash: string }): Promise<AuditVerification> {
  let previous = { seq: '0', hash: GENESIS };
  let events = 0;
  const fail = (broken: string): AuditVerification => ({ events, payments: 0, head: previous, broken });

  const [unsealed] = await db.query(`SELECT id::text FROM audit_event WHERE seq IS NULL ORDER BY id LIMIT 1`);
  if (unsealed) return fail(`audit event id ${unsealed.id} is not on the chain (no sequence number: it was altered or inserted by hand)`);
  let anchored = anchor === undefined;
  for (;;) {
    const rows: EventRow[] = await db.query(
      `SELECT id::text, seq::text, prev_hash, hash, audit_event_payload(e) AS payload
         FROM audit_event e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
      [previous.seq, BATCH],
    );
    for (const row of rows) {
      const expected = (BigInt(previous.seq) + 1n).toString();
      if (row.seq !== expected) return fail(`audit event ${expected} is missing (the chain goes from ${previous.seq} to ${row.seq})`);
      if (row.prev_hash !== previous.hash) return fail(`audit event ${row.seq} does not follow event ${previous.seq} (its previous hash differs)`);
      const hash = createHash('sha256').update(row.payload, 'utf8').digest('hex');
      if (hash !== row.hash) return fail(`audit event ${row.seq} was altered (its content no longer matches its hash)`);
      if (anchor && row.seq === anchor.seq) {
        if (row.hash !== anchor.hash) return fail(`audit event ${row.seq} is not the anchored one: the chain was rewritten from there or before`);
        anchored = true;
      }
      previous = { seq: row.seq!, hash: row.hash! };
      events += 1;
    }
    if (rows.length < BATCH) break;
  }
  if (!anchored) return fail(`the anchored event ${anchor!.seq} is not on the chain: the chain was cut short`);
  const [head] = await db.query(`SELECT seq::text, hash FROM audit_chain_head`);
  if (!head || head.seq !== previous.seq || head.hash !== previous.hash) {
    return fail(`the chain head (event ${head?.seq}) is not the last event (${previous.seq}): events were removed from the end`);
  }

  // Each payment against its INSERT event's copy (taken by trigger audit_insert on payment).
  const [payment] = await db.query(
    `WITH audited AS (
       SELECT e.seq, r AS facts, (r ->> 'id')::uuid AS id
         FROM audit_event e CROSS JOIN jsonb_array_elements(e.details -> 'rows') r
        WHERE e.record = 'payment' AND e.action = 'INSERT'
     )
     SELECT coalesce(p.id, a.id)::text AS id, a.seq::text AS seq,
            CASE WHEN p.id IS NULL THEN 'was removed'
                 WHEN a.id IS NULL THEN 'has no audit event: it was written behind the API''s back'
                 ELSE 'was changed after it was recorded' END AS problem
       FROM payment p FULL JOIN audited a ON a.id = p.id
      WHERE p.id IS NULL OR a.id IS NULL OR audit_payment_facts(p) <> a.facts - 'participant'
      ORDER BY a.seq NULLS FIRST
      LIMIT 1`,
  );
  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM payment`);
  if (payment) {
    return { events, payments: count, head: previous, broken: `payment ${payment.id} ${payment.problem}${payment.seq ? ` (audit event ${payment.seq})` : ''}` };
  }
  return { events, payments: count, head: previous, broken: null };
}

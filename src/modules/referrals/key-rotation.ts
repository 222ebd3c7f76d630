import type { DataSource } from 'typeorm';
import { type EncryptedField, type FieldCipher, FieldDecryptionError } from '../../db/field-encryption';

/** The encrypted columns (of `participant` and `referral_claimant`), and the field name each ciphertext is bound to. */
const COLUMNS: Array<{ column: 'health_encrypted' | 'risk_markers_encrypted'; field: EncryptedField }> = [
  { column: 'health_encrypted', field: 'health' },
  { column: 'risk_markers_encrypted', field: 'risk_markers' },
];

export interface RotationReport {
  keyId: string;
  /** Values already under the current key when the rotation began. */
  alreadyCurrent: number;
  /** Values re-encrypted under the current key, of which `fromV1` were of the first format. */
  rewritten: number;
  fromV1: number;
  batches: number;
  /** Values no key of the ring opens (altered, copied, or under a key not in the ring): left as they are. */
  unreadable: Array<{ participantId: string; field: EncryptedField; reason: string }>;
  /** Values still not under the current key at the end: the unreadable ones, and any written meanwhile under an old key. */
  remaining: number;
}

type Row = { id: string; owner: string; health_encrypted: string | null; risk_markers_encrypted: string | null };

/**
 * Where encrypted values are kept: the person's record, and what each referral was sent with.
 * `from` names the rows (as `t`) and `owner` the participant each value is bound to.
 */
const TABLES = [
  { table: 'participant', from: 'participant t', owner: 't.id' },
  { table: 'referral_claimant', from: 'referral_claimant t JOIN referral r ON r.id = t.referral_id', owner: 'r.participant_id' },
] as const;

/**
 * Re-encrypts every encrypted value (a participant's, and each referral's copy) that is not under
 * the current key of `cipher` (older keys of the ring, or the first format), bound to its
 * participant. A batch of rows of one table, in id order, is read with its rows locked, rewritten
 * and committed in one transaction; a rotation that stops part-way leaves each batch done or
 * untouched, and running it again carries on with what is left. Afterwards no value needs an old
 * key, unless one is unreadable (reported, not changed) or was written meanwhile by a process still
 * encrypting under an old key (counted in `remaining`: give every process the new key first, then rotate).
 */
export async function rotateDataKeys(
  db: DataSource,
  cipher: FieldCipher,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 500;
  const current = `v2.${cipher.keyId}.%`;
  const count = async (): Promise<{ current: number; other: number }> => {
    const perTable = TABLES.map(
      ({ table }) => `SELECT ${COLUMNS.map(({ column }) => `count(*) FILTER (WHERE ${column} LIKE $1)`).join(' + ')} AS current,
              ${COLUMNS.map(({ column }) => `count(*) FILTER (WHERE ${column} NOT LIKE $1)`).join(' + ')} AS other
         FROM ${table}`,
    );
    const [row] = (await db.query(`SELECT sum(current) AS current, sum(other) AS other FROM (${perTable.join(' UNION ALL ')}) counts`, [current])) as Array<{
      current: string;
      other: string;
    }>;
    return { current: Number(row.current), other: Number(row.other) };
  };
  const before = await count();
  const report: RotationReport = { keyId: cipher.keyId, alreadyCurrent: before.current, rewritten: 0, fromV1: 0, batches: 0, unreadable: [], remaining: 0 };
  for (const { table, from, owner } of TABLES) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      // Counted once the batch commits: a batch rolled back has rewritten nothing.
      const done = await db.transaction(async (tx) => {
        const batch = (await tx.query(
          `SELECT t.id, ${owner} AS owner, ${COLUMNS.map(({ column }) => `t.${column}`).join(', ')} FROM ${from}
            WHERE t.id > $1 AND (${COLUMNS.map(({ column }) => `t.${column} NOT LIKE $2`).join(' OR ')})
            ORDER BY t.id LIMIT $3 FOR UPDATE OF t`,
          [after, current, batchSize],
        )) as Row[];
        const tally = { rows: batch.length, last: batch.at(-1)?.id, rewritten: 0, fromV1: 0, unreadable: [] as RotationReport['unreadable'] };
        const updates = batch.map((row) => {
          const updated: Row = { ...row };
          for (const { column, field } of COLUMNS) {
            const stored = row[column];
            if (stored === null || cipher.isCurrent(stored)) continue;
            try {
              updated[column] = cipher.reencrypt(field, row.owner, stored);
              tally.rewritten += 1;
              if (stored.startsWith('v1.')) tally.fromV1 += 1;
            } catch (error) {
              if (!(error instanceof FieldDecryptionError)) throw error;
              tally.unreadable.push({ participantId: row.owner, field, reason: error.message });
            }
          }
          return updated;
        });
        if (tally.rewritten > 0) {
          await tx.query(
            `UPDATE ${table} t SET ${COLUMNS.map(({ column }) => `${column} = x.${column}`).join(', ')}
               FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, ${COLUMNS.map(({ column }) => `${column} text`).join(', ')})
              WHERE t.id = x.id`,
            [JSON.stringify(updates)],
          );
        }
        return tally;
      });
      if (done.rows === 0) break;
      Object.assign(report, { rewritten: report.rewritten + done.rewritten, fromV1: report.fromV1 + done.fromV1, batches: report.batches + 1 });
      report.unreadable.push(...done.unreadable);
      after = done.last!;
      options.onProgress?.(report.rewritten + report.unreadable.length, before.other);
      if (done.rows < batchSize) break;
    }
  }
  report.remaining = (await count()).other;
  return report;
}

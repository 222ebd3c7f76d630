import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { ContactKind } from '../standards/standards.enums';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { JobStart } from './job-start.entity';
import { Payment } from './payment.entity';

export function createOutcomesLoaders(db: DataSource, cache = true) {
  return {
    jobStart: byIdLoader(db, JobStart, cache),
    payment: byIdLoader(db, Payment, cache),
    jobStartsByReferral: groupLoader(db, JobStart, 'referralId', { startedOn: 'ASC', id: 'ASC' }, cache),
    contactKindsByReferral: new DataLoader<string, Array<{ kind: ContactKind; count: number }>>((ids) => contactKinds(db, ids), { cache }),
    paymentsByReferral: groupLoader(db, Payment, 'referralId', { earnedOn: 'ASC', kind: 'ASC', sequence: 'ASC' }, cache),
  };
}

/** Each referral's contacts counted by kind, in one statement for the batch (the handback). */
async function contactKinds(db: DataSource, referralIds: readonly string[]): Promise<Array<Array<{ kind: ContactKind; count: number }>>> {
  const rows: Array<{ referral_id: string; kind: ContactKind; count: number }> = await db.query(
    'SELECT referral_id, kind, count(*)::int AS count FROM contact WHERE referral_id = ANY($1) GROUP BY referral_id, kind ORDER BY kind',
    [referralIds],
  );
  return referralIds.map((id) => rows.filter((row) => row.referral_id === id).map(({ kind, count }) => ({ kind, count })));
}

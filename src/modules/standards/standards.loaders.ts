import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { entityFromRow } from '../../db/loaders';
import { Contact } from './contact.entity';

/** One page of a referral's contacts: after a position (an instant and an id) or from the start, either way round. */
export interface ContactPageKey {
  referralId: string;
  /** Rows to read: the page size and one more, which only says that more follow. */
  limit: number;
  after: { at: string; id: string } | null;
  newestFirst: boolean;
}

/**
 * Pages of contacts for every referral of a nested read, in one statement per page size and
 * direction (an index range scan of contact_referral_time_idx per referral), and their counts in
 * one statement, asked only when a client selects them.
 */
export function createStandardsLoaders(db: DataSource, cache = true) {
  const contactPages = new DataLoader<ContactPageKey, Contact[], string>(
    async (keys) => {
      const pages = new Map<ContactPageKey, Contact[]>();
      const groups = new Map<string, ContactPageKey[]>();
      for (const key of keys) groups.set(`${key.limit}/${key.newestFirst}`, [...(groups.get(`${key.limit}/${key.newestFirst}`) ?? []), key]);
      for (const group of groups.values()) {
        const { limit, newestFirst } = group[0];
        // Before the first position or after the last one: a page from the start is "after" an end of time.
        const [beyond, after, order] = newestFirst ? ['infinity', '<', 'DESC'] : ['-infinity', '>', 'ASC'];
        const rows: Array<Record<string, unknown>> = await db.query(
          `SELECT c.* FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) WITH ORDINALITY AS k(referral_id, at, id, n)
           CROSS JOIN LATERAL (
             SELECT * FROM contact c WHERE c.referral_id = k.referral_id
                AND (c.occurred_at, c.id) ${after} (coalesce(k.at, '${beyond}'), coalesce(k.id, '${newestFirst ? 'ffffffff-ffff-ffff-ffff-ffffffffffff' : '00000000-0000-0000-0000-000000000000'}'))
              ORDER BY c.occurred_at ${order}, c.id ${order} LIMIT $4
           ) c
           ORDER BY k.n, c.occurred_at ${order}, c.id ${order}`,
          [group.map((key) => key.referralId), group.map((key) => key.after?.at ?? null), group.map((key) => key.after?.id ?? null), limit],
        );
        const byReferral = new Map<string, Contact[]>();
        for (const row of rows) {
          const contact = entityFromRow(db, Contact, row);
          byReferral.set(contact.referralId, [...(byReferral.get(contact.referralId) ?? []), contact]);
        }
        for (const key of group) pages.set(key, byReferral.get(key.referralId) ?? []);
      }
      return keys.map((key) => pages.get(key)!);
    },
    { cache, cacheKeyFn: (key) => JSON.stringify([key.referralId, key.limit, key.after, key.newestFirst]) },
  );
  const contactCounts = new DataLoader<string, number>(
    async (referralIds) => {
      const rows: Array<{ referral_id: string; n: number }> = await db.query(
        'SELECT referral_id, count(*)::int AS n FROM contact WHERE referral_id = ANY($1) GROUP BY referral_id',
        [[...referralIds]],
      );
      const counts = new Map(rows.map((row) => [row.referral_id, row.n]));
      return referralIds.map((id) => counts.get(id) ?? 0);
    },
    { cache },
  );
  return { contactPages, contactCounts };
}

import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { CONTACT_VISIBLE_SQL, type ContactVisibility } from '../../auth/referral-access';
import { entityFromRow } from '../../db/loaders';
import { Contact } from './contact.entity';

/** One page of a referral's contacts: after a position (an instant and an id) or from the start, either way round. */
export interface ContactPageKey {
  referralId: string;
  /** Rows to read: the page size and one more, which only says that more follow. */
  limit: number;
  after: { at: string; id: string } | null;
  newestFirst: boolean;
  /** Which contacts the viewer reads (the access gate's). */
  visibility: ContactVisibility;
}

/** A referral's contacts as one viewer reads them, to count. */
export interface ContactCountKey {
  referralId: string;
  visibility: ContactVisibility;
}

const visibilityKey = ({ recordedBy, sharedFrom }: ContactVisibility) => [recordedBy, sharedFrom?.toISOString() ?? null];

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
          `SELECT c.* FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $5::uuid[], $6::timestamptz[])
             WITH ORDINALITY AS k(referral_id, at, id, recorded_by, shared_from, n)
           CROSS JOIN LATERAL (
             SELECT * FROM contact c WHERE c.referral_id = k.referral_id AND ${CONTACT_VISIBLE_SQL}
                AND (c.occurred_at, c.id) ${after} (coalesce(k.at, '${beyond}'), coalesce(k.id, '${newestFirst ? 'ffffffff-ffff-ffff-ffff-ffffffffffff' : '00000000-0000-0000-0000-000000000000'}'))
              ORDER BY c.occurred_at ${order}, c.id ${order} LIMIT $4
           ) c
           ORDER BY k.n, c.occurred_at ${order}, c.id ${order}`,
          [group.map((key) => key.referralId), group.map((key) => key.after?.at ?? null), group.map((key) => key.after?.id ?? null), limit,
           group.map((key) => key.visibility.recordedBy), group.map((key) => key.visibility.sharedFrom)],
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
    { cache, cacheKeyFn: (key) => JSON.stringify([key.referralId, key.limit, key.after, key.newestFirst, visibilityKey(key.visibility)]) },
  );
  const contactCounts = new DataLoader<ContactCountKey, number, string>(
    async (keys) => {
      const rows: Array<{ n: number }> = await db.query(
        `SELECT (SELECT count(*)::int FROM contact c WHERE c.referral_id = k.referral_id AND ${CONTACT_VISIBLE_SQL}) AS n
           FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) WITH ORDINALITY AS k(referral_id, recorded_by, shared_from, ord)
          ORDER BY k.ord`,
        [keys.map((key) => key.referralId), keys.map((key) => key.visibility.recordedBy), keys.map((key) => key.visibility.sharedFrom)],
      );
      return rows.map((row) => row.n);
    },
    { cache, cacheKeyFn: (key) => JSON.stringify([key.referralId, visibilityKey(key.visibility)]) },
  );
  return { contactPages, contactCounts };
}

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
  /** Whether to count all the contacts the viewer reads too (the list's `totalCount` is asked). */
  counted: boolean;
}

/** A page of contacts, and how many the viewer reads in all when they were counted. */
export interface ContactPage {
  contacts: Contact[];
  totalCount: number | null;
}

const visibilityKey = ({ recordedBy, sharedFrom }: ContactVisibility) => [recordedBy, sharedFrom?.toISOString() ?? null];

/**
 * Pages of contacts for every referral of a nested read, with their counts when asked, in one
 * statement per page size, direction and counting (an index range scan of
 * contact_referral_time_idx per referral).
 */
export function createStandardsLoaders(db: DataSource, cache = true) {
  const contactPages = new DataLoader<ContactPageKey, ContactPage, string>(
    async (keys) => {
      const pages = new Map<ContactPageKey, ContactPage>();
      const groups = new Map<string, ContactPageKey[]>();
      for (const key of keys) {
        const group = `${key.limit}/${key.newestFirst}/${key.counted}`;
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      for (const group of groups.values()) {
        const { limit, newestFirst, counted } = group[0];
        // Before the first position or after the last one: a page from the start is "after" an end of time.
        const [beyond, after, order] = newestFirst ? ['infinity', '<', 'DESC'] : ['-infinity', '>', 'ASC'];
        // Counted, a referral without contacts still answers its count: a row with no contact.
        const rows: Array<Record<string, unknown>> = await db.query(
          `SELECT k.n AS page_of,
                  ${counted ? `(SELECT count(*)::int FROM contact c WHERE c.referral_id = k.referral_id AND ${CONTACT_VISIBLE_SQL})` : 'NULL::int'} AS total_count, c.*
             FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $5::uuid[], $6::timestamptz[])
               WITH ORDINALITY AS k(referral_id, at, id, recorded_by, shared_from, n)
           ${counted ? 'LEFT' : 'CROSS'} JOIN LATERAL (
             SELECT * FROM contact c WHERE c.referral_id = k.referral_id AND ${CONTACT_VISIBLE_SQL}
                AND (c.occurred_at, c.id) ${after} (coalesce(k.at, '${beyond}'), coalesce(k.id, '${newestFirst ? 'ffffffff-ffff-ffff-ffff-ffffffffffff' : '00000000-0000-0000-0000-000000000000'}'))
              ORDER BY c.occurred_at ${order}, c.id ${order} LIMIT $4
           ) c ${counted ? 'ON true' : ''}
           ORDER BY k.n, c.occurred_at ${order}, c.id ${order}`,
          [group.map((key) => key.referralId), group.map((key) => key.after?.at ?? null), group.map((key) => key.after?.id ?? null), limit,
           group.map((key) => key.visibility.recordedBy), group.map((key) => key.visibility.sharedFrom)],
        );
        // By the key's place in the group (k.n): one referral can be asked for two pages at once.
        const byKey = new Map<number, ContactPage>();
        for (const row of rows) {
          const n = Number(row.page_of);
          const page = byKey.get(n) ?? { contacts: [], totalCount: row.total_count as number | null };
          if (row.id !== null) page.contacts.push(entityFromRow(db, Contact, row));
          byKey.set(n, page);
        }
        group.forEach((key, i) => pages.set(key, byKey.get(i + 1) ?? { contacts: [], totalCount: counted ? 0 : null }));
      }
      return keys.map((key) => pages.get(key)!);
    },
    { cache, cacheKeyFn: (key) => JSON.stringify([key.referralId, key.limit, key.after, key.newestFirst, key.counted, visibilityKey(key.visibility)]) },
  );
  return { contactPages };
}

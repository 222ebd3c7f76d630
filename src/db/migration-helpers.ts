import type { QueryRunner } from 'typeorm';

/** What several migrations do alike. Only ever add here: a change would rewrite what past migrations did. */

/**
 * Rewrites the inbox's kind check as the kinds it allows now, changed by `change`. Several
 * migrations add kinds of their own, in whatever order they land, so each adds to (or, going
 * down, takes from) what is there rather than restating a list that may already be out of date.
 */
export async function changeInboxKinds(q: QueryRunner, change: (kinds: string[]) => string[]): Promise<void> {
  const [{ definition }]: Array<{ definition: string }> = await q.query(
    `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'inbox_item_kind_check' AND conrelid = 'inbox_item'::regclass`,
  );
  const kinds = change([...definition.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]));
  await q.query(`ALTER TABLE inbox_item DROP CONSTRAINT inbox_item_kind_check`);
  await q.query(`ALTER TABLE inbox_item ADD CONSTRAINT inbox_item_kind_check CHECK (kind IN (${kinds.map((kind) => `'${kind}'`).join(', ')}))`);
}

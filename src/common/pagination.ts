import { GraphQLError } from 'graphql';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a page of a list ends, and whether more follows.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when items follow this page: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the last item of this page; null for an empty page.' })
  endCursor!: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** `first`, checked: 1 to 500, 50 when absent. */
export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE_SIZE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return first;
}

/** Cursors are opaque to clients: a position in a keyset order, base64url-encoded. */
export function encodeCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

/** The longest cursor any list gives out (a contact's: an instant and a UUID), with room to spare. */
export const MAX_CURSOR_LENGTH = 100;

const notACursor = () => new GraphQLError('Not a cursor this list gave out', { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * The position a cursor stands for, or BAD_USER_INPUT for anything this list did not give out:
 * the encoding must be exactly ours and the position one the database can compare, so that a
 * forged cursor never reaches SQL as a value it would fail on.
 */
export function decodeCursor(cursor: string | null | undefined, isPosition: (position: string) => boolean): string | null {
  if (cursor == null) return null;
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodeCursor(position) !== cursor || !isPosition(position)) throw notACursor();
  return position;
}

const MAX_BIGINT = 2n ** 63n - 1n;

/** A position in a `bigint` sequence (`seq` columns): digits, within PostgreSQL's bigint. */
export const isSeqPosition = (position: string): boolean => /^\d{1,19}$/.test(position) && BigInt(position) <= MAX_BIGINT;

/** An instant as `toISOString()` writes it, in PostgreSQL's range (years 1 to 9999). */
export function isInstantPosition(position: string): boolean {
  const instant = new Date(position);
  return /^(?!0000)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(position) && !Number.isNaN(instant.getTime()) && instant.toISOString() === position;
}

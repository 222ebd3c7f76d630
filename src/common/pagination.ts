import { GraphQLError } from 'graphql';
import { Field, ObjectType } from 'type-graphql';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
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

export function decodeCursor(cursor: string | null | undefined, pattern: RegExp): string | null {
  if (cursor == null) return null;
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!pattern.test(position)) {
    throw new GraphQLError('Not a cursor this list gave out', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return position;
}

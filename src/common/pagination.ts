import { type FragmentDefinitionNode, GraphQLError, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { Arg, type ClassType, Extensions, Field, Int, ObjectType, createParameterDecorator } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { LIMITS, Limit } from './input-limits';

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

// ---------------------------------------------------------------- pages and connections

/** The shared page arguments: `first` (page size) and `after` (a cursor this list gave out). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** One page of a list, as every connection answers it. */
export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
}

/** A page with how many items the whole list holds. */
export interface CountedPage<T> extends Page<T> {
  totalCount: number;
}

/** A page of `rows` read `first + 1` at a time: the extra row only says that more follow. */
export function pageOf<T>(rows: T[], first: number, position: (row: T) => string): Page<T> {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(position(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/**
 * A page cut from a whole group of rows already loaded in `seq` order — a DataLoader's group, so
 * that the lists of a page of parents cost one statement between them. For groups that stay small
 * (a referral's message threads, a thread's messages).
 */
export function pageOfGroup<T extends { seq: string }>(rows: T[], args: PageArgs): CountedPage<T> {
  const first = pageSize(args.first);
  const position = decodeCursor(args.after, isSeqPosition);
  const rest = position === null ? rows : rows.filter((row) => BigInt(row.seq) > BigInt(position));
  return { ...pageOf(rest, first, (row) => row.seq), totalCount: rows.length };
}

/** The page of a list the viewer may not read: nothing, and nothing more. */
export const emptyPage = <T>(): CountedPage<T> => ({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });

/**
 * A keyset order: the columns a list is sorted by (ascending or descending), the position of a
 * row in it, which positions a cursor may hold, and the condition "after this position".
 */
export interface Keyset<T> {
  order: Array<[column: string, direction: 'ASC' | 'DESC']>;
  position(row: T): string;
  isPosition(position: string): boolean;
  /** SQL after the position, naming it `:after` (and `:after…` parameters it derives). */
  after(position: string): { where: string; parameters: ObjectLiteral };
}

/** The keyset of a table's `seq` column (arrival order), ascending. */
export function seqKeyset<T extends { seq: string }>(alias: string): Keyset<T> {
  return {
    order: [[`${alias}.seq`, 'ASC']],
    position: (row) => row.seq,
    isPosition: isSeqPosition,
    after: (position) => ({ where: `${alias}.seq > :after`, parameters: { after: position } }),
  };
}

/**
 * Keyset pagination of a query: the cursor validated before anything is read, the total (with
 * `count`) counted before the cursor narrows the query, then `first + 1` rows in the keyset's order.
 * A counted list passes `count: asksTotalCount(info)`: when not asked, `totalCount` is left out,
 * and GraphQL never reads it.
 */
export async function queryPage<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, keyset: Keyset<T>, args: PageArgs): Promise<Page<T>>;
export async function queryPage<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  keyset: Keyset<T>,
  args: PageArgs,
  options: { count: boolean },
): Promise<CountedPage<T>>;
export async function queryPage<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  keyset: Keyset<T>,
  args: PageArgs,
  { count = false }: { count?: boolean } = {},
): Promise<Page<T> | CountedPage<T>> {
  const first = pageSize(args.first);
  const position = decodeCursor(args.after, keyset.isPosition);
  const totalCount = count ? await query.getCount() : undefined;
  if (position) {
    const { where, parameters } = keyset.after(position);
    query.andWhere(where, parameters);
  }
  keyset.order.forEach(([column, direction], i) => (i === 0 ? query.orderBy(column, direction) : query.addOrderBy(column, direction)));
  const page = pageOf(await query.take(first + 1).getMany(), first, keyset.position);
  return totalCount === undefined ? page : { ...page, totalCount };
}

/** Whether a selection set asks for `field` (directly, or through fragments). */
function selects(set: SelectionSetNode | undefined, field: string, fragments: Record<string, FragmentDefinitionNode>): boolean {
  return (set?.selections ?? []).some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === field;
    if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet, field, fragments);
    return selects(fragments[selection.name.value]?.selectionSet, field, fragments);
  });
}

/** Whether the list being resolved is asked its `totalCount`: a count costs a statement, so it is made only then. */
export function asksTotalCount(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) => selects(node.selectionSet, 'totalCount', info.fragments));
}

/** The resolver's `asksTotalCount`, as a parameter. */
export const TotalCountAsked = (): ReturnType<typeof createParameterDecorator> => createParameterDecorator(({ info }) => asksTotalCount(info));

type ArgDecorator = ReturnType<typeof Arg>;

/** `first`, as every list takes it. */
export const First = (description = 'Page size, 1 to 500 (50 when absent); outside that, BAD_USER_INPUT.'): ArgDecorator =>
  Arg('first', () => Int, { nullable: true, description });

/** `after`, as every list takes it: a cursor, within the cursor limit. */
export function After(description: string): ArgDecorator {
  const arg = Arg('after', () => String, { nullable: true, description });
  const limit = Limit(LIMITS.cursor);
  return (target, property, index) => {
    limit(target, property, index);
    arg(target, property, index);
  };
}

interface ConnectionDescriptions {
  /** The edge type: its name (the GraphQL type's), and what it, its cursor and its node are. */
  edge: { name: string; description: string; cursor: string; node: string };
  edges: string;
  pageInfo: string;
}

/**
 * The connection type of a list of `node`s (type-graphql's generic types): a concrete class
 * extends it and names the type, `class ReferralConnection extends Connection(Referral, …)`.
 * Only the descriptions differ from one list to another.
 */
export function Connection<T extends object>(node: ClassType<T>, descriptions: ConnectionDescriptions) {
  @ObjectType(descriptions.edge.name, { description: descriptions.edge.description })
  class Edge {
    @Field(() => String, { description: descriptions.edge.cursor })
    cursor!: string;

    @Field(() => node, { description: descriptions.edge.node })
    node!: T;
  }

  @ObjectType()
  abstract class ConnectionClass {
    // A page's items are counted at the connection (its `first`), not again here: src/server/budget.ts.
    @Extensions({ listSize: 1 })
    @Field(() => [Edge], { description: descriptions.edges })
    edges!: Edge[];

    @Field(() => PageInfo, { description: descriptions.pageInfo })
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

/** A connection that also says how many items the whole list holds. */
export function CountedConnection<T extends object>(node: ClassType<T>, descriptions: ConnectionDescriptions & { totalCount: string }) {
  @ObjectType()
  abstract class CountedConnectionClass extends Connection(node, descriptions) {
    @Field(() => Int, { description: descriptions.totalCount })
    totalCount!: number;
  }
  return CountedConnectionClass;
}

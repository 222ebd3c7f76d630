import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
  typeFromAST,
  valueFromASTUntyped,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/pagination';
import type { Limits } from './limits';

/**
 * The request budget: what an operation may ask for, measured on the document before anything
 * runs, over HTTP and WebSocket alike (src/server/http.ts, src/server/websocket.ts).
 *
 * Cost model: every field costs 1, or the `cost` its declaration gives (`@Extensions({ cost })`:
 * reports that scan the database weigh thousands). A field multiplies what is selected inside it
 * by how many items it returns: the length of the input list named by its `sizeFrom` (a batch
 * mutation), else its `first` as sent (at most 500; 50 without it), else, for a list, its
 * `listSize` (`@Extensions({ listSize })`) or DEFAULT_LIST_SIZE. A connection's `edges` declare
 * `listSize: 1`, their page being counted at the connection. `__schema` and `__type` cost
 * INTROSPECTION_COST each (graphql-js's own MaxIntrospectionDepthRule bounds their nesting).
 */
export const DEFAULT_LIST_SIZE = 10;
export const INTROSPECTION_COST = 1000;

/** What a field's declaration may say about its cost (type-graphql `@Extensions`). */
export interface CostExtensions {
  /** What resolving the field itself costs; 1 when absent. */
  cost?: number;
  /** How many items a list without `first` is expected to hold at most; DEFAULT_LIST_SIZE when absent. */
  listSize?: number;
  /** `argument.field…` of an input list whose length multiplies what is selected inside (`listSize` when it cannot be told). */
  sizeFrom?: string;
}

export function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

const count = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-GB') : 'more than can be counted');

/** Tokens in a document (only counted once a parse has failed, to say by how much). */
function countTokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  return tokens;
}

/**
 * The document, parsed with graphql-js's `maxTokens`, or the refusal: QUERY_TOO_LARGE past the
 * token limit, GRAPHQL_PARSE_FAILED (with the syntax error's message) otherwise.
 */
export function parseDocument(query: string, limits: Limits): DocumentNode | GraphQLError {
  try {
    return parse(query, { maxTokens: limits.maxTokens, noLocation: false });
  } catch (error) {
    let tokens = 0;
    try {
      tokens = countTokens(query);
    } catch {
      // A lexical error: the syntax error below says where.
    }
    if (tokens > limits.maxTokens) {
      return limitError('QUERY_TOO_LARGE', `The document has ${count(tokens)} tokens; the limit is ${count(limits.maxTokens)}`);
    }
    const syntax = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    return new GraphQLError(syntax.message, { source: syntax.source, positions: syntax.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  }
}

interface Measure {
  cost: number;
  /** Fields on the deepest path, this selection set's fields included. */
  depth: number;
  /** Aliased fields as they would appear in the answer (fragments expanded). */
  aliases: number;
  /** Fields of this selection set itself, fragments expanded. */
  fields: number;
}

const NOTHING: Measure = { cost: 0, depth: 0, aliases: 0, fields: 0 };

/** What an operation asks for: depth, cost, aliases and top-level fields. */
export interface OperationMeasure {
  depth: number;
  cost: number;
  aliases: number;
  rootFields: number;
}

/**
 * Measures an operation that has not been validated yet: unknown fields cost 1, unknown or
 * cyclic fragments nothing (validation refuses both afterwards). Each fragment is measured once
 * however often it is spread, so that a document of fragments spreading each other twice over
 * cannot make the measuring itself exponential.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measured = new Map<string, Measure>();
  const inProgress = new Set<string>();

  const pageSize = (field: FieldNode, declared: number | undefined): number => {
    const first = field.arguments?.find((argument) => argument.name.value === 'first');
    let value: unknown = declared ?? DEFAULT_PAGE_SIZE;
    if (first?.value.kind === Kind.INT) value = Number(first.value.value);
    else if (first?.value.kind === Kind.VARIABLE) value = variables[first.value.name.value] ?? value;
    // The resolver refuses a page outside 1–500 (BAD_USER_INPUT): cost it at most at 500.
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, 0), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
  };

  /** The length of the list at `path` in the field's arguments, literal or from variables. */
  const lengthAt = (field: FieldNode, [argument, ...path]: string[]): number | undefined => {
    const node = field.arguments?.find((candidate) => candidate.name.value === argument)?.value;
    let value = node && valueFromASTUntyped(node, variables);
    for (const name of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
    return Array.isArray(value) ? value.length : undefined;
  };

  const sizeOf = (field: FieldNode, definition: GraphQLField<unknown, unknown>): number => {
    const { listSize, sizeFrom } = (definition.extensions ?? {}) as CostExtensions;
    if (sizeFrom) return lengthAt(field, sizeFrom.split('.')) ?? listSize ?? DEFAULT_LIST_SIZE;
    if (definition.args.some((argument) => argument.name === 'first')) return pageSize(field, listSize);
    return isListType(getNullableType(definition.type)) ? (listSize ?? DEFAULT_LIST_SIZE) : 1;
  };

  const fieldMeasure = (field: FieldNode, parent: GraphQLNamedType | undefined): Measure => {
    const aliases = field.alias ? 1 : 0;
    const name = field.name.value;
    if (name === '__typename') return { cost: 0, depth: 1, aliases, fields: 1 };
    if (name === '__schema' || name === '__type') return { cost: INTROSPECTION_COST, depth: 1, aliases, fields: 1 };
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    const inner = field.selectionSet ? selectionSet(field.selectionSet, definition && getNamedType(definition.type)) : NOTHING;
    const own = (definition?.extensions as CostExtensions | undefined)?.cost ?? 1;
    const size = definition ? sizeOf(field, definition) : 1;
    return { cost: own + size * inner.cost, depth: 1 + inner.depth, aliases: aliases + size * inner.aliases, fields: 1 };
  };

  const fragmentMeasure = (name: string): Measure => {
    const done = measured.get(name);
    if (done) return done;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const result = selectionSet(fragment.selectionSet, typeFromAST(schema, fragment.typeCondition));
    inProgress.delete(name);
    measured.set(name, result);
    return result;
  };

  function selectionSet(set: SelectionSetNode, type: GraphQLNamedType | undefined): Measure {
    const total = { ...NOTHING };
    for (const selection of set.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) part = fieldMeasure(selection, type);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        part = selectionSet(selection.selectionSet, selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : type);
      } else part = fragmentMeasure(selection.name.value);
      total.cost += part.cost;
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.fields += part.fields;
    }
    return total;
  }

  const root = selectionSet(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  return { depth: root.depth, cost: root.cost, aliases: root.aliases, rootFields: root.fields };
}

/**
 * The one operation of a document, or the refusals of the budget: ONE_OPERATION_PER_DOCUMENT,
 * TOO_MANY_ROOT_FIELDS, TOO_MANY_ALIASES, QUERY_TOO_DEEP, QUERY_TOO_COSTLY — each saying the
 * limit and the measured value. Runs before validation, so that an oversized document costs
 * nothing more than its parse.
 */
export function checkBudget(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  limits: Limits,
): { operation: OperationDefinitionNode } | { errors: GraphQLError[] } {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) {
    return {
      errors: [limitError('ONE_OPERATION_PER_DOCUMENT', `A document must hold exactly one operation; this one holds ${count(operations.length)}`)],
    };
  }
  const operation = operations[0];
  const measure = measureOperation(schema, document, operation, variables ?? {});
  const refusals: Array<[string, number, number, (measured: string) => string]> = [
    ['TOO_MANY_ROOT_FIELDS', measure.rootFields, limits.maxRootFields, (n) => `The operation has ${n} top-level fields`],
    ['TOO_MANY_ALIASES', measure.aliases, limits.maxAliases, (n) => `The operation has ${n} aliased fields`],
    ['QUERY_TOO_DEEP', measure.depth, limits.maxDepth, (n) => `The operation is ${n} fields deep`],
    ['QUERY_TOO_COSTLY', measure.cost, limits.maxCost, (n) => `The operation's estimated cost is ${n}`],
  ];
  const errors = refusals
    .filter(([, measured, limit]) => measured > limit)
    .map(([code, measured, limit, says]) => limitError(code, `${says(count(measured))}; the limit is ${count(limit)}`));
  return errors.length ? { errors } : { operation };
}

/**
 * Refuses JSON from the request (`variables`, `extensions`) nested deeper than the limit or
 * holding more values than the limit, and text with a NUL character (PostgreSQL cannot store
 * it): BAD_USER_INPUT. Walks without recursion, so that a deeply nested value cannot exhaust
 * the stack here either. Null when the value is within bounds.
 */
export function checkJsonInput(input: unknown, what: string, limits: Limits): GraphQLError | null {
  if (input === undefined || input === null) return null;
  const stack: Array<[unknown, number]> = [[input, 1]];
  let values = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    values += 1;
    if (values > limits.maxVariablesValues) {
      return limitError('BAD_USER_INPUT', `The ${what} hold more than ${count(limits.maxVariablesValues)} values; that is the limit`);
    }
    if (typeof value === 'string' && value.includes('\u0000')) return limitError('BAD_USER_INPUT', 'Text may not contain NUL (\\u0000) characters');
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limits.maxVariablesDepth) {
      return limitError('BAD_USER_INPUT', `The ${what} are nested more than ${count(limits.maxVariablesDepth)} levels deep; that is the limit`);
    }
    for (const inner of Object.values(value)) stack.push([inner, depth + 1]);
  }
  return null;
}

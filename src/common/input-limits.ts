import {
  type ConstValueNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  GraphQLError,
  Kind,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { Directive, type MiddlewareFn, getMetadataStorage } from 'type-graphql';
import { ErrorCode } from './error-codes';
import { type UserError, userError } from './user-error';

/**
 * The bounds of one input value. Every input text and list of the schema declares one
 * (tests/unit/input-limits.test.ts), so that no request can make the exchange store, or every
 * reader receive, more than the domain needs.
 */
export interface InputLimit {
  /** A text (or each text of a list) has at most this many characters (Unicode code points). */
  chars?: number;
  /** A list has at most this many items. */
  items?: number;
  /** The items are judged one by one (submitReferrals): an item over its limits is refused alone. */
  itemsAlone?: boolean;
}

/** Sizes the domain uses in several places, written once. */
export const LIMITS = {
  /** A person's given or family name. */
  personName: { chars: 100 },
  /** A National Insurance number, with the spaces people type: "QQ 12 34 56 C". */
  nino: { chars: 13 },
  /** Free text written by a person: a note, a reason, feedback, what happened. */
  freeText: { chars: 2000 },
  /** A cursor: the longest any list gives out is about 80 characters. */
  cursor: { chars: 100 },
  /** A programme's code (WORK_PROGRAMME). */
  programme: { chars: 50 },
} as const satisfies Record<string, InputLimit>;

/** A list of enum values: each value at most once is all a filter or a set can mean. */
export const oneOfEach = (values: object): InputLimit => ({ items: Object.keys(values).length });

const DIRECTIVE = 'limit';

/**
 * Declares the limit of an input field or an argument, next to its `@Field` or `@Arg`. It travels
 * on the schema element itself (as an SDL directive node that is not printed), so that the checker,
 * the descriptions and the tests read it from the built schema.
 */
export function Limit(limit: InputLimit): PropertyDecorator & ParameterDecorator {
  const args = Object.entries(limit).map(([name, value]) => `${name}: ${String(value)}`);
  return Directive(`@${DIRECTIVE}(${args.join(', ')})`);
}

const read = (value: ConstValueNode) => (value.kind === Kind.INT ? Number(value.value) : value.kind === Kind.BOOLEAN ? value.value : undefined);

const limits = new WeakMap<GraphQLInputField | GraphQLArgument, InputLimit | undefined>();

/** The limit declared on an input field or argument; undefined when it has none. */
export function limitOf(value: GraphQLInputField | GraphQLArgument): InputLimit | undefined {
  if (!limits.has(value)) {
    const node = value.astNode?.directives?.find((d) => d.name.value === DIRECTIVE);
    limits.set(value, node && Object.fromEntries((node.arguments ?? []).map((arg) => [arg.name.value, read(arg.value)])));
  }
  return limits.get(value);
}

/** The sentence a limited field's description ends with. */
export function limitSentence(limit: InputLimit): string {
  const each = limit.chars === undefined ? '' : `at most ${limit.chars} characters`;
  if (limit.items === undefined) return `At most ${limit.chars} characters.`;
  return `At most ${limit.items} items${each ? `, each ${each}` : ''}.`;
}

/** Every argument of every field and every field of every input type, with where it sits. */
export function inputValues(schema: GraphQLSchema): Array<{ coordinate: string; value: GraphQLInputField | GraphQLArgument }> {
  const found: Array<{ coordinate: string; value: GraphQLInputField | GraphQLArgument }> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) found.push({ coordinate: `${type.name}.${field.name}`, value: field });
    } else if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) found.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, value: arg });
      }
    }
  }
  return found;
}

/** Adds each limit's sentence to its field's description, once, after the schema is built. */
function describeLimits(schema: GraphQLSchema): void {
  for (const { value } of inputValues(schema)) {
    const limit = limitOf(value);
    if (!limit) continue;
    const sentence = limitSentence(limit);
    if (!value.description?.endsWith(sentence)) value.description = value.description ? `${value.description} ${sentence}` : sentence;
  }
}

/** Characters as PostgreSQL counts them (code points), counted only when the UTF-16 length is over. */
function longerThan(text: string, chars: number): number | null {
  if (text.length <= chars) return null;
  const count = [...text].length;
  return count > chars ? count : null;
}

/** The characters of a text over its limit, or null (for a value that is no text too). */
const textOver = (value: unknown, limit: InputLimit | undefined): number | null =>
  typeof value === 'string' && limit?.chars !== undefined ? longerThan(value, limit.chars) : null;

const tooLong = (limit: InputLimit | undefined, count: number, path: Array<string | number>) =>
  userError(ErrorCode.TOO_LONG, `At most ${limit!.chars} characters (this has ${count})`, path);

/** An input object's fields as the checker walks them: a single value (no list, no object) is checked in place. */
interface CheckedField {
  name: string;
  type: GraphQLInputType;
  limit: InputLimit | undefined;
  single: boolean;
}

const checkedFields = new WeakMap<GraphQLInputObjectType, CheckedField[]>();

/** Read once per type, not once per value: submitReferrals checks up to 1,000 referrals one by one. */
function fieldsToCheck(type: GraphQLInputObjectType): CheckedField[] {
  let fields = checkedFields.get(type);
  if (!fields) {
    fields = Object.values(type.getFields()).map((field) => {
      const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
      return { name: field.name, type: field.type, limit: limitOf(field), single: !isListType(inner) && !isInputObjectType(inner) };
    });
    checkedFields.set(type, fields);
  }
  return fields;
}

function check(type: GraphQLInputType, value: unknown, limit: InputLimit | undefined, path: Array<string | number>, errors: UserError[]): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return check(type.ofType, value, limit, path, errors);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    if (limit?.items !== undefined && items.length > limit.items) {
      // The items of a list that is too long are not read.
      return void errors.push(userError(ErrorCode.TOO_MANY, `At most ${limit.items} items (this has ${items.length})`, path));
    }
    if (limit?.itemsAlone) return;
    return items.forEach((item, i) => check(type.ofType, item, limit && { chars: limit.chars }, [...path, i], errors));
  }
  if (isInputObjectType(type)) {
    for (const field of fieldsToCheck(type)) {
      const fieldValue = (value as Record<string, unknown>)[field.name];
      if (fieldValue === null || fieldValue === undefined) continue;
      if (!field.single) check(field.type, fieldValue, field.limit, [...path, field.name], errors);
      else {
        // The path is built only for an error: most values have none.
        const count = textOver(fieldValue, field.limit);
        if (count !== null) errors.push(tooLong(field.limit, count, [...path, field.name]));
      }
    }
    return;
  }
  const count = textOver(value, limit);
  if (count !== null) errors.push(tooLong(limit, count, path));
}

/** What of `value`, an input of `type`, breaks its limits (paths from `value`). */
export function inputLimitErrors(type: GraphQLInputType, value: unknown): UserError[] {
  const errors: UserError[] = [];
  check(type, value, undefined, [], errors);
  return errors;
}

/** What of a field's arguments breaks their limits; paths start inside a mutation's `input`. */
function argumentLimitErrors(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): UserError[] {
  const errors: UserError[] = [];
  for (const arg of field.args) check(arg.type, args[arg.name], limitOf(arg), arg.name === 'input' ? [] : [arg.name], errors);
  return errors;
}

const answersUserErrors = (type: GraphQLOutputType) => {
  const named = getNamedType(type);
  return isObjectType(named) && 'userErrors' in named.getFields();
};

/**
 * The answer to arguments over their limits: a mutation payload's userErrors (nothing runs), or,
 * where the field has no userErrors to answer with, a BAD_USER_INPUT error.
 */
function overLimits(field: GraphQLField<unknown, unknown>, errors: UserError[]): { userErrors: UserError[] } {
  if (answersUserErrors(field.type)) return { userErrors: errors };
  const message = errors.map((e) => (e.field?.length ? `${e.field.join('.')}: ${e.message}` : e.message)).join('; ');
  throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Arguments over their declared limits never reach a resolver. */
const checkInputLimits: MiddlewareFn = ({ args, info }, next) => {
  const field = info.parentType.getFields()[info.fieldName];
  const errors = argumentLimitErrors(field, args);
  return errors.length ? Promise.resolve(overLimits(field, errors)) : next();
};

/**
 * Before the schema is built: every query, mutation and field resolver that takes arguments
 * checks them against their limits after its `@Authorized` check (type-graphql runs that first),
 * so that a caller without the role is told FORBIDDEN, not what is wrong with its input.
 */
export function limitEveryResolver(): void {
  moveArgumentDirectivesToObjectTypes();
  const storage = getMetadataStorage();
  for (const handler of [...storage.queries, ...storage.mutations, ...storage.fieldResolvers]) {
    const takesArguments = storage.params.some(
      (p) => (p.kind === 'arg' || (p.kind === 'custom' && p.options.arg)) && p.target === handler.target && p.methodName === handler.methodName,
    );
    if (takesArguments) storage.collectMiddlewareMetadata({ target: handler.target, fieldName: handler.methodName, middlewares: [checkInputLimits] });
  }
}

/**
 * type-graphql files an argument's directives (where our limits travel) under a field resolver's
 * own class, but builds a field resolved in another class (`@Resolver(() => Referral)`) from the
 * object type's: copy them there, or `Referral.contacts(after:)` would lose its limit.
 */
function moveArgumentDirectivesToObjectTypes(): void {
  const storage = getMetadataStorage();
  for (const resolver of storage.fieldResolvers.filter((r) => r.kind === 'external')) {
    const objectType = storage.resolverClasses.find((r) => r.target === resolver.target)?.getObjectType();
    const directives = storage.argumentDirectives.filter((d) => d.target === resolver.target && d.fieldName === resolver.methodName);
    if (objectType) storage.argumentDirectives.push(...directives.map((d) => ({ ...d, target: objectType })));
  }
}

/**
 * After the schema is built: each limit said in its field's description, and a subscription's
 * arguments checked when it starts (its `subscribe`), not at every event.
 */
export function enforceLimits(schema: GraphQLSchema): void {
  describeLimits(schema);
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const subscribe = field.subscribe!;
    field.subscribe = (root, args, context, info) => {
      const errors = argumentLimitErrors(field, args);
      return errors.length ? overLimits(field, errors) : subscribe(root, args, context, info);
    };
  }
}

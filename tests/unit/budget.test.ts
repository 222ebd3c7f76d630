import { type GraphQLSchema, Kind, type OperationDefinitionNode, getNamedType, isInputObjectType, isInterfaceType, isListType, isObjectType, getNullableType, parse } from 'graphql';
import { type CostExtensions, DEFAULT_LIST_SIZE, INTROSPECTION_COST, checkBudget, checkJsonInput, measureOperation, parseDocument } from '../../src/server/budget';
import { DEFAULT_LIMITS } from '../../src/server/limits';
import { buildScxSchema } from '../../src/server/schema';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildScxSchema();
});

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, document, operation, variables);
}

describe('the cost model', () => {
  it('counts 1 a field, and multiplies a list by its declared size', () => {
    // cpas: listSize 20
    expect(measure('{ cpas { code name } }')).toEqual({ cost: 1 + 20 * 2, depth: 2, aliases: 0, rootFields: 1 });
    // Cpa.contracts: listSize 5; PrimeContract.subcontracts: 10; Subcontract.contract: one
    expect(measure('{ cpas { contracts { subcontracts { contract { id } } } } }').cost).toBe(1 + 20 * (1 + 5 * (1 + 10 * (1 + 1))));
    // A list that declares nothing: DEFAULT_LIST_SIZE
    expect(measure('{ referral(id: "x") { handoffs { id } } }').cost).toBe(1 + 1 + DEFAULT_LIST_SIZE);
  });

  it('multiplies a page by its first, from the document or the variables, 50 without it and at most 500', () => {
    const page = (first: number) => 1000 + first * (1 + 1 * (1 + 1));
    expect(measure('{ referrals(first: 3) { edges { node { id } } } }').cost).toBe(page(3));
    expect(measure('query($n: Int) { referrals(first: $n) { edges { node { id } } } }', { n: 7 }).cost).toBe(page(7));
    expect(measure('{ referrals { edges { node { id } } } }').cost).toBe(page(50));
    expect(measure('{ referrals(first: 100000) { edges { node { id } } } }').cost).toBe(page(500));
  });

  it('multiplies a batch mutation by the number of items sent', () => {
    const query = 'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created } } }';
    expect(measure(query, { input: { referrals: new Array(7).fill({}) } }).cost).toBe(1000 + 7 * 2);
    expect(measure('mutation { submitReferrals(input: { referrals: [{}, {}] }) { results { created } } }').cost).toBe(1000 + 2 * 2);
  });

  it('weighs the reports that scan the database', () => {
    expect(measure('{ nationalPerformance(from: "2024-01-01", to: "2024-12-31") { to } }').cost).toBe(30000 + 1);
    expect(measure('{ a: cpaPerformance(cpaCode: 1, from: "2024-01-01", to: "2024-12-31") { to } }').cost).toBe(10000 + 1);
  });

  it('counts depth, aliases as they appear in the answer, and top-level fields through fragments', () => {
    expect(measure('{ viewer { role } }').depth).toBe(2);
    const fragments = '{ ...F ...F } fragment F on Query { a: viewer { role } b: viewer { role } }';
    expect(measure(fragments)).toMatchObject({ aliases: 4, rootFields: 4 });
    expect(measure('{ cpas { c: code } }').aliases).toBe(20);
  });

  it('measures a fragment once however often it is spread, so that a fragment bomb is refused at once', () => {
    const fragments = Array.from({ length: 60 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
    const bomb = measure(`{ ...F60 } fragment F0 on Query { viewer { role } } ${fragments}`);
    expect(bomb.rootFields).toBe(2 ** 60);
    expect(bomb.cost).toBe(2 ** 61);
  });

  it('prices introspection as a whole, and ignores unknown fields and cyclic fragments (validation refuses them)', () => {
    expect(measure('{ __schema { types { fields { name } } } }')).toEqual({ cost: INTROSPECTION_COST, depth: 1, aliases: 0, rootFields: 1 });
    expect(measure('{ nope { deeper { still } } }')).toMatchObject({ cost: 3, depth: 3 });
    expect(measure('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A viewer { role } }')).toMatchObject({ rootFields: 1 });
  });
});

describe('refusals', () => {
  const codes = (query: string) => {
    const document = parseDocument(query, DEFAULT_LIMITS);
    if (!('kind' in document)) return [document.extensions.code];
    const checked = checkBudget(schema, document, {}, DEFAULT_LIMITS);
    return 'errors' in checked ? checked.errors.map((e) => e.extensions.code) : [];
  };

  it('name the limit, with the limit and the measured value in the message', () => {
    const document = parse(`{ ${Array.from({ length: 11 }, (_, i) => `v${i}: viewer { role }`).join(' ')} }`);
    const checked = checkBudget(schema, document, {}, DEFAULT_LIMITS);
    expect('errors' in checked && checked.errors.map((e) => [e.extensions.code, e.message])).toEqual([
      ['TOO_MANY_ROOT_FIELDS', 'The operation has 11 top-level fields; the limit is 10'],
    ]);
  });

  it('refuse more than one operation, and a document past maxTokens', () => {
    expect(codes('query A { viewer { role } } query B { viewer { role } }')).toEqual(['ONE_OPERATION_PER_DOCUMENT']);
    expect(codes(`{ viewer { ${'role '.repeat(DEFAULT_LIMITS.maxTokens)} } }`)).toEqual(['QUERY_TOO_LARGE']);
    expect(codes('{ viewer { role }')).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('bound JSON input by depth and by number of values, without recursion', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100000; i++) deep = [deep];
    expect(checkJsonInput({ a: deep }, 'variables', DEFAULT_LIMITS)?.extensions.code).toBe('BAD_USER_INPUT');
    expect(checkJsonInput({ a: new Array(DEFAULT_LIMITS.maxVariablesValues).fill(1) }, 'variables', DEFAULT_LIMITS)?.message).toMatch(/more than 60,000 values/);
    expect(checkJsonInput({ name: 'a\u0000b' }, 'variables', DEFAULT_LIMITS)?.message).toMatch(/NUL/);
    expect(checkJsonInput({ input: { referrals: [{ claimant: { address: { line1: 'x' } } }] } }, 'variables', DEFAULT_LIMITS)).toBeNull();
  });
});

describe('cost declarations', () => {
  it('use only the keys of the cost model, with sizes that fit the field', () => {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const { cost, listSize, sizeFrom, ...other } = field.extensions as CostExtensions & Record<string, unknown>;
        const where = `${type.name}.${field.name}`;
        // nothing else (type-graphql adds `complexity`, left undefined)
        expect([where, Object.entries(other).filter(([, value]) => value !== undefined)]).toEqual([where, []]);
        for (const number of [cost, listSize]) if (number !== undefined) expect([where, Number.isInteger(number) && number >= 0]).toEqual([where, true]);
        if (listSize !== undefined && !sizeFrom) {
          expect([where, isListType(getNullableType(field.type)) || field.args.some((a) => a.name === 'first')]).toEqual([where, true]);
        }
        if (sizeFrom) {
          // The path names a list inside the field's arguments.
          const [argument, ...path] = sizeFrom.split('.');
          let input = field.args.find((a) => a.name === argument)?.type;
          for (const name of path) {
            const named = input && getNamedType(input);
            input = named && isInputObjectType(named) ? named.getFields()[name]?.type : undefined;
          }
          expect([where, !!input && isListType(getNullableType(input))]).toEqual([where, true]);
        }
      }
    }
  });
});

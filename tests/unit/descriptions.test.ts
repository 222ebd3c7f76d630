import { type GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { buildScxSchema } from '../../src/server/schema';

/** Every type, field, argument and enum value a partner can see, by its schema coordinate, with its description. */
function describable(schema: GraphQLSchema): Array<{ coordinate: string; description: string | null | undefined }> {
  const found: Array<{ coordinate: string; description: string | null | undefined }> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    found.push({ coordinate: type.name, description: type.description });
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        found.push({ coordinate: `${type.name}.${field.name}`, description: field.description });
        for (const arg of field.args) found.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, description: arg.description });
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) found.push({ coordinate: `${type.name}.${field.name}`, description: field.description });
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) found.push({ coordinate: `${type.name}.${value.name}`, description: value.description });
    }
  }
  return found;
}

describe('the schema documents itself', () => {
  it('describes every type, field, argument and enum value (outside the __ introspection types)', async () => {
    const missing = describable(await buildScxSchema())
      .filter(({ description }) => !description?.trim())
      .map(({ coordinate }) => coordinate);
    expect(missing).toEqual([]);
  });

  it('says who may call every query and mutation, and which codes a mutation answers', async () => {
    const schema = await buildScxSchema();
    const roots = [...Object.values(schema.getQueryType()!.getFields()), ...Object.values(schema.getMutationType()!.getFields())];
    const silentOnWho = roots.filter((field) => !/ADMIN|JOBCENTRE|PROVIDER|DECISION_MAKER|ANALYST|Any key|Every key/.test(field.description ?? ''));
    expect(silentOnWho.map((field) => field.name)).toEqual([]);
    const silentOnCodes = Object.values(schema.getMutationType()!.getFields()).filter((field) => !/userErrors codes: `[A-Z_]+`/.test(field.description ?? ''));
    expect(silentOnCodes.map((field) => field.name)).toEqual([]);
  });
});

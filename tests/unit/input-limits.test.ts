import { GraphQLString, type GraphQLInputObjectType, getNamedType, getNullableType, isListType } from 'graphql';
import { inputLimitErrors, inputValues, limitOf, limitSentence } from '../../src/common/input-limits';
import { buildScxSchema } from '../../src/server/schema';

describe('input limits', () => {
  it('bound every input text and list of the schema, and say so in its description', async () => {
    const unbounded: string[] = [];
    const undescribed: string[] = [];
    for (const { coordinate, value } of inputValues(await buildScxSchema())) {
      const list = isListType(getNullableType(value.type));
      const text = getNamedType(value.type) === GraphQLString;
      if (!list && !text) continue;
      const limit = limitOf(value);
      if (!limit || (list && limit.items === undefined) || (text && limit.chars === undefined)) unbounded.push(coordinate);
      else if (!value.description?.endsWith(limitSentence(limit))) undescribed.push(coordinate);
    }
    expect(unbounded).toEqual([]);
    expect(undescribed).toEqual([]);
  });

  it('count characters as PostgreSQL does (code points), and name the path of each', async () => {
    const claimant = (await buildScxSchema()).getType('ClaimantInput') as GraphQLInputObjectType;
    const emoji = '😀'.repeat(100); // 200 UTF-16 units, 100 characters
    expect(inputLimitErrors(claimant, { givenName: emoji, familyName: `${emoji}x`, healthConditions: ['ok', 'x'.repeat(201)] })).toEqual([
      { code: 'TOO_LONG', field: ['familyName'], message: 'At most 100 characters (this has 101)' },
      { code: 'TOO_LONG', field: ['healthConditions', '1'], message: 'At most 200 characters (this has 201)' },
    ]);
    expect(inputLimitErrors(claimant, { riskMarkers: Array.from({ length: 21 }, () => 'x'.repeat(500)) })).toEqual([
      { code: 'TOO_MANY', field: ['riskMarkers'], message: 'At most 20 items (this has 21)' },
    ]);
  });
});

import { buildSchema, getMetadataStorage } from 'type-graphql';
import { buildScxSchema } from '../../src/server/schema';
import { ReferralResolver } from '../../src/modules/referrals/referrals.resolver';

/** A RawArg (submitReferrals' input) declares its argument to the schema, and is handed to the resolver as coerced. */
const submitParams = () => getMetadataStorage().mutations.find((m) => m.methodName === 'submitReferrals')!.params!;
const declared = (params: ReturnType<typeof submitParams>) => params.filter((p) => p.kind === 'custom' && p.options.arg).length;

it('declares submitReferrals(input:), converts nothing at a call, and a second schema built in the process keeps the argument', async () => {
  const first = await buildScxSchema();
  expect(first.getMutationType()!.getFields().submitReferrals.args.map((a) => a.name)).toEqual(['input']);
  // The built resolver reads its parameters without the declaration (no second conversion)...
  expect(declared(submitParams())).toBe(0);
  // ...while the declarations a later build reads are intact.
  expect(getMetadataStorage().params.filter((p) => p.kind === 'custom' && p.methodName === 'submitReferrals' && p.options.arg)).toHaveLength(1);
  const second = await buildSchema({ resolvers: [ReferralResolver], validate: false, authChecker: () => true });
  expect(second.getMutationType()!.getFields().submitReferrals.args.map((a) => a.name)).toEqual(['input']);
});

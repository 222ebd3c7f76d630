import { type ArgOptions, createParameterDecorator, getMetadataStorage } from 'type-graphql';

type ArgDeclaration = NonNullable<NonNullable<Parameters<typeof createParameterDecorator>[1]>['arg']>;

/** The parameter resolvers of the RawArgs, by which their metadata is found once the schema is built. */
const rawResolvers = new WeakSet<object>();

/**
 * An argument declared as `@Arg` declares it (name, type, description, `@Limit`), handed to the
 * resolver as graphql-js coerced it: plain objects, not converted again into type-graphql's class
 * instances, which for submitReferrals re-creates every nested object of up to 1,000 referrals
 * (bench/ingest.ts). For an input whose service takes plain data, where that cost was measured.
 */
export function RawArg(name: string, typeFunc: ArgDeclaration['typeFunc'], options?: ArgOptions): ReturnType<typeof createParameterDecorator> {
  const resolver = ({ args }: { args: Record<string, unknown> }) => args[name];
  rawResolvers.add(resolver);
  return createParameterDecorator(resolver, { arg: { name, typeFunc, options } });
}

/**
 * After the schema is built from them: type-graphql (2.0 rc.4) converts a custom parameter's
 * declared argument at every call, then hands the parameter's resolver the coerced arguments and
 * drops the conversion. The declaration is needed to build the schema only, so the built
 * resolvers are given their parameters without it: new lists of copies, which the resolvers read
 * at each call, while the metadata a later build reads keeps the declarations.
 */
export function handRawArgsAsCoerced(): void {
  const storage = getMetadataStorage();
  for (const handler of [...storage.queries, ...storage.mutations, ...storage.fieldResolvers]) {
    if (!handler.params?.some((param) => param.kind === 'custom' && rawResolvers.has(param.resolver))) continue;
    handler.params = handler.params.map((param) =>
      param.kind === 'custom' && rawResolvers.has(param.resolver) ? { ...param, options: { ...param.options, arg: undefined } } : param,
    );
  }
}

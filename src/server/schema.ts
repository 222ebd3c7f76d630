import 'reflect-metadata';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { type Action, authorize } from '../auth/policy';
import { DateTimeScalar } from '../common/scalars';
import {
  CpaResolver,
  MarketShareResolver,
  OrganisationContractsResolver,
  PrimeContractResolver,
  SubcontractResolver,
} from '../modules/contracts/contracts.resolver';
import { AllocationCheckResolver } from '../modules/allocation/allocation.resolver';
import { ApiKeyResolver, IdentityResolver } from '../modules/identity/identity.resolver';
import { AllocationResolver, ReferralResolver } from '../modules/referrals/referrals.resolver';
import type { RequestContext } from './context';
import { NodeResolver } from './node.resolver';

const RESOLVERS = [
  NodeResolver,
  IdentityResolver,
  ApiKeyResolver,
  CpaResolver,
  PrimeContractResolver,
  SubcontractResolver,
  MarketShareResolver,
  OrganisationContractsResolver,
  ReferralResolver,
  AllocationResolver,
  AllocationCheckResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The schema, built once per process from the decorated classes in src/modules. */
export function buildScxSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    orphanedTypes: [],
    // `@Authorized(Action.X)` asks the policy module; it throws UNAUTHENTICATED or FORBIDDEN.
    authChecker: ({ context }: { context: RequestContext }, actions: string[]) => {
      for (const action of actions) authorize(context.viewer, action as Action);
      return true;
    },
    // Rules on input data are the services' job and come back as userErrors.
    validate: false,
  });
  return built;
}

/** SDL as committed in schema/schema.graphql: sorted, so that diffs show real changes only. */
export async function printScxSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildScxSchema())) + '\n';
}

import 'reflect-metadata';
import { PerformanceResolver } from '../modules/performance/performance.resolver';
import { OutcomesResolver, ReferralOutcomesResolver } from '../modules/outcomes/outcomes.resolver';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { type MiddlewareFn, type PubSub, buildSchema, getMetadataStorage } from 'type-graphql';
import { type Action, authorize } from '../auth/policy';
import { argumentLimitErrors, describeLimits, overLimits } from '../common/input-limits';
import { DateTimeScalar } from '../common/scalars';
import {
  CpaResolver,
  MarketShareResolver,
  OrganisationContractsResolver,
  PrimeContractResolver,
  SubcontractResolver,
} from '../modules/contracts/contracts.resolver';
import { AllocationCheckResolver } from '../modules/allocation/allocation.resolver';
import { InboxResolver } from '../events/inbox.resolver';
import { HandoffResolver } from '../modules/chain/chain.resolver';
import {
  ContactResolver,
  ContractStandardsResolver,
  ReferralContactsResolver,
  StandardComplianceResolver,
  StandardsResolver,
  SubcontractorComplianceResolver,
} from '../modules/standards/standards.resolver';
import { ComplianceDoubtResolver, ReferralDoubtsResolver } from '../modules/compliance/compliance.resolver';
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
  HandoffResolver,
  InboxResolver,
  StandardsResolver,
  StandardComplianceResolver,
  SubcontractorComplianceResolver,
  ContractStandardsResolver,
  ContactResolver,
  ReferralContactsResolver,
  ComplianceDoubtResolver,
  ReferralDoubtsResolver,
  OutcomesResolver,
  ReferralOutcomesResolver,
  PerformanceResolver,
] as const;

/**
 * type-graphql wants a PubSub once there are subscriptions, even when every subscription brings
 * its own `subscribe` (ours read the inbox, src/events/inbox-feed.ts). Topics are not used here.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('scx has no pub/sub topics: events go through the inbox');
  },
  subscribe: () => {
    throw new Error('scx has no pub/sub topics: subscribe through the inbox');
  },
};

/** Arguments over their declared limits (src/common/input-limits.ts) never reach a resolver. */
const checkInputLimits: MiddlewareFn<RequestContext> = ({ args, info }, next) => {
  const field = info.parentType.getFields()[info.fieldName];
  const errors = argumentLimitErrors(field, args);
  return errors.length ? Promise.resolve(overLimits(field, errors)) : next();
};

/**
 * Every query, mutation and field resolver that takes arguments checks them against their limits
 * after its `@Authorized` check (type-graphql runs that first), so that a caller without the
 * role is told FORBIDDEN, not what is wrong with its input.
 */
function checkLimitsOfEveryResolver(): void {
  const storage = getMetadataStorage();
  for (const handler of [...storage.queries, ...storage.mutations, ...storage.fieldResolvers]) {
    const takesArguments = storage.params.some((p) => p.kind === 'arg' && p.target === handler.target && p.methodName === handler.methodName);
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

/** A subscription's arguments are checked when it starts (its `subscribe`), not at every event. */
function checkLimitsOfSubscriptions(schema: GraphQLSchema): void {
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const subscribe = field.subscribe!;
    field.subscribe = (root, args, context, info) => {
      const errors = argumentLimitErrors(field, args);
      return errors.length ? overLimits(field, errors) : subscribe(root, args, context, info);
    };
  }
}

/** The root types are type-graphql's own; their descriptions are set here. */
function describeRoots(schema: GraphQLSchema): void {
  schema.getQueryType()!.description = 'Reads. Each field says which roles may call it; a missing or unknown key is UNAUTHENTICATED, a role without the permission FORBIDDEN.';
  schema.getMutationType()!.description =
    'Changes. Each field says which roles may call it and the userErrors codes it can answer: a broken rule writes nothing and is answered in userErrors.';
  schema.getSubscriptionType()!.description = 'Live delivery over graphql-ws (`connectionParams.authorization`). The inbox is the source of truth: resume from your last cursor.';
}

let built: Promise<GraphQLSchema> | undefined;

async function build(): Promise<GraphQLSchema> {
  checkLimitsOfEveryResolver();
  moveArgumentDirectivesToObjectTypes();
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    pubSub: NO_TOPICS,
    // `@Authorized(Action.X)` asks the policy module; it throws UNAUTHENTICATED or FORBIDDEN.
    authChecker: ({ context }: { context: RequestContext }, actions: string[]) => {
      for (const action of actions) authorize(context.viewer, action as Action);
      return true;
    },
    // Rules on input data are the services' job and come back as userErrors.
    validate: false,
  });
  describeRoots(schema);
  describeLimits(schema);
  checkLimitsOfSubscriptions(schema);
  return schema;
}

/** The schema, built once per process from the decorated classes in src/modules. */
export function buildScxSchema(): Promise<GraphQLSchema> {
  built ??= build();
  return built;
}

/** SDL as committed in schema/schema.graphql: sorted, so that diffs show real changes only. */
export async function printScxSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildScxSchema())) + '\n';
}

import 'reflect-metadata';
import { PerformanceResolver } from '../modules/performance/performance.resolver';
import { OutcomesResolver, ReferralOutcomesResolver } from '../modules/outcomes/outcomes.resolver';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { type PubSub, buildSchema } from 'type-graphql';
import { type Action, authorize } from '../auth/policy';
import { enforceLimits, limitEveryResolver } from '../common/input-limits';
import { handRawArgsAsCoerced } from '../common/raw-arg';
import { DateTimeScalar } from '../common/scalars';
import {
  CpaResolver,
  MarketShareResolver,
  OrganisationContractsResolver,
  PrimeContractResolver,
  SubcontractResolver,
} from '../modules/contracts/contracts.resolver';
import { AllocationCheckResolver, AllocationShareResolver } from '../modules/allocation/allocation.resolver';
import { InboxResolver } from '../modules/inbox/inbox.resolver';
import { HandoffResolver, ReferralHandoffsResolver } from '../modules/chain/chain.resolver';
import {
  ContactResolver,
  ContractStandardsResolver,
  ReferralContactsResolver,
  StandardComplianceResolver,
  StandardsResolver,
  SubcontractorComplianceResolver,
} from '../modules/standards/standards.resolver';
import { CircumstanceChangeResolver, ComplianceDoubtResolver, ReferralDoubtsResolver } from '../modules/compliance/compliance.resolver';
import { ApiKeyResolver, IdentityResolver } from '../modules/identity/identity.resolver';
import { AuditResolver, SubjectAccessExportResolver } from '../modules/audit/audit.resolver';
import { AllocationResolver, ReferralResolver } from '../modules/referrals/referrals.resolver';
import { ReferralPayloadResolver, ReferralQueriesOfReferralResolver, ReferralQueryResolver } from '../modules/referrals/referral-queries.resolver';
import {
  ContactPointResolver,
  CpaContactPointsResolver,
  InboxMessageThreadResolver,
  MessageResolver,
  MessageThreadResolver,
  OrganisationContactPointsResolver,
  ReferralMessagesResolver,
} from '../modules/messages/messages.resolver';
import { FirstAppointmentResolver, ReferralFirstAppointmentsResolver } from '../modules/appointments/appointments.resolver';
import { stopResolvingWhenAborted } from './abort';
import type { RequestContext } from '../modules/context';
import { NodeResolver } from './node.resolver';
import { HandoffProgressResolver, ParticipantRecordResolver, RecordResolver, ReferralRecordResolver } from '../modules/record/record.resolver';

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
  ReferralQueryResolver,
  ReferralQueriesOfReferralResolver,
  ReferralPayloadResolver,
  AllocationResolver,
  AllocationCheckResolver,
  AllocationShareResolver,
  HandoffResolver,
  ReferralHandoffsResolver,
  InboxResolver,
  StandardsResolver,
  StandardComplianceResolver,
  SubcontractorComplianceResolver,
  ContractStandardsResolver,
  ContactResolver,
  ReferralContactsResolver,
  ComplianceDoubtResolver,
  ReferralDoubtsResolver,
  CircumstanceChangeResolver,
  OutcomesResolver,
  ReferralOutcomesResolver,
  PerformanceResolver,
  AuditResolver,
  SubjectAccessExportResolver,
  MessageThreadResolver,
  MessageResolver,
  ReferralMessagesResolver,
  InboxMessageThreadResolver,
  ContactPointResolver,
  OrganisationContactPointsResolver,
  CpaContactPointsResolver,
  RecordResolver,
  ReferralRecordResolver,
  HandoffProgressResolver,
  ParticipantRecordResolver,
  FirstAppointmentResolver,
  ReferralFirstAppointmentsResolver,
] as const;

/**
 * type-graphql wants a PubSub once there are subscriptions, even when every subscription brings
 * its own `subscribe` (ours read the inbox, src/modules/inbox/inbox-feed.ts). Topics are not used here.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('scx has no pub/sub topics: events go through the inbox');
  },
  subscribe: () => {
    throw new Error('scx has no pub/sub topics: subscribe through the inbox');
  },
};

/** The root types are type-graphql's own; their descriptions are set here. */
function describeRoots(schema: GraphQLSchema): void {
  schema.getQueryType()!.description = 'Reads. Each field says which roles may call it; a missing or unknown key is UNAUTHENTICATED, a role without the permission FORBIDDEN.';
  schema.getMutationType()!.description =
    'Changes. Each field says which roles may call it and the userErrors codes it can answer: a broken rule writes nothing and is answered in userErrors.';
  schema.getSubscriptionType()!.description = 'Live delivery over graphql-ws (`connectionParams.authorization`). The inbox is the source of truth: resume from your last cursor.';
}

let built: Promise<GraphQLSchema> | undefined;

async function build(): Promise<GraphQLSchema> {
  limitEveryResolver();
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
  }).then((schema) => {
    stopResolvingWhenAborted(schema);
    return schema;
  });
  describeRoots(schema);
  enforceLimits(schema);
  handRawArgsAsCoerced();
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

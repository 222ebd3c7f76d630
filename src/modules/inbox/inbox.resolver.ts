import { Arg, Authorized, Ctx, FieldResolver, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Action, authorize } from '../../auth/policy';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { LIMITS, Limit, oneOfEach } from '../../common/input-limits';
import { After, Connection, First, decodeCursor, encodeCursor, isSeqPosition, queryPage, seqKeyset } from '../../common/pagination';
import { Handoff } from '../chain/handoff.entity';
import { ComplianceDoubt } from '../compliance/compliance-doubt.entity';
import { CircumstanceChange } from '../compliance/circumstance-change.entity';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { Referral } from '../referrals/referral.entity';
import type { RequestContext } from '../context';
import { visibleCircumstanceChange, visibleDoubt, visibleHandoff, visibleReferral } from '../visible';
import { InboxItemKind, InboxItemRecord } from './inbox-item.entity';

@ObjectType({ description: "A page of the viewer's organisation's inbox, oldest first." })
export class InboxConnection extends Connection(InboxItemRecord, {
  edge: {
    name: 'InboxEdge',
    description: 'An inbox item in a page, with its cursor.',
    cursor: "The item's cursor: keep the last one you handled, and read or subscribe again `after` it.",
    node: 'The item.',
  },
  edges: 'The items of this page.',
  pageInfo: 'Whether more follow, and the cursor to read them from.',
}) {}

/** The kinds `referralReceived` delivers: new work for the viewer's organisation. */
const RECEIVED = [InboxItemKind.REFERRAL_ALLOCATED, InboxItemKind.HANDOFF_OFFERED];

/** The feed's own iterator goes back to graphql-ws untouched, so a client leaving stops it at once. */
async function subscribeToInbox(
  ctx: RequestContext,
  kinds: InboxItemKind[] | null | undefined,
  after: string | null | undefined,
): Promise<AsyncIterableIterator<InboxItemRecord>> {
  authorize(ctx.viewer, Action.ReadInbox);
  const organisationId = ctx.viewer.organisation.id;
  const from = decodeCursor(after, isSeqPosition) ?? (await ctx.inbox.latest(organisationId));
  return ctx.inbox.subscribe(organisationId, from, (item) => !kinds?.length || kinds.includes(item.kind));
}

/**
 * The inbox: every event addressed to the viewer's organisation, read from any cursor, and the
 * same items live over graphql-ws. What an item points at is shown only as the policy allows now.
 */
@Resolver(() => InboxItemRecord)
export class InboxResolver {
  @Authorized(Action.ReadInbox)
  @Query(() => InboxConnection, {
    description: "The viewer's organisation's inbox items after a cursor, oldest first; items are kept. Any key, for its own organisation.",
  })
  async inbox(
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
    @Arg('kinds', () => [InboxItemKind], { nullable: true, description: 'Only items of these kinds; every kind when absent or empty.' })
    @Limit(oneOfEach(InboxItemKind))
    kinds?: InboxItemKind[] | null,
    @First() first?: number | null,
    @After('Start after this cursor (from the beginning when absent); a cursor this inbox did not give out is BAD_USER_INPUT.') after?: string | null,
  ): Promise<InboxConnection> {
    const query = ctx.db
      .getRepository(InboxItemRecord)
      .createQueryBuilder('i')
      .where('i.organisation_id = :organisationId', { organisationId: viewer.organisation.id });
    if (kinds?.length) query.andWhere('i.kind IN (:...kinds)', { kinds });
    return queryPage(query, seqKeyset('i'), { first, after });
  }

  @Subscription(() => InboxItemRecord, {
    description:
      "Every new inbox item of the viewer's organisation, in cursor order, once committed; `after` first sends what came after that cursor. Delivery is at least once: keep the last cursor handled and subscribe again after it. Any key (over graphql-ws, `connectionParams.authorization`).",
    subscribe: ({ args, context }) => subscribeToInbox(context as RequestContext, args.kinds, args.after),
  })
  inboxItemAdded(
    @Root() item: InboxItemRecord,
    @Arg('kinds', () => [InboxItemKind], { nullable: true, description: 'Only items of these kinds; every kind when absent or empty.' })
    @Limit(oneOfEach(InboxItemKind))
    _kinds?: InboxItemKind[] | null,
    @Arg('after', () => String, { nullable: true, description: 'Resume after this cursor; from now when absent. A cursor this inbox did not give out is BAD_USER_INPUT.' })
    @Limit(LIMITS.cursor)
    _after?: string | null,
  ): InboxItemRecord {
    return item;
  }

  @Subscription(() => InboxItemRecord, {
    description:
      "Referrals allocated to the viewer's prime contracts, and handoffs offered to the viewer's organisation, as they are committed: inboxItemAdded for REFERRAL_ALLOCATED and HANDOFF_OFFERED. Any key.",
    subscribe: ({ args, context }) => subscribeToInbox(context as RequestContext, RECEIVED, args.after),
  })
  referralReceived(
    @Root() item: InboxItemRecord,
    @Arg('after', () => String, { nullable: true, description: 'Resume after this cursor; from now when absent. A cursor this inbox did not give out is BAD_USER_INPUT.' })
    @Limit(LIMITS.cursor)
    _after?: string | null,
  ): InboxItemRecord {
    return item;
  }

  @FieldResolver(() => String, { description: "The item's place in its organisation's inbox: read or subscribe again `after` it." })
  cursor(@Root() item: InboxItemRecord): string {
    return encodeCursor(item.seq);
  }

  @FieldResolver(() => Referral, { nullable: true, description: 'Null when the viewer may no longer see it (e.g. a handoff ended).' })
  referral(@Root() item: InboxItemRecord, @Ctx() ctx: RequestContext): Promise<Referral | null> {
    return item.referralId ? visibleReferral(ctx, item.referralId) : Promise.resolve(null);
  }

  @FieldResolver(() => PrimeContract, { nullable: true, description: 'The contract whose service standards were published.' })
  contract(@Root() item: InboxItemRecord, @Ctx() ctx: RequestContext): Promise<PrimeContract | null> {
    return item.contractId ? ctx.loaders.primeContract.load(item.contractId) : Promise.resolve(null);
  }

  @FieldResolver(() => ComplianceDoubt, { nullable: true, description: 'The doubt it is about; null when none, or when the viewer may no longer see it.' })
  complianceDoubt(@Root() item: InboxItemRecord, @Ctx() ctx: RequestContext): Promise<ComplianceDoubt | null> {
    return item.complianceDoubtId ? visibleDoubt(ctx, item.complianceDoubtId) : Promise.resolve(null);
  }

  @FieldResolver(() => CircumstanceChange, { nullable: true, description: 'The change of circumstances it tells of; null when none, or when the viewer may no longer see it.' })
  circumstanceChange(@Root() item: InboxItemRecord, @Ctx() ctx: RequestContext): Promise<CircumstanceChange | null> {
    return item.circumstanceChangeId ? visibleCircumstanceChange(ctx, item.circumstanceChangeId) : Promise.resolve(null);
  }

  @FieldResolver(() => Handoff, { nullable: true, description: 'The handoff it is about; null when none, or when the viewer may no longer see it.' })
  handoff(@Root() item: InboxItemRecord, @Ctx() ctx: RequestContext): Promise<Handoff | null> {
    return item.handoffId ? visibleHandoff(ctx, item.handoffId) : Promise.resolve(null);
  }
}

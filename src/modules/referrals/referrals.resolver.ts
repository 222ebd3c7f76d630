import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../auth/errors';
import { Action, ReferralRelationship, authorize, canSeeHandoff, participantAccess, seesAllocationDetail } from '../../auth/policy';
import { isUuid } from '../../common/ids';
import { pageSize } from '../../common/pagination';
import { attempt } from '../../common/user-error';
import type { RequestContext } from '../../server/context';
import { ReferralAllocation } from '../allocation/referral-allocation.entity';
import { Cpa } from '../contracts/cpa.entity';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { Handoff } from '../chain/handoff.entity';
import { ParticipantView, participantView } from './participant.view';
import { LIVE_STATUSES } from './referral-states';
import { referralAccess, visibleReferral } from './referral-access';
import { Referral } from './referral.entity';
import * as referrals from './referrals.service';
import {
  AcknowledgeReferralInput,
  Exit,
  OverrideAllocationInput,
  RecordAttachmentInput,
  RecordExitInput,
  ReferralConnection,
  ReferralFilter,
  ReferralPayload,
  RejectReferralInput,
  Rejection,
  SubmitReferralsInput,
  SubmitReferralsPayload,
} from './referrals.types';

async function referralPayload(run: () => Promise<Referral>): Promise<ReferralPayload> {
  const { value, userErrors } = await attempt(run);
  return { referral: value, userErrors };
}

/** Referrals: submission by Jobcentres, the lifecycle by primes, scoped reads. Rules: referrals.service. */
@Resolver(() => Referral)
export class ReferralResolver {
  @Authorized(Action.ReadReferrals)
  @Query(() => Referral, { nullable: true })
  referral(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Referral | null> {
    return visibleReferral(ctx, id);
  }

  @Extensions({ cost: 1000 })
  @Authorized(Action.ReadReferrals)
  @Query(() => ReferralConnection)
  async referrals(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter?: ReferralFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ReferralConnection> {
    const page = await referrals.listReferrals(ctx.db, ctx.viewer!, filter ?? {}, pageSize(first), after);
    return {
      edges: page.referrals,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.referrals.at(-1)?.cursor ?? null },
    };
  }

  @Extensions({ cost: 1000, sizeFrom: 'input.referrals', listSize: 1000 })
  @Authorized(Action.SubmitReferrals)
  @Mutation(() => SubmitReferralsPayload)
  async submitReferrals(
    @Arg('input', () => SubmitReferralsInput) input: SubmitReferralsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SubmitReferralsPayload> {
    if (input.referrals.length > referrals.MAX_REFERRALS_PER_CALL) {
      throw new GraphQLError(`At most ${referrals.MAX_REFERRALS_PER_CALL} referrals a call`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const results = await referrals.submitReferrals(ctx, ctx.viewer!.organisation.id, input.referrals);
    return { results };
  }

  @Authorized(Action.OverrideAllocation)
  @Mutation(() => ReferralPayload)
  overrideAllocation(
    @Arg('input', () => OverrideAllocationInput) input: OverrideAllocationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ReferralPayload> {
    return referralPayload(() => referrals.overrideAllocation(ctx.db, ctx.viewer!, input));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload)
  acknowledgeReferral(
    @Arg('input', () => AcknowledgeReferralInput) input: AcknowledgeReferralInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ReferralPayload> {
    return referralPayload(() => referrals.acknowledgeReferral(ctx.db, ctx.viewer!, input.referralId));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload)
  rejectReferral(@Arg('input', () => RejectReferralInput) input: RejectReferralInput, @Ctx() ctx: RequestContext): Promise<ReferralPayload> {
    return referralPayload(() => referrals.rejectReferral(ctx.db, ctx.viewer!, input));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload)
  recordAttachment(
    @Arg('input', () => RecordAttachmentInput) input: RecordAttachmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ReferralPayload> {
    return referralPayload(() => referrals.recordAttachment(ctx.db, ctx.viewer!, input));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload)
  recordExit(@Arg('input', () => RecordExitInput) input: RecordExitInput, @Ctx() ctx: RequestContext): Promise<ReferralPayload> {
    return referralPayload(() => referrals.recordExit(ctx.db, ctx.viewer!, input));
  }

  @FieldResolver(() => Cpa)
  async cpa(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Cpa> {
    return (await ctx.loaders.cpa.load(referral.cpaId))!;
  }

  /** Every path to a referral ends here for the person: the policy decides each field, now. */
  @FieldResolver(() => ParticipantView)
  async participant(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ParticipantView> {
    const access = await referralAccess(ctx, referral);
    if (!access) throw forbidden('this participant');
    const participant = (await ctx.loaders.participant.load(referral.participantId))!;
    const live = LIVE_STATUSES.includes(referral.status);
    return participantView(participant, participantAccess(access.relationship, participant, access.handed, live), ctx.cipher);
  }

  @FieldResolver(() => ReferralAllocation, { description: 'The allocation in force.' })
  async allocation(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ReferralAllocation> {
    return (await this.allocationHistory(referral, ctx)).at(-1)!;
  }

  @FieldResolver(() => [ReferralAllocation], {
    description: 'Every allocation of this referral, oldest first; down the chain, the one in force without its reason.',
  })
  async allocationHistory(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ReferralAllocation[]> {
    const [history, access] = await Promise.all([ctx.loaders.allocationsByReferral.load(referral.id), referralAccess(ctx, referral)]);
    if (access && seesAllocationDetail(access.relationship)) return history;
    return [{ ...history.at(-1)!, reason: null }];
  }

  @FieldResolver(() => [Handoff], { description: 'The handoffs of this referral the viewer is party to; all of them for the prime.' })
  async handoffs(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Handoff[]> {
    const [contract, handoffs] = await Promise.all([
      ctx.loaders.primeContract.load(referral.contractId),
      ctx.loaders.handoffsByReferral.load(referral.id),
    ]);
    return handoffs.filter((handoff) => canSeeHandoff(ctx.viewer, handoff, contract!));
  }

  @FieldResolver(() => Rejection, { nullable: true })
  rejection(@Root() referral: Referral): Rejection | null {
    return referral.rejectionReason && referral.rejectedAt
      ? { reason: referral.rejectionReason, note: referral.rejectionNote, rejectedAt: referral.rejectedAt }
      : null;
  }

  @FieldResolver(() => Exit, { name: 'exit', nullable: true })
  exitRecord(@Root() referral: Referral): Exit | null {
    return referral.exitReason && referral.exitedOn ? { reason: referral.exitReason, exitedOn: referral.exitedOn } : null;
  }
}

@Resolver(() => ReferralAllocation)
export class AllocationResolver {
  @FieldResolver(() => PrimeContract)
  async contract(@Root() allocation: ReferralAllocation, @Ctx() ctx: RequestContext): Promise<PrimeContract> {
    return (await ctx.loaders.primeContract.load(allocation.contractId))!;
  }
}

const CLOSENESS = [ReferralRelationship.ReferringJobcentre, ReferralRelationship.Prime, ReferralRelationship.Subcontractor];

/** node(id) for a participant: the view through the viewer's closest relationship to any of their referrals. */
export async function loadParticipantNode(ctx: RequestContext, id: string): Promise<ParticipantView | null> {
  authorize(ctx.viewer, Action.ReadReferrals);
  if (!isUuid(id)) return null;
  const referralsOfPerson = await ctx.loaders.referralsByParticipant.load(id);
  const accesses = await Promise.all(
    referralsOfPerson.map(async (r) => ({ access: await referralAccess(ctx, r), live: LIVE_STATUSES.includes(r.status) })),
  );
  const closest = accesses
    .flatMap(({ access, live }) => (access ? [{ ...access, live }] : []))
    .sort((a, b) => Number(b.live) - Number(a.live) || CLOSENESS.indexOf(a.relationship) - CLOSENESS.indexOf(b.relationship))[0];
  if (!closest) return null;
  const participant = (await ctx.loaders.participant.load(id))!;
  return participantView(participant, participantAccess(closest.relationship, participant, closest.handed, closest.live), ctx.cipher);
}

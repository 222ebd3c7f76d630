import type { GraphQLInputObjectType, GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../auth/errors';
import { Action, ReferralRelationship } from '../../auth/policy';
import { accessTo, knowFacts } from '../../auth/referral-access';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { isUuid } from '../../common/ids';
import { inputLimitErrors } from '../../common/input-limits';
import { RawArg } from '../../common/raw-arg';
import { After, First, TotalCountAsked } from '../../common/pagination';
import { answer } from '../../common/payload';
import type { RequestContext } from '../context';
import { visibleReferral } from '../visible';
import { ReferralAllocation } from '../allocation/referral-allocation.entity';
import { Cpa } from '../contracts/cpa.entity';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { ParticipantView, participantView } from './participant.view';
import type { ReferralClaimant } from './referral-claimant.entity';
import { Referral } from './referral.entity';
import * as referrals from './referrals.service';
import * as queries from './referral-queries';
import { ExitReason } from './referral.enums';
import {
  AcknowledgeReferralInput,
  Exit,
  OverrideAllocationInput,
  RecordAttachmentInput,
  RecordExitInput,
  RecordHandbackInput,
  RecordJobcentreExitInput,
  RecordOffBenefitInput,
  ReferralConnection,
  ReferralFilter,
  ReferralPayload,
  Rejection,
  SubmitReferralsInput,
  SubmitReferralsPayload,
} from './referrals.types';

/**
 * What a referral was sent with, when the participant row does not hold it: the row holds the
 * person's newest referral's details, so an older referral shows its own.
 */
async function sentWith(ctx: RequestContext, referral: Referral): Promise<ReferralClaimant | null> {
  const ofPerson = await ctx.loaders.referralsByParticipant.load(referral.participantId);
  if (ofPerson.at(-1)?.id === referral.id) return null;
  return (await ctx.loaders.claimantByReferral.load(referral.id))[0] ?? null;
}

/** Referrals: submission by Jobcentres, the lifecycle by primes, scoped reads. Rules: referrals.service. */
@Resolver(() => Referral)
export class ReferralResolver {
  @Authorized(Action.ReadReferrals)
  @Query(() => Referral, {
    nullable: true,
    description:
      'One referral, or null when there is none the viewer may see. JOBCENTRE (the referrals it made) and PROVIDER (as prime, those allocated to its contracts; as subcontractor, those handed to it while the handoff lives); other roles are FORBIDDEN.',
  })
  referral(@Arg('id', () => ID, { description: "The referral's id." }) id: string, @Ctx() ctx: RequestContext): Promise<Referral | null> {
    return visibleReferral(ctx, id);
  }

  @Extensions({ cost: 1000 })
  @Authorized(Action.ReadReferrals)
  @Query(() => ReferralConnection, {
    description:
      "The viewer's referrals in the order they arrived, a page at a time. JOBCENTRE: those it made; PROVIDER: those allocated to its contracts and those handed to it while the handoff lives; other roles are FORBIDDEN.",
  })
  async referrals(
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
    @Arg('filter', () => ReferralFilter, { nullable: true, description: 'Only the referrals that match.' }) filter?: ReferralFilter | null,
    @First() first?: number | null,
    @After('Start after this cursor (`pageInfo.endCursor`); a cursor this list did not give out is BAD_USER_INPUT.') after?: string | null,
    @TotalCountAsked() count?: boolean,
  ): Promise<ReferralConnection> {
    const list = await referrals.listReferrals(ctx.db, viewer, filter ?? {}, { first, after }, count);
    knowFacts(ctx, list.facts);
    return list.referrals;
  }

  @Extensions({ cost: 1000, sizeFrom: 'input.referrals', listSize: 1000 })
  @Authorized(Action.SubmitReferrals)
  @Mutation(() => SubmitReferralsPayload, {
    description: `Submits up to 1,000 referrals for the viewer's Jobcentre, each allocated in the same transaction; each must fit its payment group (age band on the referral date, nation) and be in the Jobcentre's own CPA, and answers each in input order: the valid ones are stored even when others are refused. A clientReference submitted before answers its first result (\`created: false\`) and writes nothing. JOBCENTRE. More than 1,000 is a BAD_USER_INPUT error. Per referral, ${answersCodes(
      ErrorCode.CLIENT_REFERENCE_REQUIRED,
      ErrorCode.DISTRICT_REQUIRED,
      ErrorCode.REFERRED_ON_IN_FUTURE,
      ErrorCode.PARTICIPATION_MODE_NOT_ALLOWED,
      ErrorCode.INVALID_NINO,
      ErrorCode.NAME_REQUIRED,
      ErrorCode.INVALID_DATE_OF_BIRTH,
      ErrorCode.ADDRESS_INCOMPLETE,
      ErrorCode.JOINT_CLAIMANT_IS_CLAIMANT,
      ErrorCode.UNKNOWN_CPA,
      ErrorCode.CPA_NOT_SERVED,
      ErrorCode.GROUP_NOT_AVAILABLE_IN_CPA,
      ErrorCode.AGE_OUTSIDE_GROUP,
      ErrorCode.NO_CONTRACT_IN_FORCE,
      ErrorCode.LIVE_REFERRAL_EXISTS,
      ErrorCode.JOINT_CLAIMANT_NOT_REFERRED,
      ErrorCode.JOINT_CLAIMANT_IN_OTHER_CPA,
      ErrorCode.JOINT_CLAIM_REASON_REQUIRED,
      ErrorCode.JOINT_CLAIMANT_HAS_PARTNER,
      ErrorCode.CLAIM_START_AFTER_REFERRAL,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.IDENTITY_MISMATCH,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.PLACE_REQUIRED,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
    )}`,
  })
  async submitReferrals(
    // As coerced (plain objects): the service takes plain data, and converting 1,000 referrals again costs.
    @RawArg('input', () => SubmitReferralsInput, { description: 'The referrals.' }) input: SubmitReferralsInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SubmitReferralsPayload> {
    // The list's own size was checked with every argument; each referral's limits are its own result's.
    const referralType = info.schema.getType('ReferralInput') as GraphQLInputObjectType;
    const overLimits = input.referrals.map((item) => inputLimitErrors(referralType, item));
    const results = await referrals.submitReferrals(ctx, viewer.organisation.id, input.referrals, { overLimits });
    return { results };
  }

  @Authorized(Action.OverrideAllocation)
  @Mutation(() => ReferralPayload, {
    description: `Moves a referral the viewer's Jobcentre made, not yet attached, to another contract of its CPA, with a reason (free text, and a category when given); the new prime starts from ALLOCATED and the old chain's handoffs end. A joint claimant's live referral moves with it (refused with JOINT_CLAIM once the partner is attached). JOBCENTRE (the referring one). ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.ALREADY_ATTACHED,
      ErrorCode.UNKNOWN_CONTRACT,
      ErrorCode.CONTRACT_NOT_IN_CPA,
      ErrorCode.CONTRACT_NOT_IN_FORCE,
      ErrorCode.SAME_CONTRACT,
      ErrorCode.TOO_LONG,
      ErrorCode.JOINT_CLAIM,
    )}`,
  })
  overrideAllocation(
    @Arg('input', () => OverrideAllocationInput, { description: 'The referral, the contract and why.' }) input: OverrideAllocationInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReferralPayload> {
    return answer('referral', () => referrals.overrideAllocation(ctx.db, viewer, input));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload, {
    description: `Acknowledges an ALLOCATED referral. PROVIDER: the prime holding its contract. ${answersCodes(ErrorCode.UNKNOWN_REFERRAL, ErrorCode.ILLEGAL_TRANSITION)}`,
  })
  acknowledgeReferral(
    @Arg('input', () => AcknowledgeReferralInput, { description: 'The referral.' }) input: AcknowledgeReferralInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReferralPayload> {
    return answer('referral', () => referrals.acknowledgeReferral(ctx.db, viewer, input.referralId));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload, {
    description: `Records that an ACKNOWLEDGED referral's participant started: two years of allotted time run from the day, and the ATTACHMENT payment is written at the rate in force that day. It follows an attended first appointment: after a missed one, a later attended one; with none recorded, the first meeting is recorded as attended on the day. PROVIDER: the prime holding its contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.RATE_NOT_SET,
      ErrorCode.NO_ATTENDED_FIRST_APPOINTMENT,
    )}`,
  })
  recordAttachment(
    @Arg('input', () => RecordAttachmentInput, { description: 'The referral and the day.' }) input: RecordAttachmentInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReferralPayload> {
    return answer('referral', () => referrals.recordAttachment(ctx.db, viewer, input));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload, {
    description: `Records an ATTACHED participant's exit, with a handback for the referring Jobcentre (REFERRAL_EXITED); the chain's live handoffs end. LEFT_BENEFIT (deprecated) records the off-benefit marker instead of an exit; OTHER asks the referring Jobcentre to agree (an OTHER_EXIT query, its reason \`handback.summary\`: the payload's \`openQuery\`), and the participant stays until it does. PROVIDER: the prime holding its contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.EXIT_BEFORE_ATTACHMENT,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.ALLOTTED_TIME_NOT_ENDED,
      ErrorCode.DATE_AFTER_ALLOTTED_TIME,
      ErrorCode.JOBCENTRE_DECISION,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.ALREADY_OFF_BENEFIT,
      ErrorCode.DATE_BEFORE_ATTACHMENT,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.QUERY_OPEN,
      ErrorCode.QUERY_ALREADY_CONFIRMED,
    )}`,
  })
  recordExit(@Arg('input', () => RecordExitInput, { description: 'The referral, the day and why.' }) input: RecordExitInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<ReferralPayload> {
    if (input.reason === ExitReason.OTHER) return answer('referral', () => queries.requestOtherExit(ctx.db, viewer, input));
    return answer('referral', () => referrals.recordExit(ctx.db, viewer, input));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload, {
    description: `Gives the handback of an exit the prime did not record itself (the allotted time's end, the final payment, the Jobcentre's decision): barriers left and a summary, once; the referring Jobcentre hears of it (REFERRAL_EXITED) and reads it in \`Referral.handback\`. PROVIDER: the prime holding its contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.HANDBACK_GIVEN,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
    )}`,
  })
  recordHandback(
    @Arg('input', () => RecordHandbackInput, { description: 'The referral and its handback.' }) input: RecordHandbackInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReferralPayload> {
    return answer('referral', () => referrals.recordHandback(ctx.db, viewer, input));
  }

  @Authorized(Action.MoveReferral)
  @Mutation(() => ReferralPayload, {
    description: `Records that an ATTACHED participant left benefit (\`offBenefitSince\`): they stay on the programme, and a return clears it. PROVIDER: the prime holding its contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.ALREADY_OFF_BENEFIT,
      ErrorCode.DATE_BEFORE_ATTACHMENT,
      ErrorCode.DATE_AFTER_ALLOTTED_TIME,
      ErrorCode.DATE_IN_FUTURE,
    )}`,
  })
  recordOffBenefit(
    @Arg('input', () => RecordOffBenefitInput, { description: 'The referral and the first day off benefit.' }) input: RecordOffBenefitInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReferralPayload> {
    return answer('referral', () => referrals.recordOffBenefit(ctx.db, viewer, input));
  }

  @Authorized(Action.RecordJobcentreExit)
  @Mutation(() => ReferralPayload, {
    description: `Exits an ATTACHED participant to other provision (MOVED_TO_OTHER_PROVISION, e.g. Work Choice): the Jobcentre's decision. The prime hears of it (REFERRAL_EXITED); the chain's live handoffs end. JOBCENTRE (the referring one). ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.EXIT_BEFORE_ATTACHMENT,
      ErrorCode.DATE_AFTER_ALLOTTED_TIME,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
    )}`,
  })
  recordJobcentreExit(
    @Arg('input', () => RecordJobcentreExitInput, { description: 'The referral, the last day and why.' }) input: RecordJobcentreExitInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReferralPayload> {
    return answer('referral', () => referrals.recordJobcentreExit(ctx.db, viewer, input));
  }

  @FieldResolver(() => Cpa, { description: "The claimant's CPA." })
  async cpa(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Cpa> {
    return (await ctx.loaders.cpa.load(referral.cpaId))!;
  }

  /** Every path to a referral ends here for the person: the policy decides each field, now. */
  @FieldResolver(() => ParticipantView, { description: 'The person referred, as the viewer may see them now.' })
  async participant(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ParticipantView> {
    const seen = (await accessTo(ctx, referral.id))?.participant;
    if (!seen) throw forbidden('this participant');
    const participant = (await ctx.loaders.participant.load(referral.participantId))!;
    return participantView(participant, seen, ctx.cipher, () => sentWith(ctx, referral), referral.id);
  }

  @FieldResolver(() => ReferralAllocation, { description: 'The allocation in force.' })
  async allocation(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ReferralAllocation> {
    return (await this.allocationHistory(referral, ctx)).at(-1)!;
  }

  @FieldResolver(() => [ReferralAllocation], {
    description: 'Every allocation of this referral, oldest first; down the chain, the one in force without its reason.',
  })
  async allocationHistory(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ReferralAllocation[]> {
    const [history, access] = await Promise.all([ctx.loaders.allocationsByReferral.load(referral.id), accessTo(ctx, referral.id)]);
    if (access?.seesAllocationDetail) return history;
    return [{ ...history.at(-1)!, reason: null, reasonCategory: null }];
  }

  @FieldResolver(() => Rejection, { nullable: true, description: "The prime's rejection; null unless REJECTED." })
  rejection(@Root() referral: Referral): Rejection | null {
    return referral.rejectionReason && referral.rejectedAt
      ? { reason: referral.rejectionReason, note: referral.rejectionNote, rejectedAt: referral.rejectedAt }
      : null;
  }

  @FieldResolver(() => Exit, { name: 'exit', nullable: true, description: 'The exit; null unless EXITED.' })
  exitRecord(@Root() referral: Referral): Exit | null {
    return referral.exitReason && referral.exitedOn ? { reason: referral.exitReason, exitedOn: referral.exitedOn } : null;
  }
}

@Resolver(() => ReferralAllocation)
export class AllocationResolver {
  @FieldResolver(() => PrimeContract, { description: 'The contract allocated to.' })
  async contract(@Root() allocation: ReferralAllocation, @Ctx() ctx: RequestContext): Promise<PrimeContract> {
    return (await ctx.loaders.primeContract.load(allocation.contractId))!;
  }
}

const CLOSENESS = [ReferralRelationship.ReferringJobcentre, ReferralRelationship.Prime, ReferralRelationship.Subcontractor];

/** node(id) for a participant: the view through the viewer's closest relationship to any of their referrals. */
export async function loadParticipantNode(ctx: RequestContext, id: string): Promise<ParticipantView | null> {
  if (!isUuid(id)) return null;
  const referralsOfPerson = await ctx.loaders.referralsByParticipant.load(id);
  const accesses = await Promise.all(referralsOfPerson.map((r) => accessTo(ctx, r.id)));
  const closest = accesses
    .flatMap((access) => (access?.relationship ? [{ access, relationship: access.relationship }] : []))
    .sort((a, b) => Number(b.access.live) - Number(a.access.live) || CLOSENESS.indexOf(a.relationship) - CLOSENESS.indexOf(b.relationship))[0];
  if (!closest) return null;
  const participant = (await ctx.loaders.participant.load(id))!;
  const through = referralsOfPerson.find((r) => r.id === closest.access.facts.id)!;
  return participantView(participant, closest.access.participant!, ctx.cipher, () => sentWith(ctx, through), through.id);
}

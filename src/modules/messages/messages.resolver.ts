import { Arg, Authorized, Ctx, Extensions, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { CurrentViewer } from '../../auth/current-viewer';
import { forbidden } from '../../auth/errors';
import { Action } from '../../auth/policy';
import { accessTo } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { isUuid } from '../../common/ids';
import { After, First, pageOfGroup } from '../../common/pagination';
import { answer } from '../../common/payload';
import type { RequestContext } from '../context';
import { Cpa } from '../contracts/cpa.entity';
import { InboxItemRecord } from '../inbox/inbox-item.entity';
import { Organisation } from '../identity/organisation.entity';
import { Referral } from '../referrals/referral.entity';
import { ContactPoint } from './contact-point.entity';
import { Message } from './message.entity';
import { MessageThread } from './message-thread.entity';
import * as messages from './messages.service';
import {
  CloseMessageThreadInput,
  MessageConnection,
  MessageThreadConnection,
  MessageThreadPayload,
  ReplyToMessageThreadInput,
  SetContactPointsInput,
  SetContactPointsPayload,
  StartMessageThreadInput,
} from './messages.types';
import { MAX_CONTACT_POINTS } from './thread-states';

/** The thread if the viewer is a party to its referral's messages now; null otherwise, as if absent. */
export async function visibleThread(ctx: RequestContext, id: string): Promise<MessageThread | null> {
  const thread = isUuid(id) ? await ctx.loaders.messageThread.load(id) : null;
  return thread && (await accessTo(ctx, thread.referralId))?.seesMessages ? thread : null;
}

const WHO_WRITES = 'JOBCENTRE (the referring one) and PROVIDER (the prime holding the referral, or a subcontractor while its handoff lives).';

/** Message threads between the referring Jobcentre and the chain. Rules: messages.service; who: the access gate (seesMessages). */
@Resolver(() => MessageThread)
export class MessageThreadResolver {
  @Authorized(Action.ExchangeMessages)
  @Mutation(() => MessageThreadPayload, {
    description: `Starts a message thread about a referral with its first message (OPEN); it reaches every other party to the referral now in their inbox (REFERRAL_MESSAGE). On a restricted (MAPPA) record, a topic and due date only. ${WHO_WRITES} ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.SUBJECT_REQUIRED,
      ErrorCode.BODY_REQUIRED,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.DUE_DATE_IN_PAST,
      ErrorCode.TOO_LONG,
    )}`,
  })
  startMessageThread(
    @Arg('input', () => StartMessageThreadInput, { description: 'The referral, the topic and the first message.' }) input: StartMessageThreadInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MessageThreadPayload> {
    return answer('messageThread', () => messages.startMessageThread(ctx.db, viewer, input));
  }

  @Authorized(Action.ExchangeMessages)
  @Mutation(() => MessageThreadPayload, {
    description: `Adds a message to a thread that is not CLOSED: from the side that did not start it (the Jobcentre, or the chain) it becomes ANSWERED, from the starting side OPEN again. It reaches every other party in their inbox. ${WHO_WRITES} ${answersCodes(
      ErrorCode.UNKNOWN_MESSAGE_THREAD,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.BODY_REQUIRED,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
    )}`,
  })
  replyToMessageThread(
    @Arg('input', () => ReplyToMessageThreadInput, { description: 'The thread and the message.' }) input: ReplyToMessageThreadInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MessageThreadPayload> {
    return answer('messageThread', () => messages.replyToMessageThread(ctx.db, viewer, input));
  }

  @Authorized(Action.ExchangeMessages)
  @Mutation(() => MessageThreadPayload, {
    description: `Closes a thread: it takes no more messages. Either side; every other party hears of it in their inbox. ${WHO_WRITES} ${answersCodes(
      ErrorCode.UNKNOWN_MESSAGE_THREAD,
      ErrorCode.ILLEGAL_TRANSITION,
    )}`,
  })
  closeMessageThread(
    @Arg('input', () => CloseMessageThreadInput, { description: 'The thread.' }) input: CloseMessageThreadInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MessageThreadPayload> {
    return answer('messageThread', () => messages.closeMessageThread(ctx.db, viewer, input));
  }

  @FieldResolver(() => Referral, { description: 'The referral it is about; FORBIDDEN once the viewer may no longer see it.' })
  async referral(@Root() thread: MessageThread, @Ctx() ctx: RequestContext): Promise<Referral> {
    const referral = (await ctx.loaders.referral.load(thread.referralId))!;
    if (!(await accessTo(ctx, referral.id))?.canRead) throw forbidden('this referral');
    return referral;
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that started it.' })
  async startedBy(@Root() thread: MessageThread, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(thread.startedById))!;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation that closed it; null while it is not closed.' })
  closedBy(@Root() thread: MessageThread, @Ctx() ctx: RequestContext): Promise<Organisation | null> {
    return thread.closedById ? ctx.loaders.organisation.load(thread.closedById) : Promise.resolve(null);
  }

  @FieldResolver(() => MessageConnection, { description: 'Its messages, oldest first, the first one included.' })
  async messages(
    @Root() thread: MessageThread,
    @Ctx() ctx: RequestContext,
    @First() first?: number | null,
    @After('Start after this cursor; a cursor this list did not give out is BAD_USER_INPUT.') after?: string | null,
  ): Promise<MessageConnection> {
    return pageOfGroup(await ctx.loaders.messagesByThread.load(thread.id), { first, after });
  }
}

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => Organisation, { description: 'The organisation that sent it.' })
  async from(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(message.fromOrganisationId))!;
  }
}

@Resolver(() => Referral)
export class ReferralMessagesResolver {
  @Extensions({ cost: 10 })
  @FieldResolver(() => MessageThreadConnection, {
    description: 'Message threads about this referral, oldest first: for the referring Jobcentre and the chain holding it now (empty for anyone else).',
  })
  async messageThreads(
    @Root() referral: Referral,
    @Ctx() ctx: RequestContext,
    @First() first?: number | null,
    @After('Start after this cursor; a cursor this list did not give out is BAD_USER_INPUT.') after?: string | null,
  ): Promise<MessageThreadConnection> {
    const [access, threads] = await Promise.all([accessTo(ctx, referral.id), ctx.loaders.threadsByReferral.load(referral.id)]);
    return pageOfGroup(access?.seesMessages ? threads : [], { first, after });
  }
}

@Resolver(() => InboxItemRecord)
export class InboxMessageThreadResolver {
  @FieldResolver(() => MessageThread, { nullable: true, description: 'The message thread it is about; null when none, or when the viewer is no longer a party to it.' })
  messageThread(@Root() item: InboxItemRecord, @Ctx() ctx: RequestContext): Promise<MessageThread | null> {
    return item.messageThreadId ? visibleThread(ctx, item.messageThreadId) : Promise.resolve(null);
  }
}

// ---------------------------------------------------------------- contact points

@Resolver(() => ContactPoint)
export class ContactPointResolver {
  @Authorized(Action.SetContactPoints)
  @Mutation(() => SetContactPointsPayload, {
    description: `Names the viewer's organisation's contact points for a CPA (at most ${MAX_CONTACT_POINTS}), replacing its earlier list there; every key holder reads them in the registry. JOBCENTRE and PROVIDER, for their own organisation. ${answersCodes(
      ErrorCode.UNKNOWN_CPA,
      ErrorCode.NAME_REQUIRED,
      ErrorCode.INVALID_EMAIL,
      ErrorCode.INVALID_PHONE,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
    )}`,
  })
  setContactPoints(
    @Arg('input', () => SetContactPointsInput, { description: 'The CPA and the whole list.' }) input: SetContactPointsInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<SetContactPointsPayload> {
    return answer('contactPoints', () => messages.setContactPoints(ctx.db, viewer.organisation.id, input));
  }

  @FieldResolver(() => Organisation, { description: 'Whose contact point it is.' })
  async organisation(@Root() point: ContactPoint, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(point.organisationId))!;
  }

  @FieldResolver(() => Cpa, { description: 'The CPA it is for.' })
  async cpa(@Root() point: ContactPoint, @Ctx() ctx: RequestContext): Promise<Cpa> {
    return (await ctx.loaders.cpa.load(point.cpaId))!;
  }
}

@Resolver(() => Organisation)
export class OrganisationContactPointsResolver {
  @Extensions({ listSize: 20 * MAX_CONTACT_POINTS })
  @FieldResolver(() => [ContactPoint], { description: 'Its contact points, CPA by CPA, in the order it gave them.' })
  async contactPoints(
    @Root() organisation: Organisation,
    @Ctx() ctx: RequestContext,
    @Arg('cpaCode', () => Int, { nullable: true, description: 'Only those for this CPA.' }) cpaCode?: number | null,
  ): Promise<ContactPoint[]> {
    const points = await ctx.loaders.contactPointsByOrganisation.load(organisation.id);
    if (cpaCode == null) return points;
    const cpas = await ctx.loaders.cpa.loadMany([...new Set(points.map((point) => point.cpaId))]);
    const wanted = cpas.find((cpa) => cpa && !(cpa instanceof Error) && cpa.code === cpaCode) as Cpa | undefined;
    return points.filter((point) => point.cpaId === wanted?.id);
  }
}

@Resolver(() => Cpa)
export class CpaContactPointsResolver {
  @Extensions({ listSize: 10 * MAX_CONTACT_POINTS })
  @FieldResolver(() => [ContactPoint], { description: 'Every organisation\'s contact points for this CPA, organisation by organisation.' })
  contactPoints(@Root() cpa: Cpa, @Ctx() ctx: RequestContext): Promise<ContactPoint[]> {
    return ctx.loaders.contactPointsByCpa.load(cpa.id);
  }
}

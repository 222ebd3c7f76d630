import type { DataSource, EntityManager } from 'typeorm';
import { lockAccess } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { todayUtc } from '../../common/dates';
import { ErrorCode } from '../../common/error-codes';
import { isUuid } from '../../common/ids';
import { Lifecycle } from '../../common/state-machine';
import { isEmail, isPhone, restrictedFreeText, trimmed } from '../../common/text';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { Cpa } from '../contracts/cpa.entity';
import { type InboxEvent, addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { Referral } from '../referrals/referral.entity';
import { ContactPoint } from './contact-point.entity';
import type { ContactPointInput } from './messages.types';
import { Message } from './message.entity';
import { MessageThread } from './message-thread.entity';
import { MESSAGE_THREAD_TRANSITIONS, MessageThreadStatus, type MessageTopic, statusAfterMessage } from './thread-states';

/** Messages between the referring Jobcentre and the chain about one referral; contact points per CPA. */

/**
 * The referral, locked, when the viewer is a party to its messages now; UNKNOWN_REFERRAL otherwise.
 * The lock is the access gate's, which a handoff's end takes too: nobody writes through a handoff that is ending.
 * Returns who else is a party now: the referring Jobcentre, the prime, every live handoff's receiver.
 */
async function partyTo(tx: EntityManager, viewer: Viewer, referralId: string, unknown: () => never): Promise<{ referral: Referral; restricted: boolean; others: string[] }> {
  const access = await lockAccess(tx, viewer, referralId);
  if (!access?.seesMessages) unknown();
  const referral = await tx.getRepository(Referral).findOneByOrFail({ id: access.facts.id });
  return { referral, restricted: access.facts.restricted, others: access.parties.filter((organisation) => organisation !== viewer.organisation.id) };
}

/**
 * What a restricted (MAPPA) record allows: no free text at all, so that a thread about it names
 * its topic and due date and the detail goes through the contact points. Elsewhere a thread has
 * a subject and every message a body.
 */
function checkText(restricted: boolean, text: { subject?: string | null; body?: string | null }, needsSubject: boolean): UserError[] {
  const errors = restrictedFreeText(restricted, { subject: text.subject, body: text.body });
  const given = { subject: trimmed(text.subject), body: trimmed(text.body) };
  if (!restricted && needsSubject && !given.subject) errors.push(userError(ErrorCode.SUBJECT_REQUIRED, 'A message thread needs a subject', ['subject']));
  if (!restricted && !given.body) errors.push(userError(ErrorCode.BODY_REQUIRED, 'A message needs a body', ['body']));
  return errors;
}

async function writeMessage(tx: EntityManager, viewer: Viewer, thread: MessageThread, body: string | null | undefined, restricted: boolean): Promise<void> {
  const repository = tx.getRepository(Message);
  await repository.save(
    repository.create({ threadId: thread.id, referralId: thread.referralId, fromOrganisationId: viewer.organisation.id, body: restricted ? null : trimmed(body) }),
  );
}

const tell = (others: string[], thread: MessageThread): InboxEvent[] =>
  others.map((organisationId) => ({ organisationId, kind: InboxItemKind.REFERRAL_MESSAGE, referralId: thread.referralId, messageThreadId: thread.id }));

const threadLifecycle = new Lifecycle<MessageThreadStatus, MessageThread, InboxEvent>('message thread', MESSAGE_THREAD_TRANSITIONS, MessageThread, addToInbox);

/** The referring Jobcentre, or the chain holding the referral, starts a thread with its first message. */
export async function startMessageThread(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; topic: MessageTopic; subject?: string | null; body?: string | null; dueOn?: string | null },
  today: string = todayUtc(),
): Promise<MessageThread> {
  return db.transaction(async (tx) => {
    const { referral, restricted, others } = await partyTo(tx, viewer, input.referralId, () =>
      refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to write about', ['referralId']),
    );
    const errors = checkText(restricted, input, true);
    if (input.dueOn && input.dueOn < today) errors.push(userError(ErrorCode.DUE_DATE_IN_PAST, 'An answer cannot be due before today', ['dueOn']));
    assertNoUserErrors(errors);
    const repository = tx.getRepository(MessageThread);
    const thread = await repository.save(
      repository.create({
        referralId: referral.id,
        topic: input.topic,
        subject: restricted ? null : trimmed(input.subject),
        status: MessageThreadStatus.OPEN,
        dueOn: input.dueOn ?? null,
        startedById: viewer.organisation.id,
      }),
    );
    await writeMessage(tx, viewer, thread, input.body, restricted);
    await addToInbox(tx, tell(others, thread));
    return thread;
  });
}

/**
 * Moves a thread the viewer is a party to now to `next`'s status, then `write`s, under the
 * referral's lock (every change of a thread takes it first); anyone else is told it does not exist.
 */
async function changeThread(
  db: DataSource,
  viewer: Viewer,
  threadId: string,
  next: (thread: MessageThread, referral: Referral) => MessageThreadStatus,
  write: (tx: EntityManager, thread: MessageThread, restricted: boolean) => Promise<void>,
): Promise<MessageThread> {
  return db.transaction(async (tx) => {
    const unknown: () => never = () => refuse(ErrorCode.UNKNOWN_MESSAGE_THREAD, 'No message thread with this id is yours to write to', ['messageThreadId']);
    const found = isUuid(threadId) ? await tx.getRepository(MessageThread).findOneBy({ id: threadId }) : null;
    if (!found) unknown();
    const { referral, restricted, others } = await partyTo(tx, viewer, found.referralId, unknown);
    const thread = await tx.getRepository(MessageThread).findOneByOrFail({ id: threadId });
    return threadLifecycle.move(tx, thread, next(thread, referral), {
      actorId: viewer.organisation.id,
      apply: async () => {
        await write(tx, thread, restricted);
        thread.updatedAt = new Date();
        return tell(others, thread);
      },
    });
  });
}

/** A message on a thread that is not closed: from the side that did not start it, it answers the thread. */
export function replyToMessageThread(db: DataSource, viewer: Viewer, input: { messageThreadId: string; body?: string | null }): Promise<MessageThread> {
  return changeThread(
    db,
    viewer,
    input.messageThreadId,
    (thread, referral) => statusAfterMessage(viewer.organisation.id === referral.jobcentreId, thread.startedById === referral.jobcentreId),
    async (tx, thread, restricted) => {
      assertNoUserErrors(checkText(restricted, input, false));
      await writeMessage(tx, viewer, thread, input.body, restricted);
    },
  );
}

/** Either side closes a thread. */
export function closeMessageThread(db: DataSource, viewer: Viewer, input: { messageThreadId: string }): Promise<MessageThread> {
  return changeThread(
    db,
    viewer,
    input.messageThreadId,
    () => MessageThreadStatus.CLOSED,
    async (_tx, thread) => {
      Object.assign(thread, { closedAt: new Date(), closedById: viewer.organisation.id });
    },
  );
}

// ---------------------------------------------------------------- contact points

function checkContactPoint(point: ContactPointInput, i: number): UserError[] {
  const errors: UserError[] = [];
  const at = (field: string) => ['contactPoints', i, field];
  if (!trimmed(point.name)) errors.push(userError(ErrorCode.NAME_REQUIRED, 'A contact point has a name', at('name')));
  if (!isEmail(point.email)) errors.push(userError(ErrorCode.INVALID_EMAIL, 'Not an email address', at('email')));
  const phone = trimmed(point.phone);
  if (phone && !isPhone(phone)) errors.push(userError(ErrorCode.INVALID_PHONE, 'Not a phone number', at('phone')));
  return errors;
}

/** An organisation's own contact points for one CPA, replacing its earlier list there (an empty list removes them). */
export async function setContactPoints(
  db: DataSource,
  organisationId: string,
  input: { cpaCode: number; contactPoints: ContactPointInput[] },
): Promise<ContactPoint[]> {
  return db.transaction(async (tx) => {
    // The CPA's row lock puts one organisation's concurrent lists for it one after the other.
    const cpa = await tx.getRepository(Cpa).findOne({ where: { code: input.cpaCode }, lock: { mode: 'pessimistic_write' } });
    const errors = input.contactPoints.flatMap(checkContactPoint);
    if (!cpa) errors.unshift(userError(ErrorCode.UNKNOWN_CPA, `No CPA has code ${input.cpaCode}`, ['cpaCode']));
    assertNoUserErrors(errors);
    const repository = tx.getRepository(ContactPoint);
    await repository.delete({ organisationId, cpaId: cpa!.id });
    return repository.save(
      input.contactPoints.map((point, position) =>
        repository.create({
          organisationId,
          cpaId: cpa!.id,
          position,
          name: point.name.trim(),
          role: trimmed(point.role),
          email: point.email.trim(),
          phone: trimmed(point.phone),
        }),
      ),
    );
  });
}

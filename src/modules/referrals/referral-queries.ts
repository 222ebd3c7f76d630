import type { DataSource, EntityManager } from 'typeorm';
import { type ReferralAccessChecker, lockAccess } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { addDays, todayUtc } from '../../common/dates';
import { ErrorCode } from '../../common/error-codes';
import { isUuid } from '../../common/ids';
import { assertMove } from '../../common/state-machine';
import { trimmed } from '../../common/text';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { ReferralQuery } from './referral-query.entity';
import { Referral } from './referral.entity';
import { ExitReason, RejectionReason } from './referral.enums';
import { ReferralStatus } from '../../auth/access.enums';
import { REFERRAL_TRANSITIONS } from './referral-states';
import { REFERRAL_QUERY_TRANSITIONS, RESOLVED_AS, ReferralQueryPurpose, ReferralQueryResolution, ReferralQueryStatus } from './query-states';
import { exitReferral, lastAllottedDay, withdrawReferral } from './referrals.service';

/**
 * Queries, not rejections (DOMAIN.md journey step 3; 002:1222, 002:458): a prime may query a
 * referral it holds, within the programme's window from the allocation; the referring Jobcentre
 * answers WITHDRAW (the referral ends as WITHDRAWN) or CONFIRM (the prime proceeds, and cannot
 * query it again on the same grounds). Each query reaches the Jobcentre's inbox, each answer the
 * prime's. A query has a purpose, so that other decisions that are the Jobcentre's (an OTHER exit)
 * can be asked the same way: a purpose names the statuses it can be raised from and whether the
 * window applies (QUERY_PURPOSES), and what a withdrawal does (the referral's move).
 */

interface PurposeRules {
  /** The referral's statuses the query can be raised from; in any other, QUERY_WINDOW_CLOSED (a later status) or ILLEGAL_TRANSITION. */
  raisedFrom: readonly ReferralStatus[];
  /** Whether the programme's query window from the allocation applies. */
  windowed: boolean;
  /** What WITHDRAW does to the locked referral. */
  withdraw: (tx: EntityManager, referral: Referral, today: string, actorId: string, query: ReferralQuery) => Promise<Referral>;
}

/** The Jobcentre agreed to an OTHER exit: the participation ends that day (at the latest on the allotted time's last day), the prime's reason its handback. */
const exitAgreed: PurposeRules['withdraw'] = (tx, referral, today, actorId, query) => {
  const last = lastAllottedDay(referral);
  return exitReferral(tx, referral, { exitedOn: today < last ? today : last, reason: ExitReason.OTHER, handback: { summary: query.reason } }, actorId, today);
};

/** Before attachment: the statuses from which the referral can still be withdrawn. */
const NOT_YET_ATTACHED = (Object.keys(REFERRAL_TRANSITIONS) as ReferralStatus[]).filter((status) =>
  REFERRAL_TRANSITIONS[status].includes(ReferralStatus.WITHDRAWN),
);

export const QUERY_PURPOSES: Readonly<Record<ReferralQueryPurpose, PurposeRules>> = {
  [ReferralQueryPurpose.INAPPROPRIATE_REFERRAL]: { raisedFrom: NOT_YET_ATTACHED, windowed: true, withdraw: withdrawReferral },
  [ReferralQueryPurpose.OTHER_EXIT]: { raisedFrom: [ReferralStatus.ATTACHED], windowed: false, withdraw: exitAgreed },
};

export interface RaiseQueryInput {
  referralId: string;
  grounds: RejectionReason;
  reason: string | null;
  purpose?: ReferralQueryPurpose;
}

/** The last day a prime may query a referral allocated at `allocatedAt`, under a window of `days`. */
export const lastDayToQuery = (allocatedAt: Date, days: number): string => addDays(todayUtc(allocatedAt), days);

/**
 * Whether a query may be raised, and every reason it may not (pure: the referral, its queries and
 * the window are given).
 */
export function queryErrors(
  input: Pick<RaiseQueryInput, 'grounds' | 'purpose'>,
  { status, queries, lastDay, today }: { status: ReferralStatus; queries: Array<Pick<ReferralQuery, 'status' | 'grounds'>>; lastDay: string; today: string },
): UserError[] {
  const rules = QUERY_PURPOSES[input.purpose ?? ReferralQueryPurpose.INAPPROPRIATE_REFERRAL];
  const errors: UserError[] = [];
  if (!rules.raisedFrom.includes(status)) {
    errors.push(
      status === ReferralStatus.ATTACHED
        ? userError(ErrorCode.QUERY_WINDOW_CLOSED, 'The participant is attached: the prime proceeds with the referral', ['referralId'])
        : userError(ErrorCode.ILLEGAL_TRANSITION, `The referral is ${status}: it cannot be queried`, ['referralId']),
    );
  } else if (rules.windowed && today > lastDay) {
    errors.push(userError(ErrorCode.QUERY_WINDOW_CLOSED, `The referral could be queried until ${lastDay}`, ['referralId']));
  }
  if (queries.some((q) => q.status === ReferralQueryStatus.OPEN)) {
    errors.push(userError(ErrorCode.QUERY_OPEN, 'The referral has an open query already', ['referralId']));
  }
  if (queries.some((q) => q.status === ReferralQueryStatus.CONFIRMED && q.grounds === input.grounds)) {
    errors.push(userError(ErrorCode.QUERY_ALREADY_CONFIRMED, `The Jobcentre confirmed the referral on the grounds ${input.grounds}`, ['grounds']));
  }
  return errors;
}

/**
 * A prime queries a referral it holds (queryReferral, and the deprecated rejectReferral): checked
 * under the referral's row lock, written with the Jobcentre's inbox item in one transaction.
 */
export async function raiseReferralQuery(db: DataSource, viewer: Viewer, input: RaiseQueryInput, today: string = todayUtc()): Promise<ReferralQuery> {
  return db.transaction(async (tx) => {
    const access = await lockAccess(tx, viewer, input.referralId);
    if (!access?.isPrime) refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to change', ['referralId']);
    const [{ query_window_days: days }]: Array<{ query_window_days: number }> = await tx.query(
      'SELECT g.query_window_days FROM prime_contract c JOIN programme g ON g.code = c.programme WHERE c.id = $1',
      [access.facts.contractId],
    );
    const queries = await tx.getRepository(ReferralQuery).findBy({ referralId: input.referralId });
    assertNoUserErrors(queryErrors(input, { status: access.facts.status, queries, lastDay: lastDayToQuery(access.facts.allocatedAt, days), today }));
    const query = await tx.getRepository(ReferralQuery).save(
      tx.getRepository(ReferralQuery).create({
        referralId: input.referralId,
        purpose: input.purpose ?? ReferralQueryPurpose.INAPPROPRIATE_REFERRAL,
        grounds: input.grounds,
        reason: input.reason,
        status: ReferralQueryStatus.OPEN,
        raisedById: viewer.organisation.id,
      }),
    );
    await addToInbox(tx, [{ organisationId: access.facts.jobcentreId, kind: InboxItemKind.REFERRAL_QUERIED, referralId: input.referralId }]);
    return query;
  });
}

/** queryReferral: a query with the prime's reason, which it must give. */
export function queryReferral(db: DataSource, viewer: Viewer, input: { referralId: string; grounds: RejectionReason; reason: string }): Promise<ReferralQuery> {
  const reason = trimmed(input.reason);
  if (!reason) refuse(ErrorCode.REASON_REQUIRED, 'A query says why the referral seems inappropriate', ['reason']);
  return raiseReferralQuery(db, viewer, { referralId: input.referralId, grounds: input.grounds, reason });
}

/**
 * An exit for another reason is not the prime's alone (DOMAIN.md step 9): recordExit with OTHER
 * asks the referring Jobcentre (an OTHER_EXIT query, its reason the handback's summary, which it
 * must give); the participant stays until the Jobcentre agrees (WITHDRAW).
 */
export async function requestOtherExit(db: DataSource, viewer: Viewer, input: { referralId: string; handback?: { summary?: string | null } | null }, today: string = todayUtc()): Promise<Referral> {
  const reason = trimmed(input.handback?.summary);
  if (!reason) refuse(ErrorCode.REASON_REQUIRED, 'An exit for another reason says why (handback.summary), for the Jobcentre to agree', ['handback', 'summary']);
  const query = await raiseReferralQuery(db, viewer, { referralId: input.referralId, grounds: RejectionReason.OTHER, reason, purpose: ReferralQueryPurpose.OTHER_EXIT }, today);
  return db.getRepository(Referral).findOneByOrFail({ id: query.referralId });
}

/**
 * Deprecated: a prime no longer rejects a referral (DOMAIN.md, "Rules not to invent"). It raises
 * a query on the reason's grounds instead, and the referral stays as it is until the referring
 * Jobcentre answers.
 */
export async function rejectReferral(db: DataSource, viewer: Viewer, input: { referralId: string; reason: RejectionReason; note?: string | null }): Promise<Referral> {
  const note = trimmed(input.note);
  if (input.reason === RejectionReason.OTHER && !note) refuse(ErrorCode.NOTE_REQUIRED, 'A rejection for another reason says what it is', ['note']);
  const query = await raiseReferralQuery(db, viewer, { referralId: input.referralId, grounds: input.reason, reason: note });
  return db.getRepository(Referral).findOneByOrFail({ id: query.referralId });
}

/**
 * The referring Jobcentre answers an open query: WITHDRAW ends the referral (its purpose's move),
 * CONFIRM leaves it with the prime. Under the referral's row lock; the prime hears of it.
 */
export async function resolveReferralQuery(
  db: DataSource,
  viewer: Viewer,
  input: { referralQueryId: string; resolution: ReferralQueryResolution; note?: string | null },
  today: string = todayUtc(),
): Promise<ReferralQuery> {
  const unknown = () => refuse(ErrorCode.UNKNOWN_REFERRAL_QUERY, 'No query with this id is yours to answer', ['referralQueryId']);
  return db.transaction(async (tx) => {
    const found = isUuid(input.referralQueryId) ? await tx.getRepository(ReferralQuery).findOneBy({ id: input.referralQueryId }) : null;
    if (!found) return unknown();
    const access: ReferralAccessChecker | null = await lockAccess(tx, viewer, found.referralId);
    if (!access?.isReferringJobcentre) return unknown();
    // Read again under the referral's lock: an answer given meanwhile is seen.
    const query = await tx.getRepository(ReferralQuery).findOneByOrFail({ id: found.id });
    const to = RESOLVED_AS[input.resolution];
    assertMove(REFERRAL_QUERY_TRANSITIONS, query.status, to, 'query');
    if (input.resolution === ReferralQueryResolution.WITHDRAW) {
      await QUERY_PURPOSES[query.purpose].withdraw(tx, await tx.getRepository(Referral).findOneByOrFail({ id: query.referralId }), today, viewer.organisation.id, query);
    }
    Object.assign(query, { status: to, resolvedById: viewer.organisation.id, resolvedAt: new Date(), answer: trimmed(input.note) });
    const saved = await tx.getRepository(ReferralQuery).save(query);
    await addToInbox(tx, [{ organisationId: access.facts.primeId, kind: InboxItemKind.REFERRAL_QUERY_RESOLVED, referralId: query.referralId }]);
    return saved;
  });
}

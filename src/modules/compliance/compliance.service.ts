import type { DataSource, EntityManager } from 'typeorm';
import { DOUBT_STATUSES_FOR_DWP, ReferralRelationship } from '../../auth/policy';
import type { Viewer } from '../../auth/viewer';
import { todayUtc } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { trimmed } from '../../common/text';
import { assertMove } from '../../common/state-machine';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { isUniqueViolation } from '../../db/errors';
import { type InboxEvent, addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { referralForChange } from '../chain/chain.service';
import { HandoffPurpose, HandoffStatus } from '../chain/handoff-states';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { ParticipationMode } from '../referrals/programme';
import { Referral } from '../referrals/referral.entity';
import { ReferralStatus } from '../referrals/referral-states';
import { ComplianceDoubt } from './compliance-doubt.entity';
import {
  ComplianceDoubtStatus,
  ComplianceDoubtType,
  ComplianceOutcome,
  DOUBT_TRANSITIONS,
  MandatoryActivityKind,
  NOT_FOR_VOLUNTARY,
  SANCTION_RULES,
} from './doubt-states';

/** Compliance doubts: raised along the chain, submitted by the prime, decided by DWP. */

export interface MandatoryActivityData {
  kind: MandatoryActivityKind;
  description: string;
  notifiedOn: string;
  notifiedInWriting: boolean;
  scheduledFor: Date;
}

/** The organisations whose Decision Makers take submitted doubts: those holding DECISION_MAKER keys. */
async function decisionMakers(tx: EntityManager): Promise<string[]> {
  const rows: Array<{ organisation_id: string }> = await tx.query(
    `SELECT DISTINCT organisation_id FROM api_key WHERE role = 'DECISION_MAKER'`,
  );
  return rows.map((row) => row.organisation_id);
}

const tell = (organisations: string[], kind: InboxItemKind, doubt: ComplianceDoubt): InboxEvent[] =>
  [...new Set(organisations)].map((organisationId) => ({ organisationId, kind, referralId: doubt.referralId, complianceDoubtId: doubt.id }));

/** The rules a doubt's own data must keep (WP07, WP08, WP10; 002:1654, 002:1900, 002:2182). */
function checkDoubt(
  referral: Referral,
  input: { type: ComplianceDoubtType; occurredOn: string; description: string; mandatoryActivity?: MandatoryActivityData | null },
  today: string,
): UserError[] {
  const errors: UserError[] = [];
  const activity = input.mandatoryActivity;
  if (input.type === ComplianceDoubtType.FAILURE_TO_PARTICIPATE) {
    if (!activity) {
      errors.push(userError(ErrorCode.MANDATORY_ACTIVITY_REQUIRED, 'A failure to participate names the mandatory activity', ['mandatoryActivity']));
    } else {
      if (!activity.notifiedInWriting) {
        errors.push(userError(ErrorCode.NOT_NOTIFIED_IN_WRITING, 'The activity must have been notified in writing', ['mandatoryActivity', 'notifiedInWriting']));
      }
      if (todayUtc(activity.scheduledFor) > today) {
        errors.push(userError(ErrorCode.DATE_IN_FUTURE, 'The activity has not happened yet', ['mandatoryActivity', 'scheduledFor']));
      }
      if (activity.notifiedOn >= todayUtc(activity.scheduledFor)) {
        errors.push(userError(ErrorCode.NOTIFIED_AFTER_ACTIVITY, 'The activity must have been notified before the day it was set for', ['mandatoryActivity', 'notifiedOn']));
      }
    }
  } else if (!input.description.trim()) {
    errors.push(userError(ErrorCode.DESCRIPTION_REQUIRED, 'An entitlement doubt or change of circumstances says what happened', ['description']));
  }
  if (referral.participationMode === ParticipationMode.VOLUNTARY) {
    const notEngaging = input.type === ComplianceDoubtType.FAILURE_TO_PARTICIPATE && (!activity || !NOT_FOR_VOLUNTARY.includes(activity.kind));
    if (!notEngaging) {
      errors.push(
        userError(ErrorCode.VOLUNTARY_PARTICIPANT, 'A voluntary participant is doubted only for not attending or engaging, never over a job interview or offer', ['type']),
      );
    }
  }
  const firstAppointment =
    input.type === ComplianceDoubtType.FAILURE_TO_PARTICIPATE && activity?.kind === MandatoryActivityKind.APPOINTMENT;
  const attached = referral.status === ReferralStatus.ATTACHED;
  const awaiting = [ReferralStatus.ALLOCATED, ReferralStatus.ACKNOWLEDGED].includes(referral.status);
  if (!attached && !(awaiting && firstAppointment)) {
    errors.push(
      userError(ErrorCode.REFERRAL_NOT_ATTACHED, `The referral is ${referral.status}: a doubt needs an attached participant, or a missed first appointment`, ['referralId']),
    );
  }
  if (input.occurredOn > today) errors.push(userError(ErrorCode.DATE_IN_FUTURE, 'The failure cannot be in the future', ['occurredOn']));
  if (input.occurredOn < referral.referredOn) {
    errors.push(userError(ErrorCode.DATE_BEFORE_REFERRAL, `The referral was made on ${referral.referredOn}`, ['occurredOn']));
  }
  return errors;
}

/**
 * The prime, or a subcontractor holding an accepted end-to-end or specialist handoff, raises a
 * doubt. The prime's goes straight to the Decision Makers; a subcontractor's to the prime first.
 */
export async function raiseComplianceDoubt(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; type: ComplianceDoubtType; occurredOn: string; description: string; mandatoryActivity?: MandatoryActivityData | null },
  today: string = todayUtc(),
): Promise<ComplianceDoubt> {
  return db.transaction(async (tx) => {
    const found = await referralForChange(tx, viewer, input.referralId);
    const { referral, contract, handoffs = [], relationship } = found ?? {};
    const holdsDelivery = handoffs.some(
      (h) =>
        h.toOrganisationId === viewer.organisation.id &&
        h.status === HandoffStatus.ACCEPTED &&
        [HandoffPurpose.END_TO_END_DELIVERY, HandoffPurpose.SPECIALIST_SUPPORT].includes(h.purpose),
    );
    if (!referral || !(relationship === ReferralRelationship.Prime || (relationship === ReferralRelationship.Subcontractor && holdsDelivery))) {
      refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to raise a doubt on', ['referralId']);
    }
    assertNoUserErrors(checkDoubt(referral, input, today));
    const byPrime = relationship === ReferralRelationship.Prime;
    const activity = input.mandatoryActivity;
    const repository = tx.getRepository(ComplianceDoubt);
    let doubt: ComplianceDoubt;
    try {
      doubt = await repository.save(
        repository.create({
          referralId: referral.id,
          raisedById: viewer.organisation.id,
          type: input.type,
          status: byPrime ? ComplianceDoubtStatus.SUBMITTED : ComplianceDoubtStatus.RAISED,
          occurredOn: input.occurredOn,
          description: input.description.trim(),
          activityKind: activity?.kind ?? null,
          activityDescription: activity ? activity.description.trim() : null,
          activityNotifiedOn: activity?.notifiedOn ?? null,
          activityNotifiedInWriting: activity?.notifiedInWriting ?? null,
          activityScheduledFor: activity?.scheduledFor ?? null,
          submittedAt: byPrime ? new Date() : null,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'compliance_doubt_open_key')) {
        refuse(ErrorCode.DUPLICATE_DOUBT, 'An open or sanctioned doubt of this type for this failure date exists already', ['occurredOn']);
      }
      throw error;
    }
    await addToInbox(
      tx,
      byPrime
        ? tell(await decisionMakers(tx), InboxItemKind.COMPLIANCE_DOUBT_SUBMITTED, doubt)
        : tell([contract!.primeId], InboxItemKind.COMPLIANCE_DOUBT_RAISED, doubt),
    );
    return doubt;
  });
}

type Actor = 'prime' | 'raiser' | 'decisionMaker';

/** Locks a doubt for a change by one of `actors`; anyone else is told it does not exist. */
async function moveDoubt(
  db: DataSource,
  viewer: Viewer,
  doubtId: string,
  actors: Actor[],
  to: ComplianceDoubtStatus,
  change: (tx: EntityManager, doubt: ComplianceDoubt, referral: Referral, primeId: string) => Promise<InboxEvent[]>,
): Promise<ComplianceDoubt> {
  return db.transaction(async (tx) => {
    const doubt = isUuid(doubtId)
      ? await tx.getRepository(ComplianceDoubt).findOne({ where: { id: doubtId }, lock: { mode: 'pessimistic_write' } })
      : null;
    const referral = doubt && (await tx.getRepository(Referral).findOneByOrFail({ id: doubt.referralId }));
    const contract = referral && (await tx.getRepository(PrimeContract).findOneByOrFail({ id: referral.contractId }));
    const organisation = viewer.organisation.id;
    const allowed =
      doubt &&
      ((actors.includes('prime') && viewer.role === 'PROVIDER' && contract!.primeId === organisation) ||
        (actors.includes('raiser') && doubt.raisedById === organisation) ||
        (actors.includes('decisionMaker') && viewer.role === 'DECISION_MAKER' && (DOUBT_STATUSES_FOR_DWP as string[]).includes(doubt.status)));
    if (!doubt || !allowed) refuse(ErrorCode.UNKNOWN_COMPLIANCE_DOUBT, 'No compliance doubt with this id is yours to change', ['complianceDoubtId']);
    assertMove(DOUBT_TRANSITIONS, doubt.status, to, 'compliance doubt');
    const events = await change(tx, doubt, referral!, contract!.primeId);
    doubt.status = to;
    const saved = await tx.getRepository(ComplianceDoubt).save(doubt);
    await addToInbox(tx, events);
    return saved;
  });
}

export function submitComplianceDoubt(db: DataSource, viewer: Viewer, doubtId: string): Promise<ComplianceDoubt> {
  return moveDoubt(db, viewer, doubtId, ['prime'], ComplianceDoubtStatus.SUBMITTED, async (tx, doubt) => {
    doubt.submittedAt = new Date();
    return tell(await decisionMakers(tx), InboxItemKind.COMPLIANCE_DOUBT_SUBMITTED, doubt);
  });
}

/** The prime sends a subcontractor's doubt back with a reason; the raiser may amend and raise again. */
export function returnComplianceDoubt(db: DataSource, viewer: Viewer, input: { complianceDoubtId: string; reason: string }): Promise<ComplianceDoubt> {
  return moveDoubt(db, viewer, input.complianceDoubtId, ['prime'], ComplianceDoubtStatus.RETURNED, async (_tx, doubt) => {
    const reason = trimmed(input.reason);
    if (!reason) refuse(ErrorCode.REASON_REQUIRED, 'A returned doubt says what to put right', ['reason']);
    doubt.returnReason = reason;
    return tell([doubt.raisedById], InboxItemKind.COMPLIANCE_DOUBT_RETURNED, doubt);
  });
}

/** The raiser or the prime withdraws a doubt before a decision (e.g. an administrative error). */
export function withdrawComplianceDoubt(db: DataSource, viewer: Viewer, input: { complianceDoubtId: string; reason: string }): Promise<ComplianceDoubt> {
  return moveDoubt(db, viewer, input.complianceDoubtId, ['prime', 'raiser'], ComplianceDoubtStatus.WITHDRAWN, async (tx, doubt, _referral, primeId) => {
    const reason = trimmed(input.reason);
    if (!reason) refuse(ErrorCode.REASON_REQUIRED, 'A withdrawal says why', ['reason']);
    doubt.withdrawnReason = reason;
    const told = [doubt.raisedById, primeId].filter((o) => o !== viewer.organisation.id);
    if (doubt.status === ComplianceDoubtStatus.SUBMITTED) told.push(...(await decisionMakers(tx)));
    return tell(told, InboxItemKind.COMPLIANCE_DOUBT_WITHDRAWN, doubt);
  });
}

/**
 * A Decision Maker decides a submitted doubt. An applied sanction lasts 4 weeks, or 13 when the
 * participant had another applied sanction for a failure within the 52 weeks before this one.
 * The decision goes back to whoever raised the doubt, the prime and the referring Jobcentre.
 */
export function decideComplianceDoubt(
  db: DataSource,
  viewer: Viewer,
  input: { complianceDoubtId: string; outcome: ComplianceOutcome; reason: string },
): Promise<ComplianceDoubt> {
  return moveDoubt(db, viewer, input.complianceDoubtId, ['decisionMaker'], ComplianceDoubtStatus.DECIDED, async (tx, doubt, referral, primeId) => {
    const reason = trimmed(input.reason);
    if (!reason) refuse(ErrorCode.REASON_REQUIRED, 'A decision gives its reason', ['reason']);
    let sanctionWeeks: number | null = null;
    if (input.outcome === ComplianceOutcome.SANCTION_APPLIED) {
      // One participant's sanctions are decided one at a time, so each sees the one before it.
      await tx.query('SELECT id FROM participant WHERE id = $1 FOR UPDATE', [referral.participantId]);
      const [{ earlier }] = await tx.query(
        `SELECT count(*)::int AS earlier FROM compliance_doubt d JOIN referral r ON r.id = d.referral_id
          WHERE r.participant_id = $1 AND d.outcome = 'SANCTION_APPLIED' AND d.id <> $2
            AND d.occurred_on < $3::date AND d.occurred_on > $3::date - ($4::int * 7)`,
        [referral.participantId, doubt.id, doubt.occurredOn, SANCTION_RULES.repeatWithinWeeks],
      );
      sanctionWeeks = earlier > 0 ? SANCTION_RULES.repeatWeeks : SANCTION_RULES.firstWeeks;
    }
    Object.assign(doubt, { outcome: input.outcome, decisionReason: reason, sanctionWeeks, decidedAt: new Date(), decidedById: viewer.organisation.id });
    return tell([doubt.raisedById, primeId, referral.jobcentreId], InboxItemKind.COMPLIANCE_DECISION, doubt);
  });
}

import type { DataSource, EntityManager } from 'typeorm';
import { type ReferralAccessChecker, lockAccess } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode } from '../../common/error-codes';
import { trimmed } from '../../common/text';
import { assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { type InboxEvent, addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { Referral } from '../referrals/referral.entity';
import { ReferralStatus } from '../../auth/access.enums';
import { referralLifecycle } from '../referrals/referral-lifecycle';
import { FirstAppointmentOutcome } from './appointments.enums';
import { FirstAppointment } from './first-appointment.entity';
import { type AppointmentData, attachmentPlan, bookingErrors, bookingRefusal } from './first-appointments';

/** First appointments (the warm handover): booking, outcomes, what attachment needs, and referrals not started. */

const WAITING_TO_START = [ReferralStatus.ALLOCATED, ReferralStatus.ACKNOWLEDGED];

const row = (referralId: string, booking: AppointmentData, bookedById: string): Partial<FirstAppointment> => ({
  referralId,
  startsAt: booking.startsAt,
  channel: booking.channel,
  place: trimmed(booking.place),
  threeWay: booking.threeWay ?? false,
  bookedById,
});

/** The bookings the referring Jobcentre sent with its referrals, in submitReferrals' transaction (checked there by bookingErrors). */
export async function bookAtReferral(tx: EntityManager, jobcentreId: string, bookings: Array<{ referralId: string; booking: AppointmentData }>): Promise<void> {
  if (bookings.length === 0) return;
  await tx.getRepository(FirstAppointment).insert(bookings.map(({ referralId, booking }) => row(referralId, booking, jobcentreId)));
}

/** Locks the referral for `viewer`, who must pass `may`; anyone else is told it does not exist. */
async function lockWaitingReferral(
  tx: EntityManager,
  viewer: Viewer,
  referralId: string,
  may: (access: ReferralAccessChecker) => boolean,
): Promise<{ referral: Referral; appointments: FirstAppointment[]; jobcentreId: string; restricted: boolean }> {
  const access = await lockAccess(tx, viewer, referralId);
  if (!access || !may(access)) refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to change', ['referralId']);
  if (!WAITING_TO_START.includes(access.facts.status)) {
    refuse(ErrorCode.NOT_WAITING_TO_START, `The referral is ${access.facts.status}: first appointments come before the attachment`, ['referralId']);
  }
  const referral = await tx.getRepository(Referral).findOneByOrFail({ id: referralId });
  const appointments = await tx.getRepository(FirstAppointment).find({ where: { referralId }, order: { startsAt: 'ASC' } });
  return { referral, appointments, jobcentreId: access.facts.jobcentreId, restricted: access.facts.restricted };
}

/** The prime books the first appointment after allocation, when none waits for its outcome and none was attended. */
export function bookFirstAppointment(db: DataSource, viewer: Viewer, input: { referralId: string; appointment: AppointmentData }): Promise<FirstAppointment> {
  return db.transaction(async (tx) => {
    const { referral, appointments, restricted } = await lockWaitingReferral(tx, viewer, input.referralId, (access) => access.booksFirstAppointment);
    const refusal = bookingRefusal(appointments);
    assertNoUserErrors([...(refusal ? [refusal] : []), ...bookingErrors(input.appointment, referral.referredOn, ['appointment'], restricted)]);
    return tx.getRepository(FirstAppointment).save(tx.getRepository(FirstAppointment).create(row(referral.id, input.appointment, viewer.organisation.id)));
  });
}

/**
 * The provider holding the referral records what became of the appointment waiting for its
 * outcome. A missed one reaches the referring Jobcentre (FIRST_APPOINTMENT_MISSED); a
 * rescheduled one points at its new booking.
 */
export function recordFirstAppointmentOutcome(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; outcome: FirstAppointmentOutcome; rescheduledTo?: AppointmentData | null },
  now: Date = new Date(),
): Promise<FirstAppointment> {
  return db.transaction(async (tx) => {
    const { referral, appointments, jobcentreId, restricted } = await lockWaitingReferral(tx, viewer, input.referralId, (access) => access.recordsFirstAppointment);
    const pending = appointments.find((a) => a.outcome === null);
    if (!pending) refuse(ErrorCode.NO_FIRST_APPOINTMENT_BOOKED, 'No first appointment of this referral waits for an outcome', ['referralId']);
    const rescheduling = input.outcome === FirstAppointmentOutcome.RESCHEDULED;
    const errors = [];
    if (rescheduling !== Boolean(input.rescheduledTo)) {
      errors.push(userError(ErrorCode.RESCHEDULE_INCONSISTENT, 'RESCHEDULED, and only RESCHEDULED, names the new appointment', ['rescheduledTo']));
    }
    if (input.rescheduledTo) errors.push(...bookingErrors(input.rescheduledTo, referral.referredOn, ['rescheduledTo'], restricted));
    // Whether the participant came is known once the appointment has begun.
    if (!rescheduling && pending.startsAt > now) {
      errors.push(userError(ErrorCode.DATE_IN_FUTURE, `The appointment starts at ${pending.startsAt.toISOString()}: it has not happened yet`, ['outcome']));
    }
    assertNoUserErrors(errors);

    const repository = tx.getRepository(FirstAppointment);
    // The old booking stops waiting before the new one starts to (one waiting booking per referral).
    await repository.update({ id: pending.id }, { outcome: input.outcome, outcomeRecordedById: viewer.organisation.id, outcomeRecordedAt: now });
    if (input.rescheduledTo) {
      const next = await repository.save(repository.create(row(referral.id, input.rescheduledTo, viewer.organisation.id)));
      await repository.update({ id: pending.id }, { rescheduledToId: next.id });
    }
    if (input.outcome === FirstAppointmentOutcome.DID_NOT_ATTEND) {
      await addToInbox(tx, [{ organisationId: jobcentreId, kind: InboxItemKind.FIRST_APPOINTMENT_MISSED, referralId: referral.id }]);
    }
    return repository.findOneByOrFail({ id: pending.id });
  });
}

/**
 * Attachment follows an attended first meeting: after a missed first appointment it needs a later
 * attended one (NO_ATTENDED_FIRST_APPOINTMENT, which rolls the attachment back). A partner that
 * books no appointments keeps working: its attachment records the first meeting, attended on the
 * attachment day (a booking waiting for its outcome is that meeting, or moves to it when later).
 */
export const firstAppointmentAtAttachment = referralLifecycle.on(
  [ReferralStatus.ATTACHED],
  'appointments: attended first appointment',
  async (tx, { subject, actorId }): Promise<InboxEvent[]> => {
    const repository = tx.getRepository(FirstAppointment);
    const attachedOn = subject.attachedOn!;
    const plan = attachmentPlan(await repository.find({ where: { referralId: subject.id }, order: { startsAt: 'ASC' } }), attachedOn);
    if (plan.kind === 'refused') {
      refuse(ErrorCode.NO_ATTENDED_FIRST_APPOINTMENT, 'The participant missed the first appointment and has not attended one since', ['attachedOn']);
    }
    const recorded = { outcomeRecordedById: actorId, outcomeRecordedAt: new Date() };
    if (plan.kind === 'pendingAttended') {
      await repository.update({ id: plan.appointment.id }, { outcome: FirstAppointmentOutcome.ATTENDED, ...recorded });
    } else if (plan.kind === 'recordMeeting') {
      if (plan.moved) await repository.update({ id: plan.moved.id }, { outcome: FirstAppointmentOutcome.RESCHEDULED, ...recorded });
      const meeting = await repository.save(
        repository.create({
          referralId: subject.id,
          startsAt: new Date(`${attachedOn}T00:00:00Z`),
          channel: null,
          place: null,
          threeWay: false,
          bookedById: actorId!,
          outcome: FirstAppointmentOutcome.ATTENDED,
          atAttachment: true,
          ...recorded,
        }),
      );
      if (plan.moved) await repository.update({ id: plan.moved.id }, { rescheduledToId: meeting.id });
    }
    return [];
  },
);

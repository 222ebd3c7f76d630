import { ErrorCode } from '../../common/error-codes';
import { restrictedFreeText, trimmed } from '../../common/text';
import { type UserError, userError } from '../../common/user-error';
import { AppointmentChannel, FirstAppointmentOutcome } from './appointments.enums';
import type { FirstAppointment } from './first-appointment.entity';

/**
 * The rules of first appointments, without a database (tests/unit/first-appointments.test.ts).
 * Attachment should follow an attended first meeting (DOMAIN.md step 3: only about 65% attended,
 * 002:1230).
 */

/** A booking as the Jobcentre (when referring) or the prime sends it. */
export interface AppointmentData {
  startsAt: Date;
  channel: AppointmentChannel;
  place?: string | null;
  threeWay?: boolean | null;
}

/** The calendar day (UTC) an appointment falls on. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * What is wrong with a booking for a referral made on `referredOn`; `path` leads to it in the
 * input. A restricted (MAPPA) record takes no free text: a channel, no place.
 */
export function bookingErrors(booking: AppointmentData, referredOn: string, path: string[], restricted: boolean): UserError[] {
  const errors: UserError[] = restrictedFreeText(restricted, { place: booking.place }, path);
  if (dayOf(booking.startsAt) < referredOn) {
    errors.push(userError(ErrorCode.DATE_BEFORE_REFERRAL, `startsAt ${booking.startsAt.toISOString()} is before the referral (${referredOn})`, [...path, 'startsAt']));
  }
  if (booking.channel === AppointmentChannel.IN_PERSON && !trimmed(booking.place) && !restricted) {
    errors.push(userError(ErrorCode.PLACE_REQUIRED, 'An appointment in person names its place', [...path, 'place']));
  }
  return errors;
}

/** Why a referral's appointments take no new booking now (one waits for its outcome, or one was attended). */
export function bookingRefusal(appointments: Pick<FirstAppointment, 'outcome'>[]): UserError | null {
  if (appointments.some((a) => a.outcome === FirstAppointmentOutcome.ATTENDED)) {
    return userError(ErrorCode.FIRST_APPOINTMENT_ATTENDED, 'The participant attended a first appointment already', ['referralId']);
  }
  if (appointments.some((a) => a.outcome === null)) {
    return userError(ErrorCode.FIRST_APPOINTMENT_BOOKED, 'A first appointment waits for its outcome: record it first', ['referralId']);
  }
  return null;
}

/** What an attachment on `attachedOn` does with the referral's first appointments. */
export type AttachmentPlan =
  /** An attended appointment, after the last missed one, on or before the day: nothing to record. */
  | { kind: 'attended' }
  /** Missed, and not attended since: refused (NO_ATTENDED_FIRST_APPOINTMENT). */
  | { kind: 'refused' }
  /** The booking waiting for its outcome is on or before the day: the participant came to it. */
  | { kind: 'pendingAttended'; appointment: FirstAppointment }
  /** No appointment to count: the first meeting is recorded, attended on the day; a booking for a later day moves to it. */
  | { kind: 'recordMeeting'; moved: FirstAppointment | null };

export function attachmentPlan(appointments: FirstAppointment[], attachedOn: string): AttachmentPlan {
  const byDay = (outcome: FirstAppointmentOutcome | null) => appointments.filter((a) => a.outcome === outcome && dayOf(a.startsAt) <= attachedOn);
  const lastMissed = byDay(FirstAppointmentOutcome.DID_NOT_ATTEND).reduce<Date | null>((last, a) => (!last || a.startsAt > last ? a.startsAt : last), null);
  const attended = byDay(FirstAppointmentOutcome.ATTENDED).filter((a) => !lastMissed || a.startsAt > lastMissed);
  if (attended.length > 0) return { kind: 'attended' };
  // A miss is made good only by an appointment recorded as attended, not by the attachment itself.
  if (lastMissed || appointments.some((a) => a.outcome === FirstAppointmentOutcome.DID_NOT_ATTEND)) return { kind: 'refused' };
  const pending = appointments.find((a) => a.outcome === null) ?? null;
  if (pending && dayOf(pending.startsAt) <= attachedOn) return { kind: 'pendingAttended', appointment: pending };
  return { kind: 'recordMeeting', moved: pending };
}

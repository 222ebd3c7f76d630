import { AppointmentChannel, FirstAppointmentOutcome } from '../../src/modules/appointments/appointments.enums';
import type { FirstAppointment } from '../../src/modules/appointments/first-appointment.entity';
import { attachmentPlan, bookingErrors, bookingRefusal } from '../../src/modules/appointments/first-appointments';

let ids = 0;
const appointment = (startsAt: string, outcome: FirstAppointmentOutcome | null): FirstAppointment =>
  ({ id: String((ids += 1)), startsAt: new Date(startsAt), outcome }) as FirstAppointment;
const { ATTENDED, DID_NOT_ATTEND, RESCHEDULED } = FirstAppointmentOutcome;

describe('a booking', () => {
  it('is not before the referral, and in person names its place', () => {
    expect(bookingErrors({ startsAt: new Date('2024-05-01T09:00:00Z'), channel: AppointmentChannel.TELEPHONE }, '2024-05-01', [], false)).toEqual([]);
    // A restricted (MAPPA) record: no place, even in person.
    expect(bookingErrors({ startsAt: new Date('2024-05-01T09:00:00Z'), channel: AppointmentChannel.IN_PERSON }, '2024-05-01', [], true)).toEqual([]);
    expect(bookingErrors({ startsAt: new Date('2024-05-01T09:00:00Z'), channel: AppointmentChannel.IN_PERSON, place: 'Hostel' }, '2024-05-01', ['appointment'], true).map((e) => [e.code, e.field])).toEqual([
      ['RESTRICTED_RECORD_FREE_TEXT', ['appointment', 'place']],
    ]);
    expect(bookingErrors({ startsAt: new Date('2024-04-30T23:00:00Z'), channel: AppointmentChannel.IN_PERSON, place: ' ' }, '2024-05-01', ['appointment'], false).map((e) => [e.code, e.field])).toEqual([
      ['DATE_BEFORE_REFERRAL', ['appointment', 'startsAt']],
      ['PLACE_REQUIRED', ['appointment', 'place']],
    ]);
  });

  it('is refused while one waits for its outcome, and after an attended one', () => {
    expect(bookingRefusal([appointment('2024-05-02T10:00:00Z', DID_NOT_ATTEND)])).toBeNull();
    expect(bookingRefusal([appointment('2024-05-02T10:00:00Z', null)])?.code).toBe('FIRST_APPOINTMENT_BOOKED');
    expect(bookingRefusal([appointment('2024-05-02T10:00:00Z', ATTENDED)])?.code).toBe('FIRST_APPOINTMENT_ATTENDED');
  });
});

describe('attachment', () => {
  it('with nothing recorded records the first meeting', () => {
    expect(attachmentPlan([], '2024-05-10')).toEqual({ kind: 'recordMeeting', moved: null });
  });

  it('after a miss needs a later attended appointment on or before the day', () => {
    const missed = appointment('2024-05-02T10:00:00Z', DID_NOT_ATTEND);
    expect(attachmentPlan([missed], '2024-05-10').kind).toBe('refused');
    expect(attachmentPlan([missed, appointment('2024-05-06T10:00:00Z', null)], '2024-05-10').kind).toBe('refused');
    expect(attachmentPlan([appointment('2024-05-01T10:00:00Z', ATTENDED), missed], '2024-05-10').kind).toBe('refused');
    expect(attachmentPlan([missed, appointment('2024-05-08T10:00:00Z', ATTENDED)], '2024-05-10').kind).toBe('attended');
    expect(attachmentPlan([missed, appointment('2024-05-12T10:00:00Z', ATTENDED)], '2024-05-10').kind).toBe('refused');
  });

  it('takes a waiting booking as the meeting on or before the day, and moves a later one to it', () => {
    const early = appointment('2024-05-03T10:00:00Z', null);
    expect(attachmentPlan([appointment('2024-05-02T10:00:00Z', RESCHEDULED), early], '2024-05-10')).toEqual({ kind: 'pendingAttended', appointment: early });
    const late = appointment('2024-05-20T10:00:00Z', null);
    expect(attachmentPlan([late], '2024-05-10')).toEqual({ kind: 'recordMeeting', moved: late });
  });
});

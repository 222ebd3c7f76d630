import { Arg, Authorized, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { CurrentViewer } from '../../auth/current-viewer';
import { Action } from '../../auth/policy';
import { accessTo } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { answer } from '../../common/payload';
import type { RequestContext } from '../context';
import { Organisation } from '../identity/organisation.entity';
import { Referral } from '../referrals/referral.entity';
import * as appointments from './appointments.service';
import { BookFirstAppointmentInput, FirstAppointmentPayload, RecordFirstAppointmentOutcomeInput } from './appointments.types';
import { FirstAppointment } from './first-appointment.entity';

/** First appointments: booking by the prime, outcomes by the provider holding the referral. Rules: appointments.service; who: the access gate. */
@Resolver(() => FirstAppointment)
export class FirstAppointmentResolver {
  @Authorized(Action.MoveReferral)
  @Mutation(() => FirstAppointmentPayload, {
    description: `Books the first appointment of a referral waiting to start (ALLOCATED or ACKNOWLEDGED): when, how, where, and whether it is a three-way call. One waits for its outcome at a time; none after an attended one. PROVIDER: the prime holding its contract. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.NOT_WAITING_TO_START,
      ErrorCode.FIRST_APPOINTMENT_BOOKED,
      ErrorCode.FIRST_APPOINTMENT_ATTENDED,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.PLACE_REQUIRED,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
    )}`,
  })
  bookFirstAppointment(
    @Arg('input', () => BookFirstAppointmentInput, { description: 'The referral and the appointment.' }) input: BookFirstAppointmentInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<FirstAppointmentPayload> {
    return answer('firstAppointment', () => appointments.bookFirstAppointment(ctx.db, viewer, input));
  }

  @Authorized(Action.RecordContacts)
  @Mutation(() => FirstAppointmentPayload, {
    description: `Records what became of the first appointment waiting for its outcome: ATTENDED or DID_NOT_ATTEND once it has begun, RESCHEDULED with the new appointment. A missed one reaches the referring Jobcentre (FIRST_APPOINTMENT_MISSED), and attachment then waits for a later attended one. PROVIDER: the prime holding the referral, or the end-to-end subcontractor that accepted it while the handoff lives. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.NOT_WAITING_TO_START,
      ErrorCode.NO_FIRST_APPOINTMENT_BOOKED,
      ErrorCode.RESCHEDULE_INCONSISTENT,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.PLACE_REQUIRED,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
    )}`,
  })
  recordFirstAppointmentOutcome(
    @Arg('input', () => RecordFirstAppointmentOutcomeInput, { description: 'The referral and the outcome.' }) input: RecordFirstAppointmentOutcomeInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<FirstAppointmentPayload> {
    return answer('firstAppointment', () => appointments.recordFirstAppointmentOutcome(ctx.db, viewer, input));
  }

  @FieldResolver(() => Organisation, { description: 'Who booked it (the referring Jobcentre, or the prime; for one the attachment recorded, the prime).' })
  async bookedBy(@Root() appointment: FirstAppointment, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(appointment.bookedById))!;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'Who recorded its outcome; null while it waits.' })
  outcomeRecordedBy(@Root() appointment: FirstAppointment, @Ctx() ctx: RequestContext): Promise<Organisation | null> {
    return appointment.outcomeRecordedById ? ctx.loaders.organisation.load(appointment.outcomeRecordedById) : Promise.resolve(null);
  }

  @FieldResolver(() => FirstAppointment, { nullable: true, description: 'The booking that replaced it (RESCHEDULED); null otherwise.' })
  async rescheduledTo(@Root() appointment: FirstAppointment, @Ctx() ctx: RequestContext): Promise<FirstAppointment | null> {
    if (!appointment.rescheduledToId) return null;
    const all = await ctx.loaders.firstAppointmentsByReferral.load(appointment.referralId);
    return all.find((a) => a.id === appointment.rescheduledToId) ?? null;
  }
}

@Resolver(() => Referral)
export class ReferralFirstAppointmentsResolver {
  @Extensions({ listSize: 10 })
  @FieldResolver(() => [FirstAppointment], {
    description:
      'Its first appointments in time order (booked, then attended, missed or moved): for the referring Jobcentre, the prime, and the end-to-end subcontractor it is handed to while that handoff lives (empty for anyone else).',
  })
  async firstAppointments(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<FirstAppointment[]> {
    const [access, all] = await Promise.all([accessTo(ctx, referral.id), ctx.loaders.firstAppointmentsByReferral.load(referral.id)]);
    return access?.seesFirstAppointments ? all : [];
  }
}

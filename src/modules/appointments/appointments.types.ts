import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Limit } from '../../common/input-limits';
import { Payload } from '../../common/payload';
import { AppointmentChannel, FirstAppointmentOutcome } from './appointments.enums';
import { FirstAppointment } from './first-appointment.entity';

@InputType({ description: 'A first appointment to book: when, how, where, and whether it is a three-way call (the warm handover).' })
export class FirstAppointmentInput {
  @Field(() => Date, { description: 'When it starts: on or after the referral day.' })
  startsAt!: Date;

  @Field(() => AppointmentChannel, { description: 'How it is held.' })
  channel!: AppointmentChannel;

  @Field(() => String, { nullable: true, description: 'Where (an office, an address); required IN_PERSON, except on a restricted (MAPPA) record, which takes none.' })
  @Limit({ chars: 200 })
  place?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'A three-way call with the work coach, the participant and the provider; false when absent.' })
  threeWay?: boolean | null;
}

@InputType({ description: "A referral's first appointment, booked by its prime." })
export class BookFirstAppointmentInput {
  @Field(() => ID, { description: 'A referral allocated to one of your contracts, not yet attached.' })
  referralId!: string;

  @Field(() => FirstAppointmentInput, { description: 'The appointment.' })
  appointment!: FirstAppointmentInput;
}

@InputType({ description: 'What became of the first appointment waiting for its outcome.' })
export class RecordFirstAppointmentOutcomeInput {
  @Field(() => ID, { description: 'A referral you hold (its prime, or the end-to-end subcontractor it was handed to), not yet attached.' })
  referralId!: string;

  @Field(() => FirstAppointmentOutcome, { description: 'Attended, missed, or moved to another time.' })
  outcome!: FirstAppointmentOutcome;

  @Field(() => FirstAppointmentInput, { nullable: true, description: 'The new appointment: with RESCHEDULED, and only then.' })
  rescheduledTo?: FirstAppointmentInput | null;
}

@ObjectType({ description: 'The answer to a booking or an outcome of a first appointment.' })
export class FirstAppointmentPayload extends Payload('firstAppointment', () => FirstAppointment, {
  field: 'The appointment booked, or whose outcome was recorded; null when userErrors is not empty.',
  userErrors: 'Why nothing was written; empty on success.',
}) {}

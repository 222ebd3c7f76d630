import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { Node } from '../../common/node';
import { AuditReadOnReferral } from '../audit/person-reads';
import { AppointmentChannel, FirstAppointmentOutcome } from './appointments.enums';

/** A participant's first appointment with the provider: booked, then attended, missed or moved (002:1230). */
@ObjectType({
  implements: Node,
  description:
    "A participant's first appointment with the provider (the warm handover): booked by the referring Jobcentre when referring or by the prime after allocation, its outcome recorded by the provider. Read by the referring Jobcentre, the prime, and the end-to-end subcontractor the referral is handed to while that handoff lives.",
})
@Entity('first_appointment')
export class FirstAppointment implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Field(() => Date, { description: 'When it starts (for one the attachment recorded: midnight UTC of the attachment day).' })
  @Column('timestamptz', { name: 'starts_at' })
  startsAt!: Date;

  @Field(() => AppointmentChannel, { nullable: true, description: 'How it is held; null for one the attachment recorded (not known).' })
  @Column('text', { nullable: true })
  channel!: AppointmentChannel | null;

  // Where a person is to be met can be their home: a read, audited.
  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: 'Where (an office, an address); null when not given. A read of the person, kept in the audit trail.' })
  @Column('text', { nullable: true })
  place!: string | null;

  @Field(() => Boolean, { description: 'A three-way call: the work coach, the participant and the provider together.' })
  @Column('boolean', { name: 'three_way', default: false })
  threeWay!: boolean;

  @Column('uuid', { name: 'booked_by' })
  bookedById!: string;

  @Field(() => Date, { description: 'When it was booked.' })
  @Column('timestamptz', { name: 'booked_at', default: () => 'now()' })
  bookedAt!: Date;

  // Whether the person came is about them: a read, audited.
  @UseMiddleware(AuditReadOnReferral)
  @Field(() => FirstAppointmentOutcome, { nullable: true, description: 'What became of it; null while it waits for its outcome. A read of the person, kept in the audit trail.' })
  @Column('text', { nullable: true })
  outcome!: FirstAppointmentOutcome | null;

  @Column('uuid', { name: 'outcome_recorded_by', nullable: true })
  outcomeRecordedById!: string | null;

  @Field(() => Date, { nullable: true, description: 'When its outcome was recorded; null while it waits.' })
  @Column('timestamptz', { name: 'outcome_recorded_at', nullable: true })
  outcomeRecordedAt!: Date | null;

  @Column('uuid', { name: 'rescheduled_to_id', nullable: true })
  rescheduledToId!: string | null;

  @Field(() => Boolean, {
    description: 'Recorded by the attachment, which found no attended appointment (a partner that books none): the first meeting, attended on the attachment day.',
  })
  @Column('boolean', { name: 'at_attachment', default: false })
  atAttachment!: boolean;
}

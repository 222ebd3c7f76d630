import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { HandoffPurpose, HandoffStatus, SharedField } from '../../auth/access.enums';

/** A referral passed from one member of the chain to another, with the fields that travel. */
@ObjectType({
  implements: Node,
  description:
    'A referral passed from one member of the chain to another, with the fields that travel. Seen by its two parties and by the prime holding the referral; the receiver reads the referral only while the handoff is OFFERED or ACCEPTED.',
})
@Entity('handoff')
export class Handoff implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'from_organisation_id' })
  fromOrganisationId!: string;

  @Column('uuid', { name: 'to_organisation_id' })
  toOrganisationId!: string;

  @Column('uuid', { name: 'subcontract_id' })
  subcontractId!: string;

  @Field(() => HandoffPurpose, { description: 'What the receiver is to do.' })
  @Column('text')
  purpose!: HandoffPurpose;

  @Field(() => HandoffStatus, { description: 'Where the handoff is in its lifecycle.' })
  @Column('text')
  status!: HandoffStatus;

  @Field(() => [SharedField], { description: "What of the participant's record travelled with it." })
  @Column('text', { name: 'shared_fields', array: true, default: () => "'{}'" })
  sharedFields!: SharedField[];

  @Field(() => String, { nullable: true, description: "The sender's note." })
  @Column('text', { nullable: true })
  note!: string | null;

  @Field(() => Date, { description: 'When it was offered.' })
  @Column('timestamptz', { name: 'offered_at', default: () => 'now()' })
  offeredAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the receiver accepted or declined it.' })
  @Column('timestamptz', { name: 'responded_at', nullable: true })
  respondedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the receiver declined it.' })
  @Column('text', { name: 'decline_reason', nullable: true })
  declineReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was completed, declined or withdrawn.' })
  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Feedback given when it was completed.' })
  @Column('text', { nullable: true })
  feedback!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was withdrawn (by the sender or the prime, or by the exchange when the referral left the prime).' })
  @Column('text', { name: 'withdrawn_reason', nullable: true })
  withdrawnReason!: string | null;
}

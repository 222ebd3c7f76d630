import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { Node } from '../../common/node';
import { AuditReadOnReferral } from '../audit/person-reads';

/** What a spot provider returns to whoever passed it the referral (a course attended, completed, a certificate). */
@ObjectType({ implements: Node, description: 'A spot provider\'s progress update on a SPOT_PROVISION handoff: read by the handoff\'s two parties (the spot provider, and the sender it was returned to while it holds the referral).' })
@Entity('progress_update')
export class ProgressUpdate implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'handoff_id' })
  handoffId!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'recorded_by' })
  recordedById!: string;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => Boolean, { description: 'Whether the participant attended.' })
  @Column('boolean')
  attended!: boolean;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => Boolean, { description: 'Whether the participant completed the course or provision.' })
  @Column('boolean')
  completed!: boolean;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: 'The certificate or qualification gained (none on a restricted record).' })
  @Column('text', { nullable: true })
  certificate!: string | null;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: 'What the spot provider recommends next (none on a restricted record).' })
  @Column('text', { nullable: true })
  recommendation!: string | null;

  @Field(() => Date, { description: 'When it was recorded.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

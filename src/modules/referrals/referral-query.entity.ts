import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { Node } from '../../common/node';
import { AuditReadOnReferral } from '../audit/person-reads';
import { RejectionReason } from './referral.enums';
import { ReferralQueryPurpose, ReferralQueryStatus } from './query-states';

/** A prime's query of a referral, answered by the referring Jobcentre (DOMAIN.md, journey step 3). */
@ObjectType({
  implements: Node,
  description:
    "A prime's query of a referral it holds, answered by the referring Jobcentre: the referral is withdrawn or confirmed. Read, on `Referral.queries`, by the referring Jobcentre and the prime.",
})
@Entity('referral_query')
export class ReferralQuery implements Node {
  @Field(() => ID, { description: "The query's id (`resolveReferralQuery`), unique across the exchange; `node(id:)` finds it again." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Field(() => ReferralQueryPurpose, { description: 'What the Jobcentre is asked to decide.' })
  @Column('text')
  purpose!: ReferralQueryPurpose;

  // The grounds speak of the person too (already in work, not eligible): a read, audited.
  @UseMiddleware(AuditReadOnReferral)
  @Field(() => RejectionReason, { description: 'The grounds of the query. A read of the person, kept in the audit trail.' })
  @Column('text')
  grounds!: RejectionReason;

  // Why a person was queried is about them ("health condition…"): a read, audited.
  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: "The prime's reason, in its words; null when a deprecated rejectReferral gave no note. A read of the person, kept in the audit trail." })
  @Column('text', { nullable: true })
  reason!: string | null;

  @Field(() => ReferralQueryStatus, { description: 'Where the query is in its lifecycle.' })
  @Column('text')
  status!: ReferralQueryStatus;

  @Column('uuid', { name: 'raised_by' })
  raisedById!: string;

  @Field(() => Date, { description: 'When the prime raised it.' })
  @Column('timestamptz', { name: 'raised_at', default: () => 'now()' })
  raisedAt!: Date;

  @Column('uuid', { name: 'resolved_by', nullable: true })
  resolvedById!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the Jobcentre answered; null while OPEN.' })
  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;

  @UseMiddleware(AuditReadOnReferral)
  @Field(() => String, { nullable: true, description: "The Jobcentre's note with its answer. A read of the person, kept in the audit trail." })
  @Column('text', { nullable: true })
  answer!: string | null;
}

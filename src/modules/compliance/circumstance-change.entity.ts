import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import { AuditReadOnReferral } from '../audit/person-reads';
import type { AddressRecord } from '../referrals/participant.entity';
import { Benefit } from '../referrals/programme';
import { BenefitEndedReason, CircumstanceChangeAction, CircumstanceKind } from './circumstances';

/**
 * A change of circumstances (WP07), both ways: reported by the referring Jobcentre (to the prime
 * and every live holder; it updates the participant's record) or by a provider (to the Jobcentre,
 * which answers it). A notification, never a doubt (002:1654, 002:1894). Rows of one kind on a
 * referral are its history: each valid from its effective day until the next one's.
 */
@ObjectType({
  implements: Node,
  description:
    "A change in a participant's circumstances (WP07), reported by the referring Jobcentre to the chain or by a provider to the Jobcentre: a notification, never a doubt or a sanction. Seen by whoever may see its referral now, and by its reporter; its new contact details only by those who may see the participant's contact details.",
})
@Entity('circumstance_change')
export class CircumstanceChange implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'referral_id' })
  referralId!: string;

  @Column('uuid', { name: 'reported_by' })
  reportedById!: string;

  @Field(() => Date, { description: 'When it was reported.' })
  @Column('timestamptz', { name: 'reported_at', default: () => 'now()' })
  reportedAt!: Date;

  @Field(() => DateScalar, { description: 'The day the change took effect.' })
  @Column('date', { name: 'effective_on' })
  effectiveOn!: string;

  // The kind alone says something of the person (in hospital, in custody): a read, audited.
  @UseMiddleware(AuditReadOnReferral)
  @Field(() => CircumstanceKind, { description: "What changed: a read of the person's record, kept in the audit trail." })
  @Column('text', { default: CircumstanceKind.OTHER })
  kind!: CircumstanceKind;

  /** What changed, in words: a read of the person (CircumstanceChangeResolver.description audits it). */
  @Column('text', { nullable: true })
  description!: string | null;

  // This and the benefits below are exposed through CircumstanceChangeResolver: the participant's benefit, shared field by field.
  @Column('text', { name: 'benefit_ended_reason', nullable: true })
  benefitEndedReason!: BenefitEndedReason | null;

  @Column('text', { name: 'benefit_from', nullable: true })
  benefitFrom!: Benefit | null;

  @Column('text', { name: 'benefit_to', nullable: true })
  benefitTo!: Benefit | null;

  /** The new contact details (ADDRESS, PHONE, EMAIL): shown only where the participant's contact details are. */
  @Column('jsonb', { nullable: true })
  address!: AddressRecord | null;

  @Column('text', { nullable: true })
  phone!: string | null;

  @Column('text', { nullable: true })
  email!: string | null;

  // Consent to share health information is about the person's health: a read, audited.
  @UseMiddleware(AuditReadOnReferral)
  @Field(() => Boolean, { nullable: true, description: "CONSENT_CHANGED: whether the claimant now consents to share health information; a read of the person, kept in the audit trail." })
  @Column('boolean', { name: 'consent_to_share_health', nullable: true })
  consentToShareHealth!: boolean | null;

  @Field(() => CircumstanceChangeAction, { nullable: true, description: "A provider's report: the referring Jobcentre's answer; null until it answers, and for the Jobcentre's own reports." })
  @Column('text', { nullable: true })
  action!: CircumstanceChangeAction | null;

  /** The Jobcentre's note with its answer (CircumstanceChangeResolver.actionNote). */
  @Column('text', { name: 'action_note', nullable: true })
  actionNote!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the Jobcentre answered.' })
  @Column('timestamptz', { name: 'actioned_at', nullable: true })
  actionedAt!: Date | null;

  @Column('uuid', { name: 'actioned_by', nullable: true })
  actionedById!: string | null;
}

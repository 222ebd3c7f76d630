import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum InboxItemKind {
  REFERRAL_ALLOCATED = 'REFERRAL_ALLOCATED',
  REFERRAL_REJECTED = 'REFERRAL_REJECTED',
  HANDOFF_OFFERED = 'HANDOFF_OFFERED',
  HANDOFF_RESPONDED = 'HANDOFF_RESPONDED',
  HANDOFF_ENDED = 'HANDOFF_ENDED',
  COMPLIANCE_DOUBT_RAISED = 'COMPLIANCE_DOUBT_RAISED',
  COMPLIANCE_DOUBT_SUBMITTED = 'COMPLIANCE_DOUBT_SUBMITTED',
  COMPLIANCE_DOUBT_RETURNED = 'COMPLIANCE_DOUBT_RETURNED',
  COMPLIANCE_DECISION = 'COMPLIANCE_DECISION',
  /** Not in the partner contract's list: a doubt withdrawn before a decision. */
  COMPLIANCE_DOUBT_WITHDRAWN = 'COMPLIANCE_DOUBT_WITHDRAWN',
  SERVICE_STANDARDS_PUBLISHED = 'SERVICE_STANDARDS_PUBLISHED',
}
registerEnumType(InboxItemKind, { name: 'InboxItemKind' });

/** Something addressed to an organisation; `seq` orders one organisation's items. */
@ObjectType('InboxItem', {
  description: "Something addressed to the viewer's organisation. Items are kept and can be read again from any cursor.",
})
@Entity('inbox_item')
export class InboxItemRecord {
  @PrimaryColumn('uuid', { name: 'organisation_id' })
  organisationId!: string;

  /** bigint, so a string. */
  @PrimaryColumn('bigint')
  seq!: string;

  @Field(() => InboxItemKind)
  @Column('text')
  kind!: InboxItemKind;

  @Column('uuid', { name: 'referral_id', nullable: true })
  referralId!: string | null;

  @Column('uuid', { name: 'handoff_id', nullable: true })
  handoffId!: string | null;

  @Column('uuid', { name: 'contract_id', nullable: true })
  contractId!: string | null;

  @Column('uuid', { name: 'compliance_doubt_id', nullable: true })
  complianceDoubtId!: string | null;

  @Field(() => Date)
  @Column('timestamptz', { name: 'occurred_at', default: () => 'now()' })
  occurredAt!: Date;
}

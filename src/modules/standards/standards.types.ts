import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Limit, LIMITS } from '../../common/input-limits';
import { CountedConnection } from '../../common/pagination';
import { DateScalar } from '../../common/scalars';
import { Payload } from '../../common/payload';
import { PaymentGroup } from '../contracts/contracts.enums';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { Referral } from '../referrals/referral.entity';
import { Contact } from './contact.entity';
import { ServiceStandard } from './service-standard.entity';
import type { ComplianceScope, StandardEvaluation } from './standards.service';
import { ContactChannel, ContactKind, ServiceStandardMetric, ServiceStandardScope } from './standards.enums';

@InputType({ description: 'One minimum service standard.' })
export class ServiceStandardInput {
  @Field(() => PaymentGroup, { nullable: true, description: 'The payment group it applies to; null: every group.' })
  paymentGroup?: PaymentGroup | null;

  @Field(() => ServiceStandardMetric, { description: 'What it measures; at most once per payment group in a set.' })
  metric!: ServiceStandardMetric;

  @Field(() => Int, { description: 'N in the metric: a whole number of days, at least 1.' })
  thresholdDays!: number;

  @Field(() => ServiceStandardScope, { description: 'For every participant, or for a percentage of them.' })
  scope!: ServiceStandardScope;

  @Field(() => Int, { nullable: true, description: 'For PERCENT_OF_PARTICIPANTS: 1 to 100 (required); for ALL_PARTICIPANTS: none.' })
  minimumPercent?: number | null;

  @Field(() => String, { description: 'The standard as published, e.g. "Adviser contact every 14 days".' })
  @Limit({ chars: 500 })
  description!: string;
}

@InputType({ description: "A new version of a contract's standards." })
export class PublishServiceStandardsInput {
  @Field(() => ID, { description: 'A prime contract of yours.' })
  contractId!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'The first day the set is in force: today or later (EFFECTIVE_FROM_IN_PAST); today when absent. Days before it are measured against the set in force then.',
  })
  effectiveFrom?: string | null;

  @Field(() => [ServiceStandardInput], { description: 'The whole set in force from effectiveFrom: at least one, each metric once per payment group.' })
  // Each metric once for every payment group and once for all of them.
  @Limit({ items: Object.keys(ServiceStandardMetric).length * (Object.keys(PaymentGroup).length + 1) })
  standards!: ServiceStandardInput[];
}

@ObjectType({ description: 'The answer to `publishServiceStandards`.' })
export class PublishServiceStandardsPayload extends Payload('standards', () => [ServiceStandard], {
  field: 'The set published; null when userErrors is not empty.',
  userErrors: 'Why nothing was published; empty on success.',
}) {}

@InputType({ description: 'A contact with a participant.' })
export class RecordContactInput {
  @Field(() => ID, { description: 'A live referral of yours as prime, or handed to you by a live handoff.' })
  referralId!: string;

  @Field(() => Date, { description: 'When it happened: not in the future, not before the referral date.' })
  occurredAt!: Date;

  @Field(() => ContactChannel, { description: 'How.' })
  channel!: ContactChannel;

  @Field(() => ContactKind, { description: 'What kind: it decides which standards it counts for.' })
  kind!: ContactKind;

  @Field(() => Boolean, { description: 'Whether the participant attended: only attended contacts count for standards.' })
  attended!: boolean;

  @Field(() => String, { nullable: true, description: 'A note, for the chain holding the referral.' })
  @Limit(LIMITS.freeText)
  note?: string | null;
}

@ObjectType({ description: 'The answer to `recordContact`.' })
export class RecordContactPayload extends Payload('contact', () => Contact, {
  field: 'The contact (the first one, when recorded again); null when userErrors is not empty.',
  userErrors: 'Why nothing was recorded; empty on success.',
}) {}

@ObjectType({ description: "A page of a referral's contacts, oldest first unless asked newest first." })
export class ContactConnection extends CountedConnection(Contact, {
  edge: {
    name: 'ContactEdge',
    description: 'A contact in a list, with its cursor.',
    cursor: 'Pass as `after` to read the contacts after this one.',
    node: 'The contact.',
  },
  edges: 'The contacts of this page.',
  pageInfo: 'Whether more follow, and the cursor to read them from.',
  totalCount: "How many of the referral's contacts the viewer reads.",
}) {}

@ObjectType({ description: 'A participant in breach of a standard.' })
export class ServiceStandardBreach {
  @Field(() => Referral, { description: "The participant's referral." })
  referral!: Referral;

  @Field(() => DateScalar, { description: 'When the missing contact was due: the day before the first day overdue under the standard in force that day.' })
  dueBy!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The last counting contact on or before dueBy.' })
  lastContactOn!: string | null;
}

@ObjectType({ description: 'The figures of one deliverer of a standard.' })
export class SubcontractorCompliance {
  /** Resolved to `subcontractor`: the END_TO_END handoff holder, or the prime itself. */
  organisationId!: string;

  @Field(() => Int, { description: 'Its participants the standard applies to on the day.' })
  participantsInScope!: number;

  @Field(() => Int, { description: 'Those of them meeting it.' })
  participantsMeeting!: number;
}

@ObjectType({ description: "How a contract's participants meet one standard on a day." })
export class StandardCompliance {
  @Field(() => ServiceStandard, { description: 'The standard.' })
  standard!: ServiceStandard;

  @Field(() => Int, {
    description: "Participants the standard applies to on the day (of its payment group): referred (first contact) or attached, or in work (in-work standards); not yet in work (adviser-contact and review standards); within their allotted time, not exited.",
  })
  participantsInScope!: number;

  @Field(() => Int, { description: 'Those of them meeting it, from attended contacts.' })
  participantsMeeting!: number;

  @Field(() => Float, { nullable: true, description: 'participantsMeeting / participantsInScope; null with nobody in scope.' })
  complianceRate!: number | null;

  @Field(() => Boolean, { description: 'ALL_PARTICIPANTS: everyone in scope meets it; PERCENT_OF_PARTICIPANTS: at least minimumPercent do.' })
  met!: boolean;

  @Field(() => [SubcontractorCompliance], { description: 'The same figures by who delivers.' })
  bySubcontractor!: SubcontractorCompliance[];

  /** For `breaches`: whose participants, and the first in breach (none when the viewer may not see who they are). */
  scope!: ComplianceScope;
  firstBreaches!: StandardEvaluation['breaches'];
}

@ObjectType({ description: "A contract's compliance with its standards in force on a day." })
export class ServiceStandardComplianceReport {
  @Field(() => PrimeContract, { description: 'The contract.' })
  contract!: PrimeContract;

  @Field(() => DateScalar, { description: 'The day measured.' })
  asOf!: string;

  @Field(() => [StandardCompliance], { description: 'One entry per standard in force on the day.' })
  standards!: StandardCompliance[];
}

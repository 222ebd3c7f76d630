import { Extensions, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../common/pagination';
import { DateScalar } from '../../common/scalars';
import { UserError } from '../../common/user-error';
import { PaymentGroup } from '../contracts/contracts.enums';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { Referral } from '../referrals/referral.entity';
import { Contact } from './contact.entity';
import { ServiceStandard } from './service-standard.entity';
import type { ComplianceScope } from './standards.service';
import { ContactChannel, ContactKind, ServiceStandardMetric, ServiceStandardScope } from './standards.enums';

@InputType()
export class ServiceStandardInput {
  @Field(() => PaymentGroup, { nullable: true })
  paymentGroup?: PaymentGroup | null;

  @Field(() => ServiceStandardMetric)
  metric!: ServiceStandardMetric;

  @Field(() => Int)
  thresholdDays!: number;

  @Field(() => ServiceStandardScope)
  scope!: ServiceStandardScope;

  @Field(() => Int, { nullable: true })
  minimumPercent?: number | null;

  @Field(() => String)
  description!: string;
}

@InputType()
export class PublishServiceStandardsInput {
  @Field(() => ID)
  contractId!: string;

  @Field(() => [ServiceStandardInput])
  standards!: ServiceStandardInput[];
}

@ObjectType()
export class PublishServiceStandardsPayload {
  @Field(() => [ServiceStandard], { nullable: true })
  standards!: ServiceStandard[] | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class RecordContactInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => ContactChannel)
  channel!: ContactChannel;

  @Field(() => ContactKind)
  kind!: ContactKind;

  @Field(() => Boolean)
  attended!: boolean;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@ObjectType()
export class RecordContactPayload {
  @Field(() => Contact, { nullable: true })
  contact!: Contact | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ContactEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Contact)
  node!: Contact;
}

@ObjectType()
export class ContactConnection {
  @Extensions({ listSize: 1 })
  @Field(() => [ContactEdge])
  edges!: ContactEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType()
export class ServiceStandardBreach {
  @Field(() => Referral)
  referral!: Referral;

  @Field(() => DateScalar, { description: 'When the missing contact was due.' })
  dueBy!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The last counting contact on or before dueBy.' })
  lastContactOn!: string | null;
}

@ObjectType()
export class SubcontractorCompliance {
  /** Resolved to `subcontractor`: the END_TO_END handoff holder, or the prime itself. */
  organisationId!: string;

  @Field(() => Int)
  participantsInScope!: number;

  @Field(() => Int)
  participantsMeeting!: number;
}

@ObjectType()
export class StandardCompliance {
  @Field(() => ServiceStandard)
  standard!: ServiceStandard;

  @Field(() => Int)
  participantsInScope!: number;

  @Field(() => Int)
  participantsMeeting!: number;

  @Field(() => Float, { nullable: true, description: 'participantsMeeting / participantsInScope; null with nobody in scope.' })
  complianceRate!: number | null;

  @Field(() => Boolean)
  met!: boolean;

  @Field(() => [SubcontractorCompliance])
  bySubcontractor!: SubcontractorCompliance[];

  /** For `breaches`: whose participants, and whether the viewer may see who they are. */
  scope!: ComplianceScope;
  showsPeople!: boolean;
}

@ObjectType()
export class ServiceStandardComplianceReport {
  @Field(() => PrimeContract)
  contract!: PrimeContract;

  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => [StandardCompliance])
  standards!: StandardCompliance[];
}

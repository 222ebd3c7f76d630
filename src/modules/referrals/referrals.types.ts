import { Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../common/pagination';
import { DateScalar } from '../../common/scalars';
import { UserError } from '../../common/user-error';
import { PaymentGroup } from '../contracts/contracts.enums';
import { Address } from './participant.view';
import { ParticipationMode } from './programme';
import { Referral } from './referral.entity';
import { ExitReason, RejectionReason } from './referral.enums';
import { ReferralStatus } from './referral-states';

@ObjectType()
export class Rejection {
  @Field(() => RejectionReason)
  reason!: RejectionReason;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Date)
  rejectedAt!: Date;
}

@ObjectType()
export class Exit {
  @Field(() => ExitReason)
  reason!: ExitReason;

  @Field(() => DateScalar)
  exitedOn!: string;
}

@ObjectType()
export class ReferralEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Referral)
  node!: Referral;
}

@ObjectType()
export class ReferralConnection {
  @Extensions({ listSize: 1 })
  @Field(() => [ReferralEdge])
  edges!: ReferralEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@InputType()
export class ReferralFilter {
  @Field(() => [ReferralStatus], { nullable: true })
  status?: ReferralStatus[] | null;

  @Field(() => Int, { nullable: true })
  cpaCode?: number | null;

  @Field(() => PaymentGroup, { nullable: true })
  paymentGroup?: PaymentGroup | null;

  @Field(() => DateScalar, { nullable: true })
  referredFrom?: string | null;

  @Field(() => DateScalar, { nullable: true })
  referredTo?: string | null;
}

@InputType()
export class ClaimantInput {
  @Field(() => String)
  nino!: string;

  @Field(() => String)
  givenName!: string;

  @Field(() => String)
  familyName!: string;

  @Field(() => DateScalar)
  dateOfBirth!: string;

  @Field(() => Address, { nullable: true })
  address?: Address | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => Boolean, { nullable: true })
  disabled?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  welshLanguage?: boolean | null;

  @Field(() => [String], { nullable: true })
  healthConditions?: string[] | null;

  @Field(() => Boolean, { description: 'Whether the claimant agreed that health information may be passed to providers.' })
  consentToShareHealth!: boolean;

  @Field(() => [String], { nullable: true })
  riskMarkers?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'A MAPPA case: only identity is kept (a minimal record).' })
  mappa?: boolean | null;
}

@InputType()
export class ReferralInput {
  @Field(() => String, { description: "The Jobcentre's own reference; submitting it again returns the first result and writes nothing." })
  clientReference!: string;

  @Field(() => Int)
  cpaCode!: number;

  @Field(() => String)
  jobcentreDistrict!: string;

  @Field(() => PaymentGroup)
  paymentGroup!: PaymentGroup;

  @Field(() => ParticipationMode)
  participationMode!: ParticipationMode;

  @Field(() => DateScalar)
  referredOn!: string;

  @Field(() => ClaimantInput)
  claimant!: ClaimantInput;

  @Field(() => String, { nullable: true, description: 'NINO of a joint claimant already referred: this referral goes to the same prime.' })
  jointClaimantNino?: string | null;
}

@InputType()
export class SubmitReferralsInput {
  @Field(() => [ReferralInput])
  referrals!: ReferralInput[];
}

@ObjectType()
export class ReferralResult {
  @Field(() => String)
  clientReference!: string;

  @Field(() => Referral, { nullable: true })
  referral!: Referral | null;

  @Field(() => Boolean, { description: 'False when this clientReference had been submitted before.' })
  created!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class SubmitReferralsPayload {
  @Extensions({ listSize: 1 })
  @Field(() => [ReferralResult])
  results!: ReferralResult[];
}

@InputType()
export class OverrideAllocationInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => ID)
  contractId!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType()
export class ReferralPayload {
  @Field(() => Referral, { nullable: true })
  referral!: Referral | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class AcknowledgeReferralInput {
  @Field(() => ID)
  referralId!: string;
}

@InputType()
export class RejectReferralInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => RejectionReason)
  reason!: RejectionReason;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class RecordAttachmentInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => DateScalar)
  attachedOn!: string;
}

@InputType()
export class RecordExitInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => DateScalar)
  exitedOn!: string;

  @Field(() => ExitReason)
  reason!: ExitReason;
}

import { Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Limit, LIMITS, oneOfEach } from '../../common/input-limits';
import { CountedConnection } from '../../common/pagination';
import { DateScalar } from '../../common/scalars';
import { Payload } from '../../common/payload';
import { UserError } from '../../common/user-error';
import { OverrideReasonCategory } from '../allocation/allocation.enums';
import { PaymentGroup } from '../contracts/contracts.enums';
import { Address } from './participant.view';
import { ParticipationMode } from './programme';
import { Referral } from './referral.entity';
import { ExitReason, RejectionReason } from './referral.enums';
import { ReferralStatus, RiskSharingBasis } from '../../auth/access.enums';
import { ReferralRecordInput } from '../record/record.types';
import { MAX_REFERRALS_PER_CALL } from './referrals.service';
import { FirstAppointmentInput } from '../appointments/appointments.types';

@ObjectType({ description: "The prime's rejection of a referral." })
export class Rejection {
  @Field(() => RejectionReason, { description: 'Why.' })
  reason!: RejectionReason;

  @Field(() => String, { nullable: true, description: "The prime's note." })
  note!: string | null;

  @Field(() => Date, { description: 'When.' })
  rejectedAt!: Date;
}

@ObjectType({ description: "A participant's exit from the programme." })
export class Exit {
  @Field(() => ExitReason, { description: 'Why.' })
  reason!: ExitReason;

  @Field(() => DateScalar, { description: 'The last day on the programme.' })
  exitedOn!: string;
}

@ObjectType({ description: 'A page of referrals, in the order they arrived.' })
export class ReferralConnection extends CountedConnection(Referral, {
  edge: {
    name: 'ReferralEdge',
    description: 'A referral in a list, with its cursor.',
    cursor: 'Pass as `after` to read the referrals after this one.',
    node: 'The referral.',
  },
  edges: 'The referrals of this page.',
  pageInfo: 'Whether more follow, and the cursor to read them from.',
  totalCount: 'How many referrals the filter matches, on every page.',
}) {}

@InputType({ description: 'Which referrals to list; every condition given must hold.' })
export class ReferralFilter {
  @Field(() => [ReferralStatus], { nullable: true, description: 'Any of these statuses.' })
  @Limit(oneOfEach(ReferralStatus))
  status?: ReferralStatus[] | null;

  @Field(() => Int, { nullable: true, description: 'In this CPA.' })
  cpaCode?: number | null;

  @Field(() => PaymentGroup, { nullable: true, description: 'In this payment group.' })
  paymentGroup?: PaymentGroup | null;

  @Field(() => DateScalar, { nullable: true, description: 'Referred on or after this day.' })
  referredFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Referred on or before this day.' })
  referredTo?: string | null;
}

@InputType({ description: 'The claimant referred. A MAPPA case keeps identity only.' })
export class ClaimantInput {
  @Field(() => String, { description: 'National Insurance number, spaces allowed ("QQ 12 34 56 C"): one person, one participant record.' })
  @Limit(LIMITS.nino)
  nino!: string;

  @Field(() => String, { description: 'Given name.' })
  @Limit(LIMITS.personName)
  givenName!: string;

  @Field(() => String, { description: 'Family name.' })
  @Limit(LIMITS.personName)
  familyName!: string;

  @Field(() => DateScalar, { description: 'Date of birth, before the referral.' })
  dateOfBirth!: string;

  @Field(() => Address, { nullable: true, description: 'Postal address; with a first line and a postcode when given.' })
  address?: Address | null;

  @Field(() => String, { nullable: true, description: 'Phone number.' })
  @Limit({ chars: 30 })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Email address.' })
  @Limit({ chars: 254 }) // the longest address SMTP carries
  email?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the claimant is disabled; null: not known.' })
  disabled?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the claimant prefers Welsh; null: not known.' })
  welshLanguage?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'Health conditions, encrypted at rest; providers see them only with consent.' })
  @Limit({ items: 20, chars: 200 })
  healthConditions?: string[] | null;

  @Field(() => Boolean, { description: 'Whether the claimant agreed that health information may be passed to providers.' })
  consentToShareHealth!: boolean;

  @Field(() => [String], { nullable: true, description: 'Risk markers (e.g. a history of violence), encrypted at rest.' })
  @Limit({ items: 20, chars: 200 })
  riskMarkers?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the claimant agreed that risk markers may be passed to providers (false when absent).' })
  consentToShareRisk?: boolean | null;

  @Field(() => RiskSharingBasis, {
    nullable: true,
    description: 'The legal basis on which risk markers may be passed to providers without consent. Without consent or a basis they stay with the Jobcentre.',
  })
  riskSharingBasis?: RiskSharingBasis | null;

  @Field(() => Boolean, { nullable: true, description: 'A MAPPA case: only identity is kept (a minimal record).' })
  mappa?: boolean | null;
}

@InputType({ description: 'One referral of a claimant.' })
export class ReferralInput {
  @Field(() => String, { description: "The Jobcentre's own reference; submitting it again returns the first result and writes nothing." })
  @Limit({ chars: 100 })
  clientReference!: string;

  @Field(() => Int, { description: "The claimant's CPA." })
  cpaCode!: number;

  @Field(() => String, { description: 'The Jobcentre district referring.' })
  @Limit({ chars: 100 })
  jobcentreDistrict!: string;

  @Field(() => PaymentGroup, { description: 'The payment group.' })
  paymentGroup!: PaymentGroup;

  @Field(() => ParticipationMode, { description: 'Mandatory or voluntary, as the payment group allows.' })
  participationMode!: ParticipationMode;

  @Field(() => DateScalar, { description: 'The day of the referral: today or earlier; the market shares of that day allocate it.' })
  referredOn!: string;

  @Field(() => ClaimantInput, { description: 'Who is referred.' })
  claimant!: ClaimantInput;

  @Field(() => String, { nullable: true, description: 'NINO of a joint claimant already referred: this referral goes to the same prime.' })
  @Limit(LIMITS.nino)
  jointClaimantNino?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the claim is a joint one: required with jointClaimantNino (JOINT_CLAIM_REASON_REQUIRED). The partner must be a live referral of the same Jobcentre, not yet one side of another joint claim.',
  })
  @Limit(LIMITS.freeText)
  jointClaimReason?: string | null;

  @Field(() => ReferralRecordInput, {
    nullable: true,
    description: 'What the Jobcentre knows beyond the claimant (benefit, reason, qualifications, work history, barriers, job goals, access needs, caring): each part optional, each shared down the chain as its own SharedField.',
  })
  record?: ReferralRecordInput | null;
  @Field(() => FirstAppointmentInput, {
    nullable: true,
    description: 'The first appointment, when the Jobcentre books it while referring (a three-way call, the warm handover); otherwise the prime books it after allocation.',
  })
  firstAppointment?: FirstAppointmentInput | null;
}

@InputType({ description: 'Referrals to submit.' })
export class SubmitReferralsInput {
  @Field(() => [ReferralInput], {
    description: 'Judged one by one, answered in this order. More than 1,000 is a BAD_USER_INPUT error and nothing is submitted.',
  })
  @Limit({ items: MAX_REFERRALS_PER_CALL, itemsAlone: true })
  referrals!: ReferralInput[];
}

@ObjectType({ description: 'What became of one submitted referral.' })
export class ReferralResult {
  @Field(() => String, { description: 'The clientReference submitted (trimmed).' })
  clientReference!: string;

  @Field(() => Referral, { nullable: true, description: 'The referral stored (the first one, for a clientReference seen before); null when refused.' })
  referral!: Referral | null;

  @Field(() => Boolean, { description: 'False when this clientReference had been submitted before.' })
  created!: boolean;

  @Field(() => [UserError], { description: 'Why this referral was refused (paths from the referral); empty when stored.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The answer to `submitReferrals`.' })
export class SubmitReferralsPayload {
  @Extensions({ listSize: 1 })
  @Field(() => [ReferralResult], { description: 'One result for each referral submitted, in input order.' })
  results!: ReferralResult[];
}

@InputType({ description: 'A referral to move to another contract.' })
export class OverrideAllocationInput {
  @Field(() => ID, { description: 'A referral your Jobcentre made, not yet attached.' })
  referralId!: string;

  @Field(() => ID, { description: "Another prime contract of the referral's CPA, in force on its referral date." })
  contractId!: string;

  @Field(() => String, { description: "Why (e.g. a disabled claimant's needs): the referring Jobcentre and the prime read it, nobody down the chain." })
  @Limit(LIMITS.freeText)
  reason!: string;

  @Field(() => OverrideReasonCategory, { nullable: true, description: 'The category of the reason (optional), so that overrides can be counted.' })
  reasonCategory?: OverrideReasonCategory | null;
}

@ObjectType({ description: 'The answer to a change of a referral.' })
export class ReferralPayload extends Payload('referral', () => Referral, {
  field: 'The referral as changed; null when userErrors is not empty.',
  userErrors: 'Why nothing was changed; empty on success.',
}) {}

@InputType({ description: 'A referral to acknowledge.' })
export class AcknowledgeReferralInput {
  @Field(() => ID, { description: 'A referral allocated to one of your contracts.' })
  referralId!: string;
}

@InputType({ description: 'A referral to reject.' })
export class RejectReferralInput {
  @Field(() => ID, { description: 'A referral allocated to one of your contracts, not yet attached.' })
  referralId!: string;

  @Field(() => RejectionReason, { description: 'Why.' })
  reason!: RejectionReason;

  @Field(() => String, { nullable: true, description: 'What the reason is; required for OTHER. The referring Jobcentre reads it.' })
  @Limit(LIMITS.freeText)
  note?: string | null;
}

@InputType({ description: 'The start of a participant on the programme.' })
export class RecordAttachmentInput {
  @Field(() => ID, { description: 'An acknowledged referral allocated to one of your contracts.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'The day the participant started (after an attended first meeting): from the referral date to today.' })
  attachedOn!: string;
}

@InputType({ description: "A participant's exit." })
export class RecordExitInput {
  @Field(() => ID, { description: 'An attached referral allocated to one of your contracts.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'The last day on the programme: from the attachment to today.' })
  exitedOn!: string;

  @Field(() => ExitReason, {
    description: 'Why. ALLOTTED_TIME_ENDED only from `allottedUntil` (the exchange records it itself that day); MOVED_TO_OTHER_PROVISION is the Jobcentre\'s (recordJobcentreExit); LEFT_BENEFIT (deprecated) records the off-benefit marker and does not exit.',
  })
  reason!: ExitReason;

  @Field(() => HandbackInput, { nullable: true, description: 'What the referring Jobcentre should know: barriers left and a summary (none on a restricted record).' })
  handback?: HandbackInput | null;
}

@InputType({ description: "What the prime tells the referring Jobcentre at an exit, beside the summary the exchange assembles (`Referral.handback`)." })
export class HandbackInput {
  @Limit({ items: 20, chars: 200 })
  @Field(() => [String], { nullable: true, description: 'Barriers to work the participant still faces, one per entry.' })
  barriers?: string[] | null;

  @Limit(LIMITS.freeText)
  @Field(() => String, { nullable: true, description: 'What was done, and what the work coach should pick up.' })
  summary?: string | null;
}

@InputType({ description: 'An attached participant left benefit: a marker, not an exit.' })
export class RecordOffBenefitInput {
  @Field(() => ID, { description: 'An attached referral allocated to one of your contracts.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'The first day off benefit: from the attachment to today, within the allotted time.' })
  offBenefitOn!: string;
}

@InputType({ description: "The referring Jobcentre's decision that other provision (e.g. Work Choice) suits the participant better." })
export class RecordJobcentreExitInput {
  @Field(() => ID, { description: 'An attached referral your Jobcentre made.' })
  referralId!: string;

  @Field(() => DateScalar, { description: 'The last day on the programme: from the attachment to today, within the allotted time.' })
  exitedOn!: string;

  @Limit(LIMITS.freeText)
  @Field(() => String, { nullable: true, description: 'Why, for the prime (shown as the handback summary).' })
  note?: string | null;
}

@InputType({ description: "The prime's handback after an exit it did not record itself." })
export class RecordHandbackInput {
  @Field(() => ID, { description: 'An exited referral of one of your contracts, without a handback yet.' })
  referralId!: string;

  @Field(() => HandbackInput, { description: 'Barriers left and a summary (none on a restricted record).' })
  handback!: HandbackInput;
}

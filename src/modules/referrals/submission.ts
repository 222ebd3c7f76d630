import { ErrorCode } from '../../common/error-codes';
import { isCalendarDate } from '../../common/scalars';
import { trimmed } from '../../common/text';
import { type UserError, userError } from '../../common/user-error';
import { AllocationMethod } from '../allocation/allocation.enums';
import { drawContract, sharesInForce } from '../allocation/draw';
import type { DrawnShare } from '../allocation/referral-allocation.entity';
import type { PaymentGroup } from '../contracts/contracts.enums';
import type { Cpa } from '../contracts/cpa.entity';
import type { MarketShare } from '../contracts/market-share.entity';
import type { PrimeContract } from '../contracts/prime-contract.entity';
import type { RiskSharingBasis } from '../../auth/access.enums';
import { referralRecordErrors } from '../record/record.rules';
import type { ReferralRecordInput } from '../record/record.types';
import { type AppointmentData, bookingErrors } from '../appointments/first-appointments';
import { eligibilityErrors } from './eligibility';
import { isValidNino, normaliseNino } from './nino';
import type { AddressRecord } from './participant.entity';
import { PARTICIPATION_BASIS, type ParticipationMode } from './programme';
import { type PersonHistory, judgeReturn } from './returns';

/**
 * The judging of a submitReferrals batch, without a database: what each referral becomes, given
 * what the exchange held when the batch was read. referrals.service reads those facts and writes
 * what is decided here; tests/unit/submission.test.ts tries the rules alone.
 */

export interface ClaimantData {
  nino: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  address?: AddressRecord | null;
  phone?: string | null;
  email?: string | null;
  disabled?: boolean | null;
  welshLanguage?: boolean | null;
  healthConditions?: string[] | null;
  consentToShareHealth: boolean;
  riskMarkers?: string[] | null;
  consentToShareRisk?: boolean | null;
  riskSharingBasis?: RiskSharingBasis | null;
  mappa?: boolean | null;
}

export interface ReferralData {
  clientReference: string;
  cpaCode: number;
  jobcentreDistrict: string;
  paymentGroup: PaymentGroup;
  participationMode: ParticipationMode;
  referredOn: string;
  claimant: ClaimantData;
  jointClaimantNino?: string | null;
  jointClaimReason?: string | null;
  record?: ReferralRecordInput | null;
  /** The first appointment the Jobcentre booked when referring (the warm handover). */
  firstAppointment?: AppointmentData | null;
}

export interface LiveReferral {
  contractId: string;
  cpaId: string;
  jobcentreId: string;
  /** Already one side of a joint claim: it takes no other partner. */
  partnered: boolean;
}

/** The identity a person is known by: a NINO submitted again must come with the same name and date of birth. */
export interface KnownIdentity {
  given_name: string;
  family_name: string;
  date_of_birth: string;
  restricted: boolean;
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a claimant is the person already held under their NINO (names compared without case or outer spaces). */
export function sameIdentity(known: KnownIdentity, claimant: ClaimantData): boolean {
  return sameName(known.given_name, claimant.givenName) && sameName(known.family_name, claimant.familyName) && known.date_of_birth === claimant.dateOfBirth;
}

export const identityMismatch = (): UserError =>
  userError(ErrorCode.IDENTITY_MISMATCH, 'This NINO is held for a person with another name or date of birth', ['claimant', 'nino']);

/** What the rules need to know of the exchange for one batch (read in six statements). */
export interface BatchFacts {
  /** The Jobcentre submitting. */
  jobcentreId: string;
  /** The CPA whose districts the submitting Jobcentre serves; null for one not yet placed. */
  jobcentreCpaId: string | null;
  cpas: Array<Pick<Cpa, 'id' | 'code' | 'nation'>>;
  contracts: Array<Pick<PrimeContract, 'id' | 'cpaId' | 'primeId' | 'startsOn' | 'endsOn'>>;
  shares: Array<Pick<MarketShare, 'contractId' | 'paymentGroup' | 'effectiveFrom' | 'shareBasisPoints'>>;
  /** The live referral of each person of the batch (and each joint claimant), by normalised NINO. */
  live: Map<string, LiveReferral>;
  /** The identity of each person of the batch already held, by normalised NINO. */
  known: Map<string, KnownIdentity>;
  /** The Jobcentre's referrals (and returns) with a clientReference of the batch: reference → referral id. */
  submitted: Map<string, string>;
  /** Each person's ended participation and withdrawal that may send them back to a contract (returns.ts), by normalised NINO. */
  history: Map<string, PersonHistory>;
}

/** An accepted item, allocated and ready to write. */
export interface Accepted {
  index: number;
  item: ReferralData;
  nino: string;
  cpaId: string;
  contractId: string;
  method: AllocationMethod;
  draw: number | null;
  shares: DrawnShare[] | null;
  /** A returner: the referral whose participation reopens (no new referral is written). */
  reopens: string | null;
}

/** What becomes of one item of a batch. */
export type Fate =
  /** Its clientReference was submitted before: it answers that referral and writes nothing. */
  | { fate: 'submittedBefore'; referralId: string }
  /** An earlier item of the batch has its clientReference: it answers as that one does. */
  | { fate: 'repeats'; index: number }
  | { fate: 'refused'; userErrors: UserError[] }
  | { fate: 'accepted'; accepted: Accepted };

export interface JudgeOptions {
  /** The day the batch is judged on. */
  today: string;
  /** What of item i breaks the input limits: such an item is refused with those errors too. */
  overLimits?: UserError[][];
  /** The random allocation (a cryptographic draw in production; fixed in tests). */
  draw?: typeof drawContract;
}

/** The rules an item breaks on its own, before anything is looked up. */
export function checkItem(item: ReferralData, today: string): UserError[] {
  const errors: UserError[] = [];
  const claimant = item.claimant;
  if (!trimmed(item.clientReference)) {
    errors.push(userError(ErrorCode.CLIENT_REFERENCE_REQUIRED, 'A referral needs the Jobcentre\'s own reference', ['clientReference']));
  }
  if (!trimmed(item.jobcentreDistrict)) {
    errors.push(userError(ErrorCode.DISTRICT_REQUIRED, 'A referral names its Jobcentre district', ['jobcentreDistrict']));
  }
  if (item.referredOn > today) {
    errors.push(userError(ErrorCode.REFERRED_ON_IN_FUTURE, `referredOn ${item.referredOn} is after today (${today})`, ['referredOn']));
  }
  if (!PARTICIPATION_BASIS[item.paymentGroup].includes(item.participationMode)) {
    errors.push(
      userError(
        ErrorCode.PARTICIPATION_MODE_NOT_ALLOWED,
        `${item.paymentGroup} is ${PARTICIPATION_BASIS[item.paymentGroup].join(' or ')}, not ${item.participationMode}`,
        ['participationMode'],
      ),
    );
  }
  if (!isValidNino(claimant.nino)) {
    errors.push(userError(ErrorCode.INVALID_NINO, 'Not a National Insurance number HMRC allocates', ['claimant', 'nino']));
  }
  for (const field of ['givenName', 'familyName'] as const) {
    if (!trimmed(claimant[field])) errors.push(userError(ErrorCode.NAME_REQUIRED, `${field} is required`, ['claimant', field]));
  }
  if (!isCalendarDate(claimant.dateOfBirth) || claimant.dateOfBirth >= item.referredOn) {
    errors.push(userError(ErrorCode.INVALID_DATE_OF_BIRTH, 'The date of birth must be before the referral', ['claimant', 'dateOfBirth']));
  }
  if (claimant.address && (!trimmed(claimant.address.line1) || !trimmed(claimant.address.postcode))) {
    errors.push(userError(ErrorCode.ADDRESS_INCOMPLETE, 'An address needs its first line and postcode', ['claimant', 'address']));
  }
  if (item.jointClaimantNino != null) {
    if (!isValidNino(item.jointClaimantNino)) {
      errors.push(userError(ErrorCode.INVALID_NINO, 'Not a National Insurance number HMRC allocates', ['jointClaimantNino']));
    } else if (normaliseNino(item.jointClaimantNino) === normaliseNino(claimant.nino)) {
      errors.push(userError(ErrorCode.JOINT_CLAIMANT_IS_CLAIMANT, 'A joint claimant is another person', ['jointClaimantNino']));
    }
    if (!trimmed(item.jointClaimReason)) {
      errors.push(userError(ErrorCode.JOINT_CLAIM_REASON_REQUIRED, 'A joint claim says why it is one', ['jointClaimReason']));
    }
  }
  if (item.firstAppointment) errors.push(...bookingErrors(item.firstAppointment, item.referredOn, ['firstAppointment'], claimant.mappa === true));
  return errors;
}

/** Whether a contract is in force on a day. */
export const inForceOn = (contract: Pick<PrimeContract, 'startsOn' | 'endsOn'>, date: string): boolean => contract.startsOn <= date && contract.endsOn >= date;

/**
 * Judges each item of a batch in input order: submitted before, a repeat of an earlier item,
 * refused (every rule it breaks), or accepted with its allocation — a returner's participation
 * reopened, a joint claim to its partner's contract, a person withdrawn lately back to the same
 * contract (both RETURNING, returns.ts), anything else by a draw among the shares in force on its
 * referral date.
 * An item accepted here is the person's live referral for the items after it. Pure: the facts
 * are not changed.
 */
export function judgeSubmission(items: ReferralData[], facts: BatchFacts, { today, overLimits = [], draw = drawContract }: JudgeOptions): Fate[] {
  // Copies, entries too: an accepted joint claim takes its partner for the items after it.
  const live = new Map([...facts.live].map(([nino, referral]) => [nino, { ...referral }]));
  const known = new Map(facts.known);
  const acceptedAt = new Map<string, number>();
  const reopenedInBatch = new Set<string>();
  return items.map((item, index): Fate => {
    const reference = item.clientReference.trim();
    const first = facts.submitted.get(reference);
    if (first) return { fate: 'submittedBefore', referralId: first };
    const earlier = acceptedAt.get(reference);
    if (earlier !== undefined) return { fate: 'repeats', index: earlier };
    const errors = [...(overLimits[index] ?? []), ...checkItem(item, today)];
    const nino = normaliseNino(item.claimant.nino);
    const cpa = facts.cpas.find((c) => c.code === item.cpaCode);
    const inForce = cpa ? facts.contracts.filter((c) => c.cpaId === cpa.id && inForceOn(c, item.referredOn)) : [];
    if (!cpa) {
      errors.push(userError(ErrorCode.UNKNOWN_CPA, `No CPA has code ${item.cpaCode}`, ['cpaCode']));
    } else if (inForce.length === 0) {
      errors.push(userError(ErrorCode.NO_CONTRACT_IN_FORCE, `No contract is in force in CPA ${cpa.code} on ${item.referredOn}`, ['referredOn']));
    }
    if (cpa) {
      const { paymentGroup, referredOn, claimant } = item;
      errors.push(...eligibilityErrors({ paymentGroup, referredOn, dateOfBirth: claimant.dateOfBirth, cpa, jobcentreCpaId: facts.jobcentreCpaId }));
    }
    const person = known.get(nino);
    errors.push(...referralRecordErrors(item.record, item.claimant.mappa === true || person?.restricted === true, item.referredOn));
    // A live participation off benefit takes its participant back (returns.ts), once per batch.
    const returnsOffBenefit = facts.history.get(nino)?.participation?.live === true && !reopenedInBatch.has(nino);
    // Nothing more is said of a NINO given with another person's identity, not even that it is live.
    if (person && isValidNino(item.claimant.nino) && !sameIdentity(person, item.claimant)) errors.push(identityMismatch());
    else if (live.has(nino) && !returnsOffBenefit) {
      errors.push(userError(ErrorCode.LIVE_REFERRAL_EXISTS, 'This person already has a live referral', ['claimant', 'nino']));
    }
    let partner: LiveReferral | undefined;
    if (item.jointClaimantNino != null && errors.length === 0) {
      partner = live.get(normaliseNino(item.jointClaimantNino));
      // Another Jobcentre's claimant reads as not referred: a joint claim learns nothing of them.
      if (!partner || partner.jobcentreId !== facts.jobcentreId) {
        partner = undefined;
        errors.push(userError(ErrorCode.JOINT_CLAIMANT_NOT_REFERRED, 'The joint claimant has no live referral from this Jobcentre', ['jointClaimantNino']));
      } else if (partner.partnered) {
        errors.push(userError(ErrorCode.JOINT_CLAIMANT_HAS_PARTNER, 'The joint claimant is already one side of a joint claim', ['jointClaimantNino']));
      } else if (partner.cpaId !== cpa!.id || !inForce.some((c) => c.id === partner!.contractId)) {
        errors.push(
          userError(ErrorCode.JOINT_CLAIMANT_IN_OTHER_CPA, `The joint claimant's contract is not in force in CPA ${cpa!.code} on ${item.referredOn}`, ['jointClaimantNino']),
        );
      }
    }
    // Back to a contract the person was on, never a fresh draw (returns.ts).
    const returning =
      errors.length === 0
        ? judgeReturn(facts.history.get(nino), { jobcentreId: facts.jobcentreId, referredOn: item.referredOn, inForce: (id) => inForce.some((c) => c.id === id) })
        : { kind: 'none' as const };
    if (returning.kind === 'refused') errors.push(returning.error);
    // Off benefit but not taken back (a programme that takes completers again): still live.
    else if (returning.kind !== 'reopen' && returnsOffBenefit && errors.length === 0) {
      errors.push(userError(ErrorCode.LIVE_REFERRAL_EXISTS, 'This person already has a live referral', ['claimant', 'nino']));
    }
    let allocation: Pick<Accepted, 'contractId' | 'method' | 'draw' | 'shares' | 'reopens'> | undefined;
    if (errors.length === 0 && returning.kind === 'reopen') {
      allocation = { contractId: returning.contractId, method: AllocationMethod.RETURNING, draw: null, shares: null, reopens: returning.referralId };
    } else if (errors.length === 0 && partner) {
      allocation = { contractId: partner.contractId, method: AllocationMethod.JOINT_CLAIM, draw: null, shares: null, reopens: null };
    } else if (errors.length === 0 && returning.kind === 'sameContract') {
      allocation = { contractId: returning.contractId, method: AllocationMethod.RETURNING, draw: null, shares: null, reopens: null };
    } else if (errors.length === 0) {
      const shares = sharesInForce(
        inForce.map((c) => c.id),
        facts.shares.filter((row) => row.paymentGroup === item.paymentGroup),
        item.referredOn,
      );
      if (shares.length === 0) {
        errors.push(userError(ErrorCode.NO_CONTRACT_IN_FORCE, `No contract in force in CPA ${cpa!.code} has a share of ${item.paymentGroup}`, ['paymentGroup']));
      } else {
        const { contractId, draw: drawn } = draw(shares);
        allocation = { contractId, method: AllocationMethod.RANDOM, draw: drawn, shares, reopens: null };
      }
    }
    if (!allocation) return { fate: 'refused', userErrors: errors };
    const accepted: Accepted = { index, item, nino, cpaId: cpa!.id, ...allocation };
    acceptedAt.set(reference, index);
    if (accepted.reopens) reopenedInBatch.add(nino);
    // A later item of the same batch sees this one as the person's live referral, and its partner as taken.
    live.set(nino, { contractId: accepted.contractId, cpaId: accepted.cpaId, jobcentreId: facts.jobcentreId, partnered: Boolean(partner) });
    if (partner) partner.partnered = true;
    if (!person) known.set(nino, { given_name: item.claimant.givenName, family_name: item.claimant.familyName, date_of_birth: item.claimant.dateOfBirth, restricted: false });
    return { fate: 'accepted', accepted };
  });
}

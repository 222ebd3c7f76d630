/**
 * Every code a `userErrors` entry can carry, each once, with what it means. Partners branch on
 * these, so a code is never renamed or reused for another meaning. `UserError.code`'s description
 * and README's table of codes are generated from here (tests/unit/error-codes.test.ts).
 */
export const ERROR_CODES = {
  ADDRESS_INCOMPLETE: 'An address needs its first line and its postcode.',
  AGE_OUTSIDE_GROUP: "The claimant's age on the referral date is outside the payment group's band (JSA 18–24: 18 to 24; JSA 25+: 25 or over).",
  ALLOTTED_TIME_NOT_ENDED: 'The allotted time is not over: an ALLOTTED_TIME_ENDED exit is on `allottedUntil` (the exchange records it itself that day).',
  ALREADY_ATTACHED: 'The referral has been attached (or is over): its allocation can no longer be changed.',
  ALREADY_OFF_BENEFIT: 'The participant is recorded as off benefit already (since the day the message names).',
  ALREADY_PAID: 'This payment has been made already: a claim made at the same moment got there first.',
  BEFORE_ATTACHMENT: 'A job cannot start before the participant was attached.',
  BODY_REQUIRED: 'A message needs a body (except on a restricted record, which takes none).',
  CLIENT_REFERENCE_REQUIRED: "A referral needs the Jobcentre's own reference.",
  CONTRACT_NOT_IN_CPA: "The contract is in another CPA than the referral's.",
  CONTRACT_NOT_IN_FORCE: 'The contract is not in force on the day the referral was made.',
  CONTRACT_NOT_IN_FORCE_IN_CPA: 'A share names a contract that is not in force in the CPA on that day.',
  CPA_NOT_SERVED: "A Jobcentre refers only into the CPA whose districts it serves (the registry's `Organisation.cpa`).",
  CPA_ONLY_FOR_JOBCENTRE: 'Only a Jobcentre is placed in a CPA (cpaCode).',
  DATE_AFTER_ALLOTTED_TIME: 'The date is after the end of the allotted time (`allottedUntil`).',
  DATE_BEFORE_ATTACHMENT: "The date is before the participant's attachment.",
  DATE_BEFORE_REFERRAL: 'The date is before the day the referral was made.',
  DATE_IN_FUTURE: 'The date is after today, or the activity has not happened yet.',
  DECISION_INCONSISTENT: 'sanctionWeeks goes only with SANCTION_APPLIED, and notAppliedReason only with an outcome that applies no sanction.',
  DESCRIPTION_REQUIRED: 'A description is required (of a standard, or of a doubt other than a failure to participate).',
  DISTRICT_REQUIRED: 'A referral names its Jobcentre district.',
  DUE_DATE_IN_PAST: 'An answer cannot be due before today.',
  DUPLICATE_CONTRACT_REFERENCE: 'Another prime contract has this reference.',
  DUPLICATE_CPA_CODE: 'A CPA with this code exists.',
  DUPLICATE_DOUBT: 'An open (or sanctioned) doubt of this type on this referral for this failure date exists.',
  DUPLICATE_HANDOFF: 'The receiver already holds a live handoff of this referral for this purpose.',
  DUPLICATE_ORGANISATION: 'An organisation of this kind has this name (in any letter case).',
  DUPLICATE_SHARE: 'The same contract is listed twice.',
  DUPLICATE_STANDARD: 'The set has the same metric for the same payment group twice.',
  DUPLICATE_SUBCONTRACT: 'The organisation already holds a place of this delivery model on this contract.',
  EFFECTIVE_FROM_IN_PAST: 'Standards take effect from today or a later day: a set published now cannot measure days already past.',
  END_BEFORE_CLAIMED_WORK: 'A job cannot end before the last day of work a claimed payment counted.',
  END_BEFORE_START: 'A job cannot end before it started.',
  EXIT_BEFORE_ATTACHMENT: 'An exit cannot be before the attachment.',
  EXPIRY_IN_PAST: "A key's expiresAt is not in the future: a key cannot expire before it is issued.",
  FIELD_NOT_VISIBLE_TO_SENDER: 'A field to share that the sender cannot see itself.',
  GROUP_NOT_AVAILABLE_IN_CPA: "The payment group is not referred in the CPA's nation (IB/IS: England only).",
  HEALTH_WITHOUT_CONSENT: 'HEALTH cannot be shared: the claimant did not consent.',
  IDENTITY_MISMATCH: 'The NINO is held for a person with another name or date of birth: nothing about them is given back.',
  ILLEGAL_TRANSITION: 'The object is not in a status this change applies to (the message names its status).',
  INVALID_CONTRACT_PERIOD: 'A contract cannot end before it starts.',
  INVALID_CPA_CODE: 'A CPA code is a positive whole number.',
  INVALID_DATE_OF_BIRTH: 'The date of birth is not a date before the referral.',
  INVALID_EMAIL: 'Not an email address (one @, a name before it and a domain after it, no spaces).',
  INVALID_HOURS: 'Hours a week are more than 0 and at most 168.',
  INVALID_NINO: 'Not a National Insurance number HMRC allocates.',
  INVALID_PHONE: 'Not a phone number: digits, spaces and + ( ) -, 7 to 15 digits.',
  INVALID_RATE: "A rate card's figure is out of range, or its programme or source is missing.",
  INVALID_SANCTION_WEEKS: "A sanction's length is a whole number of weeks from 1 to 156.",
  INVALID_SHARE: 'A share is a whole number of basis points from 0 to 10000.',
  INVALID_THRESHOLD: "A standard's thresholdDays is a whole number, at least 1.",
  JOBCENTRE_DECISION: "A move to other provision (e.g. Work Choice) is the Jobcentre's decision: it records it with `recordJobcentreExit`.",
  JOBS_OVERLAP: "The job overlaps another of the participant's jobs.",
  JOB_ALREADY_ENDED: 'The job has ended already.',
  JOINT_CLAIMANT_HAS_PARTNER: 'The joint claimant is already one side of a joint claim: one partner each.',
  JOINT_CLAIMANT_IN_OTHER_CPA: "The joint claimant's contract is not in force in this referral's CPA on its date.",
  JOINT_CLAIMANT_IS_CLAIMANT: 'A joint claimant is another person than the claimant.',
  JOINT_CLAIMANT_NOT_REFERRED: 'The joint claimant has no live referral from this Jobcentre.',
  JOINT_CLAIM_REASON_REQUIRED: 'A joint claim (jointClaimantNino) says why it is one (jointClaimReason).',
  LIVE_END_TO_END_EXISTS: 'The referral already has a live end-to-end handoff.',
  LIVE_REFERRAL_EXISTS: 'This person already has a live referral.',
  MALFORMED_ROW: 'Only in the report of `npm run import:referrals`: a CSV row that cannot be read as a referral.',
  MANDATORY_ACTIVITY_REQUIRED: 'A failure to participate names the mandatory activity.',
  MINIMUM_PERCENT_NOT_ALLOWED: 'A standard for all participants has no minimumPercent.',
  MINIMUM_PERCENT_REQUIRED: 'A standard for a percentage of participants needs minimumPercent from 1 to 100.',
  MISSING_SHARE: 'A contract in force in the CPA has no share in the set.',
  NAME_REQUIRED: 'A name is required.',
  NOTE_REQUIRED: 'A rejection for OTHER says what it is in the note.',
  NOTIFIED_AFTER_ACTIVITY: 'The activity was notified on or after the day it was set for.',
  NOT_ALLOWED_TO_PASS: 'Only the prime, or a subcontractor holding an accepted end-to-end handoff, passes a referral on.',
  NOT_ATTACHED: 'The referral has not been attached.',
  NOT_A_PROVIDER: 'A prime or a subcontractor is a PROVIDER organisation.',
  NOT_ENOUGH_TIME_IN_WORK: "The participant has not been in work long enough for the group's job outcome.",
  NOT_IN_CHAIN: "The receiver has no place in the contract's supply chain.",
  NOT_IN_WORK_THROUGHOUT: 'The participant was not in work on every day of the period.',
  NOT_NOTIFIED_IN_WRITING: 'The mandatory activity was not notified in writing.',
  NOT_SANCTIONABLE: 'A change of circumstances (WP07) is a notification: it is never decided SANCTION_APPLIED.',
  NO_CONDITIONALITY: 'The participant has no work-related conditionality (an IB/IS or ESA volunteer): they cannot be doubted.',
  NO_CONTRACT_IN_FORCE: 'No contract is in force (with a share of the payment group) in the CPA on that day.',
  NO_JOB_OUTCOME: 'Sustainment follows a claimed job outcome; there is none.',
  OUTCOME_ALREADY_CLAIMED: "The referral's job outcome has been claimed.",
  PARENT_NOT_END_TO_END: 'Only an end-to-end subcontractor commissions others.',
  PARENT_ONLY_FOR_SPOT: 'Only spot provision is commissioned by an end-to-end subcontractor.',
  PARENT_ON_OTHER_CONTRACT: 'The parent subcontract is on another prime contract.',
  PARTICIPATION_MODE_NOT_ALLOWED: 'The payment group is not referred in this participation mode.',
  PERIOD_ALREADY_CLAIMED: 'This sustainment period has been claimed.',
  PERIOD_OUT_OF_ORDER: 'Not the next sustainment period to claim (the message names its end).',
  PRIME_ALREADY_IN_CPA: 'The prime already holds a contract in the CPA for part of the period.',
  PURPOSE_NOT_FIT: "The handoff's purpose does not fit the receiver's place in the chain.",
  RATE_NOT_SET: 'No rate card is set for the programme, payment group and contract year.',
  REASON_REQUIRED: 'A reason is required.',
  REFERENCE_REQUIRED: 'A contract needs a reference.',
  REFERRAL_NOT_ATTACHED: 'A doubt needs an attached participant, or a missed first appointment.',
  REFERRAL_NOT_LIVE: 'The referral is rejected or exited.',
  REFERRED_ON_IN_FUTURE: 'referredOn is after today.',
  RESTRICTED_RECORD: 'A restricted (MAPPA) record goes down the chain as name and referral only: no shared fields.',
  RESTRICTED_RECORD_FREE_TEXT: 'A restricted (MAPPA) record takes no free text: send its codes and dates only (a message thread: the topic and due date, no subject or body).',
  ROLE_NOT_FOR_ORGANISATION_KIND: "The role's keys belong to another kind of organisation.",
  SAME_CONTRACT: 'The referral is allocated to this contract already.',
  SHARES_NOT_10000: 'The shares do not sum to 10000 basis points.',
  SPOT_PARENT_ONLY: 'This spot provider takes referrals only from the prime or the subcontractor that commissioned it.',
  STANDARDS_REQUIRED: 'A published set has at least one standard.',
  STARTS_BEFORE_CURRENT_SHARES: "The contract would start before the CPA's latest set of market shares.",
  SUBCONTRACTOR_IS_PRIME: 'The prime cannot be a subcontractor on its own contract.',
  SUBJECT_REQUIRED: 'A message thread needs a subject (except on a restricted record, which takes none).',
  SUSTAINMENT_CAP_REACHED: "All the payment group's sustainment payments have been claimed.",
  TOO_LONG: 'A text is longer than its field allows (each field\'s description says "At most N characters").',
  TOO_MANY: 'A list has more items than its field allows (each field\'s description says "At most N items").',
  UNKNOWN_API_KEY: 'No API key has this id (its id, from `apiKeys` or `issueApiKey`; never its secret).',
  UNKNOWN_COMPLIANCE_DOUBT: 'No compliance doubt with this id is yours to change.',
  UNKNOWN_CONTRACT: 'No prime contract with this id (that is yours, where it must be).',
  UNKNOWN_CPA: 'No CPA has this code.',
  UNKNOWN_HANDOFF: 'No handoff with this id is yours to change.',
  UNKNOWN_JOB_START: 'No job start with this id is yours to end.',
  UNKNOWN_MESSAGE_THREAD: 'No message thread with this id is yours to write to (one you may not see reads as unknown).',
  UNKNOWN_ORGANISATION: 'No organisation has this id.',
  UNKNOWN_PROGRAMME: 'No programme has this code.',
  UNKNOWN_REFERRAL: 'No referral with this id is yours to change (one you may not see reads as unknown).',
  UNKNOWN_SUBCONTRACT: 'No subcontract has this id.',
  VOLUNTARY_PARTICIPANT: 'A voluntary participant is doubted only for not attending or engaging, never over a job interview or offer.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes by name (`ErrorCode.UNKNOWN_REFERRAL`), so that a service cannot answer a code the catalogue lacks. */
export const ErrorCode = Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, code])) as { readonly [C in ErrorCode]: C };

const sortedCodes = () => (Object.keys(ERROR_CODES) as ErrorCode[]).sort();

/** `UserError.code`'s description: the contract keeps it a String, the description lists every value. */
export function errorCodesDescription(): string {
  return [
    'Stable: branch on it. One of these (README lists them too):',
    '',
    ...sortedCodes().map((code) => `- \`${code}\`: ${ERROR_CODES[code]}`),
  ].join('\n');
}

/** README's table of codes (between its `error-codes` markers), written by `npm run schema`. */
export function errorCodesMarkdown(): string {
  return ['| code | meaning |', '|---|---|', ...sortedCodes().map((code) => `| \`${code}\` | ${ERROR_CODES[code].replace(/\|/g, '\\|')} |`)].join('\n');
}

/** The sentence a mutation's description ends with: the codes it can answer, in the catalogue's words. */
export function answersCodes(...codes: ErrorCode[]): string {
  return `userErrors codes: ${codes.map((code) => `\`${code}\``).join(', ')}.`;
}

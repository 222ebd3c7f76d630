/** Official statistics withhold counts under 5. */
export const DEFAULT_DISCLOSURE_THRESHOLD = 5;

/** The counts of one group of a referral cohort, as the database sums them. */
export interface CohortCounts {
  referrals: number;
  attachments: number;
  jobOutcomes: number;
  sustainmentPayments: number;
  complianceDoubts: number;
  sanctionsApplied: number;
  referralQueries: number;
  withdrawals: number;
  /** Referrals whose first booked appointment was held (attended or missed). */
  firstAppointmentsHeld: number;
  /** Of them, attended. */
  firstAppointmentsAttended: number;
  /** Referrals with an attended first appointment, and their days from the referral to it, summed. */
  reachedFirstAppointment: number;
  daysToFirstAppointment: number;
  /** The attached referrals' days from the referral to the attachment, summed. */
  daysToAttachment: number;
  /** Money is summed exactly, never through a floating-point number. */
  paidPence: bigint;
}

/** What is summed only to make a mean: never shown itself. */
type Sums = 'reachedFirstAppointment' | 'daysToFirstAppointment' | 'daysToAttachment';

export type DisclosedCounts = { [K in Exclude<keyof CohortCounts, Sums>]: CohortCounts[K] | null } & {
  attachmentRate: number | null;
  jobOutcomeRate: number | null;
  firstAppointmentAttendanceRate: number | null;
  meanDaysToFirstAppointment: number | null;
  meanDaysToAttachment: number | null;
  suppressed: boolean;
};

const PEOPLE_COUNTS = [
  'referrals',
  'attachments',
  'jobOutcomes',
  'sustainmentPayments',
  'complianceDoubts',
  'sanctionsApplied',
  'firstAppointmentsHeld',
  'firstAppointmentsAttended',
  'referralQueries',
  'withdrawals',
] as const;

/** A count of people, or null when it is withheld: a true zero discloses nobody; 1 to threshold-1 could point at someone. */
export function shownCount(value: number, threshold: number): number | null {
  return value > 0 && value < threshold ? null : value;
}

/**
 * Statistical disclosure control, as official statistics do it: a count of people (or of their
 * events) above zero but below the threshold is withheld, and so is every figure it could be worked back from:
 * a rate over it, and the money, which is a sum of known fees for attachments, outcomes and
 * sustainment payments. A mean of days is shown only over a count that is.
 */
export function disclose(counts: CohortCounts, threshold: number): DisclosedCounts {
  const shown = (value: number) => shownCount(value, threshold);
  const out = Object.fromEntries(PEOPLE_COUNTS.map((key) => [key, shown(counts[key])])) as Record<(typeof PEOPLE_COUNTS)[number], number | null>;
  const ratio = (part: number | null, whole: number | null) => (part === null || !whole ? null : part / whole);
  const rate = (part: number | null) => (part === null || out.referrals === null ? null : part / out.referrals);
  const moneyShown = out.referrals !== null && out.attachments !== null && out.jobOutcomes !== null && out.sustainmentPayments !== null;
  const reached = shown(counts.reachedFirstAppointment);
  return {
    ...out,
    paidPence: moneyShown ? counts.paidPence : null,
    attachmentRate: rate(out.attachments),
    jobOutcomeRate: rate(out.jobOutcomes),
    firstAppointmentAttendanceRate: ratio(out.firstAppointmentsAttended, out.firstAppointmentsHeld),
    meanDaysToFirstAppointment: ratio(reached === null ? null : counts.daysToFirstAppointment, reached),
    meanDaysToAttachment: ratio(out.attachments === null ? null : counts.daysToAttachment, out.attachments),
    suppressed: PEOPLE_COUNTS.some((key) => out[key] === null) || !moneyShown || reached === null,
  };
}

/**
 * Reports are over whole calendar months: a period a day shorter or longer than another would
 * otherwise isolate the referrals of that day by subtraction.
 */
export function wholeMonths(from: string, to: string): { from: string; to: string } {
  const [year, month] = to.split('-').map(Number);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${from.slice(0, 7)}-01`, to: `${to.slice(0, 7)}-${String(lastDay).padStart(2, '0')}` };
}

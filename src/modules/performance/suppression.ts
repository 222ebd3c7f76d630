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
  /** Money is summed exactly, never through a floating-point number. */
  paidPence: bigint;
}

export type DisclosedCounts = { [K in keyof CohortCounts]: CohortCounts[K] | null } & {
  attachmentRate: number | null;
  jobOutcomeRate: number | null;
  suppressed: boolean;
};

const PEOPLE_COUNTS = ['referrals', 'attachments', 'jobOutcomes', 'sustainmentPayments', 'complianceDoubts', 'sanctionsApplied'] as const;

/** A count of people, or null when it is withheld: a true zero discloses nobody; 1 to threshold-1 could point at someone. */
export function shownCount(value: number, threshold: number): number | null {
  return value > 0 && value < threshold ? null : value;
}

/**
 * Statistical disclosure control, as official statistics do it: a count of people (or of their
 * events) above zero but below the threshold is withheld, and so is every figure it could be worked back from:
 * a rate over it, and the money, which is a sum of known fees for attachments, outcomes and
 * sustainment payments.
 */
export function disclose(counts: CohortCounts, threshold: number): DisclosedCounts {
  const shown = (value: number) => shownCount(value, threshold);
  const out = Object.fromEntries(PEOPLE_COUNTS.map((key) => [key, shown(counts[key])])) as Record<(typeof PEOPLE_COUNTS)[number], number | null>;
  const rate = (part: number | null) => (part === null || out.referrals === null ? null : part / out.referrals);
  const moneyShown = out.referrals !== null && out.attachments !== null && out.jobOutcomes !== null && out.sustainmentPayments !== null;
  return {
    ...out,
    paidPence: moneyShown ? counts.paidPence : null,
    attachmentRate: rate(out.attachments),
    jobOutcomeRate: rate(out.jobOutcomes),
    suppressed: PEOPLE_COUNTS.some((key) => out[key] === null) || !moneyShown,
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

import type { Referral } from '../referrals/referral.entity';
import type { ContactKind } from '../standards/standards.enums';
import type { JobStart } from './job-start.entity';
import type { Handback } from './outcomes.types';
import type { Payment } from './payment.entity';

/**
 * What goes back to the referring Jobcentre at an exit (pure): the referral's dates, its contacts
 * by kind, jobs and outcomes paid, and what the prime said. Null before the exit. Who reads it is
 * the caller's question (`Referral.handback` asks the access gate; the subject access export gives it whole).
 */
export function handbackOf(
  referral: Referral,
  contacts: Array<{ kind: ContactKind; count: number }>,
  jobs: JobStart[],
  payments: Payment[],
): Handback | null {
  if (!referral.exitedOn || !referral.exitReason) return null;
  return {
    referralId: referral.id,
    reason: referral.exitReason,
    referredOn: referral.referredOn,
    attachedOn: referral.attachedOn,
    exitedOn: referral.exitedOn,
    allottedUntil: referral.allottedUntil,
    contacts,
    jobs: jobs.map(({ startedOn, endedOn }) => ({ startedOn, endedOn })),
    outcomesPaid: payments.map(({ kind, earnedOn }) => ({ kind, earnedOn })),
    barriers: referral.handbackBarriers ?? [],
    summary: referral.handbackSummary,
  };
}

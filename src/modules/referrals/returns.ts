import { addDays } from '../../common/dates';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, userError } from '../../common/user-error';
import { ExitReason } from './referral.enums';

/**
 * Who goes back to a contract they were on, without a draw (DOMAIN.md journey steps 3 and 5;
 * 002:458, 002:507) — pure rules, asked by judgeSubmission for each person of a batch.
 *
 * A returner's participation reopens on its own referral row (an exited one is ATTACHED again; a
 * live one off benefit loses the off-benefit marker), not on a new referral linked to it:
 * payments are keyed by referral (`payment_once_key`), so the attachment already paid, the job
 * outcome and the sustainment periods claimed stay claimed, and the database itself refuses a
 * second attachment payment; the allotted time is the row's own; and the access gate needs no
 * notion of "the same participation" across rows (the prime holds the same referral, with its
 * history). What a new row would have carried — the Jobcentre's clientReference and the day —
 * is kept in `referral_return`.
 */

/** Exits that complete the programme (002:501, 002:507): afterwards the person is back with Jobcentre Plus provision. */
export const COMPLETING_EXITS: readonly ExitReason[] = [ExitReason.ALLOTTED_TIME_ENDED, ExitReason.FINAL_PAYMENT_CLAIMED];

/**
 * The person's latest participation a referral can bring them back to: an attached referral now
 * EXITED, or still ATTACHED with the off-benefit marker (they left benefit; `live`).
 */
export interface PastParticipation {
  referralId: string;
  contractId: string;
  jobcentreId: string;
  allottedUntil: string;
  /** Null while the participation is live (off benefit, not exited). */
  exitReason: ExitReason | null;
  /** Still ATTACHED, off benefit: the return clears the marker. */
  live: boolean;
  /** Whether the programme takes a person who completed it again (programme data). */
  referralAfterCompletion: boolean;
}

/** The person's latest withdrawn referral. */
export interface PastWithdrawal {
  contractId: string;
  withdrawnOn: string;
  /** Within this many days the same person goes back to the same contract (programme data). */
  returnAfterWithdrawalDays: number;
}

export interface PersonHistory {
  participation: PastParticipation | null;
  withdrawal: PastWithdrawal | null;
}

export type ReturnDecision =
  /** Nothing holds the person: allocate as usual. */
  | { kind: 'none' }
  /** Referred again soon after a withdrawal: a new referral, to the same contract. */
  | { kind: 'sameContract'; contractId: string }
  /** Within the allotted time: the participation's own referral reopens. */
  | { kind: 'reopen'; referralId: string; contractId: string }
  | { kind: 'refused'; error: UserError };

/** Whether a participation is over for good: its allotted time passed by `on`, or it ended in a completing exit. */
export const completed = (participation: PastParticipation, on: string): boolean =>
  (participation.exitReason !== null && COMPLETING_EXITS.includes(participation.exitReason)) || participation.allottedUntil < on;

/**
 * What a referral of a person with this history, by `jobcentreId` on `referredOn`, becomes.
 * `inForce` says whether a contract is in force in the referral's CPA on its date: a withdrawn
 * person's contract that is not (it ended, or the person moved) leaves the referral to the draw.
 */
export function judgeReturn(
  history: PersonHistory | undefined,
  { jobcentreId, referredOn, inForce }: { jobcentreId: string; referredOn: string; inForce: (contractId: string) => boolean },
): ReturnDecision {
  const participation = history?.participation;
  if (participation) {
    if (!completed(participation, referredOn)) {
      // The referral row is the referring Jobcentre's (its reference, its inbox, its access):
      // another Jobcentre cannot take it over.
      if (participation.jobcentreId !== jobcentreId) {
        return {
          kind: 'refused',
          error: userError(ErrorCode.RETURNER_WITH_OTHER_JOBCENTRE, 'This person is within their allotted time on a referral another Jobcentre made', ['claimant', 'nino']),
        };
      }
      return { kind: 'reopen', referralId: participation.referralId, contractId: participation.contractId };
    }
    if (!participation.referralAfterCompletion) {
      return { kind: 'refused', error: userError(ErrorCode.PARTICIPATION_COMPLETED, 'This person completed the programme: it does not take them again', ['claimant', 'nino']) };
    }
  }
  const withdrawal = history?.withdrawal;
  if (withdrawal && referredOn <= addDays(withdrawal.withdrawnOn, withdrawal.returnAfterWithdrawalDays) && inForce(withdrawal.contractId)) {
    return { kind: 'sameContract', contractId: withdrawal.contractId };
  }
  return { kind: 'none' };
}

import { ErrorCode } from '../../common/error-codes';
import { restrictedFreeText, trimmed } from '../../common/text';
import { type UserError, userError } from '../../common/user-error';
import type { RiskSharingBasis } from '../../auth/access.enums';
import type { ReferralRecordInput } from './record.types';

/** The referral record's rules, without a database: submission (referrals/submission.ts) asks them per item. */

/** What is wrong with a referral's record: free text on a restricted (MAPPA) record, a claim started after the referral. */
export function referralRecordErrors(record: ReferralRecordInput | null | undefined, restricted: boolean, referredOn: string): UserError[] {
  if (!record) return [];
  const errors = restrictedFreeText(
    restricted,
    {
      reason: record.reason,
      qualifications: record.qualifications?.join(' '),
      workHistory: record.workHistory,
      barrierNotes: record.barrierNotes,
      jobGoals: record.jobGoals,
      caringResponsibilities: record.caringResponsibilities,
    },
    ['record'],
  );
  errors.push(...restrictedFreeText(restricted, { interpreterLanguage: record.accessNeeds?.interpreterLanguage }, ['record', 'accessNeeds']));
  if (record.claimStartedOn && record.claimStartedOn > referredOn) {
    errors.push(userError(ErrorCode.CLAIM_START_AFTER_REFERRAL, `The claim started on ${record.claimStartedOn}, after the referral (${referredOn})`, ['record', 'claimStartedOn']));
  }
  return errors;
}

/** A referral_record row as written, or null when the Jobcentre sent nothing of it. A restricted record keeps none. */
export function referralRecordRow(
  record: ReferralRecordInput | null | undefined,
  risk: { consentToShareRisk?: boolean | null; riskSharingBasis?: RiskSharingBasis | null },
  restricted: boolean,
) {
  if (restricted) return null;
  const row = {
    benefit: record?.benefit ?? null,
    claim_started_on: record?.claimStartedOn ?? null,
    reason: trimmed(record?.reason),
    qualifications: (record?.qualifications ?? []).map((q) => q.trim()).filter(Boolean),
    work_history: trimmed(record?.workHistory),
    barriers: [...new Set(record?.barriers ?? [])],
    barrier_notes: trimmed(record?.barrierNotes),
    job_goals: trimmed(record?.jobGoals),
    welsh: record?.accessNeeds?.welsh ?? null,
    interpreter: record?.accessNeeds?.interpreter ?? null,
    interpreter_language: trimmed(record?.accessNeeds?.interpreterLanguage),
    esol: record?.accessNeeds?.esol ?? null,
    caring_responsibilities: trimmed(record?.caringResponsibilities),
    consent_to_share_risk: risk.consentToShareRisk === true,
    risk_sharing_basis: risk.riskSharingBasis ?? null,
  };
  // Consent not given is the default, not something sent; a need answered "no" is.
  const given = Object.entries(row).some(([column, value]) =>
    column === 'consent_to_share_risk' ? value : Array.isArray(value) ? value.length > 0 : value !== null,
  );
  return given ? row : null;
}

/** A progress update's own consistency: completed only if attended, a certificate only if completed. */
export function progressErrors(input: { attended: boolean; completed: boolean; certificate?: string | null }): UserError[] {
  const errors: UserError[] = [];
  if (input.completed && !input.attended) errors.push(userError(ErrorCode.PROGRESS_INCONSISTENT, 'Completed, but not attended', ['completed']));
  if (trimmed(input.certificate) && !input.completed) errors.push(userError(ErrorCode.PROGRESS_INCONSISTENT, 'A certificate, but not completed', ['certificate']));
  return errors;
}

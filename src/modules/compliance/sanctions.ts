import type { DataSource, EntityManager } from 'typeorm';
import type { PaymentGroup } from '../contracts/contracts.enums';
import { type Benefit, GROUP_BENEFIT } from '../referrals/programme';
import { type SanctionRegime, suggestSanctionWeeks } from './conditionality';
import { ComplianceDoubtType } from './doubt-states';

/**
 * The suggested sanction length of each doubt, in the order of `doubtIds`: two statements for
 * any number of doubts (the regimes, and each doubt with the failure days of the participant's
 * earlier applied WP08/WP10 sanctions). Null for a change of circumstances, which is never
 * sanctioned, and where no regime gives lengths.
 */
export async function sanctionSuggestions(db: DataSource | EntityManager, doubtIds: readonly string[]): Promise<Array<number | null>> {
  const regimes: SanctionRegime[] = (
    await db.query(`SELECT benefit, effective_from::text AS effective_from, weeks, repeat_within_weeks FROM sanction_regime`)
  ).map((row: { benefit: Benefit; effective_from: string; weeks: number[]; repeat_within_weeks: number | null }) => ({
    benefit: row.benefit,
    effectiveFrom: row.effective_from,
    weeks: row.weeks,
    repeatWithinWeeks: row.repeat_within_weeks,
  }));
  const rows: Array<{ id: string; type: ComplianceDoubtType; payment_group: PaymentGroup; occurred_on: string; earlier: string[] }> = await db.query(
    `SELECT d.id, d.type, r.payment_group, d.occurred_on::text AS occurred_on,
            ARRAY(SELECT e.occurred_on::text FROM compliance_doubt e JOIN referral er ON er.id = e.referral_id
                   WHERE er.participant_id = r.participant_id AND e.outcome = 'SANCTION_APPLIED' AND e.id <> d.id
                     AND e.type IN ('FAILURE_TO_PARTICIPATE', 'ENTITLEMENT_DOUBT') AND e.occurred_on < d.occurred_on) AS earlier
       FROM compliance_doubt d JOIN referral r ON r.id = d.referral_id
      WHERE d.id = ANY ($1::uuid[])`,
    [doubtIds],
  );
  const byId = new Map(
    rows.map((row) => [
      row.id,
      row.type === ComplianceDoubtType.CHANGE_OF_CIRCUMSTANCES
        ? null
        : suggestSanctionWeeks(regimes, GROUP_BENEFIT[row.payment_group], row.occurred_on, row.earlier),
    ]),
  );
  return doubtIds.map((id) => byId.get(id) ?? null);
}

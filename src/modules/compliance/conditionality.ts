import type { PaymentGroup } from '../contracts/contracts.enums';
import { type Benefit, NO_CONDITIONALITY_WHEN_VOLUNTARY, ParticipationMode } from '../referrals/programme';

/**
 * Conditionality: what a participant can be doubted for, and how long a sanction the regime in
 * force suggests. Pure functions over data (programme.ts, table `sanction_regime`), unit-tested
 * in tests/unit/conditionality.test.ts.
 */

export enum Conditionality {
  /** No work-related conditionality (IB/IS and ESA volunteers): never doubted. */
  NONE = 'NONE',
  /** Other volunteers: only for not attending or not engaging (002:2182). */
  ATTENDANCE_AND_ENGAGEMENT = 'ATTENDANCE_AND_ENGAGEMENT',
  /** Mandatory participants: every WP08 and WP10. */
  FULL = 'FULL',
}

export function conditionality(group: PaymentGroup, mode: ParticipationMode): Conditionality {
  if (mode === ParticipationMode.MANDATORY) return Conditionality.FULL;
  return NO_CONDITIONALITY_WHEN_VOLUNTARY.includes(group) ? Conditionality.NONE : Conditionality.ATTENDANCE_AND_ENGAGEMENT;
}

/** A row of `sanction_regime`: the lengths in force for a benefit from a date. */
export interface SanctionRegime {
  benefit: Benefit;
  effectiveFrom: string;
  /** The ladder: weeks for a first sanction, a second, … (the last repeats). */
  weeks: number[];
  /** Only earlier sanctions for failures within this many weeks count; all of them when null. */
  repeatWithinWeeks: number | null;
}

/** The regime in force for the benefit on the day of the failure: the latest that started by then. */
export function regimeOn(regimes: readonly SanctionRegime[], benefit: Benefit, day: string): SanctionRegime | null {
  return regimes
    .filter((regime) => regime.benefit === benefit && regime.effectiveFrom <= day)
    .reduce<SanctionRegime | null>((latest, regime) => (!latest || regime.effectiveFrom > latest.effectiveFrom ? regime : latest), null);
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/**
 * The length the regime in force on the failure day suggests, from the applied WP08/WP10 sanctions
 * the exchange holds for earlier failures (a partial history: the Decision Maker sets the length).
 * Null where no regime gives lengths (e.g. ESA, whose sanctions are reductions of another kind).
 */
export function suggestSanctionWeeks(
  regimes: readonly SanctionRegime[],
  benefit: Benefit,
  failedOn: string,
  earlierSanctionDays: readonly string[],
): number | null {
  const regime = regimeOn(regimes, benefit, failedOn);
  if (!regime) return null;
  const counted = earlierSanctionDays.filter(
    (day) => day < failedOn && (regime.repeatWithinWeeks === null || daysBetween(day, failedOn) < regime.repeatWithinWeeks * 7),
  ).length;
  return regime.weeks[Math.min(counted, regime.weeks.length - 1)];
}

import { addDays } from '../../common/dates';
import type { PaymentGroup } from '../contracts/contracts.enums';
import type { ServiceStandardMetric } from './standards.enums';

/**
 * The standards' clocks (DOMAIN.md, "A participant's journey", 6): which set of standards is in
 * force on a day, and which threshold each day of a participant's clock is measured against.
 * Where a clock starts and stops per metric is data (`METRICS` in standards.enums.ts).
 */

/** A published standard, as far as its dates and threshold go. */
export interface DatedStandard {
  version: number;
  metric: ServiceStandardMetric;
  paymentGroup: PaymentGroup | null;
  thresholdDays: number;
  effectiveFrom: string;
  effectiveUntil: string | null;
}

/** A run of days measured against one threshold; `until` null: up to the day measured. */
export interface ThresholdSpan {
  from: string;
  until: string | null;
  days: number;
}

export function inForceOn(standard: DatedStandard, day: string): boolean {
  return standard.effectiveFrom <= day && (standard.effectiveUntil === null || standard.effectiveUntil >= day);
}

/**
 * The set in force on a day. At most one version's set is: publishing a set ends every set
 * that reaches its first day (`lastDayBefore`), so the versions' days never overlap.
 */
export function setInForce<T extends DatedStandard>(standards: readonly T[], day: string): T[] {
  return standards.filter((standard) => inForceOn(standard, day));
}

/** The last day in force of a set still in force on or after `effectiveFrom`, once a set taking effect that day is published. */
export function lastDayBefore(effectiveFrom: string): string {
  return addDays(effectiveFrom, -1);
}

/**
 * The days up to `asOf` on which `standard`, or an earlier version of it (the same metric for
 * the same payment group), was in force, each with its threshold: so a standard published later
 * does not breach the days before it took effect, and a superseded one still measures its own
 * days. Days when no version of it was in force are measured against nothing. Runs that meet with
 * the same threshold are joined, oldest first.
 */
export function thresholdTimeline(standard: DatedStandard, history: readonly DatedStandard[], asOf: string): ThresholdSpan[] {
  const spans = history
    .filter((s) => s.metric === standard.metric && s.paymentGroup === standard.paymentGroup && s.effectiveFrom <= asOf)
    .filter((s) => s.effectiveUntil === null || s.effectiveUntil >= s.effectiveFrom)
    .map((s) => ({ from: s.effectiveFrom, until: s.effectiveUntil !== null && s.effectiveUntil < asOf ? s.effectiveUntil : null, days: s.thresholdDays }))
    .sort((a, b) => a.from.localeCompare(b.from));
  return spans.reduce<ThresholdSpan[]>((joined, span) => {
    const last = joined.at(-1);
    if (last && last.days === span.days && last.until !== null && addDays(last.until, 1) === span.from) last.until = span.until;
    else joined.push({ ...span });
    return joined;
  }, []);
}

/**
 * SQL for the first day a participant is overdue in a gap: after a counting contact (or the
 * clock's start) on day `after`, up to and including day `upTo` (the next counting contact, or
 * the day measured). A day is overdue when more days have passed since `after` than the threshold
 * in force on that day allows (a gap of exactly N days is within): per span, the later of
 * `after` + N + 1 and the span's first day, if that falls within both the gap and the span.
 * NULL: no day of the gap is overdue. `bind` turns a value into a parameter placeholder.
 */
export function firstOverdueDaySql(after: string, upTo: string, spans: readonly ThresholdSpan[], bind: (value: unknown) => string): string {
  // LEAST and GREATEST skip NULLs: an open span (until NULL) is bounded by the gap alone.
  return `least(${spans
    .map((span) => {
      const day = `greatest(${after} + ${bind(span.days)}::int + 1, ${bind(span.from)}::date)`;
      return `CASE WHEN ${day} <= least(${upTo}, ${bind(span.until)}::date) THEN ${day} END`;
    })
    .join(', ')})`;
}

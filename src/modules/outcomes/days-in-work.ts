import { addDays, daysBetween } from '../../common/dates';

/** A spell in work; an open spell (no end) lasts to whatever day is being asked about. */
export interface Spell {
  startedOn: string;
  endedOn: string | null;
}

/** The spells within `from`..`to` (both included), clipped to it, in date order, a day never counted twice. */
function inWindow(spells: Spell[], from: string, to: string): Array<{ start: string; end: string }> {
  const clipped = spells
    .map((spell) => ({ start: spell.startedOn > from ? spell.startedOn : from, end: spell.endedOn !== null && spell.endedOn < to ? spell.endedOn : to }))
    .filter((spell) => spell.end >= spell.start)
    .sort((a, b) => a.start.localeCompare(b.start));
  const merged: Array<{ start: string; end: string }> = [];
  for (const spell of clipped) {
    const last = merged.at(-1);
    if (last && spell.start <= addDays(last.end, 1)) {
      if (spell.end > last.end) last.end = spell.end;
    } else {
      merged.push({ ...spell });
    }
  }
  return merged;
}

/** Days in work from `from` to `to`, both included, across the spells: a series of short jobs counts as well as one long one. */
export function daysInWork(spells: Spell[], from: string, to: string): number {
  return inWindow(spells, from, to).reduce((days, spell) => days + daysBetween(spell.start, spell.end) + 1, 0);
}

/** The day, from `from` to `to`, on which the days in work first reach `needed`; null if they do not. */
export function dayReaching(spells: Spell[], from: string, to: string, needed: number): string | null {
  let days = 0;
  for (const spell of inWindow(spells, from, to)) {
    const length = daysBetween(spell.start, spell.end) + 1;
    if (days + length >= needed) return addDays(spell.start, needed - days - 1);
    days += length;
  }
  return null;
}

/**
 * The first day from `from` to `to` (both included) not in work, or null when in work throughout;
 * a gap of at most `gapDays` between two jobs does not count (job changes are normal, 002:2724).
 * Spells are read `gapDays` either side of the period: a gap reaching that far is longer than allowed.
 */
export function firstDayOutOfWork(spells: Spell[], from: string, to: string, gapDays = 0): string | null {
  const windowEnd = addDays(to, gapDays);
  let uncovered = addDays(from, -gapDays);
  // A sentinel spell after the window closes the last gap.
  for (const spell of [...inWindow(spells, uncovered, windowEnd), { start: addDays(windowEnd, 1), end: addDays(windowEnd, 1) }]) {
    if (spell.start > uncovered && daysBetween(uncovered, spell.start) > gapDays && spell.start > from && uncovered <= to) {
      return uncovered > from ? uncovered : from;
    }
    if (spell.end >= uncovered) uncovered = addDays(spell.end, 1);
  }
  return null;
}

/** Whether two spells share a day. */
export function overlaps(a: Spell, b: Spell): boolean {
  return (a.endedOn === null || a.endedOn >= b.startedOn) && (b.endedOn === null || b.endedOn >= a.startedOn);
}

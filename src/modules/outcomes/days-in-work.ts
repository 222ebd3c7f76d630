import { addDays, daysBetween } from '../../common/dates';

/** A spell in work; an open spell (no end) lasts to whatever day is being asked about. */
export interface Spell {
  startedOn: string;
  endedOn: string | null;
}

/**
 * Days in work from `from` to `to`, both included, across the spells (which never overlap):
 * a series of short jobs counts as well as one long one.
 */
export function daysInWork(spells: Spell[], from: string, to: string): number {
  let days = 0;
  for (const spell of spells) {
    const start = spell.startedOn > from ? spell.startedOn : from;
    const end = spell.endedOn !== null && spell.endedOn < to ? spell.endedOn : to;
    if (end >= start) days += daysBetween(start, end) + 1;
  }
  return days;
}

/** The first day from `from` to `to` (both included) not in work, or null when in work throughout. */
export function firstDayOutOfWork(spells: Spell[], from: string, to: string): string | null {
  let day = from;
  const ordered = [...spells].sort((a, b) => a.startedOn.localeCompare(b.startedOn));
  for (const spell of ordered) {
    if (spell.startedOn > day) break;
    if (spell.endedOn === null || spell.endedOn >= to) return null;
    if (spell.endedOn >= day) day = addDays(spell.endedOn, 1);
  }
  return day <= to ? day : null;
}

/** Whether two spells share a day. */
export function overlaps(a: Spell, b: Spell): boolean {
  return (a.endedOn === null || a.endedOn >= b.startedOn) && (b.endedOn === null || b.endedOn >= a.startedOn);
}

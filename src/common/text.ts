import { ErrorCode } from './error-codes';
import { type UserError, assertNoUserErrors, userError } from './user-error';

/** Free text as stored: trimmed, and null when nothing is left. */
export const trimmed = (value: string | null | undefined): string | null => value?.trim() || null;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s()-]+$/;

/** The shape of an email address (what a person mistypes, not whether it is delivered to). */
export const isEmail = (value: string): boolean => EMAIL.test(value.trim());

/** A UK or international phone number as people write it: 7 to 15 digits. */
export function isPhone(value: string): boolean {
  const digits = value.replace(/\D/g, '').length;
  return PHONE.test(value.trim()) && digits >= 7 && digits <= 15;
}

/**
 * A restricted (MAPPA) record is held as a minimal record (002:1220, 002:1377): no free text and no
 * employer name anywhere. One error per field given, at `path` + the field.
 */
export function restrictedFreeText(restricted: boolean, given: Record<string, string | null | undefined>, path: Array<string | number> = []): UserError[] {
  if (!restricted) return [];
  return Object.entries(given)
    .filter(([, value]) => trimmed(value))
    .map(([field]) => userError(ErrorCode.RESTRICTED_RECORD_FREE_TEXT, `A restricted (MAPPA) record takes no free text: leave out ${field}`, [...path, field]));
}

/**
 * A reason the caller must give (REASON_REQUIRED, `required` saying what), except on a restricted
 * (MAPPA) record, which takes none at all: there the reason enums and dates speak.
 */
export function reasonText(restricted: boolean, value: string | null | undefined, field: string, required: string): string | null {
  const errors = restrictedFreeText(restricted, { [field]: value });
  if (!restricted && !trimmed(value)) errors.push(userError(ErrorCode.REASON_REQUIRED, required, [field]));
  assertNoUserErrors(errors);
  return restricted ? null : trimmed(value);
}

/** The fewest single-character insertions, deletions and changes that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 2);

/**
 * The names close to `input`, closest first, without regard to letter case. Names are compared
 * without the `common` words (those most of them have, e.g. "Jobcentre", "Plus"): close when
 * within an edit for every three characters, when one contains the other, or when they share a
 * word (with a typing slip allowed in words of five letters or more).
 */
export function closeMatches(input: string, names: readonly string[], options: { common?: string[]; limit?: number } = {}): string[] {
  const common = new Set(options.common?.map((word) => word.toLowerCase()));
  const distinctive = (text: string) => words(text).filter((word) => !common.has(word));
  const wantedWords = distinctive(input);
  const wanted = wantedWords.join(' ');
  const alike = (a: string, b: string) => a === b || (a.length >= 5 && b.length >= 5 && editDistance(a, b) <= 1);
  return names
    .map((name) => {
      const nameWords = distinctive(name);
      const plain = nameWords.join(' ');
      const distance = editDistance(wanted, plain);
      const close =
        distance <= Math.max(1, Math.floor(wanted.length / 3)) ||
        plain.includes(wanted) ||
        wanted.includes(plain) ||
        nameWords.some((word) => wantedWords.some((other) => alike(word, other)));
      return { name, distance, close };
    })
    .filter(({ close }) => close)
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, options.limit ?? 5)
    .map(({ name }) => name);
}

/**
 * National Insurance numbers as HMRC allocates them: two prefix letters, six digits, a suffix
 * A–D. Neither prefix letter is D, F, I, Q, U or V; the second is not O; and the prefixes BG, GB,
 * KN, NK, NT, TN and ZZ are never allocated.
 */
const SHAPE = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$/;
const UNALLOCATED_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** Upper case without spaces, as people write it ("qq 12 34 56 c"). */
export function normaliseNino(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

export function isValidNino(value: string): boolean {
  const match = SHAPE.exec(normaliseNino(value));
  return match !== null && !UNALLOCATED_PREFIXES.has(match[1] + match[2]);
}

/** Free text as stored: trimmed, and null when nothing is left. */
export const trimmed = (value: string | null | undefined): string | null => value?.trim() || null;

import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as `YYYY-MM-DD`; true only for days that exist (no 2023-02-29). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new GraphQLError(`Date must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** Dates travel as strings end to end: PostgreSQL `date` ↔ `YYYY-MM-DD`, so no time zone can shift a day. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** The longest instant ISO 8601 writes ("+275760-09-13T00:00:00.000+00:00" is 32): nothing longer is parsed. */
const MAX_DATE_TIME_LENGTH = 40;

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && value.length <= MAX_DATE_TIME_LENGTH ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value as string)) {
    throw new GraphQLError(`DateTime must be an ISO 8601 date and time, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 in UTC',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parsePence(value: unknown): bigint {
  if (typeof value !== 'string' || !/^-?\d{1,20}$/.test(value)) {
    throw new GraphQLError(`Pence is a whole number of pence as a string of digits, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return BigInt(value);
}

/**
 * Money, exactly: whole pence as a string of digits. A national total passes what GraphQL's Int
 * holds (2^31 - 1 pence, about £21 million) and, in principle, what a JSON number holds exactly.
 */
export const PenceScalar = new GraphQLScalarType<bigint, string>({
  name: 'Pence',
  description:
    'An amount of money in whole pence, as a string of decimal digits (e.g. "120000" for £1,200.00). A string, because a total can pass what a GraphQL Int holds (2^31 - 1 pence, about £21 million) and a JSON number holds exactly only up to 2^53: read it as a big integer or a decimal, never as a floating-point number.',
  serialize: (value) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    throw new TypeError(`Not a whole number of pence: ${String(value)}`);
  },
  parseValue: parsePence,
  parseLiteral: (ast) => parsePence(ast.kind === Kind.STRING ? ast.value : undefined),
});

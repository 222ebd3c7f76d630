import { QueryFailedError } from 'typeorm';

/** True when `error` is PostgreSQL's unique_violation on `constraint` (an index or constraint name). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}

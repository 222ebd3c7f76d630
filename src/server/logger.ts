import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Request logs carry a request id, method, path and status only:
 * never headers (the API key), bodies or variables (personal data).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'scx' }, serializers: { err: safeError } }, destination);
}

/**
 * Errors are logged by kind, message, code and stack only: a failed query's error also carries
 * its SQL parameters and PostgreSQL's `detail` (e.g. the duplicate key), which can be personal data.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const cause = (error as { driverError?: { code?: string }; originalError?: unknown }).originalError;
  if (cause instanceof Error && cause !== error) return safeError(cause);
  return {
    type: error.name,
    message: error.message,
    code: (error as { driverError?: { code?: string } }).driverError?.code,
    stack: error.stack,
  };
}

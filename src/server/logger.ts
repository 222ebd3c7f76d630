import { types } from 'node:util';
import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Request logs carry a request id, method, path and status only:
 * never headers (the API key), bodies or variables (personal data).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'scx' }, serializers: { err: safeError } }, destination);
}

type ErrorFields = Error & { code?: unknown; driverError?: { code?: unknown }; originalError?: unknown };

/**
 * Errors are logged by type, message, code and stack only: a failed query's error also carries
 * its SQL parameters and PostgreSQL's `detail` (e.g. the duplicate key), which can be personal data.
 * It takes the error itself (pino-http must not wrap it: see app.ts), of this realm or another.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error || types.isNativeError(error))) return { message: String(error) };
  const { originalError, driverError } = error as ErrorFields;
  if ((originalError instanceof Error || types.isNativeError(originalError)) && originalError !== error) return safeError(originalError);
  const code = driverError?.code ?? (error as ErrorFields).code;
  // A data exception (SQLSTATE class 22) quotes the value it could not take: a parameter.
  const message = typeof code === 'string' && code.startsWith('22') ? error.message.replace(/"[^"]*"/g, '"…"') : error.message;
  return {
    type: error.name,
    message,
    code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    stack: error.stack?.replace(error.message, message),
  };
}

import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Request logs carry a request id, method, path and status only:
 * never headers (the API key), bodies or variables (personal data).
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'scx' }, redact: ['req.headers', 'authorization'] });
}

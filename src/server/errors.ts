import type express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { LIMIT_CODES } from './limits';

/** Codes a client can act on pass through; anything else is a fault and is masked. */
export const CLIENT_ERROR_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  // A figure withheld under the disclosure threshold (allocationCheck's deprecated non-null fields).
  'WITHHELD',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  ...LIMIT_CODES,
  // The client went away: nobody reads the answer, and nothing failed.
  'REQUEST_ABORTED',
]);

/**
 * graphql-js stops coercing variables after 50 errors with this error, which carries no code (nor
 * the variable's node Apollo recognises its coercion errors by): the caller's variables are wrong,
 * so it is BAD_USER_INPUT like the 50 before it, not a fault (found by tests/e2e/mutation-inputs.test.ts).
 */
const VARIABLES_ERROR_LIMIT = 'Too many errors processing variables, error limit reached. Execution aborted.';

/** The code an error is answered with: its own, or BAD_USER_INPUT for graphql-js's variables error limit. */
export function errorCode(error: { message: string; extensions?: { code?: unknown } }): unknown {
  // By formatError, Apollo has given it INTERNAL_SERVER_ERROR: the message is what tells it.
  return error.message === VARIABLES_ERROR_LIMIT ? 'BAD_USER_INPUT' : error.extensions?.code;
}

export const isClientError = (error: { message: string; extensions?: { code?: unknown } }): boolean => {
  const code = errorCode(error);
  return typeof code === 'string' && CLIENT_ERROR_CODES.has(code);
};

/** graphql-js's "Did you mean …?" hints name fields, types and values of the schema. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * Masks faults: the client learns only that something failed, never a message or stack from
 * inside. With `hideSchemaDetails` (production) client errors lose graphql-js's suggestions too.
 */
export function errorFormatter(options: { hideSchemaDetails: boolean }): (formatted: GraphQLFormattedError) => GraphQLFormattedError {
  return (formatted) => {
    if (!isClientError(formatted)) {
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    const known = { ...formatted, extensions: { ...formatted.extensions, code: errorCode(formatted) } };
    return options.hideSchemaDetails ? { ...known, message: known.message.replace(SUGGESTION, '') } : known;
  };
}

/** A GraphQL-shaped refusal of the whole request, for the answers given before Apollo. */
export function requestError(res: express.Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  // Refused before its body was read (no key, rate-limited, too large): Node would read the rest
  // to keep the connection alive, megabytes of an attacker's body for nothing. Closing the
  // connection after the answer costs an honest client one new connection.
  if (!res.req.complete) res.setHeader('Connection', 'close');
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

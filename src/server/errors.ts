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

export const isClientError = (code: unknown): boolean => typeof code === 'string' && CLIENT_ERROR_CODES.has(code);

/** graphql-js's "Did you mean …?" hints name fields, types and values of the schema. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * Masks faults: the client learns only that something failed, never a message or stack from
 * inside. With `hideSchemaDetails` (production) client errors lose graphql-js's suggestions too.
 */
export function errorFormatter(options: { hideSchemaDetails: boolean }): (formatted: GraphQLFormattedError) => GraphQLFormattedError {
  return (formatted) => {
    if (!isClientError(formatted.extensions?.code)) {
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return options.hideSchemaDetails ? { ...formatted, message: formatted.message.replace(SUGGESTION, '') } : formatted;
  };
}

/** A GraphQL-shaped refusal of the whole request, for the answers given before Apollo. */
export function requestError(res: express.Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

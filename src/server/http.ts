import express from 'express';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, OperationTypeNode } from 'graphql';
import type { Authentication } from '../auth/authenticate';
import type { Actor } from '../modules/audit/actor';
import type { RequestViewer } from '../modules/context';
import { checkBudget, checkJsonInput, limitError, parseDocument } from './budget';
import { requestError } from './errors';
import type { Limits } from './limits';

/**
 * What the guards of POST/GET /graphql leave for the context (res.locals): who asks, a signal
 * that aborts when the client goes away before the answer, and the actor the audit records.
 */
export interface GraphQLLocals {
  viewer: RequestViewer;
  signal: AbortSignal;
  /** Who acts, for the audit trail: the request's transactions and its context share this object. */
  actor: Actor;
  /** The operation's type, once admitted: unknown when Apollo is left to refuse a request without a document. */
  operationType?: OperationTypeNode;
}

export const graphqlLocals = (res: express.Response): GraphQLLocals => res.locals as GraphQLLocals;

/**
 * Refuses a request without a usable key before its body is read, let alone parsed as GraphQL:
 * 401 UNAUTHENTICATED with the reason (MISSING, MALFORMED, UNKNOWN, REVOKED, EXPIRED), or 429
 * RATE_LIMITED with Retry-After. The viewer goes to the context (no second look-up), and the
 * request's logger carries the organisation and key ids from here on (never the secret).
 */
export function requireApiKey(authenticate: (authorization: unknown) => Promise<Authentication<RequestViewer>>): express.RequestHandler {
  return async (req, res, next) => {
    const result = await authenticate(req.headers.authorization);
    if ('viewer' in result) {
      graphqlLocals(res).viewer = result.viewer;
      req.log = req.log.child({ organisationId: result.viewer.organisation.id, apiKeyId: result.viewer.apiKeyId });
      return next();
    }
    if (result.failure === 'RATE_LIMITED') {
      const retryAfterSeconds = result.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(result.retryAfterSeconds));
      if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
      return requestError(res, 429, 'RATE_LIMITED', result.message, { reason: result.failure, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) });
    }
    res.setHeader('WWW-Authenticate', 'Bearer');
    requestError(res, 401, 'UNAUTHENTICATED', result.message, { reason: result.failure });
  };
}

function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined; // Apollo refuses it, saying why
  }
}

/** The operation as Apollo will read it: the JSON body of a POST, the search parameters of a GET. */
function operationOf(req: express.Request): { query?: unknown; variables?: unknown; extensions?: unknown } {
  if (req.method === 'GET') {
    const search = req.query as Record<string, unknown>;
    return { query: search.query, variables: parsedJson(search.variables), extensions: parsedJson(search.extensions) };
  }
  return typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

/**
 * The request budget over HTTP, before Apollo parses or validates anything: bounded variables
 * (BAD_USER_INPUT), then the document's tokens, operations, top-level fields, aliases, depth and
 * cost (src/server/budget.ts). A refusal is 400 with GraphQL errors naming the limit. What is
 * not a GraphQL request at all (no query, a batch) goes on to Apollo, which refuses it.
 */
export function admitOperation(schema: GraphQLSchema, limits: Limits, format: (error: GraphQLFormattedError) => GraphQLFormattedError): express.RequestHandler {
  const refuse = (res: express.Response, errors: GraphQLError[]) => res.status(400).json({ errors: errors.map((error) => format(error.toJSON())) });
  return (req, res, next) => {
    const { query, variables, extensions } = operationOf(req);
    const inputError = checkJsonInput(variables, 'variables', limits) ?? checkJsonInput(extensions, 'extensions', limits);
    if (inputError) return refuse(res, [inputError]);
    if (typeof query !== 'string' || query === '') return next();
    const document = parseDocument(query, limits);
    if (document instanceof GraphQLError) return refuse(res, [document]);
    const budget = checkBudget(schema, document, variables as Record<string, unknown> | undefined, limits);
    if ('errors' in budget) return refuse(res, budget.errors);
    if (budget.operation.operation === OperationTypeNode.SUBSCRIPTION) {
      return refuse(res, [limitError('BAD_REQUEST', 'Subscriptions run over WebSocket (graphql-transport-ws) on this path, not over HTTP')]);
    }
    graphqlLocals(res).operationType = budget.operation.operation;
    next();
  };
}

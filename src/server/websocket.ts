import type http from 'node:http';
import {
  type ExecutionArgs,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  OperationTypeNode,
  getOperationAST,
  specifiedRules,
  validate,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Authentication, type Refusal, failure } from '../auth/authenticate';
import type { InboxFeed } from '../modules/inbox/inbox-feed';
import { PersonReads, operationLabel } from '../modules/audit/person-reads';
import { checkBudget, checkJsonInput, limitError, parseDocument } from './budget';
import type { RequestContext, RequestViewer } from '../modules/context';
import { isClientError } from './errors';
import type { Limits } from './limits';
import { DeliveryFault, subscribeShared } from './shared-delivery';

/** One accepted graphql-ws connection. */
interface Session {
  socket: WebSocket;
  viewer: RequestViewer;
  /** Its Authorization value, checked again when announcements of revoked keys may have been missed. */
  authorization: string;
  /** Ids of its running subscriptions. */
  subscriptions: Set<string>;
  expiry?: NodeJS.Timeout;
}

const refusal = (reason: Refusal['failure']) => failure(reason);

/** Longest close reason the WebSocket protocol carries (123 bytes); ours are ASCII. */
const MAX_CLOSE_REASON = 123;
/** setTimeout's longest delay (about 24.8 days); a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const DELIVERY_FAULT: GraphQLFormattedError = {
  message: 'Internal server error: this item could not be delivered; subscribe again after the last cursor you handled',
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
};

/**
 * Close code and reason for a key that cannot (or can no longer) be used: 4401 Unauthorized for
 * a missing, malformed, unknown, revoked or expired key (graphql-ws clients do not retry it),
 * 4403 Forbidden when rate limited (they retry later). The reason starts with the failure.
 */
function closeFor(refusal: Refusal): [number, string] {
  const retry = refusal.retryAfterSeconds === undefined ? '' : `; retry after ${Math.max(1, Math.ceil(refusal.retryAfterSeconds))} s`;
  const code = refusal.failure === 'RATE_LIMITED' ? CloseCode.Forbidden : CloseCode.Unauthorized;
  return [code, `${refusal.failure}: ${refusal.message}${retry}`.slice(0, MAX_CLOSE_REASON)];
}

/** The `authorization` connection parameter, whatever the case of its name (GraphiQL sends `Authorization`). */
function authorizationParam(params: Record<string, unknown> | undefined): unknown {
  return Object.entries(params ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
}

/** This process's sessions by API key, for the caps and for ending a key's sessions at once. */
class Sessions {
  private readonly byKey = new Map<string, Set<Session>>();

  of(apiKeyId: string): ReadonlySet<Session> {
    return this.byKey.get(apiKeyId) ?? new Set();
  }

  all(): Session[] {
    return [...this.byKey.values()].flatMap((sessions) => [...sessions]);
  }

  subscriptionsOf(apiKeyId: string): number {
    let running = 0;
    for (const session of this.of(apiKeyId)) running += session.subscriptions.size;
    return running;
  }

  add(session: Session): void {
    const sessions = this.byKey.get(session.viewer.apiKeyId) ?? new Set();
    sessions.add(session);
    this.byKey.set(session.viewer.apiKeyId, sessions);
  }

  remove(session: Session): void {
    clearTimeout(session.expiry);
    const sessions = this.byKey.get(session.viewer.apiKeyId);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byKey.delete(session.viewer.apiKeyId);
  }
}

export interface WebSocketOptions {
  schema: GraphQLSchema;
  /** authenticateRequest, as HTTP requests are authenticated. */
  authenticate: (authorization: unknown) => Promise<Authentication<RequestViewer>>;
  feed: InboxFeed;
  log: Logger;
  limits: Limits;
  /** Introspection over WebSocket exactly as over HTTP. */
  introspection: boolean;
  /** The same masking as HTTP answers (errorFormatter). */
  format: (error: GraphQLFormattedError) => GraphQLFormattedError;
  /**
   * A subscription's context: one per subscription, its loaders batching but never caching;
   * `operation` names it in the audit trail (its name, or "subscription" when anonymous).
   */
  context: (viewer: RequestViewer, operation: string | null) => RequestContext;
}

/**
 * graphql-ws on `path` of the HTTP server: keys checked once per connection (and again when a
 * revocation may have been missed), sessions of a revoked or expired key ended at once, the
 * request budget and the same validation as HTTP for each subscription, subscriptions only, and
 * one resolution of an inbox item shared by the subscribers of one key, document and variables.
 */
export function startWebSocketServer(httpServer: http.Server, path: string, options: WebSocketOptions): { dispose(): Promise<void> } {
  const { schema, authenticate, feed, log, limits, format } = options;
  const rules = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const sessions = new Sessions();
  const shareKeys = new WeakMap<ExecutionArgs, string>();

  const end = (session: Session, refusal: Refusal) => {
    log.info({ apiKeyId: session.viewer.apiKeyId, reason: refusal.failure }, 'WebSocket session ended');
    session.socket.close(...closeFor(refusal));
  };

  const armExpiry = (session: Session) => {
    const { expiresAt } = session.viewer;
    if (!expiresAt) return;
    const wait = expiresAt.getTime() - Date.now();
    session.expiry = setTimeout(() => (wait > MAX_TIMER_MS ? armExpiry(session) : end(session, refusal('EXPIRED'))), Math.min(Math.max(wait, 0), MAX_TIMER_MS));
    session.expiry.unref();
  };

  // Announcements are lost while the feed's connection is down: ask again about every open key.
  const recheck = async () => {
    const byAuthorization = new Map<string, Session[]>();
    for (const session of sessions.all()) {
      const same = byAuthorization.get(session.authorization) ?? [];
      byAuthorization.set(session.authorization, [...same, session]);
    }
    for (const [authorization, open] of byAuthorization) {
      const result = await authenticate(authorization).catch((error: unknown) => {
        log.warn({ err: error }, 'could not check an open WebSocket session\'s key again');
        return null;
      });
      if (result && 'failure' in result && result.failure !== 'RATE_LIMITED') open.forEach((session) => end(session, result));
    }
  };
  feed.watchApiKeys({
    revoked: (apiKeyId) => sessions.of(apiKeyId).forEach((session) => end(session, refusal('REVOKED'))),
    resync: () => void recheck(),
  });

  /** Log what is a fault (once), mask everything as HTTP answers are masked. */
  const mask = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => {
      if (error.originalError instanceof DeliveryFault) return DELIVERY_FAULT;
      if (!isClientError(error)) log.error({ err: error.originalError ?? error, path: error.path }, 'fault in a subscription');
      return format(error.toJSON());
    });

  const admit = (session: Session, query: string, variables: Record<string, unknown> | null | undefined, operationName: string | null | undefined) => {
    const { apiKeyId } = session.viewer;
    if (session.subscriptions.size >= limits.maxSubscriptionsPerConnection) {
      return [limitError('TOO_MANY_SUBSCRIPTIONS', `This connection runs ${session.subscriptions.size} subscriptions; the limit is ${limits.maxSubscriptionsPerConnection}`)];
    }
    const running = sessions.subscriptionsOf(apiKeyId);
    if (running >= limits.maxSubscriptionsPerKey) {
      return [limitError('TOO_MANY_SUBSCRIPTIONS', `This API key runs ${running} subscriptions on this server; the limit is ${limits.maxSubscriptionsPerKey}`)];
    }
    const inputError = checkJsonInput(variables, 'variables', limits);
    if (inputError) return [inputError];
    const document = parseDocument(query, limits);
    if (document instanceof GraphQLError) return [document];
    const budget = checkBudget(schema, document, variables, limits);
    if ('errors' in budget) return budget.errors;
    const invalid = validate(schema, document, rules);
    if (invalid.length) {
      return invalid.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
    }
    const { operation } = budget;
    if (operationName && operation.name?.value !== operationName) {
      return [new GraphQLError(`Unknown operation named "${operationName}"`, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
    }
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [new GraphQLError('Over WebSocket only subscriptions are accepted: send queries and mutations with POST /graphql', { extensions: { code: 'BAD_REQUEST' } })];
    }
    return document;
  };

  const wsServer = new WebSocketServer({ server: httpServer, path, maxPayload: limits.maxWebSocketPayloadBytes });
  const server = useServer<Record<string, unknown> | undefined, { session: Session }>(
    {
      schema,
      onConnect: async (ctx) => {
        const authorization = authorizationParam(ctx.connectionParams);
        let result: Authentication<RequestViewer>;
        try {
          result = await authenticate(authorization);
        } catch (error) {
          log.error({ err: error }, 'fault authenticating a WebSocket connection');
          throw new Error('Internal server error', { cause: error });
        }
        const { socket } = ctx.extra;
        if ('failure' in result) {
          socket.close(...closeFor(result));
          return false;
        }
        const { apiKeyId } = result.viewer;
        if (sessions.of(apiKeyId).size >= limits.maxConnectionsPerKey) {
          socket.close(1008, `Too many connections for this API key on this server; the limit is ${limits.maxConnectionsPerKey}`);
          return false;
        }
        const session: Session = { socket, viewer: result.viewer, authorization: authorization as string, subscriptions: new Set() };
        sessions.add(session);
        armExpiry(session);
        ctx.extra.session = session;
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.session) sessions.remove(ctx.extra.session);
      },
      onSubscribe: (ctx, id, payload) => {
        const session = ctx.extra.session!;
        const admitted = admit(session, payload.query, payload.variables, payload.operationName);
        if (Array.isArray(admitted)) return admitted;
        session.subscriptions.add(id);
        const args: ExecutionArgs = {
          schema,
          document: admitted,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: options.context(session.viewer, operationLabel(getOperationAST(admitted, payload.operationName))),
        };
        shareKeys.set(args, JSON.stringify([session.viewer.apiKeyId, payload.query, payload.operationName ?? null, payload.variables ?? null]));
        return args;
      },
      subscribe: (args) =>
        subscribeShared(args, shareKeys.get(args)!, {
          isFault: (error) => !isClientError(error),
          onFault: (faults) => faults.forEach((error) => log.error({ err: error.originalError ?? error, path: error.path }, 'fault delivering an inbox item')),
          // Each resolution collects the reads of people it makes; each subscription that receives
          // the item records them as its own before the item leaves (one key shares a resolution,
          // so a read is always credited to the key that received it).
          resolutionContext: (context) => {
            const subscriber = context as RequestContext;
            return { ...subscriber, audit: new PersonReads(subscriber.audit.actor) };
          },
          beforeDelivery: async (subscriber, resolution) => {
            const { db, audit } = subscriber as RequestContext;
            await (resolution as RequestContext).audit.recordAs(db, audit.actor);
          },
        }),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: mask(result.errors) } : undefined),
      onError: (ctx, id, _payload, errors) => {
        ctx.extra.session?.subscriptions.delete(id);
        return mask(errors);
      },
      onComplete: (ctx, id) => {
        ctx.extra.session?.subscriptions.delete(id);
      },
    },
    wsServer,
  );
  // A client breaking the protocol (a frame over maxPayload, a bad frame): ws closes its socket
  // (1009, 1002…) and emits 'error'. graphql-ws would print that to the console as an internal
  // error of ours; it is the client's, and goes to the log.
  wsServer.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error) => log.info({ err: error }, 'WebSocket client broke the protocol'));
  });
  return { dispose: async () => server.dispose() };
}

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { type GraphQLError, type GraphQLFormattedError, getOperationAST } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/authenticate';
import type { FieldCipher } from '../db/field-encryption';
import { InboxFeed } from '../events/inbox-feed';
import { actingAs, currentActor } from '../modules/audit/actor';
import { auditPlugin, operationLabel } from '../modules/audit/person-reads';
import { DEFAULT_DISCLOSURE_THRESHOLD, DEFAULT_RATE_LIMIT, type RateLimit } from '../config';
import { type RequestContext, createContext } from './context';
import { DASHBOARD_PATH, dashboard } from './dashboard';
import { GRAPHIQL_ASSET_PATH, GRAPHIQL_HTML, graphiqlAssets } from './graphiql';
import { safeError } from './logger';
import { buildScxSchema } from './schema';

export interface ScxServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes WebSockets. The database is the caller's. */
  stop(): Promise<void>;
}

// Codes a client can act on pass through; anything else is a fault and is masked.
const CLIENT_ERROR_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const isClientError = (code: unknown) => typeof code === 'string' && CLIENT_ERROR_CODES.has(code);

/** Masks faults: the client learns only that something failed, never a message or stack from inside. */
function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (isClientError(formatted.extensions?.code)) return formatted;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** The same for WebSocket operations, which Apollo's pipeline does not see: log the fault, mask it. */
function maskForSubscriber(log: Logger, errors: readonly GraphQLError[]): GraphQLFormattedError[] {
  return errors.map((error) => {
    if (!isClientError(error.extensions?.code)) log.error({ err: error.originalError ?? error, path: error.path }, 'fault in a subscription');
    return formatError(error.toJSON());
  });
}

/** Any character a PostgreSQL text column cannot hold (NUL), anywhere in a request's variables or query. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  return typeof value === 'object' && value !== null && Object.values(value).some(holdsNul);
}

function requestError(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** Logs the faults that formatError masks, with the request's id (its context's logger). */
const logFaults: ApolloServerPlugin<RequestContext> = {
  requestDidStart: async () => ({
    didEncounterErrors: async ({ errors, contextValue }) => {
      for (const error of errors) {
        if (!isClientError(error.extensions?.code)) {
          contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'fault in a GraphQL operation');
        }
      }
    },
  }),
};

async function isReady(db: DataSource): Promise<boolean> {
  try {
    return db.isInitialized && !(await db.showMigrations());
  } catch {
    return false;
  }
}

export async function startServer(options: {
  db: DataSource;
  cipher: FieldCipher;
  port: number;
  log: Logger;
  host?: string;
  /** Performance counts below this are withheld (SCX_DISCLOSURE_THRESHOLD). */
  disclosureThreshold?: number;
  /** Requests per window and key (SCX_RATE_LIMIT_*), counted in the database across processes. */
  rateLimit?: RateLimit;
}): Promise<ScxServer> {
  const { db, cipher, log } = options;
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const disclosureThreshold = options.disclosureThreshold ?? DEFAULT_DISCLOSURE_THRESHOLD;
  const schema = await buildScxSchema();
  const inbox = new InboxFeed(db, (db.options as PostgresConnectionOptions).url!, log);
  await inbox.start();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<{ authorization?: unknown }>(
    {
      schema,
      // A subscriber proves who it is once, when it connects.
      onConnect: async (ctx) => {
        try {
          const viewer = await authenticate(db, ctx.connectionParams?.authorization, rateLimit);
          if (!viewer) return false;
          (ctx.extra as { viewer?: unknown }).viewer = viewer;
          return true;
        } catch (error) {
          log.error({ err: error }, 'fault authenticating a WebSocket connection');
          throw new Error('Internal server error', { cause: error });
        }
      },
      onNext: async (_ctx, _id, _payload, args, result) => {
        // Each delivered item's reads of people are recorded before it leaves.
        await (args.contextValue as RequestContext).audit.flush(db);
        return result.errors ? { ...result, errors: maskForSubscriber(log, result.errors) } : undefined;
      },
      onError: (_ctx, _id, _payload, errors) => maskForSubscriber(log, errors),
      // One context per subscription, alive as long as it: its loaders batch but never cache.
      context: (ctx, _id, payload, args): RequestContext =>
        createContext(
          {
            requestId: randomUUID(),
            viewer: (ctx.extra as { viewer?: RequestContext['viewer'] }).viewer ?? null,
            db,
            cipher,
            inbox,
            disclosureThreshold,
            log,
          },
          { cacheLoaders: false, operation: operationLabel(getOperationAST(args.document, payload.operationName)) },
        ),
    },
    wsServer,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // src/main.ts owns SIGTERM/SIGINT: it stops this server, then the database, then exits.
    stopOnTerminationSignals: false,
    formatError,
    plugins: [
      logFaults,
      auditPlugin,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Subscribers are told the server is going (close 1001) and the feed stops listening.
      { serverWillStart: async () => ({ drainServer: async () => { await wsCleanup.dispose(); await inbox.close(); } }) },
    ],
  });
  await apollo.start();

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        err: safeError,
        // The path only: a GET query string can carry variables, and variables personal data.
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await isReady(db);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  app.use(GRAPHIQL_ASSET_PATH, graphiqlAssets());
  app.use(DASHBOARD_PATH, dashboard());
  app.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html') return next();
    res.type('html').send(GRAPHIQL_HTML);
  });
  app.use(
    '/graphql',
    express.json({ limit: '10mb' }),
    (req, res, next) => {
      if (holdsNul(req.body)) return requestError(res, 400, 'BAD_USER_INPUT', 'Text may not contain NUL (\\u0000) characters');
      next();
    },
    // Everything this request does runs as its actor, for the audit trail.
    (req, _res, next) => actingAs({ requestId: String(req.id), apiKeyId: null, organisationId: null, operation: null }, next),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        createContext(
          {
            requestId: String(req.id),
            viewer: await authenticate(db, req.headers.authorization, rateLimit),
            db,
            cipher,
            inbox,
            disclosureThreshold,
            log: req.log,
          },
          { actor: currentActor() },
        ),
    }),
  );

  // A body that is not JSON, or too large, gets a GraphQL-shaped answer: never an HTML page with a stack.
  app.use((error: { type?: string; status?: number }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (error.type === 'entity.parse.failed') return requestError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
    if (error.type === 'entity.too.large') return requestError(res, 413, 'BAD_REQUEST', 'The request body is larger than 10 MB');
    if (error.status && error.status < 500) return requestError(res, error.status, 'BAD_REQUEST', 'The request could not be read');
    req.log.error({ err: error }, 'fault handling a request');
    requestError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    port,
    url: `http://localhost:${port}/graphql`,
    stop: () => apollo.stop(),
  };
}

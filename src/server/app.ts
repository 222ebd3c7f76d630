import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { OperationTypeNode } from 'graphql';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { authenticateRequest } from '../auth/authenticate';
import type { FieldCipher } from '../db/field-encryption';
import { InboxFeed } from '../modules/inbox/inbox-feed';
import { actingAs } from '../modules/audit/actor';
import { auditPlugin } from '../modules/audit/person-reads';
import { abortWhenClientLeaves } from './abort';
import { type RequestContext, type RequestViewer, createContext } from '../modules/context';
import { keyLookup } from '../modules/identity/identity.service';
import type { RateLimit } from '../modules/identity/rate-limit';
import { DEFAULT_DISCLOSURE_THRESHOLD } from '../modules/performance/suppression';
import { DASHBOARD_PATH, dashboard } from './dashboard';
import { errorFormatter, isClientError, requestError } from './errors';
import { GRAPHIQL_ASSET_PATH, graphiqlAssets, graphiqlPage } from './graphiql';
import { admitOperation, graphqlLocals, requireApiKey } from './http';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { safeError } from './logger';
import { buildScxSchema } from './schema';
import { securityHeaders } from './security';
import { startWebSocketServer } from './websocket';

export interface ScxServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes WebSockets. The database is the caller's. */
  stop(): Promise<void>;
}

/** Logs the faults that formatError masks, with the request's id (its context's logger). */
const logFaults: ApolloServerPlugin<RequestContext> = {
  requestDidStart: async () => ({
    didEncounterErrors: async ({ errors, contextValue }) => {
      for (const error of errors) {
        if (!isClientError(error)) {
          contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'fault in a GraphQL operation');
        }
      }
      if (errors.some((error) => error.extensions?.code === 'REQUEST_ABORTED')) contextValue.log.info('the client went away: execution stopped');
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

/** How the server behaves in production (src/config.ts reads these from the environment). */
export interface ServerMode {
  /** NODE_ENV=production: errors keep no schema details ("Did you mean …"). */
  production?: boolean;
  /** GraphiQL at GET /graphql for a browser; by default on outside production. */
  graphiql?: boolean;
  /** Schema introspection, over HTTP and WebSocket alike; by default on outside production. */
  introspection?: boolean;
  /** The request budget (src/server/limits.ts). */
  limits?: Limits;
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
  /** DATABASE_LISTEN_URL: where the inbox's LISTEN connection goes when not to `db`'s primary (past a transaction pooler). */
  listenUrl?: string;
} & ServerMode): Promise<ScxServer> {
  const { db, cipher, log } = options;
  const disclosureThreshold = options.disclosureThreshold ?? DEFAULT_DISCLOSURE_THRESHOLD;
  const production = options.production ?? false;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const introspection = options.introspection ?? !production;
  const formatError = errorFormatter({ hideSchemaDetails: production });
  const schema = await buildScxSchema();
  const inbox = new InboxFeed(db, options.listenUrl ?? (db.options as PostgresConnectionOptions).url!, log);
  await inbox.start();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const services = { db, cipher, inbox, disclosureThreshold };
  // One way to tell who asks, for HTTP requests and WebSocket connections alike: one statement
  // that also counts the request against its key's rate limit.
  const lookup = keyLookup(db, options.rateLimit);
  const authenticate = (authorization: unknown) => authenticateRequest(lookup, authorization);

  const ws = startWebSocketServer(httpServer, '/graphql', {
    schema,
    authenticate,
    feed: inbox,
    log,
    limits,
    introspection,
    format: formatError,
    // One context per subscription, alive as long as it: its loaders batch but never cache. The
    // audit names its reads after the subscription's operation.
    context: (viewer: RequestViewer, operation: string | null) =>
      createContext(
        { ...services, requestId: randomUUID(), viewer, log: log.child({ organisationId: viewer.organisation.id, apiKeyId: viewer.apiKeyId }) },
        { cacheLoaders: false, operation },
      ),
  });

  const apollo = new ApolloServer<RequestContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // src/main.ts owns SIGTERM/SIGINT: it stops this server, then the database, then exits.
    stopOnTerminationSignals: false,
    formatError,
    introspection,
    hideSchemaDetailsFromClientErrors: production,
    // A registered document could run later with other variables, past the budget: no APQ.
    persistedQueries: false,
    plugins: [
      logFaults,
      auditPlugin,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Nothing here is cached by HTTP caches; installed by default, it wraps every field's resolution.
      ApolloServerPluginCacheControlDisabled(),
      // Subscribers are told the server is going (close 1001) and the feed stops listening.
      { serverWillStart: async () => ({ drainServer: async () => { await ws.dispose(); await inbox.close(); } }) },
    ],
  });
  await apollo.start();

  const graphql = expressMiddleware(apollo, {
    context: async ({ req, res }) => {
      const { viewer, signal, actor } = graphqlLocals(res);
      return createContext({ ...services, requestId: String(req.id), viewer, log: req.log, signal }, { actor });
    },
  });

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // By default pino-http runs pino's standard serializers first and hands ours their output: a
      // plain object copying every property of the error (SQL parameters too), which safeError
      // cannot read as an error ("[object Object]"). Ours take the raw values.
      wrapSerializers: false,
      // Who asked, once the key is known (never the secret).
      customProps: (_req, res) => {
        const viewer = graphqlLocals(res as express.Response).viewer;
        return viewer ? { organisationId: viewer.organisation.id, apiKeyId: viewer.apiKeyId } : {};
      },
      serializers: {
        err: safeError,
        // The path only: a GET query string can carry variables, and variables personal data.
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(securityHeaders());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await isReady(db);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  if (options.graphiql ?? !production) app.use(GRAPHIQL_ASSET_PATH, graphiqlAssets());
  app.use(DASHBOARD_PATH, dashboard());
  app.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html') return next();
    if (!(options.graphiql ?? !production)) {
      return res.status(404).type('text').send('The GraphQL IDE is off in production (SCX_GRAPHIQL=on turns it on). POST /graphql with a key.');
    }
    graphiqlPage(res);
  });
  app.use(
    '/graphql',
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
    // Keyless (or unknown, revoked, expired, rate-limited) requests go no further: the body is never parsed.
    requireApiKey(authenticate),
    express.json({ limit: limits.maxBodyBytes }),
    admitOperation(schema, limits, formatError),
    abortWhenClientLeaves(),
    // A request that may write runs as its actor: each transaction tells the audit triggers who
    // writes (src/modules/audit/actor.ts), until Apollo has answered it. A read writes only its
    // audit event of reads (auditPlugin), which names the actor itself.
    (req, res, next) => {
      const { viewer, operationType } = graphqlLocals(res);
      const actor = { requestId: String(req.id), apiKeyId: viewer.apiKeyId, organisationId: viewer.organisation.id, operation: null };
      graphqlLocals(res).actor = actor;
      if (operationType === OperationTypeNode.QUERY) return graphql(req, res, next);
      // Apollo's handler settles once the request is answered (or refused, before any plugin runs).
      actingAs(actor, async () => graphql(req, res, next)).catch(next);
    },
  );

  // A body that is not JSON, or too large, gets a GraphQL-shaped answer: never an HTML page with a stack.
  app.use((error: { type?: string; status?: number }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (error.type === 'entity.parse.failed') return requestError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
    if (error.type === 'entity.too.large') {
      return requestError(res, 413, 'BAD_REQUEST', `The request body is larger than ${limits.maxBodyBytes.toLocaleString('en-GB')} bytes, the limit (1,000 referrals fit)`);
    }
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

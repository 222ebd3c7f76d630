import path from 'node:path';
import express, { type Router } from 'express';

/**
 * The GraphQL IDE, served from our own node_modules: our users' networks reach no CDN,
 * so every script and stylesheet the page loads comes from this server. Subscriptions run over
 * graphql-ws (its browser build, from node_modules too) with the key of the Headers tab.
 */
const ASSETS: Record<string, string> = {
  'react.js': path.join(path.dirname(require.resolve('react')), 'umd', 'react.production.min.js'),
  'react-dom.js': path.join(path.dirname(require.resolve('react-dom')), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': require.resolve('graphiql/graphiql.min.js'),
  'graphiql.css': require.resolve('graphiql/graphiql.min.css'),
  // graphql-ws exports no path to its browser build: it sits beside dist/.
  'graphql-ws.js': path.join(path.dirname(require.resolve('graphql-ws')), '..', 'umd', 'graphql-ws.min.js'),
};

export const GRAPHIQL_ASSET_PATH = '/graphiql';

/**
 * The page's own script: queries and mutations over POST /graphql, subscriptions over graphql-ws
 * on the same path, both with the Authorization header of the Headers tab (a new WebSocket
 * connection when the key changes).
 */
const SETUP_JS = `(() => {
  'use strict';
  const url = window.location.pathname;
  const wsUrl = (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host + url;
  const authorizationOf = (headers) =>
    Object.entries(headers || {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  let wsClient = null;
  let wsAuthorization;
  const subscriptionsClient = (authorization) => {
    if (!wsClient || authorization !== wsAuthorization) {
      if (wsClient) wsClient.dispose();
      wsAuthorization = authorization;
      wsClient = graphqlWs.createClient({ url: wsUrl, lazy: true, retryAttempts: 0, connectionParams: { authorization } });
    }
    return wsClient;
  };
  const fetcher = (params, options) =>
    GraphiQL.createFetcher({ url, wsClient: subscriptionsClient(authorizationOf(options && options.headers)) })(params, options);
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: 'headers',
      headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
      defaultQuery: '{\\n  viewer {\\n    role\\n    organisation { name kind }\\n  }\\n}\\n',
    }),
  );
})();
`;

const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>scx — GraphQL IDE (GraphiQL)</title>
  <link rel="stylesheet" href="${GRAPHIQL_ASSET_PATH}/graphiql.css" />
  <link rel="stylesheet" href="${GRAPHIQL_ASSET_PATH}/scx-graphiql.css" />
</head>
<body>
  <div id="graphiql">Loading the GraphQL IDE…</div>
  <script src="${GRAPHIQL_ASSET_PATH}/react.js"></script>
  <script src="${GRAPHIQL_ASSET_PATH}/react-dom.js"></script>
  <script src="${GRAPHIQL_ASSET_PATH}/graphiql.js"></script>
  <script src="${GRAPHIQL_ASSET_PATH}/graphql-ws.js"></script>
  <script src="${GRAPHIQL_ASSET_PATH}/scx-graphiql.js"></script>
</body>
</html>
`;

const PAGE_CSS = 'body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }\n';

/**
 * This origin only, no inline script or style (tests/browser/graphiql.test.ts fails on any
 * violation); its stylesheet's fonts are data: URIs, and its subscriptions connect back here
 * over WebSocket ('self' covers ws: to the same host).
 */
const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** GET /graphql for a browser. */
export function graphiqlPage(res: express.Response): void {
  res.setHeader('Content-Security-Policy', GRAPHIQL_CSP);
  res.type('html').send(GRAPHIQL_HTML);
}

export function graphiqlAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1d' }));
  }
  router.get('/scx-graphiql.js', (_req, res) => res.type('text/javascript').send(SETUP_JS));
  router.get('/scx-graphiql.css', (_req, res) => res.type('text/css').send(PAGE_CSS));
  return router;
}

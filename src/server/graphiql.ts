import path from 'node:path';
import express, { type Router } from 'express';

/**
 * The GraphQL IDE, served from our own node_modules: our users' networks reach no CDN,
 * so every script and stylesheet the page loads comes from this server.
 */
const ASSETS: Record<string, string> = {
  'react.js': path.join(path.dirname(require.resolve('react')), 'umd', 'react.production.min.js'),
  'react-dom.js': path.join(path.dirname(require.resolve('react-dom')), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': require.resolve('graphiql/graphiql.min.js'),
  'graphiql.css': require.resolve('graphiql/graphiql.min.css'),
};

export const GRAPHIQL_ASSET_PATH = '/graphiql';

export const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>scx — GraphQL IDE</title>
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="${GRAPHIQL_ASSET_PATH}/graphiql.css" />
</head>
<body>
  <div id="graphiql">Loading the GraphQL IDE…</div>
  <script src="${GRAPHIQL_ASSET_PATH}/react.js"></script>
  <script src="${GRAPHIQL_ASSET_PATH}/react-dom.js"></script>
  <script src="${GRAPHIQL_ASSET_PATH}/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultEditorToolsVisibility: 'headers',
        headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
        defaultQuery: '{\\n  viewer {\\n    role\\n    organisation { name kind }\\n  }\\n}\\n',
      }),
    );
  </script>
</body>
</html>
`;

export function graphiqlAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1d' }));
  }
  return router;
}

/**
 * PostGraphile 5 (Amber preset, with the connection-filter plugin for `in` filters) over HTTP on
 * DATABASE_URL's database, for bench/caseload.ts: `node -r ./bench/polyfill-with-resolvers.cjs
 * bench/postgraphile-server.cjs`, PORT given; prints "ready" once it listens. It enforces no
 * access rule and audits no read. Only bench/ loads it.
 */
const http = require('node:http');
const { postgraphile } = require('postgraphile');
const { PostGraphileAmberPreset } = require('postgraphile/presets/amber');
const { makePgService } = require('postgraphile/adaptors/pg');
const { grafserv } = require('postgraphile/grafserv/node');
const { PostGraphileConnectionFilterPreset } = require('postgraphile-plugin-connection-filter');

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  // Filtering and ordering on columns without an index of their own (a referral's status, as scx filters it).
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  // The same pool size as scx's DataSource (src/db/data-source.ts).
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 10 } })],
  grafast: { explain: false },
  grafserv: { graphiql: false, watch: false },
});
const server = http.createServer();
pgl
  .createServ(grafserv)
  .addTo(server)
  .then(() => server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready')))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
process.on('SIGTERM', () => server.close(() => pgl.release().then(() => process.exit(0))));

// A partner's inbox client: receives every item addressed to its organisation since its first
// start, at least once, in cursor order, and misses nothing while it or the API is away.
//
//   SCX_URL=ws://localhost:4000/graphql SCX_KEY=scx_... node docs/examples/inbox-client.mjs
//
// Needs the graphql-ws (6) and ws packages. It saves the cursor of the last item it handled in a
// file, and every subscription it sends asks for the items `after` that cursor: the server first
// sends what was missed, then new items as they commit. An item can arrive twice (handled, then
// the process died before saving its cursor): handle items idempotently, keyed by their cursor.
// Items go to stdout; what happens to the connection goes to stderr.
import fs from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.SCX_URL ?? 'ws://localhost:4000/graphql';
const key = process.env.SCX_KEY;
const cursorFile = process.env.SCX_CURSOR_FILE ?? '.scx-inbox-cursor';
if (!key) throw new Error('Set SCX_KEY to your API key');

// The last cursor handled. None on the first start: items from now on.
let cursor = fs.existsSync(cursorFile) ? fs.readFileSync(cursorFile, 'utf8').trim() || null : null;

function handle(item) {
  // Your work goes here: fetch the referral, update your case system, …
  console.log(item.cursor, item.kind, item.referral?.id ?? '', item.handoff?.id ?? '');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let retryAfter = 0; // seconds the server asked us to wait (4403: rate limited)

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${key}` },
  // Reconnect for ever, also while the server cannot be reached (graphql-ws never retries 4401:
  // the key is refused), 1, 2, 4 … 60 s apart, or as long as the server asked.
  retryAttempts: Infinity,
  shouldRetry: () => true,
  retryWait: (retries) => sleep(Math.max(retryAfter, Math.min(2 ** retries, 60)) * 1000 + Math.random() * 1000),
  on: {
    connected: () => console.error(`connected: items after ${cursor ?? 'now'}`),
    closed: ({ code, reason }) => {
      console.error(`connection closed: ${code} ${reason ?? ''}`.trim()); // the reason names why
      retryAfter = Number(/retry after (\d+) s/.exec(reason ?? '')?.[1] ?? 0);
    },
  },
});

const subscription = {
  query: `subscription($after: String) {
    inboxItemAdded(after: $after) { cursor kind occurredAt referral { id status } handoff { id status } }
  }`,
  // graphql-ws sends this same object again after each reconnection: a getter, so that every
  // (re)subscription asks for the items after the last cursor handled, not after the first one.
  get variables() {
    return { after: cursor };
  },
};

function listen() {
  client.subscribe(subscription, {
    next: ({ data, errors }) => {
      // Errors beside an item are answers about a field (a fault ends the subscription instead).
      if (errors) console.error('item delivered with errors:', errors);
      const item = data?.inboxItemAdded;
      if (!item) return;
      handle(item);
      cursor = item.cursor;
      fs.writeFileSync(cursorFile, cursor);
    },
    error: (error) => {
      if (error?.code === 4401) {
        // Missing, unknown, revoked or expired key: retrying cannot help.
        console.error(`refused: ${error.reason}`);
        process.exitCode = 1;
        return;
      }
      // A fault while delivering an item (INTERNAL_SERVER_ERROR), or a close graphql-ws does not
      // retry (4500, too many connections): subscribe again, after the last cursor.
      const why = Array.isArray(error) ? error.map((e) => e.message).join('; ') : (error?.reason ?? String(error));
      console.error(`subscription ended, resuming: ${why}`);
      setTimeout(listen, 1000);
    },
    complete: () => setTimeout(listen, 1000),
  });
}

listen();

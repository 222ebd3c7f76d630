// A partner's inbox client: receives every item addressed to its organisation, at least once,
// in cursor order, and misses nothing while it is offline.
//
//   SCX_URL=ws://localhost:4000/graphql SCX_KEY=scx_... node docs/examples/inbox-client.mjs
//
// Needs the graphql-ws and ws packages. It keeps the last cursor it handled in a file; on every
// (re)connection it subscribes `after` that cursor, so the server first sends what was missed,
// then new items as they commit. An item can arrive twice (e.g. handled, then the process died
// before saving the cursor): handle items idempotently, keyed by their cursor.
import fs from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.SCX_URL ?? 'ws://localhost:4000/graphql';
const key = process.env.SCX_KEY;
const cursorFile = process.env.SCX_CURSOR_FILE ?? '.scx-inbox-cursor';
if (!key) throw new Error('Set SCX_KEY to your API key');

const readCursor = () => (fs.existsSync(cursorFile) ? fs.readFileSync(cursorFile, 'utf8').trim() : null);

function handle(item) {
  // Your work goes here: fetch the referral, update your case system, …
  console.log(item.cursor, item.kind, item.referral?.id ?? '', item.handoff?.id ?? '');
}

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${key}` },
  // Reconnect for ever, with graphql-ws's randomised back-off.
  retryAttempts: Infinity,
  shouldRetry: () => true,
});

function listen() {
  const after = readCursor();
  client.subscribe(
    {
      query: `subscription($after: String) {
        inboxItemAdded(after: $after) { cursor kind occurredAt referral { id status } handoff { id status } }
      }`,
      variables: { after },
    },
    {
      next: ({ data, errors }) => {
        if (errors) return console.error(errors);
        handle(data.inboxItemAdded);
        fs.writeFileSync(cursorFile, data.inboxItemAdded.cursor);
      },
      error: (error) => {
        console.error('subscription failed, resuming from the last cursor', error);
        setTimeout(listen, 1000);
      },
      complete: () => setTimeout(listen, 1000),
    },
  );
}

listen();

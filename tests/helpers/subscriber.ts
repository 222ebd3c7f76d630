import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface InboxEvent {
  cursor: string;
  kind: string;
  referral: { id: string } | null;
  handoff: { id: string } | null;
  messageThread?: { id: string; subject: string | null } | null;
}

export interface Subscriber {
  items: InboxEvent[];
  /** Resolves once `count` items have arrived (bounded, so a lost item fails the test, not hangs it). */
  until(count: number): Promise<void>;
  close(): Promise<void>;
}

const ITEM = 'cursor kind referral { id } handoff { id }';

/** The cursor before an organisation's first item: subscribe `after` it to get everything, deterministically. */
export const FROM_THE_START = Buffer.from('0').toString('base64url');

/** A graphql-ws client on the real WebSocket endpoint, collecting what a subscription delivers. */
export async function subscribe(
  httpUrl: string,
  key: string,
  field: 'inboxItemAdded' | 'referralReceived',
  args: Record<string, unknown> = {},
  selection = ITEM,
): Promise<Subscriber> {
  const client: Client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
  const items: InboxEvent[] = [];
  const declared = Object.keys(args).map((name) => `$${name}: ${name === 'kinds' ? '[InboxItemKind!]' : 'String'}`);
  const passed = Object.keys(args).map((name) => `${name}: $${name}`);
  const query = `subscription${declared.length ? `(${declared.join(', ')})` : ''} { ${field}${passed.length ? `(${passed.join(', ')})` : ''} { ${selection} } }`;
  let failure: unknown;
  const started = new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', (event) => reject(new Error(`closed before connecting: ${(event as { code?: number }).code}`)));
  });
  const stop = client.subscribe<{ [k: string]: InboxEvent }>(
    { query, variables: args },
    { next: (result) => (result.data ? items.push(result.data[field]) : (failure = result.errors)), error: (e) => (failure = e), complete: () => undefined },
  );
  await started;
  return {
    items,
    until: async (count) => {
      for (let waited = 0; items.length < count; waited += 20) {
        if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
        if (waited > 15000) throw new Error(`expected ${count} items, got ${items.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: async () => {
      stop();
      await client.dispose();
    },
  };
}

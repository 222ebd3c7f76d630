import { Client } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { API_KEY_CHANNEL } from '../../auth/authenticate';
import { INBOX_CHANNEL } from './inbox';
import { InboxItemRecord } from './inbox-item.entity';

/** Rows read per wake-up; a subscriber with more waiting reads again at once. */
const PAGE = 500;
/** A wake-up for everyone this often, in case a notification was lost: the inbox is the truth. */
const SAFETY_WAKE_MS = 30000;

/** Hears of revoked API keys on the feed's connection (src/server/websocket.ts ends their sessions). */
export interface ApiKeyWatcher {
  /** A key's revocation was announced on API_KEY_CHANNEL. */
  revoked(apiKeyId: string): void;
  /** The listener reconnected: announcements made while it was away were lost. */
  resync(): void;
}

/**
 * This process's side of inbox fan-out. One connection LISTENs on the inbox channel; a
 * notification (sent at commit) wakes the subscribers of that organisation, which read their
 * new items from the inbox table after their own cursor. Several API processes each hold their
 * own feed, so every process delivers every item; a lost notification only delays delivery
 * until the next wake-up (reconnection or the safety timer), it never loses an item.
 * The same connection LISTENs for revoked API keys, for the WebSocket server.
 */
export class InboxFeed {
  private listener: Client | null = null;
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly reads = new Map<string, Promise<InboxItemRecord[]>>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private keyWatcher: ApiKeyWatcher | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => this.wakeAll(), SAFETY_WAKE_MS);
    this.timer.unref();
  }

  watchApiKeys(watcher: ApiKeyWatcher): void {
    this.keyWatcher = watcher;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.wakeAll();
    await this.listener?.end().catch(() => undefined);
  }

  /** Connects and LISTENs; only a connection that got that far reconnects when it ends. */
  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (!message.payload) return;
      if (message.channel === API_KEY_CHANNEL) this.keyWatcher?.revoked(message.payload);
      else this.wake(message.payload);
    });
    client.on('error', (error) => this.log.warn({ err: error }, 'inbox listener lost its connection'));
    try {
      await client.connect();
      await client.query(`LISTEN ${INBOX_CHANNEL}; LISTEN ${API_KEY_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    client.on('end', () => {
      if (!this.closed) this.scheduleReconnect(1000);
    });
    this.listener = client;
  }

  private scheduleReconnect(delay: number): void {
    setTimeout(() => void this.reconnect(), delay).unref();
  }

  /** One retry loop at a time: each failed attempt schedules the next, and nothing else does. */
  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      await this.listen();
      // Whatever was notified while we were away is in the inbox: everyone reads again.
      this.wakeAll();
      this.keyWatcher?.resync();
    } catch (error) {
      this.log.warn({ err: error }, 'inbox listener could not reconnect; retrying');
      this.scheduleReconnect(5000);
    }
  }

  private wake(organisationId: string): void {
    const wakers = this.waiting.get(organisationId);
    this.waiting.delete(organisationId);
    wakers?.forEach((wake) => wake());
  }

  private wakeAll(): void {
    for (const organisationId of [...this.waiting.keys()]) this.wake(organisationId);
  }

  /** Resolves at the next notification for the organisation, or when `signal` aborts or the feed closes. */
  private nextWake(organisationId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || signal.aborted) return resolve();
      const wakers = this.waiting.get(organisationId) ?? new Set();
      const done = () => {
        wakers.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      wakers.add(done);
      this.waiting.set(organisationId, wakers);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Subscribers of one organisation at the same cursor share one read. */
  private read(organisationId: string, after: string): Promise<InboxItemRecord[]> {
    const key = `${organisationId}:${after}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.db
        .getRepository(InboxItemRecord)
        .createQueryBuilder('i')
        .where('i.organisation_id = :organisationId AND i.seq > :after', { organisationId, after })
        .orderBy('i.seq', 'ASC')
        .take(PAGE)
        .getMany()
        .finally(() => this.reads.delete(key));
      this.reads.set(key, read);
    }
    return read;
  }

  /** The organisation's last cursor now: a new subscriber without `after` starts from here. */
  async latest(organisationId: string): Promise<string> {
    const [{ seq }] = await this.db.query('SELECT coalesce(max(seq), 0)::text AS seq FROM inbox_item WHERE organisation_id = $1', [
      organisationId,
    ]);
    return seq as string;
  }

  /**
   * The organisation's items after `after`, in cursor order, as they commit, until the client
   * goes away (`return()`) or the feed closes.
   */
  subscribe(organisationId: string, after: string, accept: (item: InboxItemRecord) => boolean): AsyncIterableIterator<InboxItemRecord> {
    const stop = new AbortController();
    const pump = async function* (this: InboxFeed): AsyncGenerator<InboxItemRecord> {
      let cursor = after;
      while (!this.closed && !stop.signal.aborted) {
        // Armed before reading, so a notification that lands during the read is not lost.
        const wake = new AbortController();
        const woken = this.nextWake(organisationId, AbortSignal.any([stop.signal, wake.signal]));
        const items = await this.read(organisationId, cursor);
        for (const item of items) {
          cursor = item.seq;
          if (accept(item)) yield item;
        }
        if (items.length < PAGE) await woken;
        else wake.abort(); // more to read at once: drop this wake-up rather than leave it armed
      }
    };
    const items = pump.call(this);
    return {
      next: () => items.next(),
      return: (value?: unknown) => {
        stop.abort();
        return items.return(value as undefined);
      },
      throw: (error?: unknown) => {
        stop.abort();
        return items.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/viewer';
import { createContractsLoaders } from '../modules/contracts/contracts.loaders';
import { createIdentityLoaders } from '../modules/identity/identity.loaders';
import { createMessagesLoaders } from '../modules/messages/messages.loaders';
import { createOutcomesLoaders } from '../modules/outcomes/outcomes.loaders';
import { createReferralsLoaders } from '../modules/referrals/referrals.loaders';
import { createStandardsLoaders } from '../modules/standards/standards.loaders';
import type { FieldCipher } from '../db/field-encryption';
import type { InboxFeed } from '../events/inbox-feed';
import type { Actor } from '../modules/audit/actor';
import { PersonReads } from '../modules/audit/person-reads';

/** `cache: false` for long-lived contexts (a subscription): batch, but never serve stale rows. */
export function createLoaders(db: DataSource, cache = true) {
  return { ...createIdentityLoaders(db, cache), ...createContractsLoaders(db, cache), ...createReferralsLoaders(db, cache), ...createOutcomesLoaders(db, cache), ...createStandardsLoaders(db, cache), ...createMessagesLoaders(db, cache) };
}
export type Loaders = ReturnType<typeof createLoaders>;

/** One per request (or WebSocket operation): who asks, the database, and fresh DataLoaders. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer | null;
  db: DataSource;
  /** Encrypts and decrypts special-category fields (health, risk markers). */
  cipher: FieldCipher;
  /** This process's inbox fan-out, for subscriptions. */
  inbox: InboxFeed;
  /** Performance counts below this are withheld. */
  disclosureThreshold: number;
  loaders: Loaders;
  log: Logger;
  /** The people whose fields this request read, for the audit trail, and who is acting. */
  audit: PersonReads;
  /** Aborts when the HTTP client goes away: resolvers not started yet then do not run (src/server/abort.ts). */
  signal?: AbortSignal;
}

/**
 * `actor`: the request's (src/modules/audit/actor.ts), filled here with the viewer's key; a fresh
 * one when the request has none (a WebSocket operation).
 */
export function createContext(
  args: Omit<RequestContext, 'loaders' | 'audit'>,
  options: { cacheLoaders?: boolean; actor?: Actor; operation?: string | null } = {},
): RequestContext {
  const actor = Object.assign(options.actor ?? { requestId: args.requestId, operation: options.operation ?? null }, {
    apiKeyId: args.viewer?.apiKeyId ?? null,
    organisationId: args.viewer?.organisation.id ?? null,
  });
  return { ...args, loaders: createLoaders(args.db, options.cacheLoaders ?? true), audit: new PersonReads(actor) };
}

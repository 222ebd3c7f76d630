/**
 * The request context every resolver receives, built from the modules' DataLoaders and the audit's
 * person reads: it sits at the modules' layer, below the server that creates one per request.
 */

import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { createAccessLoaders } from '../auth/referral-access';
import type { Viewer } from '../auth/viewer';
import { createAppointmentsLoaders } from './appointments/appointments.loaders';
import { createChainLoaders } from './chain/chain.loaders';
import { createComplianceLoaders } from './compliance/compliance.loaders';
import { createContractsLoaders } from './contracts/contracts.loaders';
import { createIdentityLoaders } from './identity/identity.loaders';
import { createMessagesLoaders } from './messages/messages.loaders';
import { createOutcomesLoaders } from './outcomes/outcomes.loaders';
import { createRecordLoaders } from './record/record.loaders';
import { createReferralsLoaders } from './referrals/referrals.loaders';
import { createStandardsLoaders } from './standards/standards.loaders';
import type { FieldCipher } from '../db/field-encryption';
import type { InboxFeed } from './inbox/inbox-feed';
import type { Actor } from './audit/actor';
import type { Organisation } from './identity/organisation.entity';
import { PersonReads } from './audit/person-reads';

/** `cache: false` for long-lived contexts (a subscription): batch, but never serve stale rows. */
export function createLoaders(db: DataSource, cache = true) {
  return {
    ...createAccessLoaders(db, cache),
    ...createIdentityLoaders(db, cache), ...createContractsLoaders(db, cache), ...createReferralsLoaders(db, cache), ...createChainLoaders(db, cache), ...createComplianceLoaders(db, cache), ...createOutcomesLoaders(db, cache), ...createStandardsLoaders(db, cache),
    ...createMessagesLoaders(db, cache), ...createAppointmentsLoaders(db, cache), ...createRecordLoaders(db, cache) };
}
export type Loaders = ReturnType<typeof createLoaders>;

/** Who asks in a request: the identity module's key lookup loads their whole Organisation (the `viewer` query answers it). */
export type RequestViewer = Viewer<Organisation>;

/** One per request (or WebSocket operation): who asks, the database, and fresh DataLoaders. */
export interface RequestContext {
  requestId: string;
  viewer: RequestViewer | null;
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

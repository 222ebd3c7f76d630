import { AsyncLocalStorage } from 'node:async_hooks';
import { type EntitySubscriberInterface, EventSubscriber, type TransactionStartEvent } from 'typeorm';

/** Who is acting, as the audit trail records it: the API key and its organisation, the request, the operation. */
export interface Actor {
  apiKeyId: string | null;
  organisationId: string | null;
  requestId: string;
  /** The GraphQL operation's name (or its type when anonymous), known once the document is parsed. */
  operation: string | null;
}

const acting = new AsyncLocalStorage<Actor>();

/**
 * Runs `run` (an HTTP request's handling) as `actor`: every transaction it starts records the
 * actor for the audit triggers. The actor object is filled in as the request is understood.
 */
export function actingAs<T>(actor: Actor, run: () => T): T {
  return acting.run(actor, run);
}

export function currentActor(): Actor | undefined {
  return acting.getStore();
}

/**
 * Tells PostgreSQL who is acting at the start of every transaction of a request, in a
 * transaction-local setting (`scx.actor`) that the audit triggers on the person tables read. So no
 * service can forget it: whatever writes a person's record inside a request is attributed. One
 * statement per transaction; writes outside a request (scripts, psql) are recorded with their
 * database role only.
 */
@EventSubscriber()
export class ActorSubscriber implements EntitySubscriberInterface {
  async afterTransactionStart(event: TransactionStartEvent): Promise<void> {
    const actor = acting.getStore();
    // A nested transaction is a savepoint of the outer one, which has said it already.
    if (!actor || (event.queryRunner as { transactionDepth?: number }).transactionDepth !== 1) return;
    await event.queryRunner.query(`SELECT set_config('scx.actor', $1, true)`, [JSON.stringify(actor)]);
  }
}

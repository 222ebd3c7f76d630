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
 * Node 20's AsyncLocalStorage tracks every promise of the process while it is enabled: about a
 * tenth of the CPU of a caseload read (docs/BENCHMARKS.md). So it is enabled only while a request
 * that may write (a mutation) or a script runs, and disabled when none does: a read writes only its
 * audit event of reads, which names its actor itself (src/modules/audit/person-reads.ts).
 */
let writers = 0;

/**
 * Runs `run` (a mutation's handling by Apollo, or a script's work) as `actor` until it settles:
 * every transaction it starts records the actor for the audit triggers. The actor object is
 * filled in as the request is understood.
 */
export async function actingAs<T>(actor: Actor, run: () => Promise<T>): Promise<T> {
  writers += 1;
  try {
    return await acting.run(actor, run);
  } finally {
    writers -= 1;
    if (writers === 0) acting.disable();
  }
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

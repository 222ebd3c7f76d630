import type { DataSource } from 'typeorm';
import { type InboxEvent, addToInbox } from '../../src/modules/inbox/inbox';
import { waitFor } from './logs';

/**
 * Commits `item` and makes its delivery fail mid-way, as when the database drops a connection:
 * `table`, which the delivery reads, is locked as the item commits, and the connection of the
 * delivery waiting for that lock is terminated.
 */
export async function failNextDelivery(db: DataSource, table: string, item: InboxEvent): Promise<void> {
  const writer = db.createQueryRunner();
  const locker = db.createQueryRunner();
  try {
    await writer.startTransaction();
    // The item's foreign keys hold their tables (ROW SHARE) until it commits: the lock is asked
    // for now, queues behind them if need be, and is granted before any delivery can read.
    await addToInbox(writer.manager, [item]);
    await locker.startTransaction();
    const [{ pid }]: Array<{ pid: number }> = await locker.query('SELECT pg_backend_pid() AS pid');
    const locked = locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    await waitFor(`the lock on ${table} is asked for`, async () =>
      (await db.query("SELECT 1 FROM pg_locks WHERE pid = $1 AND relation = $2::regclass AND mode = 'AccessExclusiveLock'", [pid, table])).length > 0,
    );
    await writer.commitTransaction();
    await locked;
    let killed = 0;
    // Outside the locking transaction, which would see one snapshot of pg_stat_activity throughout.
    await waitFor(`a delivery waits for ${table}`, async () => {
      const blocked: Array<{ pid: number }> = await db.query(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1",
        [`%${table}%`],
      );
      for (const blocker of blocked) killed += (await db.query('SELECT pg_terminate_backend($1) AS done', [blocker.pid]))[0].done ? 1 : 0;
      return killed > 0;
    });
  } finally {
    if (writer.isTransactionActive) await writer.rollbackTransaction();
    if (locker.isTransactionActive) await locker.rollbackTransaction();
    await writer.release();
    await locker.release();
  }
}

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { todayUtc } from '../common/dates';
import { flagNotStarted } from '../modules/appointments/not-started';
import { actingAs } from '../modules/audit/actor';
import { endAllottedTimes } from '../modules/referrals/allotted-time';

const HOUR_MS = 60 * 60 * 1000;

/**
 * One run of the exchange's own work: participations whose allotted time is over are exited on
 * its last day, and referrals not started in time are flagged to both sides. It writes people's
 * records with no request behind it, so it acts as itself: the audit trail names it, and the
 * API's own role may write them only with an actor.
 */
export function runHourlyJobs(db: DataSource, today: string = todayUtc()): Promise<{ exited: number; flagged: number }> {
  const actor = { apiKeyId: null, organisationId: null, requestId: `job:${randomUUID()}`, operation: 'hourly job' };
  return actingAs(actor, async () => ({ exited: await endAllottedTimes(db, today), flagged: await flagNotStarted(db, today) }));
}

/** The hourly jobs, at start and every hour. `stop()` waits for a run in progress, so the database closes after it. */
export function startJobs(db: DataSource, log: Logger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running
      .then(() => runHourlyJobs(db))
      .then(({ exited, flagged }) => {
        if (exited > 0) log.info({ exited }, 'allotted time over: participations exited');
        if (flagged > 0) log.info({ flagged }, 'referrals not started: flagged to both sides');
      })
      .catch((error: unknown) => log.error({ err: error }, 'hourly job (allotted time, not started) failed; it runs again within the hour'));
  };
  run();
  const timer = setInterval(run, HOUR_MS).unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

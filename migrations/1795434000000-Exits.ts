import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeInboxKinds } from '../src/db/migration-helpers';

const KIND = 'REFERRAL_EXITED';

/**
 * Exits as the research describes them (issue 14, item 2; DOMAIN.md journey steps 5 and 9):
 * - `off_benefit_since`: leaving benefit is a marker on a live participation, no longer an exit.
 * - `handback_barriers`, `handback_summary`: what the prime tells the Jobcentre at an exit, with
 *   the handback summary the exchange assembles (dates, contacts, jobs, payments).
 * - `referral_allotted_time_due`: the hourly job finds the participations whose allotted time is
 *   over (ATTACHED, `allotted_until` on or before today) by this index.
 * - the inbox kind REFERRAL_EXITED: the referring Jobcentre hears of every exit.
 * Existing data: nothing is rewritten here. Participations already over their allotted time are
 * exited by the job's first run (on `allotted_until`, with the inbox items); past LEFT_BENEFIT
 * exits stay as recorded (a returner within the allotted time goes back to the same contract).
 */
export class Exits1795434000000 implements MigrationInterface {
  name = 'Exits1795434000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral
      ADD COLUMN off_benefit_since date,
      ADD COLUMN handback_barriers text[],
      ADD COLUMN handback_summary text`);
    await q.query(`CREATE INDEX referral_allotted_time_due ON referral (allotted_until) WHERE status = 'ATTACHED'`);
    await changeInboxKinds(q, (kinds) => [...kinds, KIND]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inbox_item WHERE kind = '${KIND}'`);
    await changeInboxKinds(q, (kinds) => kinds.filter((kind) => kind !== KIND));
    await q.query(`DROP INDEX referral_allotted_time_due`);
    await q.query(`ALTER TABLE referral DROP COLUMN off_benefit_since, DROP COLUMN handback_barriers, DROP COLUMN handback_summary`);
  }
}

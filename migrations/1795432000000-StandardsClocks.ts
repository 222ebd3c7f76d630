import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Standards take effect on a day (issue 14, item 4): a published set is in force from its
 * `effective_from` to its `effective_until` (the day before the next set takes effect; null
 * while no later set is published), and compliance on a day measures each day of a
 * participant's clock against the set in force on that day.
 *
 * Existing rows: a set took effect on the day it was published and stays in force up to the day
 * before it was superseded, which is what the figures already used (a set superseded on the day
 * it was published was never in force, and still is not). No other row changes; what changes
 * for existing data is how the figures read it (the README's and CHANGELOG's "standards
 * clocks"): first contact counts from the referral date, including referrals not yet attached;
 * adviser-contact and review standards end at the first job start; nothing is owed after
 * `allotted_until`.
 */
export class StandardsClocks1795432000000 implements MigrationInterface {
  name = 'StandardsClocks1795432000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE service_standard ADD COLUMN effective_from date, ADD COLUMN effective_until date`);
    await q.query(`
      UPDATE service_standard
         SET effective_from = (published_at AT TIME ZONE 'UTC')::date,
             effective_until = (superseded_at AT TIME ZONE 'UTC')::date - 1`);
    await q.query(`ALTER TABLE service_standard ALTER COLUMN effective_from SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE service_standard DROP COLUMN effective_until, DROP COLUMN effective_from`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A gap between jobs of up to `sustainment_gap_days` does not break a sustainment period (issue 14,
 * item 6; 002:2724: job changes are normal in this group). Every existing rate card gets the
 * default, 7 days; payments already made are not re-read.
 */
export class SustainmentGap1795429000001 implements MigrationInterface {
  name = 'SustainmentGap1795429000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_card ADD COLUMN sustainment_gap_days int NOT NULL DEFAULT 7 CHECK (sustainment_gap_days >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_card DROP COLUMN sustainment_gap_days`);
  }
}

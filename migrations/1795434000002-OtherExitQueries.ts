import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An exit for another reason is the Jobcentre's to agree (issue 14, item 2): the prime's
 * recordExit with OTHER raises a query of the new purpose OTHER_EXIT. Nothing is rewritten: past
 * OTHER exits stay as recorded.
 */
export class OtherExitQueries1795434000002 implements MigrationInterface {
  name = 'OtherExitQueries1795434000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral_query DROP CONSTRAINT referral_query_purpose_check`);
    await q.query(`ALTER TABLE referral_query ADD CONSTRAINT referral_query_purpose_check CHECK (purpose IN ('INAPPROPRIATE_REFERRAL', 'OTHER_EXIT'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM referral_query WHERE purpose = 'OTHER_EXIT'`);
    await q.query(`ALTER TABLE referral_query DROP CONSTRAINT referral_query_purpose_check`);
    await q.query(`ALTER TABLE referral_query ADD CONSTRAINT referral_query_purpose_check CHECK (purpose IN ('INAPPROPRIATE_REFERRAL'))`);
  }
}

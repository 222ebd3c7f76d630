import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `contact_days`: per referral, the days of its attended contacts that each service standard
 * counts (METRICS in src/modules/standards/standards.enums.ts: `daysColumn`), each a sorted array
 * of distinct UTC days. The compliance report reads one row per participant from it (binary
 * searches with `width_bucket`, the gaps of the days in range) instead of sorting the contract's
 * contacts for every report (issue 16, item 3).
 *
 * Kept current in the contacts' own transactions, once per statement (transition tables): the
 * rows of the referrals a statement touched are computed again from their attended contacts
 * (a referral has tens). A referral deleted meanwhile is skipped; its row goes with it (cascade).
 * The rows of existing contacts are filled in here.
 */
export class ContactDays1795437200000 implements MigrationInterface {
  name = 'ContactDays1795437200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contact_days (
        referral_id uuid PRIMARY KEY REFERENCES referral (id) ON DELETE CASCADE,
        -- Any kind (FIRST_CONTACT_WITHIN_DAYS).
        attended_days date[] NOT NULL,
        -- Initial meetings and adviser contacts (CONTACT_INTERVAL_DAYS).
        adviser_days date[] NOT NULL,
        -- ACTION_PLAN_REVIEW_INTERVAL_DAYS.
        review_days date[] NOT NULL,
        -- IN_WORK_CONTACT_INTERVAL_DAYS.
        in_work_days date[] NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION contact_days_refresh(referrals uuid[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO contact_days AS cd (referral_id, attended_days, adviser_days, review_days, in_work_days)
        SELECT r.id,
               coalesce(array_agg(DISTINCT c.d ORDER BY c.d) FILTER (WHERE c.d IS NOT NULL), '{}'),
               coalesce(array_agg(DISTINCT c.d ORDER BY c.d) FILTER (WHERE c.kind IN ('INITIAL_MEETING', 'ADVISER_CONTACT')), '{}'),
               coalesce(array_agg(DISTINCT c.d ORDER BY c.d) FILTER (WHERE c.kind = 'ACTION_PLAN_REVIEW'), '{}'),
               coalesce(array_agg(DISTINCT c.d ORDER BY c.d) FILTER (WHERE c.kind = 'IN_WORK_SUPPORT'), '{}')
          FROM referral r
          LEFT JOIN (SELECT referral_id, kind, (occurred_at AT TIME ZONE 'UTC')::date AS d FROM contact WHERE attended) c ON c.referral_id = r.id
         WHERE r.id = ANY(referrals)
         GROUP BY r.id
        ON CONFLICT (referral_id) DO UPDATE SET attended_days = excluded.attended_days, adviser_days = excluded.adviser_days,
          review_days = excluded.review_days, in_work_days = excluded.in_work_days
      $$`);
    await q.query(`
      CREATE FUNCTION contact_days_on_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM contact_days_refresh(ARRAY(SELECT DISTINCT referral_id FROM new_rows));
        ELSIF TG_OP = 'UPDATE' THEN
          PERFORM contact_days_refresh(ARRAY(SELECT referral_id FROM old_rows UNION SELECT referral_id FROM new_rows));
        ELSE
          PERFORM contact_days_refresh(ARRAY(SELECT DISTINCT referral_id FROM old_rows));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER contact_days_on_contacts_inserted AFTER INSERT ON contact
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_days_on_contacts()`);
    await q.query(`CREATE TRIGGER contact_days_on_contacts_updated AFTER UPDATE ON contact
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_days_on_contacts()`);
    await q.query(`CREATE TRIGGER contact_days_on_contacts_deleted AFTER DELETE ON contact
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_days_on_contacts()`);
    await q.query(`SELECT contact_days_refresh(ARRAY(SELECT DISTINCT referral_id FROM contact))`);
    // The API records contacts, and the trigger writes these rows as the role that recorded them.
    await q.query(`GRANT SELECT, INSERT, UPDATE (attended_days, adviser_days, review_days, in_work_days) ON contact_days TO scx_api`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER contact_days_on_contacts_deleted ON contact`);
    await q.query(`DROP TRIGGER contact_days_on_contacts_updated ON contact`);
    await q.query(`DROP TRIGGER contact_days_on_contacts_inserted ON contact`);
    await q.query(`DROP FUNCTION contact_days_on_contacts()`);
    await q.query(`DROP FUNCTION contact_days_refresh(uuid[])`);
    await q.query(`DROP TABLE contact_days`);
  }
}

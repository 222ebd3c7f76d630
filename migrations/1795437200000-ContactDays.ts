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
        adviser_record_at int[] NOT NULL,
        adviser_record_gap int[] NOT NULL,
        -- ACTION_PLAN_REVIEW_INTERVAL_DAYS.
        review_days date[] NOT NULL,
        review_record_at int[] NOT NULL,
        review_record_gap int[] NOT NULL,
        -- IN_WORK_CONTACT_INTERVAL_DAYS.
        in_work_days date[] NOT NULL,
        in_work_record_at int[] NOT NULL,
        in_work_record_gap int[] NOT NULL
      )`);
    // The record gaps of a sorted array of days: each gap (days[at] - days[at - 1]) longer than
    // every gap before it, in order. The first gap longer than N days is the first record gap
    // longer than N, found by binary search (width_bucket) since the record gaps grow.
    await q.query(`
      CREATE FUNCTION contact_days_records(days date[], OUT record_at int[], OUT record_gap int[]) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(k ORDER BY k), '{}'), coalesce(array_agg(gap ORDER BY k), '{}')
          FROM (SELECT k, gap, max(gap) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS longest_before
                  FROM (SELECT k, days[k] - days[k - 1] AS gap FROM generate_subscripts(days, 1) k WHERE k > 1) g) r
         WHERE longest_before IS NULL OR gap > longest_before
      $$`);
    await q.query(`
      CREATE FUNCTION contact_days_refresh(referrals uuid[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO contact_days AS cd (referral_id, attended_days, adviser_days, adviser_record_at, adviser_record_gap,
          review_days, review_record_at, review_record_gap, in_work_days, in_work_record_at, in_work_record_gap)
        SELECT a.id, a.attended_days, a.adviser_days, adviser.record_at, adviser.record_gap,
               a.review_days, review.record_at, review.record_gap, a.in_work_days, in_work.record_at, in_work.record_gap
          FROM (
            SELECT r.id,
                   coalesce(array_agg(DISTINCT c.d ORDER BY c.d) FILTER (WHERE c.d IS NOT NULL), '{}') AS attended_days,
                   coalesce(array_agg(DISTINCT c.d ORDER BY c.d) FILTER (WHERE c.kind IN ('INITIAL_MEETING', 'ADVISER_CONTACT')), '{}') AS adviser_days,
                   coalesce(array_agg(DISTINCT c.d ORDER BY c.d) FILTER (WHERE c.kind = 'ACTION_PLAN_REVIEW'), '{}') AS review_days,
                   coalesce(array_agg(DISTINCT c.d ORDER BY c.d) FILTER (WHERE c.kind = 'IN_WORK_SUPPORT'), '{}') AS in_work_days
              FROM referral r
              LEFT JOIN (SELECT referral_id, kind, (occurred_at AT TIME ZONE 'UTC')::date AS d FROM contact WHERE attended) c ON c.referral_id = r.id
             WHERE r.id = ANY(referrals)
             GROUP BY r.id
          ) a
          CROSS JOIN LATERAL contact_days_records(a.adviser_days) adviser
          CROSS JOIN LATERAL contact_days_records(a.review_days) review
          CROSS JOIN LATERAL contact_days_records(a.in_work_days) in_work
        ON CONFLICT (referral_id) DO UPDATE SET attended_days = excluded.attended_days,
          adviser_days = excluded.adviser_days, adviser_record_at = excluded.adviser_record_at, adviser_record_gap = excluded.adviser_record_gap,
          review_days = excluded.review_days, review_record_at = excluded.review_record_at, review_record_gap = excluded.review_record_gap,
          in_work_days = excluded.in_work_days, in_work_record_at = excluded.in_work_record_at, in_work_record_gap = excluded.in_work_record_gap
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
    await q.query(`GRANT SELECT, INSERT, UPDATE (attended_days, adviser_days, adviser_record_at, adviser_record_gap,
      review_days, review_record_at, review_record_gap, in_work_days, in_work_record_at, in_work_record_gap) ON contact_days TO scx_api`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER contact_days_on_contacts_deleted ON contact`);
    await q.query(`DROP TRIGGER contact_days_on_contacts_updated ON contact`);
    await q.query(`DROP TRIGGER contact_days_on_contacts_inserted ON contact`);
    await q.query(`DROP FUNCTION contact_days_on_contacts()`);
    await q.query(`DROP FUNCTION contact_days_refresh(uuid[])`);
    await q.query(`DROP FUNCTION contact_days_records(date[])`);
    await q.query(`DROP TABLE contact_days`);
  }
}

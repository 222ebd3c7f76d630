import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeInboxKinds } from '../src/db/migration-helpers';

const KINDS = ['REFERRAL_QUERIED', 'REFERRAL_QUERY_RESOLVED', 'PARTICIPANT_RETURNED'];
const REJECTION_REASONS = "'INELIGIBLE', 'WRONG_PROGRAMME', 'DUPLICATE', 'REFERRED_TO_ANOTHER_PROVIDER', 'ALREADY_IN_WORK', 'OTHER'";
const AUDITED = ['referral_query', 'referral_return'];

/**
 * Queries, not rejections, and returners (issue 14, items 1 and 2; DOMAIN.md journey steps 3 and 5;
 * 002:1222, 002:458, 002:507):
 * - `programme`: the query window (14 days from allocation), how long after a withdrawal the same
 *   person goes back to the same contract (90 days), and whether a person who completed the
 *   programme may be referred to it again (no) — programme data.
 * - `referral_query`: a prime's query of a referral, answered by the referring Jobcentre
 *   (WITHDRAWN or CONFIRMED); one open at a time per referral.
 * - `referral.status` WITHDRAWN with `withdrawn_on`; allocation method RETURNING.
 * - `referral_return`: a returner's referral, which reopens the participation's own referral row
 *   (its clientReference is kept here, so that a resubmission of it answers the same referral).
 * - `referral_performance` counts each referral's queries and whether it was withdrawn.
 * Existing data: REJECTED referrals stay REJECTED (the status is kept, deprecated); nothing is
 * re-read, since no referral was queried, withdrawn or reopened before.
 */
export class ReferralQueries1795433000000 implements MigrationInterface {
  name = 'ReferralQueries1795433000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE programme
      ADD COLUMN query_window_days int NOT NULL DEFAULT 14 CONSTRAINT programme_query_window_check CHECK (query_window_days > 0),
      ADD COLUMN return_after_withdrawal_days int NOT NULL DEFAULT 90
        CONSTRAINT programme_return_after_withdrawal_check CHECK (return_after_withdrawal_days >= 0),
      ADD COLUMN referral_after_completion boolean NOT NULL DEFAULT false`);

    await q.query(`ALTER TABLE referral DROP CONSTRAINT referral_status_check`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_status_check
      CHECK (status IN ('ALLOCATED', 'ACKNOWLEDGED', 'REJECTED', 'WITHDRAWN', 'ATTACHED', 'EXITED'))`);
    await q.query(`ALTER TABLE referral ADD COLUMN withdrawn_on date`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_withdrawn_check CHECK ((status = 'WITHDRAWN') = (withdrawn_on IS NOT NULL))`);

    await q.query(`ALTER TABLE referral_allocation DROP CONSTRAINT referral_allocation_method_check`);
    await q.query(`ALTER TABLE referral_allocation ADD CONSTRAINT referral_allocation_method_check
      CHECK (method IN ('RANDOM', 'JOINT_CLAIM', 'MANUAL_OVERRIDE', 'RETURNING'))`);

    await q.query(`
      CREATE TABLE referral_query (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referral (id),
        purpose     text NOT NULL CHECK (purpose IN ('INAPPROPRIATE_REFERRAL')),
        grounds     text NOT NULL CHECK (grounds IN (${REJECTION_REASONS})),
        reason      text,
        status      text NOT NULL CHECK (status IN ('OPEN', 'WITHDRAWN', 'CONFIRMED')),
        raised_by   uuid NOT NULL REFERENCES organisation (id),
        raised_at   timestamptz NOT NULL DEFAULT now(),
        resolved_by uuid REFERENCES organisation (id),
        resolved_at timestamptz,
        answer      text,
        CONSTRAINT referral_query_resolved_check CHECK ((status = 'OPEN') = (resolved_at IS NULL))
      )`);
    // One open query per referral: the database decides two raised at once.
    await q.query(`CREATE UNIQUE INDEX referral_query_open_key ON referral_query (referral_id) WHERE status = 'OPEN'`);
    // Referral.queries (queriesByReferral), in the order raised.
    await q.query(`CREATE INDEX referral_query_referral_idx ON referral_query (referral_id, raised_at)`);

    await q.query(`
      CREATE TABLE referral_return (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id      uuid NOT NULL REFERENCES referral (id),
        jobcentre_id     uuid NOT NULL REFERENCES organisation (id),
        client_reference text NOT NULL,
        referred_on      date NOT NULL,
        -- The exit the return reopened, or LEFT_BENEFIT and the day of the off-benefit marker it cleared.
        exit_reason      text NOT NULL,
        exited_on        date NOT NULL,
        returned_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT referral_return_client_reference_key UNIQUE (jobcentre_id, client_reference)
      )`);
    await q.query(`CREATE INDEX referral_return_referral_idx ON referral_return (referral_id)`);

    // About a person (a query's reason, a return): every write audited like the rest of the record.
    for (const table of AUDITED) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        const transition = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
        await q.query(`CREATE TRIGGER audit_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${transition}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
      }
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE ON referral_query TO scx_api`);
    await q.query(`GRANT SELECT, INSERT ON referral_return TO scx_api`);

    await changeInboxKinds(q, (kinds) => [...kinds, ...KINDS]);

    // The figures count queries per referral and withdrawals, in the events' own transactions.
    await q.query(`ALTER TABLE referral_performance
      ADD COLUMN referral_queries smallint NOT NULL DEFAULT 0,
      ADD COLUMN withdrawn boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE FUNCTION referral_performance_on_query() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE referral_performance SET referral_queries = referral_queries + 1 WHERE referral_id = NEW.referral_id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_query AFTER INSERT ON referral_query
      FOR EACH ROW EXECUTE FUNCTION referral_performance_on_query()`);
    await q.query(`
      CREATE FUNCTION referral_performance_on_withdrawal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE referral_performance SET withdrawn = true WHERE referral_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_withdrawal AFTER UPDATE OF status ON referral
      FOR EACH ROW WHEN (NEW.status = 'WITHDRAWN' AND OLD.status <> 'WITHDRAWN') EXECUTE FUNCTION referral_performance_on_withdrawal()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER referral_performance_on_withdrawal ON referral`);
    await q.query(`DROP FUNCTION referral_performance_on_withdrawal()`);
    await q.query(`DROP TRIGGER referral_performance_on_query ON referral_query`);
    await q.query(`DROP FUNCTION referral_performance_on_query()`);
    await q.query(`ALTER TABLE referral_performance DROP COLUMN referral_queries, DROP COLUMN withdrawn`);
    await q.query(`DELETE FROM inbox_item WHERE kind = ANY($1)`, [KINDS]);
    await changeInboxKinds(q, (kinds) => kinds.filter((kind) => !KINDS.includes(kind)));
    await q.query(`DROP TABLE referral_return`);
    await q.query(`DROP TABLE referral_query`);
    // A withdrawn referral was a rejected one before queries existed; a returning allocation, a draw's.
    await q.query(`DELETE FROM referral_allocation WHERE method = 'RETURNING' AND EXISTS (
      SELECT 1 FROM referral_allocation b WHERE b.referral_id = referral_allocation.referral_id AND b.method <> 'RETURNING')`);
    await q.query(`ALTER TABLE referral_allocation DROP CONSTRAINT referral_allocation_method_check`);
    await q.query(`UPDATE referral_allocation SET method = 'MANUAL_OVERRIDE', reason = 'Returning' WHERE method = 'RETURNING'`);
    await q.query(`ALTER TABLE referral_allocation ADD CONSTRAINT referral_allocation_method_check
      CHECK (method IN ('RANDOM', 'JOINT_CLAIM', 'MANUAL_OVERRIDE'))`);
    await q.query(`ALTER TABLE referral DROP CONSTRAINT referral_withdrawn_check, DROP COLUMN withdrawn_on`);
    await q.query(`UPDATE referral SET status = 'REJECTED', rejected_at = coalesce(rejected_at, now()) WHERE status = 'WITHDRAWN'`);
    await q.query(`ALTER TABLE referral DROP CONSTRAINT referral_status_check`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_status_check
      CHECK (status IN ('ALLOCATED', 'ACKNOWLEDGED', 'REJECTED', 'ATTACHED', 'EXITED'))`);
    await q.query(`ALTER TABLE programme DROP COLUMN query_window_days, DROP COLUMN return_after_withdrawal_days, DROP COLUMN referral_after_completion`);
  }
}

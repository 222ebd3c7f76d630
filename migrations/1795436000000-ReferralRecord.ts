import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeInboxKinds } from '../src/db/migration-helpers';

/** The shared fields before this migration. */
const FIELDS = ['CONTACT_DETAILS', 'HEALTH', 'RISK_MARKERS', 'ACTION_PLAN', 'EMPLOYMENT_HISTORY', 'CONTACT_NOTES'];
const RECORD_FIELDS = ['BENEFIT', 'REFERRAL_REASON', 'QUALIFICATIONS', 'WORK_HISTORY', 'BARRIERS', 'JOB_GOALS', 'ACCESS_NEEDS', 'CARING_RESPONSIBILITIES'];
const BARRIERS = ['HOUSING', 'TRANSPORT', 'CHILDCARE', 'CARING', 'BASIC_SKILLS', 'DIGITAL_SKILLS', 'ENGLISH_LANGUAGE', 'DEBT', 'CONFIDENCE',
  'WORK_EXPERIENCE', 'QUALIFICATIONS', 'LONG_TERM_UNEMPLOYMENT', 'OTHER'];
const textArray = (values: string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]`;
const TABLES = ['referral_record', 'assessment', 'planned_action', 'action_plan_review', 'progress_update'];

/**
 * The referral record (issue 15, item 3; 002:1186, 002:1188, 002:1212-1220, 002:1310, 002:1381, 004:295):
 * - `referral_record`: what the Jobcentre sent with one referral beyond the claimant (benefit and
 *   claim start, reason, qualifications, work history, barriers, job goals, access and language
 *   needs, caring responsibilities), and whether its risk markers may travel: the claimant's
 *   consent or a legal basis. Existing referrals have none: their risk markers stay with the
 *   Jobcentre until a basis is recorded.
 * - the prime's `assessment` (job readiness, barriers) and action plan (`planned_action`,
 *   `action_plan_review`); a spot provider's `progress_update` to whoever passed it the referral.
 * - the new shared fields a handoff may carry, and the inbox kind PROGRESS_UPDATE.
 * Every table is about a person: audited by referral, like `circumstance_change`.
 */
export class ReferralRecord1795436000000 implements MigrationInterface {
  name = 'ReferralRecord1795436000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_record (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id             uuid NOT NULL REFERENCES referral (id),
        benefit                 text CHECK (benefit IN ('JSA', 'ESA', 'IB_IS')),
        claim_started_on        date,
        reason                  text,
        qualifications          text[] NOT NULL DEFAULT '{}',
        work_history            text,
        barriers                text[] NOT NULL DEFAULT '{}' CHECK (barriers <@ ${textArray(BARRIERS)}),
        barrier_notes           text,
        job_goals               text,
        welsh                   boolean,
        interpreter             boolean,
        interpreter_language    text,
        esol                    boolean,
        caring_responsibilities text,
        consent_to_share_risk   boolean NOT NULL DEFAULT false,
        risk_sharing_basis      text CHECK (risk_sharing_basis IN ('PUBLIC_TASK', 'LEGAL_OBLIGATION', 'VITAL_INTERESTS')),
        created_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT referral_record_referral_key UNIQUE (referral_id)
      )`);
    await q.query(`
      CREATE TABLE assessment (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id   uuid NOT NULL REFERENCES referral (id),
        assessed_by   uuid NOT NULL REFERENCES organisation (id),
        assessed_on   date NOT NULL,
        job_readiness text NOT NULL CHECK (job_readiness IN ('RED', 'AMBER', 'GREEN')),
        barriers      text[] NOT NULL DEFAULT '{}' CHECK (barriers <@ ${textArray(BARRIERS)}),
        notes         text,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX assessment_referral_idx ON assessment (referral_id, assessed_on)`);
    await q.query(`
      CREATE TABLE planned_action (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id            uuid NOT NULL REFERENCES referral (id),
        recorded_by            uuid NOT NULL REFERENCES organisation (id),
        kind                   text NOT NULL CHECK (kind IN ('JOB_SEARCH', 'APPLICATIONS', 'TRAINING', 'WORK_EXPERIENCE', 'INTERVIEW',
                                 'APPOINTMENT', 'HEALTH_AND_WELLBEING', 'OTHER')),
        description            text,
        due_on                 date NOT NULL,
        mandatory              boolean NOT NULL,
        notified_in_writing_on date,
        completed_on           date,
        created_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX planned_action_referral_idx ON planned_action (referral_id, due_on)`);
    await q.query(`
      CREATE TABLE action_plan_review (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referral (id),
        reviewed_by uuid NOT NULL REFERENCES organisation (id),
        reviewed_on date NOT NULL,
        note        text,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX action_plan_review_referral_idx ON action_plan_review (referral_id, reviewed_on)`);
    await q.query(`
      CREATE TABLE progress_update (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        handoff_id     uuid NOT NULL REFERENCES handoff (id),
        referral_id    uuid NOT NULL REFERENCES referral (id),
        recorded_by    uuid NOT NULL REFERENCES organisation (id),
        attended       boolean NOT NULL,
        completed      boolean NOT NULL,
        certificate    text,
        recommendation text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT progress_update_completed_attended CHECK (attended OR NOT completed)
      )`);
    await q.query(`CREATE INDEX progress_update_handoff_idx ON progress_update (handoff_id, created_at)`);

    await q.query(`GRANT SELECT, INSERT ON referral_record, assessment, planned_action, action_plan_review, progress_update TO scx_api`);
    // A review marks actions done: that column only.
    await q.query(`GRANT UPDATE (completed_on) ON planned_action TO scx_api`);
    for (const table of TABLES) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        const transition = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
        await q.query(`CREATE TRIGGER audit_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${transition}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_person_write('referral_id')`);
      }
    }

    await q.query(`ALTER TABLE handoff DROP CONSTRAINT handoff_shared_fields_check`);
    await q.query(`ALTER TABLE handoff ADD CONSTRAINT handoff_shared_fields_check CHECK (shared_fields <@ ${textArray([...FIELDS, ...RECORD_FIELDS])})`);
    await changeInboxKinds(q, (kinds) => [...kinds, 'PROGRESS_UPDATE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inbox_item WHERE kind = 'PROGRESS_UPDATE'`);
    await changeInboxKinds(q, (kinds) => kinds.filter((kind) => kind !== 'PROGRESS_UPDATE'));
    await q.query(`UPDATE handoff SET shared_fields = ARRAY(SELECT f FROM unnest(shared_fields) f WHERE f <> ALL ($1)) WHERE shared_fields && $1`, [RECORD_FIELDS]);
    await q.query(`ALTER TABLE handoff DROP CONSTRAINT handoff_shared_fields_check`);
    await q.query(`ALTER TABLE handoff ADD CONSTRAINT handoff_shared_fields_check CHECK (shared_fields <@ ${textArray(FIELDS)})`);
    for (const table of [...TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
  }
}

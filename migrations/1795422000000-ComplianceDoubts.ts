import { MigrationInterface, QueryRunner } from 'typeorm';

/** Compliance doubts (sanction notices) raised along the chain and decided by DWP Decision Makers. */
export class ComplianceDoubts1795422000000 implements MigrationInterface {
  name = 'ComplianceDoubts1795422000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE compliance_doubt (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq                bigint GENERATED ALWAYS AS IDENTITY,
        referral_id        uuid NOT NULL REFERENCES referral (id),
        raised_by          uuid NOT NULL REFERENCES organisation (id),
        raised_at          timestamptz NOT NULL DEFAULT now(),
        type               text NOT NULL CHECK (type IN ('FAILURE_TO_PARTICIPATE', 'ENTITLEMENT_DOUBT', 'CHANGE_OF_CIRCUMSTANCES')),
        status             text NOT NULL CHECK (status IN ('RAISED', 'SUBMITTED', 'RETURNED', 'DECIDED', 'WITHDRAWN')),
        occurred_on        date NOT NULL,
        description        text NOT NULL,
        activity_kind      text CHECK (activity_kind IN ('APPOINTMENT', 'WORKSHOP', 'TRAINING', 'WORK_PLACEMENT', 'JOB_INTERVIEW', 'JOB_OFFER')),
        activity_description text,
        activity_notified_on date,
        activity_notified_in_writing boolean,
        activity_scheduled_for timestamptz,
        submitted_at       timestamptz,
        return_reason      text,
        withdrawn_reason   text,
        outcome            text CHECK (outcome IN ('SANCTION_APPLIED', 'NOT_APPLIED_GOOD_REASON', 'NOT_APPLIED_PROCEDURAL_ERROR',
          'NOT_APPLIED_STATUS_CHANGED', 'NOT_APPLIED_VOLUNTARY_PARTICIPANT')),
        decision_reason    text,
        sanction_weeks     int,
        decided_at         timestamptz,
        decided_by         uuid REFERENCES organisation (id),
        CONSTRAINT compliance_doubt_seq_key UNIQUE (seq),
        CONSTRAINT compliance_doubt_decision_check CHECK ((status = 'DECIDED') = (outcome IS NOT NULL))
      )`);
    // One open doubt per referral, type and failure date, and never a second sanction for one
    // failure; a returned, withdrawn or not-applied one may be raised again.
    await q.query(`CREATE UNIQUE INDEX compliance_doubt_open_key ON compliance_doubt (referral_id, type, occurred_on)
      WHERE status IN ('RAISED', 'SUBMITTED') OR outcome = 'SANCTION_APPLIED'`);
    await q.query(`CREATE INDEX compliance_doubt_referral_idx ON compliance_doubt (referral_id, seq)`);
    // Decision Makers' national queue, and every list, page by seq within a status.
    await q.query(`CREATE INDEX compliance_doubt_status_idx ON compliance_doubt (status, seq)`);
    await q.query(`CREATE INDEX compliance_doubt_raised_by_idx ON compliance_doubt (raised_by, seq)`);

    await q.query(`ALTER TABLE inbox_item ADD COLUMN compliance_doubt_id uuid REFERENCES compliance_doubt (id)`);
    // A doubt withdrawn before a decision is news for the other side too.
    await q.query(`ALTER TABLE inbox_item DROP CONSTRAINT inbox_item_kind_check`);
    await q.query(`ALTER TABLE inbox_item ADD CONSTRAINT inbox_item_kind_check CHECK (kind IN ('REFERRAL_ALLOCATED',
      'REFERRAL_REJECTED', 'HANDOFF_OFFERED', 'HANDOFF_RESPONDED', 'HANDOFF_ENDED', 'COMPLIANCE_DOUBT_RAISED',
      'COMPLIANCE_DOUBT_SUBMITTED', 'COMPLIANCE_DOUBT_RETURNED', 'COMPLIANCE_DECISION', 'COMPLIANCE_DOUBT_WITHDRAWN',
      'SERVICE_STANDARDS_PUBLISHED'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inbox_item WHERE kind = 'COMPLIANCE_DOUBT_WITHDRAWN'`);
    await q.query(`ALTER TABLE inbox_item DROP CONSTRAINT inbox_item_kind_check`);
    await q.query(`ALTER TABLE inbox_item ADD CONSTRAINT inbox_item_kind_check CHECK (kind IN ('REFERRAL_ALLOCATED',
      'REFERRAL_REJECTED', 'HANDOFF_OFFERED', 'HANDOFF_RESPONDED', 'HANDOFF_ENDED', 'COMPLIANCE_DOUBT_RAISED',
      'COMPLIANCE_DOUBT_SUBMITTED', 'COMPLIANCE_DOUBT_RETURNED', 'COMPLIANCE_DECISION', 'SERVICE_STANDARDS_PUBLISHED'))`);
    await q.query(`ALTER TABLE inbox_item DROP COLUMN compliance_doubt_id`);
    await q.query(`DROP TABLE compliance_doubt`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

const GROUPS = ['JSA_18_24', 'JSA_25_PLUS', 'JSA_EARLY_ACCESS', 'JSA_EX_IB', 'ESA_VOLUNTEER', 'ESA_NEW_CLAIMANT', 'ESA_EX_IB', 'IB_IS', 'JSA_PRISON_LEAVER'];
const GROUP_CHECK = `payment_group IN (${GROUPS.map((group) => `'${group}'`).join(', ')})`;

/**
 * The Work Programme's rate card as first published (DOMAIN.md, "Payment groups"). Only year 1
 * of groups 1-4 is public record; the rest is stated as an assumption in `source`, for an ADMIN
 * to replace with the rates in the contract (setRateCard keeps the superseded rows).
 */
interface Rate { group: string; year: number; attachment: number; outcome: number; weeks: number; sustainment: number; cap: number; source: string }
const PUBLIC = 'DOMAIN.md: year 1 rates, public record';
const FALLING = 'DOMAIN.md: attachment fees fell each year to nil from year 4; the year 2-3 figures are assumed';
const OUTCOME_FELL =
  'DOMAIN.md: attachment fees fell to nil from year 4 (year 3 assumed); job outcome fees fell from year 3 by amounts not in the public record, so year 1\'s stays until set';
const UNKNOWN = 'Assumed: not in the public record; DOMAIN.md gives only the ESA ex-IB maximum of £13,720';
// Attachment in years 1-4 as a share of year 1: falling, nil from year 4.
const ATTACHMENT_BY_YEAR = [1, 0.75, 0.625, 0];
function rates(): Rate[] {
  const year1: Record<string, Omit<Rate, 'group' | 'year' | 'source'> & { known: boolean }> = {
    JSA_18_24: { attachment: 40000, outcome: 120000, weeks: 26, sustainment: 17000, cap: 13, known: true },
    JSA_25_PLUS: { attachment: 40000, outcome: 120000, weeks: 26, sustainment: 21500, cap: 13, known: true },
    JSA_EARLY_ACCESS: { attachment: 40000, outcome: 120000, weeks: 26, sustainment: 25000, cap: 20, known: true },
    JSA_EX_IB: { attachment: 40000, outcome: 120000, weeks: 13, sustainment: 25000, cap: 20, known: true },
    ESA_VOLUNTEER: { attachment: 60000, outcome: 350000, weeks: 13, sustainment: 37000, cap: 26, known: false },
    ESA_NEW_CLAIMANT: { attachment: 60000, outcome: 350000, weeks: 13, sustainment: 37000, cap: 26, known: false },
    // 600 + 3,500 + 26 x 370 = the £13,720 most a participant could earn a prime.
    ESA_EX_IB: { attachment: 60000, outcome: 350000, weeks: 13, sustainment: 37000, cap: 26, known: false },
    IB_IS: { attachment: 60000, outcome: 350000, weeks: 13, sustainment: 37000, cap: 26, known: false },
    JSA_PRISON_LEAVER: { attachment: 40000, outcome: 120000, weeks: 13, sustainment: 25000, cap: 20, known: false },
  };
  return GROUPS.flatMap((group) =>
    ATTACHMENT_BY_YEAR.map((share, index) => {
      const { known, ...rate } = year1[group];
      const source = !known ? UNKNOWN : index === 0 ? PUBLIC : index === 1 ? FALLING : OUTCOME_FELL;
      return { group, year: index + 1, ...rate, attachment: Math.round(rate.attachment * share), source };
    }),
  );
}

/**
 * Outcomes and payments by results, and the per-referral performance facts behind the analysts'
 * reports, kept by triggers in the same transaction as the events they count.
 */
export class OutcomesAndPerformance1795423000000 implements MigrationInterface {
  name = 'OutcomesAndPerformance1795423000000';

  async up(q: QueryRunner): Promise<void> {
    // A programme's rate card changes with its years, which turn on one day of the year: the Work
    // Programme's on 1 April (DOMAIN.md: attachment fees "nil from year 4 (April 2014)").
    await q.query(`
      CREATE TABLE programme (
        code           text PRIMARY KEY,
        name           text NOT NULL,
        year_starts_on text NOT NULL CHECK (year_starts_on ~ '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$')
      )`);
    await q.query(`INSERT INTO programme (code, name, year_starts_on) VALUES ('WORK_PROGRAMME', 'Work Programme', '04-01')`);
    // Every contract so far is the Work Programme's.
    await q.query(`ALTER TABLE prime_contract ADD COLUMN programme text NOT NULL DEFAULT 'WORK_PROGRAMME'
      CONSTRAINT prime_contract_programme_fkey REFERENCES programme (code)`);

    await q.query(`
      CREATE TABLE rate_card (
        id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme                text NOT NULL REFERENCES programme (code),
        payment_group            text NOT NULL CHECK (${GROUP_CHECK}),
        contract_year            int NOT NULL CHECK (contract_year >= 1),
        attachment_fee_pence     int NOT NULL CHECK (attachment_fee_pence >= 0),
        job_outcome_fee_pence    int NOT NULL CHECK (job_outcome_fee_pence >= 0),
        outcome_threshold_weeks  int NOT NULL CHECK (outcome_threshold_weeks > 0),
        sustainment_fee_pence    int NOT NULL CHECK (sustainment_fee_pence >= 0),
        sustainment_max_count    int NOT NULL CHECK (sustainment_max_count >= 0),
        sustainment_period_weeks int NOT NULL CHECK (sustainment_period_weeks > 0),
        source                   text NOT NULL,
        set_at                   timestamptz NOT NULL DEFAULT now(),
        set_by                   uuid REFERENCES organisation (id),
        superseded_at            timestamptz
      )`);
    // One rate in force per programme, group and year; superseded rows stay for audit.
    await q.query(`CREATE UNIQUE INDEX rate_card_in_force_key ON rate_card (programme, payment_group, contract_year)
      WHERE superseded_at IS NULL`);
    for (const rate of rates()) {
      await q.query(
        `INSERT INTO rate_card (programme, payment_group, contract_year, attachment_fee_pence, job_outcome_fee_pence,
           outcome_threshold_weeks, sustainment_fee_pence, sustainment_max_count, sustainment_period_weeks, source)
         VALUES ('WORK_PROGRAMME', $1, $2, $3, $4, $5, $6, $7, 4, $8)`,
        [rate.group, rate.year, rate.attachment, rate.outcome, rate.weeks, rate.sustainment, rate.cap, rate.source],
      );
    }

    await q.query(`
      CREATE TABLE job_start (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id     uuid NOT NULL REFERENCES referral (id),
        started_on      date NOT NULL,
        ended_on        date,
        employer_name   text,
        hours_per_week  numeric(5, 2) CHECK (hours_per_week > 0 AND hours_per_week <= 168),
        self_employed   boolean NOT NULL DEFAULT false,
        recorded_by     uuid NOT NULL REFERENCES organisation (id),
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        ended_by        uuid REFERENCES organisation (id),
        CONSTRAINT job_start_period_check CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    // A referral's spells in date order: overlap checks and days-in-work sums read this.
    await q.query(`CREATE INDEX job_start_referral_idx ON job_start (referral_id, started_on)`);

    await q.query(`
      CREATE TABLE payment (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id     uuid NOT NULL REFERENCES referral (id),
        contract_id     uuid NOT NULL REFERENCES prime_contract (id),
        kind            text NOT NULL CHECK (kind IN ('ATTACHMENT', 'JOB_OUTCOME', 'SUSTAINMENT')),
        -- 1 for attachment and outcome; the period's number for sustainment.
        sequence        int NOT NULL CHECK (sequence >= 1),
        amount_pence    int NOT NULL CHECK (amount_pence >= 0),
        -- The day the payment was earned: attachment, outcome, or the end of the sustainment period.
        earned_on       date NOT NULL,
        period_ends_on  date,
        rate_card_id    uuid NOT NULL REFERENCES rate_card (id),
        contract_year   int NOT NULL,
        claimed_by      uuid NOT NULL REFERENCES organisation (id),
        claimed_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_once_key UNIQUE (referral_id, kind, sequence),
        CONSTRAINT payment_period_check CHECK ((kind = 'SUSTAINMENT') = (period_ends_on IS NOT NULL)),
        CONSTRAINT payment_single_sequence_check CHECK (kind = 'SUSTAINMENT' OR sequence = 1)
      )`);
    // Money is written once: a correction is a new record, never an edit.
    await q.query(`
      CREATE FUNCTION payment_written_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'payments are written once' USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER payment_written_once BEFORE UPDATE OR DELETE ON payment
      FOR EACH ROW EXECUTE FUNCTION payment_written_once()`);

    // What a report groups by, except the referral month: one cell per contract (and so CPA and
    // prime), payment group, district and first end-to-end subcontractor. A few thousand cells
    // nationally, against millions of referrals.
    await q.query(`
      CREATE TABLE performance_cell (
        id                 int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        cpa_id             uuid NOT NULL REFERENCES cpa (id),
        contract_id        uuid NOT NULL REFERENCES prime_contract (id),
        prime_id           uuid NOT NULL REFERENCES organisation (id),
        payment_group      text NOT NULL,
        jobcentre_district text NOT NULL,
        subcontractor_id   uuid REFERENCES organisation (id)
      )`);
    // Not unique on purpose: two transactions using a new cell at once may each make one, which
    // only splits the cell (reports add cells up by what they hold), and nobody waits on a lock.
    await q.query(`CREATE INDEX performance_cell_lookup_idx ON performance_cell (contract_id, payment_group, jobcentre_district)`);
    await q.query(`
      CREATE FUNCTION performance_cell_for(p_contract uuid, p_group text, p_district text, p_subcontractor uuid) RETURNS int
      LANGUAGE plpgsql AS $$
      DECLARE
        cell int;
      BEGIN
        SELECT id INTO cell FROM performance_cell
         WHERE contract_id = p_contract AND payment_group = p_group AND jobcentre_district = p_district
           AND subcontractor_id IS NOT DISTINCT FROM p_subcontractor
         LIMIT 1;
        IF cell IS NULL THEN
          INSERT INTO performance_cell (cpa_id, contract_id, prime_id, payment_group, jobcentre_district, subcontractor_id)
          SELECT pc.cpa_id, pc.id, pc.prime_id, p_group, p_district, p_subcontractor FROM prime_contract pc WHERE pc.id = p_contract
          RETURNING id INTO cell;
        END IF;
        RETURN cell;
      END $$`);

    // One narrow row (about 60 bytes) per referral: its date, its cell and its running counts. A
    // national report is one scan of this table by referral date, not a join over referrals,
    // payments, handoffs and doubts. The triggers below keep it in the events' own transactions.
    await q.query(`
      CREATE TABLE referral_performance (
        referral_id          uuid PRIMARY KEY REFERENCES referral (id) ON DELETE CASCADE,
        referred_on          date NOT NULL,
        cell_id              int NOT NULL REFERENCES performance_cell (id),
        -- At most £13,720 (1,372,000 pence) a referral: int, which sums fast and exactly.
        payments_pence       int NOT NULL DEFAULT 0,
        sustainment_payments smallint NOT NULL DEFAULT 0,
        compliance_doubts    smallint NOT NULL DEFAULT 0,
        sanctions_applied    smallint NOT NULL DEFAULT 0,
        attached             boolean NOT NULL DEFAULT false,
        job_outcome          boolean NOT NULL DEFAULT false
      )`);
    // The referrals made before this migration (no payments exist yet).
    await q.query(`
      INSERT INTO referral_performance (referral_id, referred_on, cell_id, attached, compliance_doubts, sanctions_applied)
      SELECT r.id, r.referred_on,
        performance_cell_for(r.contract_id, r.payment_group, r.jobcentre_district,
          -- The first accepted end-to-end handoff in the chain of the contract it is on now.
          (SELECT h.to_organisation_id FROM handoff h JOIN subcontract sc ON sc.id = h.subcontract_id AND sc.contract_id = r.contract_id
            WHERE h.referral_id = r.id AND h.purpose = 'END_TO_END_DELIVERY' AND h.responded_at IS NOT NULL AND h.status <> 'DECLINED'
            ORDER BY h.responded_at LIMIT 1)),
        r.attached_on IS NOT NULL,
        (SELECT count(*) FROM compliance_doubt d WHERE d.referral_id = r.id AND d.submitted_at IS NOT NULL),
        (SELECT count(*) FROM compliance_doubt d WHERE d.referral_id = r.id AND d.outcome = 'SANCTION_APPLIED')
      FROM referral r`);
    // A national cohort: a range of referral dates. One CPA's or one prime's: its cells, then dates.
    await q.query(`CREATE INDEX referral_performance_cohort_idx ON referral_performance (referred_on)`);
    await q.query(`CREATE INDEX referral_performance_cell_cohort_idx ON referral_performance (cell_id, referred_on)`);

    await q.query(`
      CREATE FUNCTION referral_performance_on_referral() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO referral_performance (referral_id, referred_on, cell_id, attached)
          VALUES (NEW.id, NEW.referred_on, performance_cell_for(NEW.contract_id, NEW.payment_group, NEW.jobcentre_district, NULL),
            NEW.attached_on IS NOT NULL);
        ELSE
          -- A referral moved to another prime leaves the old prime's chain behind.
          UPDATE referral_performance SET attached = NEW.attached_on IS NOT NULL,
            cell_id = CASE WHEN NEW.contract_id = OLD.contract_id THEN cell_id
                           ELSE performance_cell_for(NEW.contract_id, NEW.payment_group, NEW.jobcentre_district, NULL) END
          WHERE referral_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_referral AFTER INSERT OR UPDATE OF contract_id, attached_on ON referral
      FOR EACH ROW EXECUTE FUNCTION referral_performance_on_referral()`);

    await q.query(`
      CREATE FUNCTION referral_performance_on_payment() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE referral_performance SET
          job_outcome = job_outcome OR NEW.kind = 'JOB_OUTCOME',
          sustainment_payments = sustainment_payments + (NEW.kind = 'SUSTAINMENT')::int,
          payments_pence = payments_pence + NEW.amount_pence
        WHERE referral_id = NEW.referral_id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_payment AFTER INSERT ON payment
      FOR EACH ROW EXECUTE FUNCTION referral_performance_on_payment()`);

    // A doubt counts once it reaches a Decision Maker; a sanction once it is applied.
    await q.query(`
      CREATE FUNCTION referral_performance_on_doubt() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        submitted int := (NEW.submitted_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.submitted_at IS NULL))::int;
        sanctioned int := (NEW.outcome IS NOT DISTINCT FROM 'SANCTION_APPLIED'
          AND (TG_OP = 'INSERT' OR OLD.outcome IS DISTINCT FROM 'SANCTION_APPLIED'))::int;
      BEGIN
        IF submitted + sanctioned > 0 THEN
          UPDATE referral_performance SET
            compliance_doubts = compliance_doubts + submitted,
            sanctions_applied = sanctions_applied + sanctioned
          WHERE referral_id = NEW.referral_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_doubt AFTER INSERT OR UPDATE OF submitted_at, outcome ON compliance_doubt
      FOR EACH ROW EXECUTE FUNCTION referral_performance_on_doubt()`);

    // The first end-to-end subcontractor to accept the referral delivers it, for the reports.
    await q.query(`
      CREATE FUNCTION referral_performance_on_handoff() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'ACCEPTED' AND NEW.purpose = 'END_TO_END_DELIVERY' THEN
          UPDATE referral_performance rp
             SET cell_id = performance_cell_for(c.contract_id, c.payment_group, c.jobcentre_district, NEW.to_organisation_id)
            FROM performance_cell c
           WHERE rp.referral_id = NEW.referral_id AND c.id = rp.cell_id AND c.subcontractor_id IS NULL;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER referral_performance_on_handoff AFTER INSERT OR UPDATE OF status ON handoff
      FOR EACH ROW EXECUTE FUNCTION referral_performance_on_handoff()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER referral_performance_on_handoff ON handoff`);
    await q.query(`DROP TRIGGER referral_performance_on_doubt ON compliance_doubt`);
    await q.query(`DROP TRIGGER referral_performance_on_referral ON referral`);
    // Dropping a table drops its own triggers, so the functions go last.
    await q.query(`DROP TABLE referral_performance`);
    await q.query(`DROP TABLE performance_cell`);
    await q.query(`DROP TABLE payment`);
    await q.query(`DROP TABLE job_start`);
    await q.query(`DROP TABLE rate_card`);
    await q.query(`DROP FUNCTION referral_performance_on_handoff(), referral_performance_on_doubt(), referral_performance_on_payment(),
      referral_performance_on_referral(), performance_cell_for(uuid, text, text, uuid), payment_written_once()`);
    await q.query(`ALTER TABLE prime_contract DROP COLUMN programme`);
    await q.query(`DROP TABLE programme`);
  }
}

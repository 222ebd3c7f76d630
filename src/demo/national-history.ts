import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { DataSource, QueryRunner } from 'typeorm';
import { addDays, daysBetween, todayUtc } from '../common/dates';
import { sharesInForce, type ShareRow } from '../modules/allocation/draw';
import type { DrawnShare } from '../modules/allocation/referral-allocation.entity';
import { DeliveryModel, Nation, PAYMENT_GROUPS, PaymentGroup } from '../modules/contracts/contracts.enums';
import { OrganisationKind } from '../modules/identity/identity.enums';
import { DWP_ORGANISATION_NAME } from '../modules/identity/identity.service';
import { ALLOTTED_TIME_MONTHS, PARTICIPATION_BASIS, ParticipationMode } from '../modules/referrals/programme';

/**
 * A national history of the programme for benchmarks and demos: `referrals` referrals spread
 * evenly over the registry's contract years up to yesterday, each with what a real one leaves
 * behind — participant, referral, its RANDOM allocation (draw and shares, against the market
 * shares in force), first appointments (a third missed, each miss asked about in a message
 * thread), the referral record, a prime's query now and then, attachment, an assessment and an
 * action plan with its review, an accepted end-to-end handoff, a spot provider's course with its
 * progress update, contacts, job starts and the change of circumstances signing a worker off,
 * payments at the rate card in force, and compliance doubts with their decisions. Rows are written
 * with INSERT … SELECT from generate_series and random(), one transaction per batch (batches run
 * on parallel connections), so the triggers keep referral_performance exactly as they do in
 * production. Not COPY: the rows are made in the database, so none crosses the connection (COPY
 * would first make them here and then send them). 2,000,000 referrals take about 12 minutes on 2
 * cores; `npm run seed` reports the rate.
 *
 * Realism comes from DOMAIN.md ("Payment groups", "Numbers for realistic data"): the group mix
 * follows the job-outcome payments by group, two-year job-outcome rates by group (27.8%
 * overall), ~94% attached, a third of doubts ending in a sanction. All people are invented:
 * names from pools, generated NINOs, phone numbers from Ofcom's drama range, fake postcodes.
 */

export interface GroupProfile {
  /** Share of referrals. */
  share: number;
  /** Two-year job-outcome rate, of referrals (DOMAIN.md; groups it does not give are interpolated). */
  outcomeRate: number;
  /** Mandatory share where PARTICIPATION_BASIS allows both modes (otherwise the basis decides). */
  mandatoryWhenEither: number;
  ages: [number, number];
}

/**
 * The group mix, guided by the job-outcome payments of June 2011–March 2014 (£m: JSA 25+ 151.5,
 * 18–24 80.3, early access 74.4, new ESA 12.0, ...) divided by each group's outcome rate and fee.
 * IB/IS is England only: drawn in Scotland or Wales, it becomes ESA volunteers.
 */
export const GROUP_PROFILES: Readonly<Record<PaymentGroup, GroupProfile>> = {
  [PaymentGroup.JSA_25_PLUS]: { share: 0.43, outcomeRate: 0.317, mandatoryWhenEither: 1, ages: [25, 64] },
  [PaymentGroup.JSA_18_24]: { share: 0.18, outcomeRate: 0.364, mandatoryWhenEither: 1, ages: [18, 24] },
  [PaymentGroup.JSA_EARLY_ACCESS]: { share: 0.2, outcomeRate: 0.25, mandatoryWhenEither: 0.7, ages: [18, 64] },
  [PaymentGroup.ESA_NEW_CLAIMANT]: { share: 0.07, outcomeRate: 0.151, mandatoryWhenEither: 0.75, ages: [18, 64] },
  [PaymentGroup.ESA_EX_IB]: { share: 0.04, outcomeRate: 0.054, mandatoryWhenEither: 0.5, ages: [25, 64] },
  [PaymentGroup.JSA_EX_IB]: { share: 0.025, outcomeRate: 0.22, mandatoryWhenEither: 1, ages: [25, 64] },
  [PaymentGroup.JSA_PRISON_LEAVER]: { share: 0.025, outcomeRate: 0.18, mandatoryWhenEither: 1, ages: [18, 64] },
  [PaymentGroup.ESA_VOLUNTEER]: { share: 0.02, outcomeRate: 0.12, mandatoryWhenEither: 0, ages: [18, 64] },
  [PaymentGroup.IB_IS]: { share: 0.01, outcomeRate: 0.05, mandatoryWhenEither: 0, ages: [25, 64] },
};

/** The shape of a journey: rates of referrals unless said otherwise. */
export const JOURNEY = {
  rejected: 0.025,
  /** Never attended: ALLOCATED or ACKNOWLEDGED for good. With `rejected`, ~94% attach. */
  neverAttached: 0.035,
  /** Attachment 3–43 days after referral, most in the first two weeks. */
  attachWithinDays: 40,
  /** Of the attached: handed end-to-end to a subcontractor of the prime. */
  handedEndToEnd: 0.85,
  /** Of the attached without a job outcome: a job that ended before the outcome threshold. */
  shortJob: 0.2,
  /** Of those in work after the outcome: still in work one sustainment period later. */
  stayInWork: 0.88,
  /** Contacts per attached participant, every four weeks or so from attachment. */
  contacts: [2, 4] as [number, number],
  /** Of the attached mandatory participants: a compliance doubt (~5% of mandatory participants). */
  doubted: 0.053,
  /** Of decided doubts: a sanction (40,490 of 110,410, DOMAIN.md); a few are withdrawn first. */
  sanctioned: 40490 / 110410,
  withdrawn: 0.03,
};

export interface NationalHistoryOptions {
  /** Referrals per transaction (default 25,000). */
  batchSize?: number;
  /** Makes random() repeatable: the same history on the same registry (ids aside). */
  randomSeed?: number;
  /** Connections loading batches at once (default: the CPUs, at most 4). */
  parallel?: number;
  /** Today (YYYY-MM-DD): the history ends the day before. */
  today?: string;
}

export interface NationalHistorySummary {
  referrals: number;
  from: string;
  to: string;
  rows: Record<string, number>;
  /** Seconds spent in each step, summed over the batches. */
  stepSeconds: Record<string, number>;
  seconds: number;
}

// Invented people: common given and family names drawn independently, never a real person.
const GIVEN_NAMES = ['Amir', 'Bethan', 'Callum', 'Dalia', 'Eamon', 'Fatima', 'Gareth', 'Hana', 'Imogen', 'Jamal', 'Kerry', 'Liam',
  'Maryam', 'Niall', 'Olga', 'Priya', 'Rhys', 'Sian', 'Tariq', 'Una', 'Vikram', 'Wendy', 'Yusuf', 'Zara', 'Aled', 'Bronwen',
  'Connor', 'Demi', 'Ewan', 'Freya', 'Grace', 'Hamza', 'Isla', 'Jordan', 'Kofi', 'Leanne', 'Mohammed', 'Nadia', 'Owen', 'Paige'];
const FAMILY_NAMES = ['Ashworth', 'Bhatt', 'Campbell', 'Davies', 'Egan', 'Fraser', 'Gill', 'Hughes', 'Iqbal', 'Jenkins', 'Kaur',
  'Lloyd', 'McKenzie', 'Nowak', 'Okafor', 'Patel', 'Quinn', 'Robertson', 'Shah', 'Thomas', 'Umar', 'Vaughan', 'Walsh', 'Young',
  'Ahmed', 'Brennan', 'Clarke', 'Doherty', 'Evans', 'Fletcher', 'Griffiths', 'Hussain', 'Jones', 'Kowalski', 'Lewis', 'Morgan',
  'Nolan', 'Owusu', 'Price', 'Reid'];
const STREETS = ['Station Road', 'Mill Lane', 'Church Street', 'Victoria Road', 'Park Avenue', 'Queen Street', 'Orchard Close',
  'High Street', 'Chapel Row', 'Meadow Way', 'Bridge Street', 'Albert Terrace'];
const EMPLOYERS = ['Harbourside Logistics', 'Greenleaf Care Homes', 'Northway Retail', 'Brightwater Hotels', 'Castlegate Security',
  'Riverside Foods', 'Summit Cleaning Services', 'Kingfisher Warehousing', 'Oakridge Builders', 'Lakeside Call Centres'];
const DISTRICTS = ['Central', 'North', 'South', 'East', 'West'];

const REFERRAL_PREFIX = 'NH-';
const PICK_BUCKETS = 10_000;
/** What a payment needs of its referral. */
const PAID = 'b.i, b.referral_id, b.contract_id, b.prime_id, b.programme, b.payment_group, b.contract_starts_on, b.year_starts_on';

/** Every NINO prefix HMRC allocates (src/modules/referrals/nino.ts). */
function ninoPrefixes(): string[] {
  const first = 'ABCEGHJKLMNOPRSTWXYZ';
  const second = 'ABCEGHJKLMNPRSTWXYZ';
  const unallocated = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
  return [...first].flatMap((a) => [...second].map((b) => a + b)).filter((p) => !unallocated.has(p));
}

/** A timestamp at `time` UTC of a date expression. */
const at = (date: string, time: string) => `((${date}) + time '${time}') AT TIME ZONE 'UTC'`;

/** National history is generated only where there is none: into a registry without referrals. */
export async function assertNoReferrals(db: DataSource, hint?: string): Promise<void> {
  const [{ referrals, history }] = await db.query(
    `SELECT (SELECT count(*) FROM referral)::int AS referrals,
            (SELECT count(*) FROM referral WHERE client_reference LIKE '${REFERRAL_PREFIX}%')::int AS history`,
  );
  if (referrals > 0) {
    throw new Error(
      (history > 0
        ? `The database holds a national history already (${history} referrals): generate one into a fresh database`
        : `The database holds ${referrals} referrals: national history is generated only into a registry without referrals`) +
        (hint ? `; ${hint}` : ''),
    );
  }
}

interface Registry {
  cpas: Array<{ id: string; code: number; name: string; nation: Nation }>;
  contracts: Array<{ id: string; reference: string; cpaId: string; primeId: string; startsOn: string; endsOn: string }>;
  shares: Array<ShareRow & { paymentGroup: PaymentGroup }>;
  jobcentres: Array<{ id: string; name: string }>;
  dwpId: string | null;
}

async function readRegistry(db: DataSource): Promise<Registry> {
  const cpas = await db.query('SELECT id, code, name, nation FROM cpa ORDER BY code');
  const contracts = await db.query(
    `SELECT id, reference, cpa_id AS "cpaId", prime_id AS "primeId", starts_on::text AS "startsOn", ends_on::text AS "endsOn"
       FROM prime_contract ORDER BY reference`,
  );
  const shares = await db.query(
    `SELECT contract_id AS "contractId", payment_group AS "paymentGroup", effective_from::text AS "effectiveFrom",
            share_basis_points AS "shareBasisPoints" FROM market_share`,
  );
  const jobcentres = await db.query('SELECT id, name FROM organisation WHERE kind = $1 ORDER BY name', [OrganisationKind.JOBCENTRE]);
  const [dwp] = await db.query('SELECT id FROM organisation WHERE kind = $1 ORDER BY name = $2 DESC, created_at LIMIT 1', [
    OrganisationKind.DWP,
    DWP_ORGANISATION_NAME,
  ]);
  return { cpas, contracts, shares, jobcentres, dwpId: dwp?.id ?? null };
}

interface Segment {
  cpaId: string;
  paymentGroup: PaymentGroup;
  validFrom: string;
  /** Exclusive. */
  validTo: string;
  shares: DrawnShare[];
}

/**
 * The allocation a referral would get, as periods: for each CPA and group, the dates where the
 * contracts in force or their shares change, and between them the shares in force — computed by
 * the app's own `sharesInForce`, in the same contract order the draw walks.
 */
function allocationSegments(registry: Registry, first: string, last: string): Segment[] {
  const segments: Segment[] = [];
  for (const cpa of registry.cpas) {
    const contracts = registry.contracts.filter((c) => c.cpaId === cpa.id);
    for (const paymentGroup of PAYMENT_GROUPS) {
      const rows = registry.shares.filter((s) => s.paymentGroup === paymentGroup && contracts.some((c) => c.id === s.contractId));
      const points = [
        ...new Set([first, ...contracts.flatMap((c) => [c.startsOn, addDays(c.endsOn, 1)]), ...rows.map((r) => r.effectiveFrom)]),
      ]
        .filter((d) => d >= first && d <= last)
        .sort();
      points.forEach((validFrom, k) => {
        const inForce = contracts.filter((c) => c.startsOn <= validFrom && c.endsOn >= validFrom).map((c) => c.id);
        const shares = sharesInForce(inForce, rows, validFrom);
        if (shares.length > 0) {
          segments.push({ cpaId: cpa.id, paymentGroup, validFrom, validTo: points[k + 1] ?? addDays(last, 1), shares });
        }
      });
    }
  }
  return segments;
}

/** The lookup tables every batch joins: areas, groups, allocation periods, chain places, rates. */
async function createLookups(qr: QueryRunner, registry: Registry, first: string, last: string): Promise<void> {
  const totalContracts = registry.contracts.length;
  let lo = 0;
  const cpaRows = registry.cpas.flatMap((cpa) => {
    // A CPA's volume follows its number of primes (the three-prime CPAs are the big cities).
    const weight = registry.contracts.filter((c) => c.cpaId === cpa.id).length / totalContracts;
    if (weight === 0) return [];
    const jobcentre =
      registry.jobcentres.find((j) => j.name === `Jobcentre Plus ${cpa.name}`) ?? registry.jobcentres[cpa.code % registry.jobcentres.length];
    const row = {
      lo,
      hi: lo + weight,
      cpa_id: cpa.id,
      jobcentre_id: jobcentre.id,
      english: cpa.nation === Nation.ENGLAND,
      welsh: cpa.nation === Nation.WALES,
      districts: DISTRICTS.slice(0, 4).map((d) => `${cpa.name} ${d}`),
    };
    lo += weight;
    return [row];
  });
  cpaRows[cpaRows.length - 1].hi = 1.000001;
  await qr.query(
    `CREATE TEMP TABLE nh_cpa AS SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS x(lo float8, hi float8, cpa_id uuid, jobcentre_id uuid, english boolean, welsh boolean, districts text[])`,
    [JSON.stringify(cpaRows)],
  );

  const attachRate = 1 - JOURNEY.rejected - JOURNEY.neverAttached;
  lo = 0;
  const groupRows = PAYMENT_GROUPS.map((group) => {
    const profile = GROUP_PROFILES[group];
    const basis = PARTICIPATION_BASIS[group];
    const mandatoryShare = !basis.includes(ParticipationMode.VOLUNTARY)
      ? 1
      : !basis.includes(ParticipationMode.MANDATORY)
        ? 0
        : profile.mandatoryWhenEither;
    const row = {
      lo,
      hi: lo + profile.share,
      payment_group: group,
      mandatory_share: mandatoryShare,
      // Outcome rates are of referrals; outcomes come from the attached.
      attached_outcome_rate: profile.outcomeRate / attachRate,
      min_age: profile.ages[0],
      max_age: profile.ages[1],
    };
    lo += profile.share;
    return row;
  });
  groupRows[groupRows.length - 1].hi = 1.000001;
  await qr.query(
    `CREATE TEMP TABLE nh_group AS SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS x(lo float8, hi float8, payment_group text, mandatory_share float8, attached_outcome_rate float8, min_age int, max_age int)`,
    [JSON.stringify(groupRows)],
  );

  const segments = allocationSegments(registry, first, last);
  await qr.query(
    `CREATE TEMP TABLE nh_seg AS SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS x(seg int, cpa_id uuid, payment_group text, valid_from date, valid_to date, total int, shares jsonb)`,
    [
      JSON.stringify(
        segments.map((s, seg) => ({
          seg,
          cpa_id: s.cpaId,
          payment_group: s.paymentGroup,
          valid_from: s.validFrom,
          valid_to: s.validTo,
          total: s.shares.reduce((sum, share) => sum + share.shareBasisPoints, 0),
          shares: s.shares,
        })),
      ),
    ],
  );
  // The slices of the draw, [lo, hi), in the order drawContract walks them.
  await qr.query(`
    CREATE TEMP TABLE nh_seg_contract AS
    SELECT s.seg, (sum((e->>'shareBasisPoints')::int) OVER w - (e->>'shareBasisPoints')::int)::int AS lo,
           (sum((e->>'shareBasisPoints')::int) OVER w)::int AS hi, (e->>'contractId')::uuid AS contract_id
      FROM nh_seg s, jsonb_array_elements(s.shares) WITH ORDINALITY AS x(e, n)
    WINDOW w AS (PARTITION BY s.seg ORDER BY x.n)`);

  // The end-to-end places of each contract, a generalist's three times as likely as a specialist's.
  await qr.query(
    `CREATE TEMP TABLE nh_place AS
     SELECT s.contract_id, s.id AS subcontract_id, s.subcontractor_id,
            (row_number() OVER (PARTITION BY s.contract_id ORDER BY w.k, s.subcontractor_id) - 1)::int AS k,
            (count(*) OVER (PARTITION BY s.contract_id))::int AS n
       FROM subcontract s JOIN prime_contract pc ON pc.id = s.contract_id
       CROSS JOIN LATERAL generate_series(1, CASE WHEN s.delivery_model = $1 THEN 3 ELSE 1 END) AS w(k)
      WHERE s.delivery_model IN ($1, $2) AND s.subcontractor_id <> pc.prime_id`,
    [DeliveryModel.END_TO_END, DeliveryModel.SPECIALIST_END_TO_END],
  );

  // The spot provider each contract's prime commissions itself (one a contract; some contracts have
  // only spot places commissioned by an end-to-end subcontractor, and none here).
  await qr.query(
    `CREATE TEMP TABLE nh_spot AS
     SELECT DISTINCT ON (s.contract_id) s.contract_id, s.id AS subcontract_id, s.subcontractor_id, s.specialisms[1] AS specialism
       FROM subcontract s JOIN prime_contract pc ON pc.id = s.contract_id
      WHERE s.delivery_model = $1 AND s.parent_id IS NULL AND s.subcontractor_id <> pc.prime_id
      ORDER BY s.contract_id, s.subcontractor_id`,
    [DeliveryModel.SPOT],
  );

  // The rate card in force for each programme, group and contract year: the greatest year on
  // the card at or below it (so year 4's rates hold from year 4 on).
  await qr.query(`
    CREATE TEMP TABLE nh_rate AS
    SELECT p.programme, g.payment_group, y.year AS contract_year, rc.id AS rate_card_id, rc.attachment_fee_pence,
           rc.job_outcome_fee_pence, rc.outcome_threshold_weeks, rc.sustainment_fee_pence, rc.sustainment_max_count,
           rc.sustainment_period_weeks
      FROM (SELECT DISTINCT programme FROM prime_contract) p
     CROSS JOIN (SELECT DISTINCT payment_group FROM nh_group) g
     CROSS JOIN generate_series(1, 100) AS y(year)
     CROSS JOIN LATERAL (
       SELECT * FROM rate_card rc
        WHERE rc.programme = p.programme AND rc.payment_group = g.payment_group AND rc.superseded_at IS NULL AND rc.contract_year <= y.year
        ORDER BY rc.contract_year DESC LIMIT 1) rc`);
  await qr.query('CREATE UNIQUE INDEX ON nh_rate (programme, payment_group, contract_year)');
  // Weighted picks as equality joins: 10,000 buckets of the unit interval, each to its CPA or group.
  for (const table of ['nh_cpa', 'nh_group']) {
    await qr.query(`CREATE TEMP TABLE ${table}_pick AS SELECT b AS bucket, t.* FROM generate_series(0, ${PICK_BUCKETS - 1}) AS b
      JOIN ${table} t ON (b + 0.5) / ${PICK_BUCKETS} >= t.lo AND (b + 0.5) / ${PICK_BUCKETS} < t.hi`);
  }
  await qr.query('ANALYZE nh_cpa_pick, nh_group, nh_group_pick, nh_seg, nh_seg_contract, nh_place, nh_spot, nh_rate');
}

/** The programme year of a date: the calendar year, less one before the day the programme's year turns (MM-DD). */
const programmeYear = (date: string, yearStartsOn: string) => `(extract(year FROM ${date})::int - (to_char(${date}, 'MM-DD') < ${yearStartsOn})::int)`;
/**
 * Contract year of a date, as src/modules/outcomes/payments.ts counts it: year 1 from the
 * contract's start, a new one each time the programme's year turns.
 */
const contractYear = (date: string, startsOn: string, yearStartsOn: string) =>
  `greatest(1, ${programmeYear(date, yearStartsOn)} - ${programmeYear(startsOn, yearStartsOn)} + 1)`;

/**
 * One batch's people and journeys, every random choice drawn once (raw) and every later date
 * derived from them. $1..$2: the referral numbers; $3: all referrals; $4: the first day;
 * $5: days in the period; $6: the last day of history (yesterday).
 */
function batchSql(prefixCount: number): string {
  const { rejected, neverAttached, attachWithinDays, handedEndToEnd, shortJob, stayInWork, contacts, doubted } = JOURNEY;
  const L = '$6::date';
  return `
  CREATE TEMP TABLE nh_b ON COMMIT DROP AS
  WITH raw AS MATERIALIZED (
    SELECT i, gen_random_uuid() AS participant_id, gen_random_uuid() AS referral_id,
      random() AS u_cpa, random() AS u_group, random() AS u_date, random() AS u_district, random() AS u_mode,
      random() AS u_draw, random() AS u_fate, random() AS u_attach, random() AS u_hand, random() AS u_place,
      random() AS u_job, random() AS u_start, random() AS u_tenure, random() AS u_end, random() AS u_contacts,
      random() AS u_doubt, random() AS u_doubt_day, random() AS u_given, random() AS u_family, random() AS u_age,
      random() AS u_person
      FROM generate_series($1::bigint, $2::bigint) AS i
  ), referred AS (
    SELECT raw.*, c.cpa_id, c.jobcentre_id, c.english, c.welsh,
      c.districts[1 + floor(raw.u_district * cardinality(c.districts))::int] AS district,
      CASE WHEN g.payment_group = 'IB_IS' AND NOT c.english THEN 'ESA_VOLUNTEER' ELSE g.payment_group END AS payment_group,
      $4::date + floor((raw.i - 1 + raw.u_date) * $5::float8 / $3::float8)::int AS referred_on
      FROM raw
      JOIN nh_cpa_pick c ON c.bucket = floor(raw.u_cpa * ${PICK_BUCKETS})::int
      JOIN nh_group_pick g ON g.bucket = floor(raw.u_group * ${PICK_BUCKETS})::int
  ), allocated AS (
    SELECT r.*, g.mandatory_share, g.attached_outcome_rate, g.min_age, g.max_age, s.seg, s.shares,
      floor(r.u_draw * s.total)::int AS draw
      FROM referred r
      JOIN nh_group g ON g.payment_group = r.payment_group
      JOIN nh_seg s ON s.cpa_id = r.cpa_id AND s.payment_group = r.payment_group
                   AND r.referred_on >= s.valid_from AND r.referred_on < s.valid_to
  ), contracted AS (
    SELECT a.*, pc.id AS contract_id, pc.prime_id, pc.starts_on AS contract_starts_on, pc.programme, pg.year_starts_on,
      CASE WHEN a.u_mode < a.mandatory_share THEN 'MANDATORY' ELSE 'VOLUNTARY' END AS participation_mode,
      a.referred_on + 3 + floor(a.u_attach * a.u_attach * ${attachWithinDays})::int AS attach_day,
      a.referred_on + 1 + floor(a.u_attach * 7)::int AS reject_day
      FROM allocated a
      JOIN nh_seg_contract sc ON sc.seg = a.seg AND a.draw >= sc.lo AND a.draw < sc.hi
      JOIN prime_contract pc ON pc.id = sc.contract_id
      JOIN programme pg ON pg.code = pc.programme
  ), attached AS (
    SELECT c.*, CASE WHEN c.u_fate >= ${rejected + neverAttached} AND c.attach_day <= ${L} THEN c.attach_day END AS attached_on
      FROM contracted c
  ), allotted AS (
    SELECT a.*, (a.attached_on + interval '${ALLOTTED_TIME_MONTHS} months')::date AS allotted_until FROM attached a
  ), rated AS (
    -- Thresholds, caps and periods as the rate card in force on attachment sets them.
    SELECT a.*, rt.outcome_threshold_weeks * 7 AS outcome_days, rt.sustainment_max_count AS sustainment_cap,
      rt.sustainment_period_weeks * 7 AS period_days
      FROM allotted a
      LEFT JOIN nh_rate rt ON rt.programme = a.programme AND rt.payment_group = a.payment_group
        AND rt.contract_year = ${contractYear('a.attached_on', 'a.contract_starts_on', 'a.year_starts_on')}
  ), working AS (
    -- A job that reaches the outcome threshold within the allotted time, or one that ends short of it.
    SELECT r.*, r.attached_on IS NOT NULL AND r.u_job < r.attached_outcome_rate AS to_outcome,
      CASE WHEN r.attached_on IS NOT NULL AND r.u_job < r.attached_outcome_rate + ${shortJob}
        THEN r.attached_on + 7 + floor(power(r.u_start, 1.5) * ((r.allotted_until - r.attached_on) - r.outcome_days - 8))::int
      END AS job_day,
      floor(ln(1 - r.u_tenure) / ln(${stayInWork}))::int AS tenure_periods
      FROM rated r
  ), outcome AS (
    -- The outcome is earned on the day the days in work reach the threshold (the start counts).
    SELECT w.*, CASE WHEN w.to_outcome AND w.job_day + w.outcome_days - 1 <= ${L} THEN w.job_day + w.outcome_days - 1 END AS outcome_on,
      CASE
        WHEN w.job_day IS NULL OR w.job_day > ${L} THEN NULL
        WHEN NOT w.to_outcome THEN w.job_day + 7 + floor(w.u_end * (w.outcome_days - 14))::int
        -- Left work within the sustainment period after the last one paid.
        WHEN w.tenure_periods < w.sustainment_cap
          THEN w.job_day + w.outcome_days - 1 + w.tenure_periods * w.period_days + 1 + floor(w.u_end * (w.period_days - 1))::int
      END AS job_end_day
      FROM working w
  ), capped AS (
    -- The last sustainment payment the cap allows exits a participant still attached.
    SELECT o.*, CASE WHEN o.outcome_on IS NOT NULL AND o.tenure_periods >= o.sustainment_cap
        AND o.outcome_on + o.sustainment_cap * o.period_days < o.allotted_until
        AND o.outcome_on + o.sustainment_cap * o.period_days <= ${L}
      THEN o.outcome_on + o.sustainment_cap * o.period_days END AS final_payment_on
      FROM outcome o
  ), exited AS (
    SELECT c.*, coalesce(c.final_payment_on, CASE WHEN c.allotted_until <= ${L} THEN c.allotted_until END) AS exited_on,
      CASE WHEN c.final_payment_on IS NOT NULL THEN 'FINAL_PAYMENT_CLAIMED' WHEN c.allotted_until <= ${L} THEN 'ALLOTTED_TIME_ENDED' END
        AS exit_reason
      FROM capped c
  ), handed AS (
    SELECT o.*, p.subcontract_id, p.subcontractor_id, CASE WHEN p.subcontract_id IS NOT NULL THEN o.attached_on + 1 END AS handed_on
      FROM exited o
      LEFT JOIN nh_place p ON o.attached_on IS NOT NULL AND o.attached_on + 2 <= ${L} AND o.u_hand < ${handedEndToEnd}
        AND p.contract_id = o.contract_id AND p.k = floor(o.u_place * p.n)::int
  )
  SELECT h.*,
    ($7::text[])[1 + ((h.i - 1) % ${prefixCount})::int]
      || lpad(((((h.i - 1) / ${prefixCount}) * 7919) % 1000000)::text, 6, '0')
      || substr('ABCD', 1 + (((h.i - 1) / ${prefixCount * 1_000_000}) % 4)::int, 1) AS nino,
    ($8::text[])[1 + floor(h.u_given * cardinality($8::text[]))::int] AS given_name,
    ($9::text[])[1 + floor(h.u_family * cardinality($9::text[]))::int] AS family_name,
    (h.referred_on - make_interval(years => h.min_age + floor(h.u_age * (h.max_age - h.min_age + 1))::int))::date
      - floor(h.u_person * 364)::int AS date_of_birth,
    CASE WHEN h.attached_on IS NOT NULL THEN CASE WHEN h.exited_on IS NOT NULL THEN 'EXITED' ELSE 'ATTACHED' END
         WHEN h.u_fate < ${rejected} AND h.reject_day <= ${L} THEN 'REJECTED'
         WHEN h.u_fate >= ${rejected} AND h.referred_on + 1 <= ${L} THEN 'ACKNOWLEDGED'
         ELSE 'ALLOCATED' END AS status,
    CASE WHEN h.job_day <= ${L} THEN h.job_day END AS job_started_on,
    CASE WHEN h.job_end_day <= ${L} THEN h.job_end_day END AS job_ended_on,
    CASE WHEN h.outcome_on IS NOT NULL
      THEN greatest(0, least(h.sustainment_cap, h.tenure_periods, (${L} - h.outcome_on) / h.period_days)) ELSE 0 END AS sustainments,
    CASE WHEN h.attached_on IS NOT NULL THEN ${contacts[0]} + floor(h.u_contacts * ${contacts[1] - contacts[0] + 1})::int ELSE 0 END
      AS contacts,
    CASE WHEN h.participation_mode = 'MANDATORY' AND h.attached_on IS NOT NULL AND h.u_doubt < ${doubted}
      THEN h.attached_on + 14 + floor(h.u_doubt_day * 300)::int END AS doubt_day,
    coalesce(h.subcontractor_id, h.prime_id) AS deliverer
    FROM handed h`;
}

/**
 * An exit ends the referral's live handoffs, as recordExit does. Ended in the worker's next
 * transaction, when the rows are no longer the transaction's own: updating a row inserted by the
 * same transaction re-checks all its foreign keys, which doubles the cost of the update.
 */
const ENDED_HANDOFFS = `
  UPDATE handoff h SET status = 'WITHDRAWN', withdrawn_reason = 'The participant exited the programme',
    ended_at = ${at('(SELECT r.exited_on FROM referral r WHERE r.id = h.referral_id)', '17:00')}
   WHERE h.referral_id = ANY (ARRAY(SELECT referral_id FROM nh_exit)) AND h.status = 'ACCEPTED'`;

interface Step {
  name: string;
  /** The table whose rows the step counts; none for an update. */
  table?: string;
  sql: string;
  /** Its parameters, given the last day of history. */
  params: (last: string) => unknown[];
}

/** The statements that write one batch from nh_b, in the order a real history happens. */
function writeSteps(dwpId: string): Step[] {
  const L = '$1::date';
  const { sanctioned, withdrawn } = JOURNEY;
  /** Started work and signed off two days later, while still on the programme: the Jobcentre reports the claim ended. */
  const signedOff = (b = '') => `${b}job_started_on + 3 <= ${L} AND (${b}exited_on IS NULL OR ${b}job_started_on + 1 <= ${b}exited_on)`;
  return [
    {
      name: 'participants',
      table: 'participant',
      sql: `INSERT INTO participant (id, nino, given_name, family_name, date_of_birth, address, phone, disabled, welsh_language,
              consent_to_share_health, created_at, updated_at)
            SELECT participant_id, nino, given_name, family_name, date_of_birth,
              jsonb_build_object('line1', (1 + floor(u_person * 180))::int || ' ' || ($1::text[])[1 + (i % cardinality($1::text[]))::int],
                'town', district, 'postcode', 'XX' || (1 + i % 98) || ' ' || (1 + i % 9) || 'XX'),
              '07700 900' || lpad((i % 1000)::text, 3, '0'),
              payment_group IN ('ESA_VOLUNTEER', 'ESA_NEW_CLAIMANT', 'ESA_EX_IB', 'IB_IS') OR u_start < 0.08,
              welsh AND u_end < 0.2, u_tenure < 0.6, ${at('referred_on', '09:00')}, ${at('referred_on', '09:00')}
              FROM nh_b ORDER BY i`,
      params: () => [STREETS],
    },
    {
      name: 'referrals',
      table: 'referral',
      sql: `INSERT INTO referral (id, jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
              participation_mode, referred_on, status, contract_id, acknowledged_at, rejection_reason, rejected_at, attached_on,
              allotted_until, exit_reason, exited_on, created_at)
            SELECT referral_id, jobcentre_id, '${REFERRAL_PREFIX}' || lpad(i::text, 9, '0'), participant_id, cpa_id, district,
              payment_group, participation_mode, referred_on, status, contract_id,
              CASE WHEN status <> 'ALLOCATED' AND status <> 'REJECTED' THEN ${at('referred_on + 1', '10:15')} END,
              CASE WHEN status = 'REJECTED'
                THEN (ARRAY['INELIGIBLE', 'WRONG_PROGRAMME', 'DUPLICATE', 'REFERRED_TO_ANOTHER_PROVIDER', 'ALREADY_IN_WORK'])[1 + (i % 5)::int] END,
              CASE WHEN status = 'REJECTED' THEN ${at('reject_day', '11:30')} END,
              attached_on, allotted_until, exit_reason, exited_on,
              ${at('referred_on', '09:00')}
              FROM nh_b ORDER BY i`,
      params: () => [],
    },
    {
      name: 'allocations',
      table: 'referral_allocation',
      sql: `INSERT INTO referral_allocation (referral_id, contract_id, method, draw, shares, allocated_by, allocated_at)
            SELECT referral_id, contract_id, 'RANDOM', draw, shares, jobcentre_id, ${at('referred_on', '09:00')} FROM nh_b ORDER BY i`,
      params: () => [],
    },
    {
      // First appointments (002:1230: about 65% attended): a third missed, booked by the Jobcentre
      // (some as three-way calls) two days after the referral; everyone attached attended one, booked
      // by the prime, on the attachment day.
      name: 'first appointments',
      table: 'first_appointment',
      sql: `WITH f AS MATERIALIZED (
              SELECT i, referral_id, jobcentre_id, prime_id, district, referred_on, attached_on, random() AS u, random() AS v
                FROM nh_b WHERE status <> 'REJECTED')
            INSERT INTO first_appointment (referral_id, starts_at, channel, place, three_way, booked_by, booked_at, outcome,
              outcome_recorded_by, outcome_recorded_at)
            SELECT referral_id, ${at('referred_on + 2', '10:00')}, CASE WHEN v < 0.5 THEN 'TELEPHONE' ELSE 'IN_PERSON' END,
              CASE WHEN v >= 0.5 THEN district || ' Jobcentre' END, v < 0.3, jobcentre_id, ${at('referred_on', '09:00')},
              'DID_NOT_ATTEND', prime_id, ${at('referred_on + 2', '17:00')}
              FROM f WHERE u < 0.35 AND referred_on + 2 <= ${L}
            UNION ALL
            SELECT referral_id, ${at('attached_on', '10:00')}, 'IN_PERSON', district || ' office', false, prime_id,
              ${at('referred_on + 1', '10:15')}, 'ATTENDED', prime_id, ${at('attached_on', '12:00')}
              FROM f WHERE attached_on IS NOT NULL`,
      params: (last) => [last],
    },
    {
      // A prime queries about one referral in 25 before attaching it (queryReferral), and the
      // Jobcentre confirms it the next day (resolveReferralQuery, CONFIRM): it goes on to attachment.
      name: 'referral queries',
      table: 'referral_query',
      sql: `INSERT INTO referral_query (referral_id, purpose, grounds, reason, status, raised_by, raised_at, resolved_by, resolved_at, answer)
            SELECT referral_id, 'INAPPROPRIATE_REFERRAL', (ARRAY['INELIGIBLE', 'WRONG_PROGRAMME', 'ALREADY_IN_WORK'])[1 + (i / 25 % 3)::int],
              (ARRAY['Please check the payment group', 'Please check this programme is the right one', 'Please check whether the claimant has started work'])
                [1 + (i / 25 % 3)::int],
              'CONFIRMED', prime_id, ${at('referred_on + 1', '11:00')}, jobcentre_id, ${at('referred_on + 2', '10:00')},
              'Checked: the referral stands'
              FROM nh_b WHERE attached_on IS NOT NULL AND i % 25 = 7 ORDER BY i`,
      params: () => [],
    },
    {
      // A missed first appointment: the Jobcentre asks the prime about it the next day, and the
      // prime answers (startMessageThread, replyToMessageThread).
      name: 'messages',
      table: 'message_thread',
      sql: `INSERT INTO message_thread (referral_id, topic, subject, status, due_on, started_by, started_at, updated_at)
            SELECT b.referral_id, 'ATTENDANCE', 'Missed first appointment', 'ANSWERED', (f.starts_at AT TIME ZONE 'UTC')::date + 4, b.jobcentre_id,
              ${at("(f.starts_at AT TIME ZONE 'UTC')::date + 1", '09:30')}, ${at("(f.starts_at AT TIME ZONE 'UTC')::date + 1", '14:00')}
              FROM nh_b b JOIN first_appointment f ON f.referral_id = b.referral_id
             WHERE f.outcome = 'DID_NOT_ATTEND' AND (f.starts_at AT TIME ZONE 'UTC')::date + 1 <= ${L}
             ORDER BY b.i`,
      params: (last) => [last],
    },
    {
      name: 'messages',
      table: 'message',
      sql: `INSERT INTO message (thread_id, referral_id, from_organisation_id, body, sent_at)
            SELECT id, referral_id, sender, body, sent_at FROM (
              SELECT t.id, t.referral_id, t.started_by AS sender, 'The first appointment was missed: when is the next one?' AS body, t.started_at AS sent_at
                FROM nh_b b JOIN message_thread t ON t.referral_id = b.referral_id
              UNION ALL
              SELECT t.id, t.referral_id, b.prime_id, 'We have written to the participant with a new appointment.', t.updated_at
                FROM nh_b b JOIN message_thread t ON t.referral_id = b.referral_id) m
             ORDER BY sent_at, id`,
      params: () => [],
    },
    {
      // Accepted as the subcontractor would; the trigger records it as the referral's deliverer.
      name: 'handoffs',
      table: 'handoff',
      sql: `INSERT INTO handoff (referral_id, from_organisation_id, to_organisation_id, subcontract_id, purpose, status, shared_fields,
              offered_at, responded_at)
            SELECT referral_id, prime_id, subcontractor_id, subcontract_id, 'END_TO_END_DELIVERY', 'ACCEPTED',
              ARRAY['CONTACT_DETAILS', 'ACTION_PLAN', 'EMPLOYMENT_HISTORY'], ${at('handed_on', '10:00')}, ${at('handed_on + 1', '11:00')}
              FROM nh_b WHERE subcontract_id IS NOT NULL ORDER BY i`,
      params: () => [],
    },
    {
      // Their exits end them as recordExit does, in the worker's next transaction (ENDED_HANDOFFS).
      name: 'handoffs',
      sql: `INSERT INTO nh_exit SELECT referral_id FROM nh_b WHERE exited_on IS NOT NULL AND subcontract_id IS NOT NULL`,
      params: () => [],
    },
    {
      name: 'contacts',
      table: 'contact',
      sql: `INSERT INTO contact (referral_id, recorded_by, occurred_at, channel, kind, attended, created_at)
            SELECT b.referral_id, CASE WHEN b.handed_on < c.day THEN b.subcontractor_id ELSE b.prime_id END,
              ${at('c.day', '09:00')} + make_interval(mins => floor(c.u * 480)::int),
              (ARRAY['FACE_TO_FACE', 'FACE_TO_FACE', 'FACE_TO_FACE', 'FACE_TO_FACE', 'TELEPHONE', 'TELEPHONE', 'TELEPHONE', 'VIDEO',
                'GROUP', 'WRITTEN'])[1 + floor(c.v * 10)::int],
              CASE WHEN c.j = 0 THEN 'INITIAL_MEETING'
                   WHEN c.day >= b.job_started_on AND (b.job_ended_on IS NULL OR c.day <= b.job_ended_on) THEN 'IN_WORK_SUPPORT'
                   WHEN c.j % 3 = 0 THEN 'ACTION_PLAN_REVIEW' ELSE 'ADVISER_CONTACT' END,
              c.j = 0 OR c.v < 0.9, ${at('c.day', '18:00')}
              FROM nh_b b
              CROSS JOIN LATERAL (
                SELECT j, b.attached_on + 28 * j + CASE WHEN j = 0 THEN 0 ELSE floor(random() * 14)::int END AS day,
                       random() AS u, random() AS v
                  FROM generate_series(0, b.contacts - 1) AS j) c
             WHERE c.day <= ${L} AND (b.exited_on IS NULL OR c.day <= b.exited_on)`,
      params: (last) => [last],
    },
    {
      name: 'job starts',
      table: 'job_start',
      sql: `INSERT INTO job_start (referral_id, started_on, ended_on, employer_name, hours_per_week, self_employed, recorded_by,
              recorded_at, ended_by)
            SELECT referral_id, job_started_on, job_ended_on,
              CASE WHEN u_person >= 0.05 THEN ($2::text[])[1 + (i % cardinality($2::text[]))::int] END,
              16 + (i % 25), u_person < 0.05, deliverer, ${at(`least(job_started_on + 2, ${L})`, '14:00')},
              -- After an exit, the subcontractor's handoff has ended: the prime records the end.
              CASE WHEN job_ended_on >= exited_on THEN prime_id WHEN job_ended_on IS NOT NULL THEN deliverer END
              FROM nh_b WHERE job_started_on IS NOT NULL ORDER BY i`,
      params: (last) => [last, EMPLOYERS],
    },
    {
      // The record the Jobcentre sends (issue 15.3): the benefit and the claim's start, a barrier or
      // two from the fixed list, the Welsh speakers' language; no free text about invented people.
      name: 'referral records',
      table: 'referral_record',
      sql: `INSERT INTO referral_record (referral_id, benefit, claim_started_on, claim_ended_on, barriers, welsh, created_at)
            SELECT referral_id,
              CASE WHEN payment_group LIKE 'JSA%' THEN 'JSA' WHEN payment_group = 'IB_IS' THEN 'IB_IS' ELSE 'ESA' END,
              referred_on - (90 + i % 300)::int,
              -- Ended by the BENEFIT_ENDED change of circumstances written below, as the API records it.
              CASE WHEN ${signedOff()} THEN job_started_on + 1 END,
              CASE i % 4 WHEN 0 THEN ARRAY['TRANSPORT', 'CONFIDENCE'] WHEN 1 THEN ARRAY['BASIC_SKILLS'] WHEN 2 THEN ARRAY['CHILDCARE', 'HOUSING']
                ELSE ARRAY['WORK_EXPERIENCE'] END,
              CASE WHEN welsh AND u_end < 0.2 THEN true END, ${at('referred_on', '09:00')}
              FROM nh_b ORDER BY i`,
      params: (last) => [last],
    },
    {
      // The prime assesses each participant on the day of attachment...
      name: 'assessments',
      table: 'assessment',
      sql: `INSERT INTO assessment (referral_id, assessed_by, assessed_on, job_readiness, barriers, created_at)
            SELECT referral_id, prime_id, attached_on,
              CASE WHEN job_started_on IS NOT NULL THEN 'GREEN' WHEN u_contacts < 0.5 THEN 'AMBER' ELSE 'RED' END,
              ARRAY[(ARRAY['TRANSPORT', 'BASIC_SKILLS', 'CHILDCARE', 'WORK_EXPERIENCE'])[1 + (i % 4)::int]], ${at('attached_on', '12:00')}
              FROM nh_b WHERE attached_on IS NOT NULL ORDER BY i`,
      params: () => [],
    },
    {
      // ...and sets a first action, due four weeks on: mandatory participants are told in writing.
      name: 'action plans',
      table: 'planned_action',
      sql: `INSERT INTO planned_action (referral_id, recorded_by, kind, due_on, mandatory, notified_in_writing_on, completed_on, created_at)
            SELECT referral_id, prime_id, (ARRAY['JOB_SEARCH', 'APPLICATIONS', 'TRAINING', 'APPOINTMENT'])[1 + (i % 4)::int], attached_on + 28,
              participation_mode = 'MANDATORY', CASE WHEN participation_mode = 'MANDATORY' THEN attached_on END,
              CASE WHEN attached_on + 28 <= ${L} AND u_contacts < 0.7 THEN attached_on + 28 END, ${at('attached_on', '12:30')}
              FROM nh_b WHERE attached_on IS NOT NULL ORDER BY i`,
      params: (last) => [last],
    },
    {
      // ...which the prime reviews four weeks on.
      name: 'action plans',
      table: 'action_plan_review',
      sql: `INSERT INTO action_plan_review (referral_id, reviewed_by, reviewed_on, created_at)
            SELECT referral_id, prime_id, attached_on + 28, ${at('attached_on + 28', '15:00')}
              FROM nh_b WHERE attached_on + 28 <= ${L} AND (exited_on IS NULL OR attached_on + 28 <= exited_on) ORDER BY i`,
      params: (last) => [last],
    },
    {
      // One participant in ten goes on a course with the spot provider the prime commissions
      // (passReferral, SPOT_PROVISION), which returns a progress update; the prime then completes the handoff.
      name: 'spot provision',
      table: 'handoff',
      sql: `INSERT INTO handoff (referral_id, from_organisation_id, to_organisation_id, subcontract_id, purpose, status, offered_at, responded_at, ended_at)
            SELECT b.referral_id, b.prime_id, s.subcontractor_id, s.subcontract_id, 'SPOT_PROVISION', 'COMPLETED', ${at('b.attached_on + 7', '10:00')},
              ${at('b.attached_on + 8', '11:00')}, ${at('b.attached_on + 35', '16:00')}
              FROM nh_b b JOIN nh_spot s ON s.contract_id = b.contract_id
             WHERE b.i % 10 = 3 AND b.attached_on + 35 <= ${L} AND (b.exited_on IS NULL OR b.attached_on + 35 <= b.exited_on)
             ORDER BY b.i`,
      params: (last) => [last],
    },
    {
      name: 'spot provision',
      table: 'progress_update',
      sql: `INSERT INTO progress_update (handoff_id, referral_id, recorded_by, attended, completed, certificate, created_at)
            SELECT h.id, h.referral_id, h.to_organisation_id, true, b.i % 20 = 3, CASE WHEN b.i % 20 = 3 THEN s.specialism END,
              ${at('b.attached_on + 30', '15:00')}
              FROM nh_b b JOIN handoff h ON h.referral_id = b.referral_id AND h.purpose = 'SPOT_PROVISION'
              JOIN nh_spot s ON s.subcontract_id = h.subcontract_id
             ORDER BY b.i`,
      params: () => [],
    },
    {
      // Changes of circumstances travel both ways: the Jobcentre tells the chain when a participant
      // who started work signs off (BENEFIT_ENDED, WORK), two days after the job started.
      name: 'changes of circumstances',
      table: 'circumstance_change',
      sql: `INSERT INTO circumstance_change (referral_id, reported_by, reported_at, effective_on, kind, benefit_ended_reason)
            SELECT referral_id, jobcentre_id, ${at('job_started_on + 3', '11:00')}, job_started_on + 1, 'BENEFIT_ENDED', 'WORK'
              FROM nh_b WHERE ${signedOff()} ORDER BY i`,
      params: (last) => [last],
    },
    {
      // ...which records them off benefit: they stay on the programme.
      name: 'changes of circumstances',
      sql: `UPDATE referral r SET off_benefit_since = b.job_started_on + 1 FROM nh_b b
             WHERE r.id = b.referral_id AND ${signedOff('b.')}`,
      params: (last) => [last],
    },
    {
      // Attachment (recordAttachment writes it, at nil from the year the card pays nothing), the
      // job outcome on the day the group's weeks in work are reached, and a sustainment payment
      // for every four weeks in work since, up to the cap of the card in force at the period's end.
      // Each at the rate card in force on the day it was earned.
      name: 'payments',
      table: 'payment',
      sql: `INSERT INTO payment (referral_id, contract_id, kind, sequence, amount_pence, earned_on, period_ends_on, rate_card_id,
              contract_year, claimed_by, claimed_at)
            SELECT p.referral_id, p.contract_id, p.kind, p.sequence,
              CASE p.kind WHEN 'ATTACHMENT' THEN rt.attachment_fee_pence WHEN 'JOB_OUTCOME' THEN rt.job_outcome_fee_pence
                ELSE rt.sustainment_fee_pence END,
              p.earned_on, CASE WHEN p.kind = 'SUSTAINMENT' THEN p.earned_on END, rt.rate_card_id, rt.contract_year, p.prime_id,
              ${at('p.earned_on', '16:00')}
              FROM (
                SELECT ${PAID}, 'ATTACHMENT' AS kind, 1 AS sequence, b.attached_on AS earned_on FROM nh_b b WHERE b.attached_on IS NOT NULL
                UNION ALL
                SELECT ${PAID}, 'JOB_OUTCOME', 1, b.outcome_on FROM nh_b b WHERE b.outcome_on IS NOT NULL
                UNION ALL
                SELECT ${PAID}, 'SUSTAINMENT', k, b.outcome_on + k * b.period_days
                  FROM nh_b b CROSS JOIN LATERAL generate_series(1, b.sustainments) AS k WHERE b.outcome_on IS NOT NULL
              ) p
              JOIN nh_rate rt ON rt.programme = p.programme AND rt.payment_group = p.payment_group
               AND rt.contract_year = ${contractYear('p.earned_on', 'p.contract_starts_on', 'p.year_starts_on')}
             WHERE (p.kind <> 'SUSTAINMENT' OR p.sequence <= rt.sustainment_max_count) AND p.earned_on <= ${L}
             ORDER BY p.i, p.earned_on`,
      params: (last) => [last],
    },
    {
      // JOURNEY.doubted of attached mandatory participants: the deliverer raises a doubt (a
      // subcontractor's goes through the prime), a Decision Maker decides it a few days later.
      name: 'compliance doubts',
      table: 'compliance_doubt',
      sql: `INSERT INTO compliance_doubt (referral_id, raised_by, raised_at, type, status, occurred_on, description, activity_kind,
              activity_description, activity_notified_on, activity_notified_in_writing, activity_scheduled_for, submitted_at,
              withdrawn_reason, outcome, decision_reason, sanction_weeks, sanction_weeks_source, decided_at, decided_by)
            SELECT d.referral_id, d.raiser, ${at('d.raised_on', '12:00')}, d.type,
              CASE WHEN d.decided_on > ${L} THEN 'SUBMITTED' WHEN d.w < ${withdrawn} THEN 'WITHDRAWN' ELSE 'DECIDED' END,
              d.doubt_day,
              CASE d.type WHEN 'FAILURE_TO_PARTICIPATE' THEN 'Did not attend the ' || lower(replace(d.activity, '_', ' ')) || ' set for the day'
                ELSE 'Said they were not available for work this month' END,
              CASE WHEN d.type = 'FAILURE_TO_PARTICIPATE' THEN d.activity END,
              CASE WHEN d.type = 'FAILURE_TO_PARTICIPATE' THEN initcap(replace(d.activity, '_', ' ')) || ' notified by letter' END,
              CASE WHEN d.type = 'FAILURE_TO_PARTICIPATE' THEN d.doubt_day - 7 END,
              CASE WHEN d.type = 'FAILURE_TO_PARTICIPATE' THEN true END,
              CASE WHEN d.type = 'FAILURE_TO_PARTICIPATE' THEN ${at('d.doubt_day', '10:00')} END,
              ${at('d.submitted_on', '15:00')},
              CASE WHEN d.decided_on <= ${L} AND d.w < ${withdrawn} THEN 'The participant attended the rearranged appointment' END,
              CASE WHEN d.decided_on <= ${L} AND d.w >= ${withdrawn} THEN d.outcome END,
              CASE WHEN d.decided_on <= ${L} AND d.w >= ${withdrawn}
                THEN CASE WHEN d.outcome = 'SANCTION_APPLIED' THEN 'No good reason was given' ELSE 'Good reason or no case to answer' END END,
              CASE WHEN d.decided_on <= ${L} AND d.w >= ${withdrawn} AND d.outcome = 'SANCTION_APPLIED' THEN 4 END,
              CASE WHEN d.decided_on <= ${L} AND d.w >= ${withdrawn} AND d.outcome = 'SANCTION_APPLIED' THEN 'DECISION_MAKER' END,
              CASE WHEN d.decided_on <= ${L} AND d.w >= ${withdrawn} THEN ${at('d.decided_on', '11:00')} END,
              CASE WHEN d.decided_on <= ${L} AND d.w >= ${withdrawn} THEN $2::uuid END
              FROM (
                SELECT b.referral_id, b.doubt_day, x.w,
                  CASE WHEN b.handed_on < b.doubt_day THEN b.subcontractor_id ELSE b.prime_id END AS raiser,
                  b.doubt_day + 1 + floor(x.t * 3)::int AS raised_on,
                  b.doubt_day + 1 + floor(x.t * 3)::int + CASE WHEN b.handed_on < b.doubt_day THEN 1 ELSE 0 END AS submitted_on,
                  b.doubt_day + 4 + floor(x.t * 3)::int + floor(x.o * 10)::int AS decided_on,
                  -- A change of circumstances (WP07) is a notification, never a doubt.
                  CASE WHEN x.k < 0.8 THEN 'FAILURE_TO_PARTICIPATE' ELSE 'ENTITLEMENT_DOUBT' END AS type,
                  (ARRAY['APPOINTMENT', 'APPOINTMENT', 'APPOINTMENT', 'APPOINTMENT', 'WORKSHOP', 'WORKSHOP', 'TRAINING', 'TRAINING',
                    'JOB_INTERVIEW', 'WORK_PLACEMENT'])[1 + floor(x.a * 10)::int] AS activity,
                  CASE WHEN x.o < ${sanctioned} THEN 'SANCTION_APPLIED' WHEN x.o < 0.8 THEN 'NOT_APPLIED_GOOD_REASON'
                       WHEN x.o < 0.92 THEN 'NOT_APPLIED_PROCEDURAL_ERROR' ELSE 'NOT_APPLIED_STATUS_CHANGED' END AS outcome
                  FROM nh_b b CROSS JOIN LATERAL (SELECT random() AS t, random() AS k, random() AS a, random() AS o, random() AS w
                    WHERE b.doubt_day IS NOT NULL) x
                 WHERE b.doubt_day IS NOT NULL
              ) d
             WHERE d.submitted_on <= ${L}`,
      params: (last) => [last, dwpId],
    },
  ];
}

/** A seed for setseed() in [-1, 1], from the run's seed and the batch: each batch repeats on its own. */
function batchSeed(randomSeed: number, batch: number): number {
  const mixed = Math.imul(randomSeed | 0, 0x9e3779b1) ^ Math.imul(batch + 1, 0x85ebca6b);
  return (mixed >>> 0) / 2 ** 32;
}

/**
 * Generates `referrals` referrals of national history into a registry without referrals (the
 * demo's: `seedDemo` first), calling `onProgress(done, total)` after each batch. Refuses a
 * database that already holds referrals. Batches run on `parallel` connections at once.
 */
export async function generateNationalHistory(
  db: DataSource,
  referrals: number,
  onProgress: (done: number, total: number) => void = () => undefined,
  options: NationalHistoryOptions = {},
): Promise<NationalHistorySummary> {
  if (!Number.isSafeInteger(referrals) || referrals < 0) throw new Error(`referrals must be a whole number >= 0, not ${referrals}`);
  const started = performance.now();
  const batchSize = options.batchSize ?? 25_000;
  const batches = Math.ceil(referrals / batchSize);
  const parallel = Math.max(1, Math.min(options.parallel ?? Math.min(4, availableParallelism()), batches));
  const lastDay = addDays(options.today ?? todayUtc(), -1);
  await assertNoReferrals(db);
  const registry = await readRegistry(db);
  if (registry.contracts.length === 0 || registry.jobcentres.length === 0 || !registry.dwpId) {
    throw new Error('National history needs a registry with contracts, Jobcentres and DWP: seed the demo first');
  }
  const dwpId = registry.dwpId;
  const first = registry.contracts.map((c) => c.startsOn).sort()[0];
  const latestEnd = registry.contracts.map((c) => c.endsOn).sort().at(-1)!;
  const last = latestEnd < lastDay ? latestEnd : lastDay;
  if (first > last) throw new Error(`No contract has started before today (the first starts on ${first})`);
  const prefixes = ninoPrefixes();
  if (referrals > prefixes.length * 1_000_000 * 4) throw new Error('Too many referrals for distinct NINOs');

  const rows: Record<string, number> = { referral: 0 };
  const stepSeconds: Record<string, number> = {};
  const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      stepSeconds[name] = (stepSeconds[name] ?? 0) + (performance.now() - start) / 1000;
    }
  };
  const createBatch = batchSql(prefixes.length);
  const steps = writeSteps(dwpId);
  let nextBatch = 0;
  let committed = 0;
  let failed = false;

  // The first batch runs alone: its triggers make the performance cells (contract, group,
  // district, subcontractor) that later batches find, where batches running at once would each
  // make their own copy of a new cell.
  let firstBatchDone!: () => void;
  const firstBatch = new Promise<void>((resolve) => (firstBatchDone = resolve));
  const worker = async (_: unknown, index: number): Promise<void> => {
    if (index > 0) await firstBatch;
    if (failed) return;
    const qr = db.createQueryRunner();
    await qr.connect();
    const inTransaction = async (run: () => Promise<void>) => {
      await qr.startTransaction();
      try {
        await run();
        await qr.commitTransaction();
      } catch (error) {
        await qr.rollbackTransaction();
        throw error;
      }
    };
    const endHandoffs = async () => {
      await timed('handoffs ended', () => qr.query(ENDED_HANDOFFS));
      await qr.query('TRUNCATE nh_exit');
    };
    try {
      // A bulk load's session: no JIT (generate_series misleads the estimates into compiling
      // every statement), batch temp tables and sorts in memory, and no wait for the WAL flush at
      // each commit (a crash loses at most the last batches; a rerun into a fresh database redoes them).
      for (const setting of ['jit = off', "temp_buffers = '512MB'", "work_mem = '256MB'", 'synchronous_commit = off']) {
        await qr.query(`SET ${setting}`);
      }
      await timed('lookups', () => createLookups(qr, registry, first, last));
      await qr.query('CREATE TEMP TABLE nh_exit (referral_id uuid)');
      while (!failed && nextBatch < batches) {
        const batch = nextBatch++;
        const from = batch * batchSize + 1;
        const to = Math.min(referrals, from + batchSize - 1);
        let written = 0;
        await inTransaction(async () => {
          if (options.randomSeed !== undefined) await qr.query('SELECT setseed($1)', [batchSeed(options.randomSeed, batch)]);
          await endHandoffs();
          await timed('generate', () =>
            qr.query(createBatch, [from, to, referrals, first, daysBetween(first, last) + 1, lastDay, prefixes, GIVEN_NAMES, FAMILY_NAMES]),
          );
          for (const step of steps) {
            const result = await timed(step.name, () => qr.query(step.sql, step.params(lastDay), true));
            if (step.table) rows[step.table] = (rows[step.table] ?? 0) + (result.affected ?? 0);
            if (step.table === 'referral') written = result.affected ?? 0;
          }
        });
        committed += written;
        onProgress(committed, referrals);
        if (batch === 0) firstBatchDone();
      }
      await inTransaction(endHandoffs);
    } catch (error) {
      failed = true;
      firstBatchDone();
      throw error;
    } finally {
      // Back to the pool as it came: no temp tables, default settings.
      await qr.query('DISCARD ALL').catch(() => undefined);
      await qr.release();
    }
  };

  onProgress(0, referrals);
  const outcomes = await Promise.allSettled(Array.from({ length: parallel }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  // Each batch's triggers rewrote its referrals' performance rows once per event, and its exits
  // rewrote their handoffs, all in one transaction, where no space can be reused; in production
  // the events are spread over two years with autovacuum between them. Both tables are rewritten
  // compactly, so that scans measure a healthy table, and every table gets its statistics.
  await timed('vacuum and analyze', async () => {
    const qr = db.createQueryRunner();
    try {
      await qr.query("SET maintenance_work_mem = '512MB'");
      await qr.query('VACUUM (FULL, ANALYZE) referral_performance, handoff');
      await qr.query('ANALYZE');
    } finally {
      await qr.query('DISCARD ALL').catch(() => undefined);
      await qr.release();
    }
  });
  return { referrals: rows.referral, from: first, to: last, rows, stepSeconds, seconds: (performance.now() - started) / 1000 };
}

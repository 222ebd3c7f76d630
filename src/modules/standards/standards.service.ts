import type { DataSource } from 'typeorm';
import { ReferralRelationship } from '../../auth/policy';
import type { Viewer } from '../../auth/viewer';
import { todayUtc } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { referralForChange } from '../chain/chain.service';
import type { PaymentGroup } from '../contracts/contracts.enums';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { Subcontract } from '../contracts/subcontract.entity';
import { LIVE_STATUSES } from '../referrals/referral-states';
import { Contact } from './contact.entity';
import { ServiceStandard } from './service-standard.entity';
import { type ContactChannel, type ContactKind, METRICS, type ServiceStandardMetric, ServiceStandardScope } from './standards.enums';

/** Minimum service standards down the chain, the contacts that meet them, and compliance. */

export interface StandardData {
  paymentGroup?: PaymentGroup | null;
  metric: ServiceStandardMetric;
  thresholdDays: number;
  scope: ServiceStandardScope;
  minimumPercent?: number | null;
  description: string;
}

function checkStandard(standard: StandardData, i: number): UserError[] {
  const errors: UserError[] = [];
  const at = (field: string) => ['standards', i, field];
  if (!Number.isInteger(standard.thresholdDays) || standard.thresholdDays < 1) {
    errors.push(userError(ErrorCode.INVALID_THRESHOLD, 'thresholdDays is a whole number of days, at least 1', at('thresholdDays')));
  }
  const percent = standard.minimumPercent;
  if (standard.scope === ServiceStandardScope.PERCENT_OF_PARTICIPANTS && (percent == null || !Number.isInteger(percent) || percent < 1 || percent > 100)) {
    errors.push(userError(ErrorCode.MINIMUM_PERCENT_REQUIRED, 'A percentage standard needs minimumPercent from 1 to 100', at('minimumPercent')));
  }
  if (standard.scope === ServiceStandardScope.ALL_PARTICIPANTS && percent != null) {
    errors.push(userError(ErrorCode.MINIMUM_PERCENT_NOT_ALLOWED, 'A standard for all participants has no minimumPercent', at('minimumPercent')));
  }
  if (!standard.description.trim()) errors.push(userError(ErrorCode.DESCRIPTION_REQUIRED, 'A standard says what it asks', at('description')));
  return errors;
}

/**
 * The prime replaces its contract's standards with a new version (the old set stays, superseded)
 * and every member of the chain finds them in its inbox.
 */
export async function publishServiceStandards(
  db: DataSource,
  viewer: Viewer,
  input: { contractId: string; standards: StandardData[] },
): Promise<ServiceStandard[]> {
  return db.transaction(async (tx) => {
    // Locked: versions of one contract's standards are taken one at a time.
    const contract = isUuid(input.contractId)
      ? await tx.getRepository(PrimeContract).findOne({ where: { id: input.contractId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!contract || contract.primeId !== viewer.organisation.id) {
      refuse(ErrorCode.UNKNOWN_CONTRACT, 'No contract with this id is yours', ['contractId']);
    }
    const errors = input.standards.flatMap(checkStandard);
    if (input.standards.length === 0) {
      errors.push(userError(ErrorCode.STANDARDS_REQUIRED, 'A published set has at least one standard', ['standards']));
    }
    const seen = new Set<string>();
    input.standards.forEach((standard, i) => {
      const key = `${standard.metric}/${standard.paymentGroup ?? '*'}`;
      if (seen.has(key)) {
        errors.push(userError(ErrorCode.DUPLICATE_STANDARD, 'The set has this metric for this payment group twice', ['standards', i, 'metric']));
      }
      seen.add(key);
    });
    assertNoUserErrors(errors);
    const [{ version }] = await tx.query('SELECT coalesce(max(version), 0) + 1 AS version FROM service_standard WHERE contract_id = $1', [contract.id]);
    await tx.query('UPDATE service_standard SET superseded_at = now() WHERE contract_id = $1 AND superseded_at IS NULL', [contract.id]);
    const repository = tx.getRepository(ServiceStandard);
    const saved = await repository.save(
      input.standards.map((standard) =>
        repository.create({
          contractId: contract.id,
          version,
          paymentGroup: standard.paymentGroup ?? null,
          metric: standard.metric,
          thresholdDays: standard.thresholdDays,
          scope: standard.scope,
          minimumPercent: standard.minimumPercent ?? null,
          description: standard.description.trim(),
          publishedAt: new Date(),
        }),
      ),
    );
    const chain = [...new Set((await tx.getRepository(Subcontract).findBy({ contractId: contract.id })).map((p) => p.subcontractorId))];
    await addToInbox(tx, chain.map((organisationId) => ({ organisationId, kind: InboxItemKind.SERVICE_STANDARDS_PUBLISHED, contractId: contract.id })));
    return saved;
  });
}

/**
 * A contact recorded by the prime or by the holder of a live handoff. The same contact (referral,
 * time, kind, recorder) recorded again is the same contact: the first is returned.
 */
export async function recordContact(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; occurredAt: Date; channel: ContactChannel; kind: ContactKind; attended: boolean; note?: string | null },
  now: Date = new Date(),
): Promise<Contact> {
  const found = await referralForChange(db, viewer, input.referralId);
  if (found?.relationship !== ReferralRelationship.Prime && found?.relationship !== ReferralRelationship.Subcontractor) {
    refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to record against', ['referralId']);
  }
  const { referral } = found;
  const errors: UserError[] = [];
  if (!LIVE_STATUSES.includes(referral.status)) errors.push(userError(ErrorCode.REFERRAL_NOT_LIVE, `The referral is ${referral.status}`, ['referralId']));
  if (input.occurredAt > now) errors.push(userError(ErrorCode.DATE_IN_FUTURE, 'A contact is recorded once it has happened', ['occurredAt']));
  if (todayUtc(input.occurredAt) < referral.referredOn) {
    errors.push(userError(ErrorCode.DATE_BEFORE_REFERRAL, `The referral was made on ${referral.referredOn}`, ['occurredAt']));
  }
  assertNoUserErrors(errors);
  const key = { referralId: referral.id, occurredAt: input.occurredAt, kind: input.kind, recordedById: viewer.organisation.id };
  // In a transaction, as every write to a person's record: the audit learns who wrote it.
  return db.transaction(async (tx) => {
    await tx
      .getRepository(Contact)
      .createQueryBuilder()
      .insert()
      .values({ ...key, channel: input.channel, attended: input.attended, note: input.note?.trim() || null })
      .orIgnore()
      .execute();
    return tx.getRepository(Contact).findOneByOrFail(key);
  });
}

// ---------------------------------------------------------------- compliance

/**
 * One row per participant in scope of a standard on `asOf`, in SQL: whether they meet it, the
 * date by which a missing contact was due (first breach), their last counting contact by then,
 * and who delivers for them (the holder of the END_TO_END handoff on that date, else the prime).
 * The clock starts at attachment, or at the first job start (in-work support); FIRST
 * asks for a contact within N days of the start, INTERVAL for no gap longer than N days between
 * the start, the attended contacts, and the report date (a gap of exactly N days is within).
 * Parameters: $1 contract, $2 asOf, $3 payment group or null, $4 contact kinds, $5 threshold
 * days, $6 where the clock starts ('ATTACHMENT' | 'JOB_START'), $7 the prime.
 */
function participantsSql(measure: 'FIRST' | 'INTERVAL'): string {
  const evaluate =
    measure === 'FIRST'
      ? `judged AS (
           SELECT i.id, i.start_on + $5::int AS due_by, min(c.d) AS first_on
             FROM inscope i LEFT JOIN c ON c.referral_id = i.id AND c.d >= i.start_on
            GROUP BY i.id, i.start_on
         ), result AS (
           SELECT id, due_by, NOT (coalesce(first_on > due_by, $2::date > due_by)) AS meets FROM judged
         )`
      : `points AS (
           SELECT id, start_on AS d FROM inscope
           UNION ALL SELECT c.referral_id, c.d FROM c JOIN inscope i ON i.id = c.referral_id WHERE c.d > i.start_on
           UNION ALL SELECT id, $2::date FROM inscope
         ), gaps AS (
           SELECT id, d, lag(d) OVER (PARTITION BY id ORDER BY d) AS prev FROM points
         ), breach AS (
           SELECT DISTINCT ON (id) id, prev + $5::int AS due_by FROM gaps WHERE d - prev > $5::int ORDER BY id, d
         ), result AS (
           SELECT i.id, b.due_by, b.id IS NULL AS meets FROM inscope i LEFT JOIN breach b ON b.id = i.id
         )`;
  return `
    WITH scope AS (
      SELECT r.id, r.attached_on FROM referral r
       WHERE r.contract_id = $1 AND r.attached_on <= $2::date AND (r.exited_on IS NULL OR r.exited_on > $2::date)
         AND ($3::text IS NULL OR r.payment_group = $3)
    ), c AS (
      SELECT c.referral_id, (c.occurred_at AT TIME ZONE 'UTC')::date AS d
        FROM contact c JOIN scope s ON s.id = c.referral_id
       WHERE c.attended AND c.kind = ANY($4) AND c.occurred_at < (($2::date + 1)::timestamp AT TIME ZONE 'UTC')
    ), starts AS (
      SELECT s.id, CASE WHEN $6::text = 'ATTACHMENT' THEN s.attached_on
               ELSE (SELECT min(j.started_on) FROM job_start j WHERE j.referral_id = s.id AND j.started_on <= $2::date) END AS start_on
        FROM scope s
    ), inscope AS (SELECT id, start_on FROM starts WHERE start_on IS NOT NULL),
    ${evaluate},
    holder AS (
      SELECT DISTINCT ON (h.referral_id) h.referral_id, h.to_organisation_id
        FROM handoff h JOIN scope s ON s.id = h.referral_id
       WHERE h.purpose = 'END_TO_END_DELIVERY' AND h.responded_at IS NOT NULL AND h.status IN ('ACCEPTED', 'COMPLETED', 'WITHDRAWN')
         AND (h.responded_at AT TIME ZONE 'UTC')::date <= $2::date
         AND (h.ended_at IS NULL OR (h.ended_at AT TIME ZONE 'UTC')::date > $2::date)
       ORDER BY h.referral_id, h.responded_at DESC
    ), last_contact AS (
      SELECT result.id, max(c.d) AS last_contact_on
        FROM result JOIN inscope i ON i.id = result.id
        JOIN c ON c.referral_id = result.id AND c.d >= i.start_on AND c.d <= result.due_by
       WHERE NOT result.meets GROUP BY result.id
    ), participants AS (
      SELECT result.id, result.due_by, result.meets, coalesce(holder.to_organisation_id, $7::uuid) AS holder,
             last_contact.last_contact_on
        FROM result LEFT JOIN holder ON holder.referral_id = result.id LEFT JOIN last_contact ON last_contact.id = result.id
    )`;
}

export interface ComplianceScope {
  contract: PrimeContract;
  asOf: string;
  /** Only this organisation's participants (a subcontractor's own part); null for all. */
  holder: string | null;
}

function parameters(standard: ServiceStandard, { contract, asOf }: ComplianceScope): unknown[] {
  const metric = METRICS[standard.metric];
  return [contract.id, asOf, standard.paymentGroup, metric.kinds, standard.thresholdDays, metric.from, contract.primeId];
}

/** Participants in scope and meeting the standard, per delivering organisation. */
export async function complianceCounts(
  db: DataSource,
  standard: ServiceStandard,
  scope: ComplianceScope,
): Promise<Array<{ holder: string; inScope: number; meeting: number }>> {
  const rows: Array<{ holder: string; in_scope: number; meeting: number }> = await db.query(
    `${participantsSql(METRICS[standard.metric].measure)}
     SELECT holder, count(*)::int AS in_scope, count(*) FILTER (WHERE meets)::int AS meeting
       FROM participants WHERE $8::uuid IS NULL OR holder = $8::uuid GROUP BY holder ORDER BY holder`,
    [...parameters(standard, scope), scope.holder],
  );
  return rows.map((row) => ({ holder: row.holder, inScope: row.in_scope, meeting: row.meeting }));
}

/** The participants in breach, earliest due first. */
export async function complianceBreaches(
  db: DataSource,
  standard: ServiceStandard,
  scope: ComplianceScope,
  first: number,
): Promise<Array<{ referralId: string; dueBy: string; lastContactOn: string | null }>> {
  const rows: Array<{ id: string; due_by: string; last_contact_on: string | null }> = await db.query(
    `${participantsSql(METRICS[standard.metric].measure)}
     SELECT id, due_by::text, last_contact_on::text FROM participants
      WHERE NOT meets AND ($8::uuid IS NULL OR holder = $8::uuid)
      ORDER BY due_by, id LIMIT $9`,
    [...parameters(standard, scope), scope.holder, first],
  );
  return rows.map((row) => ({ referralId: row.id, dueBy: row.due_by, lastContactOn: row.last_contact_on }));
}

/**
 * Whether a standard is met: by everyone in scope, or by at least its minimum percentage, in
 * whole numbers (29 of 100 meets 29%; 29 / 100 * 100 is 28.999… in floating point).
 */
export function isMet(standard: { scope: ServiceStandardScope; minimumPercent: number | null }, inScope: number, meeting: number): boolean {
  return standard.scope === ServiceStandardScope.ALL_PARTICIPANTS ? meeting === inScope : meeting * 100 >= standard.minimumPercent! * inScope;
}

/** The standards of a contract in force on a date: published by then and not yet superseded. */
export function standardsInForce(db: DataSource, contractId: string, asOf: string): Promise<ServiceStandard[]> {
  return db
    .getRepository(ServiceStandard)
    .createQueryBuilder('s')
    .where('s.contract_id = :contractId', { contractId })
    .andWhere(`(s.published_at AT TIME ZONE 'UTC')::date <= :asOf`, { asOf })
    .andWhere(`(s.superseded_at IS NULL OR (s.superseded_at AT TIME ZONE 'UTC')::date > :asOf)`, { asOf })
    .orderBy('s.version', 'DESC')
    .addOrderBy('s.metric')
    .getMany()
    .then((standards) => standards.filter((s) => s.version === standards[0]?.version));
}

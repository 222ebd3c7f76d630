import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { type ReferralAccessChecker, type ReferralFacts, factsOf, lockAccess, referralListSql } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { addDays, addMonths, todayUtc } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { restrictedFreeText, trimmed } from '../../common/text';
import { type CountedPage, type PageArgs, decodeCursor, isSeqPosition, pageOf, pageSize } from '../../common/pagination';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import type { FieldCipher } from '../../db/field-encryption';
import { entityFromRow } from '../../db/loaders';
import { bookAtReferral } from '../appointments/appointments.service';
import { type InboxEvent, addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { AllocationMethod, type OverrideReasonCategory } from '../allocation/allocation.enums';
import { ReferralAllocation } from '../allocation/referral-allocation.entity';
import type { PaymentGroup } from '../contracts/contracts.enums';
import { Cpa } from '../contracts/cpa.entity';
import { MarketShare } from '../contracts/market-share.entity';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { normaliseNino } from './nino';
import { ALLOTTED_TIME_MONTHS } from './programme';
import { Participant } from './participant.entity';
import { Referral } from './referral.entity';
import { ExitReason } from './referral.enums';
import { LIVE_STATUSES, ReferralStatus } from '../../auth/access.enums';
import { referralLifecycle } from './referral-lifecycle';
import { referralRecordRow } from '../record/record.rules';
import { writeReferralRecords } from '../record/record.service';
import type { PersonHistory } from './returns';
import { reopenParticipations } from './reopen';
import { type Accepted, type BatchFacts, type KnownIdentity, type LiveReferral, type ReferralData, identityMismatch, inForceOn, judgeSubmission, sameIdentity } from './submission';

/** Referrals from Jobcentre Plus: submission with allocation, the lifecycle, and scoped reads. */

export const MAX_REFERRALS_PER_CALL = 1000;

export interface ReferralOutcome {
  clientReference: string;
  referral: Referral | null;
  created: boolean;
  userErrors: UserError[];
}

export interface ReferralsDeps {
  db: DataSource;
  cipher: FieldCipher;
}

/** What became of one item: the referral it stands for, or why there is none. */
interface ItemResult {
  referralId: string | null;
  created: boolean;
  userErrors: UserError[];
  /** The referral as this batch wrote it (from RETURNING), so that the answer need not read it again. */
  written?: Referral;
}

/**
 * Submits up to 1,000 referrals for `jobcentreId`. Each item is judged on its own and answered
 * in input order; valid items are stored even when others fail. A clientReference seen before
 * answers its first result with `created: false` and writes nothing. Allocation happens in the
 * same transaction as the referral, and the database's unique keys decide every race.
 * `overLimits[i]` holds what of item i breaks the input limits (src/common/input-limits.ts): such
 * an item is refused with those errors too.
 *
 * Three steps: read what the batch's rules need, judge every item (submission.ts, pure), write
 * the accepted ones.
 */
export async function submitReferrals(
  deps: ReferralsDeps,
  jobcentreId: string,
  items: ReferralData[],
  { today = todayUtc(), overLimits = [] }: { today?: string; overLimits?: UserError[][] } = {},
): Promise<ReferralOutcome[]> {
  const { db } = deps;
  const facts = await readBatch(db, jobcentreId, items);
  const fates = judgeSubmission(items, facts, { today, overLimits });

  const accepted = fates.flatMap((f) => (f.fate === 'accepted' ? [f.accepted] : []));
  const written = accepted.length
    ? await db.transaction((tx) => writeAccepted(tx, deps.cipher, jobcentreId, accepted, new Map(facts.contracts.map((c) => [c.id, c.primeId]))))
    : new Map<number, ItemResult>();
  const resultOf = (index: number): ItemResult => {
    const fate = fates[index];
    switch (fate.fate) {
      case 'submittedBefore':
        return { referralId: fate.referralId, created: false, userErrors: [] };
      case 'repeats': {
        const first = resultOf(fate.index);
        return { referralId: first.referralId, created: false, userErrors: first.userErrors };
      }
      case 'refused':
        return { referralId: null, created: false, userErrors: fate.userErrors };
      case 'accepted':
        return written.get(index)!;
    }
  };
  const results = items.map((_, index) => resultOf(index));

  // Only the referrals this batch did not write are read: earlier submissions and lost races.
  const ids = results.flatMap((r) => (r.referralId && !r.written ? [r.referralId] : []));
  const referrals = new Map((ids.length ? await db.getRepository(Referral).findBy({ id: In(ids) }) : []).map((r) => [r.id, r]));
  for (const result of results) if (result.written) referrals.set(result.written.id, result.written);
  return results.map((result, index) => ({
    clientReference: items[index].clientReference.trim(),
    referral: result.referralId ? referrals.get(result.referralId)! : null,
    created: result.created,
    userErrors: result.userErrors,
  }));
}

/** Everything the rules need to judge a batch, in six statements for the whole batch. */
async function readBatch(db: DataSource, jobcentreId: string, items: ReferralData[]): Promise<BatchFacts> {
  const references = items.map((item) => item.clientReference.trim());
  const ninos = items.flatMap((item) => [item.claimant.nino, item.jointClaimantNino ?? ''].map(normaliseNino));
  const jobcentreCpaId: string | null = (await db.query('SELECT cpa_id FROM organisation WHERE id = $1', [jobcentreId]))[0]?.cpa_id ?? null;
  const cpas = await db.getRepository(Cpa).findBy({ code: In([...new Set(items.map((item) => item.cpaCode))]) });
  const contracts = cpas.length ? await db.getRepository(PrimeContract).findBy({ cpaId: In(cpas.map((c) => c.id)) }) : [];
  const shares = contracts.length ? await db.getRepository(MarketShare).findBy({ contractId: In(contracts.map((c) => c.id)) }) : [];
  // Each person of the batch as held (their identity), with their live referral if they have one,
  // and what may send them back to a contract: their latest ended participation and withdrawal.
  const people = (await db.query(
    `SELECT p.nino, p.given_name, p.family_name, p.date_of_birth::text, p.restricted, r.contract_id, r.cpa_id, r.jobcentre_id,
            r.joint_claimant_referral_id IS NOT NULL OR EXISTS (
              SELECT 1 FROM referral j WHERE j.joint_claimant_referral_id = r.id AND j.status = ANY($2)) AS partnered,
            (SELECT json_build_object('referralId', e.id, 'contractId', e.contract_id, 'jobcentreId', e.jobcentre_id,
                      'allottedUntil', e.allotted_until, 'exitReason', e.exit_reason, 'live', e.status = 'ATTACHED',
                      'referralAfterCompletion', g.referral_after_completion)
               FROM referral e JOIN prime_contract ec ON ec.id = e.contract_id JOIN programme g ON g.code = ec.programme
              WHERE e.participant_id = p.id AND (e.status = 'EXITED' OR (e.status = 'ATTACHED' AND e.off_benefit_since IS NOT NULL))
              ORDER BY e.attached_on DESC, e.seq DESC LIMIT 1) AS participation,
            (SELECT json_build_object('contractId', w.contract_id, 'withdrawnOn', w.withdrawn_on, 'returnAfterWithdrawalDays', g.return_after_withdrawal_days)
               FROM referral w JOIN prime_contract wc ON wc.id = w.contract_id JOIN programme g ON g.code = wc.programme
              WHERE w.participant_id = p.id AND w.status = 'WITHDRAWN' ORDER BY w.withdrawn_on DESC, w.seq DESC LIMIT 1) AS withdrawal
       FROM participant p LEFT JOIN referral r ON r.participant_id = p.id AND r.status = ANY($2)
      WHERE p.nino = ANY($1)`,
    [ninos, LIVE_STATUSES],
  )) as Array<KnownIdentity & { nino: string; contract_id: string | null; cpa_id: string; jobcentre_id: string; partnered: boolean } & PersonHistory>;
  const known = new Map(people.map((row) => [row.nino, row]));
  const live = new Map<string, LiveReferral>(
    people.flatMap((row) =>
      row.contract_id ? [[row.nino, { contractId: row.contract_id, cpaId: row.cpa_id, jobcentreId: row.jobcentre_id, partnered: row.partnered }]] : [],
    ),
  );
  const history = new Map(people.map((row) => [row.nino, { participation: row.participation, withdrawal: row.withdrawal }]));

  // Read after the live referrals: a concurrent batch committing in between shows up here as
  // the earlier submission it is, not as somebody's live referral.
  const submitted = new Map<string, string>(
    (
      (await db.query(SUBMITTED_SQL, [jobcentreId, references])) as Array<{ client_reference: string; id: string }>
    ).map((row) => [row.client_reference, row.id]),
  );
  return { jobcentreId, jobcentreCpaId, cpas, contracts, shares, known, live, submitted, history };
}

/** A Jobcentre's referrals by clientReference: those it made, and the returns it referred (which reopened a referral). */
const SUBMITTED_SQL = `SELECT client_reference, id FROM referral WHERE jobcentre_id = $1 AND client_reference = ANY($2)
  UNION ALL SELECT client_reference, referral_id FROM referral_return WHERE jobcentre_id = $1 AND client_reference = ANY($2)`;

/**
 * Writes the accepted items: new participants, the referrals, their allocations, and the contact
 * details of returning participants. Rows go in as one JSON document per statement, ordered by
 * NINO so that concurrent batches take their locks in the same order.
 */
async function writeAccepted(
  tx: EntityManager,
  cipher: FieldCipher,
  jobcentreId: string,
  judged: Accepted[],
  primes: Map<string, string>,
): Promise<Map<number, ItemResult>> {
  // A returner's participation reopens on its own referral: nothing below is written for it.
  const reopened = await reopenParticipations(tx, jobcentreId, judged.filter((entry) => entry.reopens), primes);
  const returned = new Map(
    [...reopened].map(([index, referral]): [number, ItemResult] => [
      index,
      referral
        ? { referralId: referral.id, created: true, userErrors: [], written: referral }
        : { referralId: null, created: false, userErrors: [userError(ErrorCode.LIVE_REFERRAL_EXISTS, 'This person already has a live referral', ['claimant', 'nino'])] },
    ]),
  );
  const accepted = judged.filter((entry) => !entry.reopens);
  const byNino = new Map(accepted.map((entry) => [entry.nino, entry]));
  const people = [...byNino.values()].map(({ nino, item: { claimant } }) => {
    // A MAPPA case is held as a minimal record: identity, and nothing else (002:1220, 002:1377).
    const minimal = claimant.mappa === true;
    return {
      row: {
        // Chosen here, so that a new participant's special-category data can be encrypted for it.
        id: randomUUID(),
        nino,
        given_name: claimant.givenName.trim(),
        family_name: claimant.familyName.trim(),
        date_of_birth: claimant.dateOfBirth,
        address: minimal ? null : (claimant.address ?? null),
        phone: minimal ? null : trimmed(claimant.phone),
        email: minimal ? null : trimmed(claimant.email),
        disabled: claimant.disabled ?? null,
        welsh_language: claimant.welshLanguage ?? null,
        consent_to_share_health: claimant.consentToShareHealth,
        restricted: minimal,
      },
      health: minimal || !claimant.healthConditions?.length ? null : { conditions: claimant.healthConditions },
      risks: minimal || !claimant.riskMarkers?.length ? null : claimant.riskMarkers,
    };
  });
  // The row with its special-category data encrypted for the participant it is written to.
  const sealed = ({ row, health, risks }: (typeof people)[number], participantId: string) => ({
    ...row,
    health_encrypted: health && cipher.encrypt('health', participantId, health),
    risk_markers_encrypted: risks && cipher.encrypt('risk_markers', participantId, risks),
  });
  const inserted: Array<{ id: string; nino: string }> = await tx.query(
    `INSERT INTO participant (id, nino, given_name, family_name, date_of_birth, address, phone, email, disabled, welsh_language,
       consent_to_share_health, restricted, health_encrypted, risk_markers_encrypted)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, nino text, given_name text, family_name text, date_of_birth date,
       address jsonb, phone text, email text, disabled boolean, welsh_language boolean, consent_to_share_health boolean,
       restricted boolean, health_encrypted text, risk_markers_encrypted text)
     ORDER BY nino
     ON CONFLICT (nino) DO NOTHING
     RETURNING id, nino`,
    [JSON.stringify(people.map((person) => sealed(person, person.row.id)))],
  );
  const newNinos = new Set(inserted.map((row) => row.nino));
  const held = new Map(
    (
      (await tx.query('SELECT id, nino, given_name, family_name, date_of_birth::text, restricted FROM participant WHERE nino = ANY($1)', [
        [...byNino.keys()],
      ])) as Array<KnownIdentity & { id: string; nino: string }>
    ).map((row) => [row.nino, row]),
  );
  const participantIds = new Map([...held].map(([nino, row]) => [nino, row.id]));
  // A person first recorded meanwhile by another batch, under another identity: not this claimant.
  const mismatched = new Set(accepted.filter((entry) => !sameIdentity(held.get(entry.nino)!, entry.item.claimant)).map((entry) => entry.index));

  const rows = accepted.filter((entry) => !mismatched.has(entry.index)).map(({ index, item, nino, cpaId, contractId }) => ({
    ord: index,
    nino,
    client_reference: item.clientReference.trim(),
    participant_id: participantIds.get(nino),
    cpa_id: cpaId,
    jobcentre_district: item.jobcentreDistrict.trim(),
    payment_group: item.paymentGroup,
    participation_mode: item.participationMode,
    referred_on: item.referredOn,
    contract_id: contractId,
    joint_claim_reason: item.jointClaimantNino == null ? null : trimmed(item.jointClaimReason),
  }));
  // ON CONFLICT DO NOTHING covers both keys: the same clientReference (a concurrent resubmission)
  // and a second live referral of one person (a concurrent referral of them elsewhere).
  const created: Array<Record<string, unknown> & { id: string; client_reference: string }> = await tx.query(
    `INSERT INTO referral (jobcentre_id, client_reference, participant_id, cpa_id, jobcentre_district, payment_group,
       participation_mode, referred_on, status, contract_id, joint_claim_reason)
     SELECT $2, client_reference, participant_id, cpa_id, jobcentre_district, payment_group, participation_mode,
       referred_on, 'ALLOCATED', contract_id, joint_claim_reason
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, nino text, client_reference text, participant_id uuid, cpa_id uuid,
         jobcentre_district text, payment_group text, participation_mode text, referred_on date, contract_id uuid, joint_claim_reason text)
      ORDER BY nino, ord
     ON CONFLICT DO NOTHING
     RETURNING *`,
    [JSON.stringify(rows), jobcentreId],
  );
  const createdIds = new Map(created.map((row) => [row.client_reference, row.id]));
  const createdRows = new Map(created.map((row) => [row.client_reference, row]));
  const missed = rows.filter((row) => !createdIds.has(row.client_reference)).map((row) => row.client_reference);
  const raced = new Map<string, string>(
    missed.length
      ? ((await tx.query(SUBMITTED_SQL, [jobcentreId, missed])) as Array<{ client_reference: string; id: string }>).map((row) => [row.client_reference, row.id])
      : [],
  );

  // A joint claim follows its partner's referral, which must still be live on that contract now
  // (a partner in this batch may have lost a race to another Jobcentre): otherwise it is undone.
  const { orphaned: jointlyOrphaned, partnered } = await linkJointClaims(tx, jobcentreId, accepted, createdIds);
  if (jointlyOrphaned.size > 0) {
    await tx.query('DELETE FROM referral WHERE id = ANY($1)', [[...jointlyOrphaned].map((reference) => createdIds.get(reference))]);
    for (const reference of jointlyOrphaned) createdIds.delete(reference);
    // Nothing half-written: a person first recorded for an undone referral goes too.
    await tx.query(
      'DELETE FROM participant p WHERE p.nino = ANY($1) AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.participant_id = p.id)',
      [accepted.filter((entry) => jointlyOrphaned.has(entry.item.clientReference.trim()) && newNinos.has(entry.nino)).map((entry) => entry.nino)],
    );
  }

  // What each referral was sent with, kept with it. A restricted (MAPPA) person's is identity
  // only, whatever a later referral sends: once restricted, never contact, health or risk data.
  const stored = people.filter(({ row: { nino } }) => createdIds.has(byNino.get(nino)!.item.clientReference.trim()));
  if (stored.length > 0) {
    await tx.query(
      `INSERT INTO referral_claimant (referral_id, address, phone, email, disabled, welsh_language, consent_to_share_health,
         health_encrypted, risk_markers_encrypted)
       SELECT referral_id, address, phone, email, disabled, welsh_language, consent_to_share_health, health_encrypted, risk_markers_encrypted
         FROM jsonb_to_recordset($1::jsonb) AS x(referral_id uuid, address jsonb, phone text, email text, disabled boolean,
           welsh_language boolean, consent_to_share_health boolean, health_encrypted text, risk_markers_encrypted text)`,
      [
        JSON.stringify(
          stored.map((person) => {
            const minimal = person.row.restricted || held.get(person.row.nino)!.restricted;
            const row = minimal ? { ...person, row: { ...person.row, address: null, phone: null, email: null }, health: null, risks: null } : person;
            // Only the claimant's own columns travel: the participant's identity is not sent again.
            const { address, phone, email, disabled, welsh_language, consent_to_share_health, health_encrypted, risk_markers_encrypted } = sealed(
              row,
              participantIds.get(person.row.nino)!,
            );
            const referral_id = createdIds.get(byNino.get(person.row.nino)!.item.clientReference.trim());
            return { referral_id, address, phone, email, disabled, welsh_language, consent_to_share_health, health_encrypted, risk_markers_encrypted };
          }),
        ),
      ],
    );
  }

  // What the Jobcentre sent beyond the claimant, and on what terms its risk markers travel (the record module).
  await writeReferralRecords(
    tx,
    accepted.flatMap(({ item, nino }) => {
      const referralId = createdIds.get(item.clientReference.trim());
      const row = referralId ? referralRecordRow(item.record, item.claimant, item.claimant.mappa === true || held.get(nino)!.restricted) : null;
      return row ? [{ ...row, referral_id: referralId! }] : [];
    }),
  );

  const allocations = accepted.flatMap(({ item, contractId, method, draw, shares }) => {
    const referralId = createdIds.get(item.clientReference.trim());
    return referralId ? [{ referral_id: referralId, contract_id: contractId, method, draw, shares }] : [];
  });
  if (allocations.length > 0) {
    await addToInbox(
      tx,
      allocations.map((a) => ({ organisationId: primes.get(a.contract_id)!, kind: InboxItemKind.REFERRAL_ALLOCATED, referralId: a.referral_id })),
    );
    await tx.query(
      `INSERT INTO referral_allocation (referral_id, contract_id, method, draw, shares, allocated_by)
       SELECT referral_id, contract_id, method, draw, shares, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(referral_id uuid, contract_id uuid, method text, draw int, shares jsonb)`,
      [JSON.stringify(allocations), jobcentreId],
    );
  }

  // A returning participant's record follows the newest referral stored: its contact details (never
  // merged with what another referral sent), and the claimant's current consent and special-category
  // data (consent can be withdrawn; old health data must not outlive it). A MAPPA referral shrinks
  // it to identity, and a restricted record stays so.
  const returning = stored.filter(({ row: { nino } }) => !newNinos.has(nino));
  if (returning.length > 0) {
    await tx.query(
      `UPDATE participant p SET
         address = CASE WHEN x.restricted OR p.restricted THEN NULL ELSE x.address END,
         phone = CASE WHEN x.restricted OR p.restricted THEN NULL ELSE x.phone END,
         email = CASE WHEN x.restricted OR p.restricted THEN NULL ELSE x.email END,
         health_encrypted = CASE WHEN p.restricted THEN NULL ELSE x.health_encrypted END,
         risk_markers_encrypted = CASE WHEN p.restricted THEN NULL ELSE x.risk_markers_encrypted END,
         disabled = x.disabled,
         welsh_language = x.welsh_language,
         consent_to_share_health = x.consent_to_share_health,
         restricted = p.restricted OR x.restricted,
         updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(nino text, address jsonb, phone text, email text, disabled boolean, welsh_language boolean,
         health_encrypted text, risk_markers_encrypted text, consent_to_share_health boolean, restricted boolean)
       WHERE p.nino = x.nino`,
      [JSON.stringify(returning.map((person) => sealed(person, participantIds.get(person.row.nino)!)))],
    );
  }

  await bookAtReferral(
    tx,
    jobcentreId,
    accepted.flatMap(({ item }) => {
      const referralId = createdIds.get(item.clientReference.trim());
      return referralId && item.firstAppointment ? [{ referralId, booking: item.firstAppointment }] : [];
    }),
  );

  const outcome = (index: number, reference: string): ItemResult => {
    if (mismatched.has(index)) return { referralId: null, created: false, userErrors: [identityMismatch()] };
    const id = createdIds.get(reference) ?? raced.get(reference);
    if (id) {
      const row = createdIds.has(reference) ? createdRows.get(reference) : undefined;
      return { referralId: id, created: row !== undefined, userErrors: [], written: row && entityFromRow(tx.connection, Referral, row) };
    }
    if (partnered.has(reference)) {
      return {
        referralId: null,
        created: false,
        userErrors: [userError(ErrorCode.JOINT_CLAIMANT_HAS_PARTNER, 'The joint claimant is already one side of a joint claim', ['jointClaimantNino'])],
      };
    }
    if (jointlyOrphaned.has(reference)) {
      return {
        referralId: null,
        created: false,
        userErrors: [userError(ErrorCode.JOINT_CLAIMANT_NOT_REFERRED, 'The joint claimant has no live referral from this Jobcentre', ['jointClaimantNino'])],
      };
    }
    return {
      referralId: null,
      created: false,
      userErrors: [userError(ErrorCode.LIVE_REFERRAL_EXISTS, 'This person already has a live referral', ['claimant', 'nino'])],
    };
  };
  return new Map([...returned, ...accepted.map(({ index, item }): [number, ItemResult] => [index, outcome(index, item.clientReference.trim())])]);
}

/**
 * Links the joint claims just written to their partners' referrals. The partners' rows are locked
 * first, so that two claims naming one partner at once are decided one after the other. A claim
 * is undone (`orphaned`) when its partner holds no live referral from this Jobcentre on the same
 * contract now (a partner in this batch may have lost a race), or is another claim's partner
 * already (`partnered`, within `orphaned`).
 */
async function linkJointClaims(
  tx: EntityManager,
  jobcentreId: string,
  accepted: Accepted[],
  createdIds: Map<string, string>,
): Promise<{ orphaned: Set<string>; partnered: Set<string> }> {
  const joint = accepted.filter((entry) => entry.method === AllocationMethod.JOINT_CLAIM && createdIds.has(entry.item.clientReference.trim()));
  if (joint.length === 0) return { orphaned: new Set(), partnered: new Set() };
  const partnerNinos = joint.map((entry) => normaliseNino(entry.item.jointClaimantNino!));
  await tx.query(
    `SELECT r.id FROM referral r JOIN participant p ON p.id = r.participant_id WHERE p.nino = ANY($1) AND r.status = ANY($2) ORDER BY r.id FOR UPDATE OF r`,
    [partnerNinos, LIVE_STATUSES],
  );
  const partners = new Map(
    (
      (await tx.query(
        `SELECT p.nino || '/' || r.contract_id || '/' || r.jobcentre_id AS holds, r.id,
                r.joint_claimant_referral_id IS NOT NULL OR EXISTS (
                  SELECT 1 FROM referral j WHERE j.joint_claimant_referral_id = r.id AND j.status = ANY($2)) AS partnered
           FROM referral r JOIN participant p ON p.id = r.participant_id
          WHERE p.nino = ANY($1) AND r.status = ANY($2)`,
        [partnerNinos, LIVE_STATUSES],
      )) as Array<{ holds: string; id: string; partnered: boolean }>
    ).map((row) => [row.holds, row]),
  );
  const orphaned = new Set<string>();
  const partnered = new Set<string>();
  const links: Array<{ id: string; partner: string }> = [];
  for (const entry of joint) {
    const reference = entry.item.clientReference.trim();
    const partner = partners.get(`${normaliseNino(entry.item.jointClaimantNino!)}/${entry.contractId}/${jobcentreId}`);
    if (!partner) orphaned.add(reference);
    else if (partner.partnered) {
      orphaned.add(reference);
      partnered.add(reference);
    } else {
      partner.partnered = true;
      links.push({ id: createdIds.get(reference)!, partner: partner.id });
    }
  }
  if (links.length > 0) {
    await tx.query(
      `UPDATE referral r SET joint_claimant_referral_id = x.partner FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, partner uuid) WHERE r.id = x.id`,
      [JSON.stringify(links)],
    );
  }
  return { orphaned, partnered };
}

// ---------------------------------------------------------------- the lifecycle

/**
 * Locks a referral for a change by `viewer`, who must pass `may` (asked of the access gate);
 * anyone else is told it does not exist, so that nobody learns of a referral they may not see.
 */
async function lockReferral(
  tx: EntityManager,
  viewer: Viewer,
  referralId: string,
  may: (access: ReferralAccessChecker) => boolean,
): Promise<Referral> {
  const access = await lockAccess(tx, viewer, referralId);
  if (!access || !may(access)) refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to change', ['referralId']);
  return tx.getRepository(Referral).findOneByOrFail({ id: referralId });
}

const asPrime = (access: ReferralAccessChecker) => access.isPrime;

/** One lifecycle move by the prime holding the referral, in one transaction: lock, then the lifecycle's runner. */
function moveReferral(
  db: DataSource,
  viewer: Viewer,
  referralId: string,
  to: ReferralStatus,
  apply: (referral: Referral) => InboxEvent[] | void,
): Promise<Referral> {
  return db.transaction(async (tx) =>
    referralLifecycle.move(tx, await lockReferral(tx, viewer, referralId, asPrime), to, { actorId: viewer.organisation.id, apply }),
  );
}

function checkDate(date: string, field: string, { notBefore, today }: { notBefore: [string, ErrorCode]; today: string }): void {
  if (date < notBefore[0]) refuse(notBefore[1], `${field} ${date} is before ${notBefore[0]}`, [field]);
  if (date > today) refuse(ErrorCode.DATE_IN_FUTURE, `${field} ${date} is after today (${today})`, [field]);
}

export function acknowledgeReferral(db: DataSource, viewer: Viewer, referralId: string): Promise<Referral> {
  return moveReferral(db, viewer, referralId, ReferralStatus.ACKNOWLEDGED, (referral) => {
    referral.acknowledgedAt = new Date();
  });
}

/**
 * Ends a locked referral as the referring Jobcentre withdrew it, on `today` (the chain's hook ends
 * its live handoffs). The one move a query's WITHDRAW answer makes (referral-queries.ts).
 */
export function withdrawReferral(tx: EntityManager, referral: Referral, today: string, actorId: string): Promise<Referral> {
  return referralLifecycle.move(tx, referral, ReferralStatus.WITHDRAWN, {
    actorId,
    apply: () => {
      referral.withdrawnOn = today;
    },
  });
}

/**
 * Attachment starts the allotted time: two years (ALLOTTED_TIME_MONTHS) from the day. The
 * attachment fee at the rate in force that day is outcomes' hook on the move.
 */
export function recordAttachment(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; attachedOn: string },
  today: string = todayUtc(),
): Promise<Referral> {
  return moveReferral(db, viewer, input.referralId, ReferralStatus.ATTACHED, (referral) => {
    checkDate(input.attachedOn, 'attachedOn', { notBefore: [referral.referredOn, ErrorCode.DATE_BEFORE_REFERRAL], today });
    referral.attachedOn = input.attachedOn;
    referral.allottedUntil = addMonths(input.attachedOn, ALLOTTED_TIME_MONTHS);
  });
}

/** What the prime tells the referring Jobcentre at an exit, with the summary the exchange assembles. */
export interface HandbackData {
  barriers?: string[] | null;
  summary?: string | null;
}

/**
 * The prime records an exit. Leaving benefit is no exit: LEFT_BENEFIT (deprecated) records the
 * off-benefit marker instead. The allotted time ends on its last day, and a move to other
 * provision is the Jobcentre's decision.
 */
export function recordExit(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; exitedOn: string; reason: ExitReason; handback?: HandbackData | null },
  today: string = todayUtc(),
): Promise<Referral> {
  if (input.reason === ExitReason.LEFT_BENEFIT) return recordOffBenefit(db, viewer, { referralId: input.referralId, offBenefitOn: input.exitedOn }, today);
  return db.transaction(async (tx) => {
    const referral = await lockReferral(tx, viewer, input.referralId, asPrime);
    if (input.reason === ExitReason.MOVED_TO_OTHER_PROVISION) {
      refuse(ErrorCode.JOBCENTRE_DECISION, 'A move to other provision is the Jobcentre\'s decision (recordJobcentreExit)', ['reason']);
    }
    // allottedUntil is the first day after the allotted time: its last day is the one before, and the exit is recorded from allottedUntil on.
    if (input.reason === ExitReason.ALLOTTED_TIME_ENDED && referral.allottedUntil && (today < referral.allottedUntil || input.exitedOn < lastAllottedDay(referral))) {
      refuse(ErrorCode.ALLOTTED_TIME_NOT_ENDED, `The allotted time's last day is ${lastAllottedDay(referral)}; its exit is recorded from ${referral.allottedUntil}`, ['exitedOn']);
    }
    return exitReferral(tx, referral, input, viewer.organisation.id, today);
  });
}

/** The referring Jobcentre moves a participant to other provision (e.g. Work Choice): its decision, not the provider's. */
export function recordJobcentreExit(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; exitedOn: string; note?: string | null },
  today: string = todayUtc(),
): Promise<Referral> {
  return db.transaction(async (tx) => {
    const referral = await lockReferral(tx, viewer, input.referralId, (access) => access.isReferringJobcentre);
    return exitReferral(tx, referral, { exitedOn: input.exitedOn, reason: ExitReason.MOVED_TO_OTHER_PROVISION, handback: { summary: input.note } }, viewer.organisation.id, today);
  });
}

/**
 * Ends a locked referral's programme, why and when, inside the caller's transaction (the chain's
 * live handoffs end with it). The referring Jobcentre always hears of it, with the handback; the
 * prime too when someone else ended it (the Jobcentre, or the exchange at the allotted time's end).
 */
export function exitReferral(
  tx: EntityManager,
  referral: Referral,
  input: { exitedOn: string; reason: ExitReason; handback?: HandbackData | null },
  actorId: string | null,
  today: string = todayUtc(),
): Promise<Referral> {
  return referralLifecycle.move(tx, referral, ReferralStatus.EXITED, {
    actorId,
    apply: async () => {
      checkDate(input.exitedOn, 'exitedOn', { notBefore: [referral.attachedOn!, ErrorCode.EXIT_BEFORE_ATTACHMENT], today });
      if (referral.allottedUntil && input.exitedOn >= referral.allottedUntil) {
        refuse(ErrorCode.DATE_AFTER_ALLOTTED_TIME, `The allotted time's last day was ${lastAllottedDay(referral)}`, ['exitedOn']);
      }
      Object.assign(referral, { exitedOn: input.exitedOn, exitReason: input.reason, ...(await handbackOf(tx, referral, input.handback)) });
      const primeId = await primeOf(tx, referral);
      const told = [referral.jobcentreId, ...(actorId === primeId ? [] : [primeId])].filter((organisation) => organisation !== actorId);
      return told.map((organisationId) => ({ organisationId, kind: InboxItemKind.REFERRAL_EXITED, referralId: referral.id }));
    },
  });
}

/** The allotted time's last day: `allottedUntil` is the first day after it (two years from attachment, 002:501). */
export const lastAllottedDay = (referral: Pick<Referral, 'allottedUntil'>): string => addDays(referral.allottedUntil!, -1);

const isRestricted = async (tx: EntityManager, referral: Referral): Promise<boolean> =>
  (await tx.getRepository(Participant).findOneByOrFail({ id: referral.participantId })).restricted;

/** A handback as stored: barriers and summary trimmed, none on a restricted (MAPPA) record. */
async function handbackOf(
  tx: EntityManager,
  referral: Referral,
  handback: HandbackData | null | undefined,
): Promise<{ handbackBarriers: string[]; handbackSummary: string | null }> {
  const barriers = (handback?.barriers ?? []).map((barrier) => barrier.trim()).filter(Boolean);
  const summary = trimmed(handback?.summary);
  if (barriers.length > 0 || summary) assertNoUserErrors(restrictedFreeText(await isRestricted(tx, referral), { barriers: barriers.join(' '), summary }, ['handback']));
  return { handbackBarriers: barriers, handbackSummary: summary };
}

const primeOf = async (tx: EntityManager, referral: Referral): Promise<string> =>
  (await tx.getRepository(PrimeContract).findOneByOrFail({ id: referral.contractId })).primeId;

/**
 * The prime's handback after an exit it did not record itself (the allotted time's end, the final
 * payment, the Jobcentre's decision): barriers left and a summary, once, for the referring
 * Jobcentre, which hears of it (REFERRAL_EXITED again, with the handback now complete).
 */
export function recordHandback(db: DataSource, viewer: Viewer, input: { referralId: string; handback: HandbackData }): Promise<Referral> {
  return db.transaction(async (tx) => {
    const referral = await lockReferral(tx, viewer, input.referralId, asPrime);
    if (referral.status !== ReferralStatus.EXITED) refuse(ErrorCode.ILLEGAL_TRANSITION, `The referral is ${referral.status}: a handback follows an exit`, ['referralId']);
    if ((referral.handbackBarriers?.length ?? 0) > 0 || referral.handbackSummary) refuse(ErrorCode.HANDBACK_GIVEN, 'This exit has its handback already', ['referralId']);
    const handback = await handbackOf(tx, referral, input.handback);
    if (handback.handbackBarriers.length === 0 && !handback.handbackSummary) refuse(ErrorCode.REASON_REQUIRED, 'A handback gives barriers or a summary', ['handback']);
    Object.assign(referral, handback);
    const saved = await tx.getRepository(Referral).save(referral);
    await addToInbox(tx, [{ organisationId: referral.jobcentreId, kind: InboxItemKind.REFERRAL_EXITED, referralId: referral.id }]);
    return saved;
  });
}

/**
 * The prime records that an attached participant left benefit: a marker with its date, not an
 * exit (participants stay up to two years whether or not they work, 002:456). A return clears it.
 */
export function recordOffBenefit(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; offBenefitOn: string },
  today: string = todayUtc(),
): Promise<Referral> {
  return db.transaction(async (tx) => {
    const referral = await lockReferral(tx, viewer, input.referralId, asPrime);
    if (referral.status !== ReferralStatus.ATTACHED) {
      refuse(ErrorCode.ILLEGAL_TRANSITION, `The referral is ${referral.status}: only an attached participant is recorded off benefit`, ['referralId']);
    }
    if (referral.offBenefitSince) refuse(ErrorCode.ALREADY_OFF_BENEFIT, `Off benefit since ${referral.offBenefitSince}`, ['referralId']);
    checkDate(input.offBenefitOn, 'offBenefitOn', { notBefore: [referral.attachedOn!, ErrorCode.DATE_BEFORE_ATTACHMENT], today });
    if (input.offBenefitOn >= referral.allottedUntil!) refuse(ErrorCode.DATE_AFTER_ALLOTTED_TIME, `The allotted time's last day was ${lastAllottedDay(referral)}`, ['offBenefitOn']);
    referral.offBenefitSince = input.offBenefitOn;
    return tx.getRepository(Referral).save(referral);
  });
}

const NOT_YET_ATTACHED = [ReferralStatus.ALLOCATED, ReferralStatus.ACKNOWLEDGED];

/**
 * The referring Jobcentre moves a referral to another contract of the same CPA before
 * attachment, with a reason (e.g. a disabled claimant's needs, 002:1150). The new prime starts
 * from ALLOCATED; every allocation stays in the history. Joint claimants stay together
 * (002:511): a live partner moves with it, or, once the partner is attached, neither moves.
 */
export async function overrideAllocation(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; contractId: string; reason: string; reasonCategory?: OverrideReasonCategory | null },
): Promise<Referral> {
  return db.transaction(async (tx) => {
    await lockPartnerFirst(tx, input.referralId);
    const referral = await lockReferral(tx, viewer, input.referralId, (access) => access.isReferringJobcentre);
    const partner = await livePartner(tx, referral);
    const errors: UserError[] = [];
    const reason = input.reason.trim();
    if (!reason) errors.push(userError(ErrorCode.REASON_REQUIRED, 'An override gives its reason', ['reason']));
    if (!NOT_YET_ATTACHED.includes(referral.status)) {
      errors.push(userError(ErrorCode.ALREADY_ATTACHED, `The referral is ${referral.status}: only a referral not yet attached can be moved`, ['referralId']));
    } else if (partner && !NOT_YET_ATTACHED.includes(partner.status)) {
      errors.push(userError(ErrorCode.JOINT_CLAIM, `The joint claimant's referral is ${partner.status} with this contract: joint claimants stay together`, ['referralId']));
    }
    const contract = isUuid(input.contractId) ? await tx.getRepository(PrimeContract).findOneBy({ id: input.contractId }) : null;
    if (!contract) {
      errors.push(userError(ErrorCode.UNKNOWN_CONTRACT, 'No prime contract has this id', ['contractId']));
    } else if (contract.cpaId !== referral.cpaId) {
      errors.push(userError(ErrorCode.CONTRACT_NOT_IN_CPA, 'The contract is in another CPA', ['contractId']));
    } else if (!inForceOn(contract, referral.referredOn)) {
      errors.push(userError(ErrorCode.CONTRACT_NOT_IN_FORCE, `The contract is not in force on ${referral.referredOn}`, ['contractId']));
    } else if (contract.id === referral.contractId) {
      errors.push(userError(ErrorCode.SAME_CONTRACT, 'The referral is allocated to this contract already', ['contractId']));
    }
    assertNoUserErrors(errors);
    const move = async (moved: Referral) => {
      await tx.getRepository(ReferralAllocation).insert({
        referralId: moved.id,
        contractId: contract!.id,
        method: AllocationMethod.MANUAL_OVERRIDE,
        reason,
        reasonCategory: input.reasonCategory ?? null,
        allocatedBy: viewer.organisation.id,
      });
      return referralLifecycle.move(tx, moved, ReferralStatus.ALLOCATED, {
        actorId: viewer.organisation.id,
        apply: () => {
          Object.assign(moved, { contractId: contract!.id, acknowledgedAt: null });
          return [{ organisationId: contract!.primeId, kind: InboxItemKind.REFERRAL_ALLOCATED, referralId: moved.id }];
        },
      });
    };
    if (partner) await move(partner);
    return move(referral);
  });
}

/**
 * Two overrides of one couple, one from each side, lock both referrals: each in id order, so that
 * neither waits for the other. This takes the partner's lock first when its id is the lower.
 */
async function lockPartnerFirst(tx: EntityManager, referralId: string): Promise<void> {
  if (!isUuid(referralId)) return;
  await tx.query(
    `SELECT p.id FROM referral r JOIN referral p ON p.id = r.joint_claimant_referral_id OR p.joint_claimant_referral_id = r.id
      WHERE r.id = $1 AND p.id < r.id ORDER BY p.id FOR UPDATE OF p`,
    [referralId],
  );
}

/** The other side of a joint claim while it is live on the same contract, locked. */
async function livePartner(tx: EntityManager, referral: Referral): Promise<Referral | null> {
  const partner = await tx
    .getRepository(Referral)
    .createQueryBuilder('r')
    .where('(r.id = :partner OR r.joint_claimant_referral_id = :id) AND r.id <> :id', { partner: referral.jointClaimantReferralId, id: referral.id })
    .andWhere('r.contract_id = :contract AND r.status IN (:...live)', { contract: referral.contractId, live: LIVE_STATUSES })
    .setLock('pessimistic_write')
    .getOne();
  return partner;
}

// ---------------------------------------------------------------- reads

export interface ReferralFilterData {
  status?: ReferralStatus[] | null;
  cpaCode?: number | null;
  paymentGroup?: PaymentGroup | null;
  referredFrom?: string | null;
  referredTo?: string | null;
}

/**
 * The viewer's referrals that match `filter`, a page at a time in arrival order (the access gate's
 * `referralListSql`), and their total when `count` (the list's `totalCount` is asked); with the
 * page, the access facts of its referrals.
 */
export async function listReferrals(
  db: DataSource,
  viewer: Viewer,
  filter: ReferralFilterData,
  page: PageArgs,
  count = true,
): Promise<{ referrals: CountedPage<Referral>; facts: ReferralFacts[] }> {
  const first = pageSize(page.first);
  const after = decodeCursor(page.after, isSeqPosition);
  /** The list's statement, narrowed by the filter (and, for a page, the cursor), with its parameters. */
  const statement = (which: 'count' | 'page') => {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const narrow = ['true'];
    if (filter.status?.length) narrow.push(`r.status = ANY(${param(filter.status)})`);
    if (filter.cpaCode != null) narrow.push(`r.cpa_id = (SELECT id FROM cpa WHERE code = ${param(filter.cpaCode)})`);
    if (filter.paymentGroup) narrow.push(`r.payment_group = ${param(filter.paymentGroup)}`);
    if (filter.referredFrom) narrow.push(`r.referred_on >= ${param(filter.referredFrom)}`);
    if (filter.referredTo) narrow.push(`r.referred_on <= ${param(filter.referredTo)}`);
    // The total is of the whole list: counted before the cursor narrows it.
    if (which === 'page' && after !== null) narrow.push(`r.seq > ${param(after)}`);
    const list = referralListSql(viewer, narrow.join(' AND '), param);
    return { sql: which === 'count' ? list.count : list.page(param(first + 1)), params };
  };
  const counted = count ? statement('count') : null;
  const totalCount = counted ? ((await db.query(counted.sql, counted.params)) as Array<{ n: number }>)[0].n : undefined;
  const { sql, params } = statement('page');
  const rows: Array<Record<string, unknown>> = await db.query(sql, params);
  const result = pageOf(rows.map((row) => entityFromRow(db, Referral, row)), first, (referral) => referral.seq);
  return { referrals: { ...result, totalCount: totalCount as number }, facts: rows.map(factsOf) };
}

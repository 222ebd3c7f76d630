import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { ReferralRelationship } from '../../auth/policy';
import type { Viewer } from '../../auth/viewer';
import { addDays, todayUtc } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { trimmed } from '../../common/text';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import type { PaymentGroup } from '../contracts/contracts.enums';
import { referralForChange } from '../chain/chain.service';
import { ExitReason } from '../referrals/referral.enums';
import { ReferralStatus } from '../referrals/referral-states';
import type { Referral } from '../referrals/referral.entity';
import { exitReferral } from '../referrals/referrals.service';
import { daysInWork, firstDayOutOfWork, overlaps } from './days-in-work';
import { JobStart } from './job-start.entity';
import { PaymentKind } from './outcomes.enums';
import { Payment } from './payment.entity';
import { rateInForce, writePayment } from './payments';
import { RateCard } from './rate-card.entity';

export const OutcomesErrorCode = {
  UnknownReferral: 'UNKNOWN_REFERRAL',
  UnknownJobStart: 'UNKNOWN_JOB_START',
  NotAttached: 'NOT_ATTACHED',
  DateInFuture: 'DATE_IN_FUTURE',
  BeforeAttachment: 'BEFORE_ATTACHMENT',
  AfterAllottedTime: 'AFTER_ALLOTTED_TIME',
  JobsOverlap: 'JOBS_OVERLAP',
  InvalidHours: 'INVALID_HOURS',
  JobAlreadyEnded: 'JOB_ALREADY_ENDED',
  EndBeforeStart: 'END_BEFORE_START',
  EndBeforeClaimedWork: 'END_BEFORE_CLAIMED_WORK',
  NotEnoughTimeInWork: 'NOT_ENOUGH_TIME_IN_WORK',
  OutcomeAlreadyClaimed: 'OUTCOME_ALREADY_CLAIMED',
  NoJobOutcome: 'NO_JOB_OUTCOME',
  PeriodAlreadyClaimed: 'PERIOD_ALREADY_CLAIMED',
  PeriodOutOfOrder: 'PERIOD_OUT_OF_ORDER',
  NotInWorkThroughout: 'NOT_IN_WORK_THROUGHOUT',
  SustainmentCapReached: 'SUSTAINMENT_CAP_REACHED',
  InvalidRate: 'INVALID_RATE',
} as const;

/**
 * The locked referral for a write by the prime (`primeOnly`) or by the prime or a member of the
 * chain holding a live handoff; anyone else is told it does not exist.
 */
async function referralForWork(tx: EntityManager, viewer: Viewer, referralId: string, primeOnly: boolean) {
  const found = await referralForChange(tx, viewer, referralId, true);
  const allowed = primeOnly ? [ReferralRelationship.Prime] : [ReferralRelationship.Prime, ReferralRelationship.Subcontractor];
  if (!found?.relationship || !allowed.includes(found.relationship)) {
    refuse(OutcomesErrorCode.UnknownReferral, primeOnly ? 'No referral with this id is yours to claim for' : 'No referral with this id is yours to record against', ['referralId']);
  }
  return found;
}

/** Payments are earned only in the programme: from attachment, while the referral is attached. */
function assertAttached(referral: Referral): asserts referral is Referral & { attachedOn: string; allottedUntil: string } {
  if (referral.status !== ReferralStatus.ATTACHED) refuse(OutcomesErrorCode.NotAttached, `The referral is ${referral.status}, not ATTACHED`, ['referralId']);
}

function notInFuture(errors: UserError[], date: string, field: string, today: string): void {
  if (date > today) errors.push(userError(OutcomesErrorCode.DateInFuture, `${field} ${date} is after today (${today})`, [field]));
}

const spellsOf = (tx: EntityManager, referralId: string) => tx.getRepository(JobStart).find({ where: { referralId }, order: { startedOn: 'ASC' } });

/** A job start, by the prime or a member of the chain holding a live handoff: within the allotted time, never overlapping another. */
export function recordJobStart(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; startedOn: string; employerName?: string | null; hoursPerWeek?: number | null; selfEmployed?: boolean | null },
  today: string = todayUtc(),
): Promise<JobStart> {
  return db.transaction(async (tx) => {
    // Locked: a referral's spells are decided one at a time, so two overlapping starts cannot both pass.
    const { referral } = await referralForWork(tx, viewer, input.referralId, false);
    assertAttached(referral);
    const errors: UserError[] = [];
    notInFuture(errors, input.startedOn, 'startedOn', today);
    if (input.startedOn < referral.attachedOn) {
      errors.push(userError(OutcomesErrorCode.BeforeAttachment, `startedOn ${input.startedOn} is before the attachment on ${referral.attachedOn}`, ['startedOn']));
    }
    if (input.startedOn > referral.allottedUntil) {
      errors.push(userError(OutcomesErrorCode.AfterAllottedTime, `startedOn ${input.startedOn} is after the allotted time ended (${referral.allottedUntil})`, ['startedOn']));
    }
    const hours = input.hoursPerWeek;
    if (hours !== null && hours !== undefined && !(hours > 0 && hours <= 168)) {
      errors.push(userError(OutcomesErrorCode.InvalidHours, 'hoursPerWeek is more than 0 and at most 168', ['hoursPerWeek']));
    }
    const clash = (await spellsOf(tx, referral.id)).find((spell) => overlaps(spell, { startedOn: input.startedOn, endedOn: null }));
    if (clash) {
      errors.push(userError(OutcomesErrorCode.JobsOverlap, `The job from ${clash.startedOn}${clash.endedOn ? ` to ${clash.endedOn}` : ' (not ended)'} overlaps this one: end it first`, ['startedOn']));
    }
    assertNoUserErrors(errors);
    return tx.getRepository(JobStart).save(
      tx.getRepository(JobStart).create({
        referralId: referral.id,
        startedOn: input.startedOn,
        employerName: trimmed(input.employerName),
        hoursPerWeek: hours ?? null,
        selfEmployed: input.selfEmployed ?? false,
        recordedById: viewer.organisation.id,
      }),
    );
  });
}

/** The end of a job, by whoever may record against its referral; never before work a payment was claimed for. */
export function recordJobEnd(db: DataSource, viewer: Viewer, input: { jobStartId: string; endedOn: string }, today: string = todayUtc()): Promise<JobStart> {
  return db.transaction(async (tx) => {
    const job = isUuid(input.jobStartId) ? await tx.getRepository(JobStart).findOneBy({ id: input.jobStartId }) : null;
    const found = job && (await referralForChange(tx, viewer, job.referralId, true));
    if (!job || !found || (found.relationship !== ReferralRelationship.Prime && found.relationship !== ReferralRelationship.Subcontractor)) {
      refuse(OutcomesErrorCode.UnknownJobStart, 'No job start with this id is yours to end', ['jobStartId']);
    }
    assertAttached(found.referral);
    const errors: UserError[] = [];
    if (job.endedOn !== null) errors.push(userError(OutcomesErrorCode.JobAlreadyEnded, `The job ended on ${job.endedOn}`, ['jobStartId']));
    notInFuture(errors, input.endedOn, 'endedOn', today);
    if (input.endedOn < job.startedOn) errors.push(userError(OutcomesErrorCode.EndBeforeStart, `The job started on ${job.startedOn}`, ['endedOn']));
    // A claimed outcome or sustainment counted this job's days: they cannot be taken back.
    const latest = await tx
      .getRepository(Payment)
      .createQueryBuilder('p')
      .select('max(p.earned_on)::text', 'latest')
      .where('p.referral_id = :id AND p.kind <> :attachment', { id: job.referralId, attachment: PaymentKind.ATTACHMENT })
      .getRawOne<{ latest: string | null }>();
    if (latest?.latest && input.endedOn < latest.latest && job.startedOn <= latest.latest) {
      errors.push(userError(OutcomesErrorCode.EndBeforeClaimedWork, `A payment was claimed for work up to ${latest.latest}`, ['endedOn']));
    }
    assertNoUserErrors(errors);
    Object.assign(job, { endedOn: input.endedOn, endedById: viewer.organisation.id });
    return tx.getRepository(JobStart).save(job);
  });
}

/**
 * The job outcome, claimed by the prime once the participant has been in work for the group's
 * threshold by `claimedOn`: days across every spell, counted from attachment to the end of the
 * allotted time. One per referral.
 */
export function claimJobOutcome(db: DataSource, viewer: Viewer, input: { referralId: string; claimedOn: string }, today: string = todayUtc()): Promise<Payment> {
  return db.transaction(async (tx) => {
    const { referral, contract } = await referralForWork(tx, viewer, input.referralId, true);
    assertAttached(referral);
    const errors: UserError[] = [];
    notInFuture(errors, input.claimedOn, 'claimedOn', today);
    if (await tx.getRepository(Payment).existsBy({ referralId: referral.id, kind: PaymentKind.JOB_OUTCOME })) {
      errors.push(userError(OutcomesErrorCode.OutcomeAlreadyClaimed, 'The job outcome of this referral has been claimed', ['referralId']));
    }
    assertNoUserErrors(errors);
    const { rate } = await rateInForce(tx, contract, referral.paymentGroup, input.claimedOn);
    const until = input.claimedOn < referral.allottedUntil ? input.claimedOn : referral.allottedUntil;
    const days = daysInWork(await spellsOf(tx, referral.id), referral.attachedOn, until);
    const needed = rate.outcomeThresholdWeeks * 7;
    if (days < needed) {
      refuse(OutcomesErrorCode.NotEnoughTimeInWork, `${days} days in work by ${until}; a job outcome in ${referral.paymentGroup} needs ${needed} (${rate.outcomeThresholdWeeks} weeks)`, ['claimedOn']);
    }
    return writePayment(tx, { referral, contract, kind: PaymentKind.JOB_OUTCOME, earnedOn: input.claimedOn, claimedById: viewer.organisation.id });
  });
}

/**
 * A sustainment payment for the next four-week period after the job outcome (period length and
 * cap from the outcome's rate card), in work throughout it. The last one the cap allows exits the
 * participant with FINAL_PAYMENT_CLAIMED.
 */
export function claimSustainment(db: DataSource, viewer: Viewer, input: { referralId: string; periodEndsOn: string }, today: string = todayUtc()): Promise<Payment> {
  return db.transaction(async (tx) => {
    const { referral, contract } = await referralForWork(tx, viewer, input.referralId, true);
    const payments = tx.getRepository(Payment);
    const outcome = await payments.findOneBy({ referralId: referral.id, kind: PaymentKind.JOB_OUTCOME });
    if (!outcome) refuse(OutcomesErrorCode.NoJobOutcome, 'Sustainment follows a claimed job outcome', ['referralId']);
    const rules = await tx.getRepository(RateCard).findOneByOrFail({ id: outcome.rateCardId });
    const claimed = await payments.find({ where: { referralId: referral.id, kind: PaymentKind.SUSTAINMENT }, order: { sequence: 'ASC' } });
    const next = claimed.length + 1;
    if (next > rules.sustainmentMaxCount) {
      refuse(OutcomesErrorCode.SustainmentCapReached, `All ${rules.sustainmentMaxCount} sustainment payments of ${referral.paymentGroup} have been claimed`, ['periodEndsOn']);
    }
    assertAttached(referral);
    const periodDays = rules.sustainmentPeriodWeeks * 7;
    const periodEndsOn = addDays(outcome.earnedOn, next * periodDays);
    if (claimed.some((p) => p.periodEndsOn === input.periodEndsOn)) {
      refuse(OutcomesErrorCode.PeriodAlreadyClaimed, `The period ending ${input.periodEndsOn} has been claimed`, ['periodEndsOn']);
    }
    if (input.periodEndsOn !== periodEndsOn) {
      refuse(OutcomesErrorCode.PeriodOutOfOrder, `The next period to claim (number ${next}) ends on ${periodEndsOn}`, ['periodEndsOn']);
    }
    const errors: UserError[] = [];
    notInFuture(errors, periodEndsOn, 'periodEndsOn', today);
    assertNoUserErrors(errors);
    const gap = firstDayOutOfWork(await spellsOf(tx, referral.id), addDays(periodEndsOn, 1 - periodDays), periodEndsOn);
    if (gap) refuse(OutcomesErrorCode.NotInWorkThroughout, `Not in work on ${gap}, within the period ending ${periodEndsOn}`, ['periodEndsOn']);
    const payment = await writePayment(tx, {
      referral,
      contract,
      kind: PaymentKind.SUSTAINMENT,
      earnedOn: periodEndsOn,
      sequence: next,
      claimedById: viewer.organisation.id,
    });
    if (next === rules.sustainmentMaxCount) await exitReferral(tx, referral, { exitedOn: periodEndsOn, reason: ExitReason.FINAL_PAYMENT_CLAIMED }, today);
    return payment;
  });
}

// ---------------------------------------------------------------- rate cards

export interface RateCardInput {
  programme: string;
  paymentGroup: PaymentGroup;
  contractYear: number;
  attachmentFeePence: number;
  jobOutcomeFeePence: number;
  outcomeThresholdWeeks: number;
  sustainmentFeePence: number;
  sustainmentMaxCount: number;
  sustainmentPeriodWeeks: number;
  source: string;
}

/** An ADMIN sets a rate: it supersedes the row in force (kept, with the payments made from it). */
export function setRateCard(db: DataSource, viewer: Viewer, input: RateCardInput): Promise<RateCard> {
  const errors: UserError[] = [];
  const whole = (field: keyof RateCardInput, min: number) => {
    const value = input[field] as number;
    if (!Number.isInteger(value) || value < min) errors.push(userError(OutcomesErrorCode.InvalidRate, `${field} is a whole number of at least ${min}`, [field]));
  };
  whole('contractYear', 1);
  whole('attachmentFeePence', 0);
  whole('jobOutcomeFeePence', 0);
  whole('outcomeThresholdWeeks', 1);
  whole('sustainmentFeePence', 0);
  whole('sustainmentMaxCount', 0);
  whole('sustainmentPeriodWeeks', 1);
  const programme = trimmed(input.programme);
  const source = trimmed(input.source);
  if (!programme) errors.push(userError(OutcomesErrorCode.InvalidRate, 'A rate names its programme', ['programme']));
  if (!source) errors.push(userError(OutcomesErrorCode.InvalidRate, 'A rate says where its figures come from', ['source']));
  assertNoUserErrors(errors);
  return db.transaction(async (tx) => {
    const key = { programme: programme!, paymentGroup: input.paymentGroup, contractYear: input.contractYear };
    // Locked, so two admins setting one rate at once supersede one after the other.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rate_card:${key.programme}:${key.paymentGroup}:${key.contractYear}`]);
    await tx
      .getRepository(RateCard)
      .createQueryBuilder()
      .update()
      .set({ supersededAt: () => 'now()' })
      .where('programme = :programme AND payment_group = :paymentGroup AND contract_year = :contractYear AND superseded_at IS NULL', key)
      .execute();
    const saved = await tx.getRepository(RateCard).save(tx.getRepository(RateCard).create({ ...input, ...key, source: source!, setById: viewer.organisation.id }));
    return tx.getRepository(RateCard).findOneByOrFail({ id: saved.id });
  });
}

/** The rates in force, by programme, group and year. */
export function rateCardsInForce(db: DataSource, programme?: string | null): Promise<RateCard[]> {
  return db.getRepository(RateCard).find({
    where: { supersededAt: IsNull(), ...(programme ? { programme } : {}) },
    order: { programme: 'ASC', paymentGroup: 'ASC', contractYear: 'ASC' },
  });
}


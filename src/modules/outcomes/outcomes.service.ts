import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { lockAccess } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { addDays, todayUtc } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { restrictedFreeText, trimmed } from '../../common/text';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import type { PaymentGroup } from '../contracts/contracts.enums';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { ExitReason } from '../referrals/referral.enums';
import { ReferralStatus } from '../../auth/access.enums';
import { Referral } from '../referrals/referral.entity';
import { exitReferral, lastAllottedDay } from '../referrals/referrals.service';
import { dayReaching, daysInWork, firstDayOutOfWork, overlaps } from './days-in-work';
import { JobStart } from './job-start.entity';
import { PaymentKind } from './outcomes.enums';
import { Payment } from './payment.entity';
import { rateInForce, writePayment } from './payments';
import { Programme } from './programme.entity';
import { RateCard } from './rate-card.entity';

/**
 * The referral, locked (so that its spells and payments are decided one at a time), for a write
 * by the prime, or by whoever records its jobs (asked of the access gate); anyone else is told it
 * does not exist.
 */
async function referralForWork(
  tx: EntityManager,
  viewer: Viewer,
  referralId: string,
  who: 'PRIME' | 'JOBS',
): Promise<{ referral: Referral; contract: PrimeContract; restricted: boolean }> {
  const access = await lockAccess(tx, viewer, referralId);
  const allowed = who === 'PRIME' ? access?.isPrime : access?.jobs === 'RECORD';
  if (!access || !allowed) {
    refuse(ErrorCode.UNKNOWN_REFERRAL, who === 'PRIME' ? 'No referral with this id is yours to claim for' : 'No referral with this id is yours to record against', ['referralId']);
  }
  const referral = await tx.getRepository(Referral).findOneByOrFail({ id: access.facts.id });
  return { referral, contract: await tx.getRepository(PrimeContract).findOneByOrFail({ id: referral.contractId }), restricted: access.facts.restricted };
}

/**
 * Work and payments belong to the programme from attachment on. An exit does not end them: an
 * outcome earned, or sustainment after the allotted time, is still claimed after it.
 */
function assertAttached(referral: Referral): asserts referral is Referral & { attachedOn: string; allottedUntil: string } {
  if (referral.attachedOn === null) refuse(ErrorCode.NOT_ATTACHED, `The referral is ${referral.status}: it has not been attached`, ['referralId']);
}

/** Exits after which the participant's work is another provision's: moved on by the Jobcentre (e.g. Work Choice), or for another reason. */
const LEAVES_PROVISION: readonly ExitReason[] = [ExitReason.MOVED_TO_OTHER_PROVISION, ExitReason.OTHER];

/** The day after which work is not this programme's (so never paid twice): such an exit's day, if any. */
function provisionEndedOn(referral: Referral): string | null {
  return referral.exitReason && LEAVES_PROVISION.includes(referral.exitReason) ? referral.exitedOn : null;
}

function afterExit(errors: UserError[], date: string, field: string, referral: Referral): void {
  const ended = provisionEndedOn(referral);
  if (ended && date > ended) {
    errors.push(userError(ErrorCode.AFTER_EXIT, `The participant left for other provision on ${ended}: work after it is not this programme's`, [field]));
  }
}

function notInFuture(errors: UserError[], date: string, field: string, today: string): void {
  if (date > today) errors.push(userError(ErrorCode.DATE_IN_FUTURE, `${field} ${date} is after today (${today})`, [field]));
}

const spellsOf = (tx: EntityManager, referralId: string) => tx.getRepository(JobStart).find({ where: { referralId }, order: { startedOn: 'ASC' } });

/** The latest day a claimed outcome or sustainment payment counted as in work; null before any. */
async function lastClaimedDay(tx: EntityManager, referralId: string): Promise<string | null> {
  const row = await tx
    .getRepository(Payment)
    .createQueryBuilder('p')
    .select('max(p.earned_on)::text', 'latest')
    .where('p.referral_id = :referralId AND p.kind <> :attachment', { referralId, attachment: PaymentKind.ATTACHMENT })
    .getRawOne<{ latest: string | null }>();
  return row?.latest ?? null;
}

/**
 * A job, by the prime or the chain delivering the participant's support: from attachment on,
 * never overlapping another spell. With `endedOn`, a past job is recorded whole.
 */
export function recordJobStart(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; startedOn: string; endedOn?: string | null; employerName?: string | null; hoursPerWeek?: number | null; selfEmployed?: boolean | null },
  today: string = todayUtc(),
): Promise<JobStart> {
  return db.transaction(async (tx) => {
    const { referral, restricted } = await referralForWork(tx, viewer, input.referralId, 'JOBS');
    assertAttached(referral);
    const endedOn = input.endedOn ?? null;
    const errors = restrictedFreeText(restricted, { employerName: input.employerName });
    notInFuture(errors, input.startedOn, 'startedOn', today);
    afterExit(errors, input.startedOn, 'startedOn', referral);
    if (input.startedOn < referral.attachedOn) {
      errors.push(userError(ErrorCode.BEFORE_ATTACHMENT, `startedOn ${input.startedOn} is before the attachment on ${referral.attachedOn}`, ['startedOn']));
    }
    if (endedOn !== null) {
      notInFuture(errors, endedOn, 'endedOn', today);
      if (endedOn < input.startedOn) errors.push(userError(ErrorCode.END_BEFORE_START, `endedOn ${endedOn} is before startedOn`, ['endedOn']));
    }
    const hours = input.hoursPerWeek;
    if (hours !== null && hours !== undefined && !(hours > 0 && hours <= 168)) {
      errors.push(userError(ErrorCode.INVALID_HOURS, 'hoursPerWeek is more than 0 and at most 168', ['hoursPerWeek']));
    }
    const clash = (await spellsOf(tx, referral.id)).find((spell) => overlaps(spell, { startedOn: input.startedOn, endedOn }));
    if (clash) {
      errors.push(userError(ErrorCode.JOBS_OVERLAP, `The job from ${clash.startedOn}${clash.endedOn ? ` to ${clash.endedOn}` : ' (not ended)'} overlaps this one`, ['startedOn']));
    }
    assertNoUserErrors(errors);
    return tx.getRepository(JobStart).save(
      tx.getRepository(JobStart).create({
        referralId: referral.id,
        startedOn: input.startedOn,
        endedOn,
        endedById: endedOn === null ? null : viewer.organisation.id,
        employerName: trimmed(input.employerName),
        hoursPerWeek: hours ?? null,
        selfEmployed: input.selfEmployed ?? false,
        recordedById: viewer.organisation.id,
      }),
    );
  });
}

/** The end of a job, by whoever records the referral's jobs; never before work a payment was claimed for. */
export function recordJobEnd(db: DataSource, viewer: Viewer, input: { jobStartId: string; endedOn: string }, today: string = todayUtc()): Promise<JobStart> {
  return db.transaction(async (tx) => {
    const known = isUuid(input.jobStartId) ? await tx.getRepository(JobStart).findOneBy({ id: input.jobStartId }) : null;
    const access = known && (await lockAccess(tx, viewer, known.referralId));
    if (!known || access?.jobs !== 'RECORD') {
      refuse(ErrorCode.UNKNOWN_JOB_START, 'No job start with this id is yours to end', ['jobStartId']);
    }
    // Read again under the referral's lock: a concurrent end of the same job has committed by now.
    const job = await tx.getRepository(JobStart).findOneByOrFail({ id: known.id });
    const errors: UserError[] = [];
    if (job.endedOn !== null) errors.push(userError(ErrorCode.JOB_ALREADY_ENDED, `The job ended on ${job.endedOn}`, ['jobStartId']));
    notInFuture(errors, input.endedOn, 'endedOn', today);
    if (input.endedOn < job.startedOn) errors.push(userError(ErrorCode.END_BEFORE_START, `The job started on ${job.startedOn}`, ['endedOn']));
    // A claimed outcome or sustainment counted this job's days: they cannot be taken back.
    const claimedTo = await lastClaimedDay(tx, job.referralId);
    if (claimedTo && input.endedOn < claimedTo && job.startedOn <= claimedTo) {
      errors.push(userError(ErrorCode.END_BEFORE_CLAIMED_WORK, `A payment was claimed for work up to ${claimedTo}`, ['endedOn']));
    }
    assertNoUserErrors(errors);
    Object.assign(job, { endedOn: input.endedOn, endedById: viewer.organisation.id });
    return tx.getRepository(JobStart).save(job);
  });
}

/**
 * The job outcome, claimed by the prime once the participant has been in work for the group's
 * threshold by `claimedOn`: days across every spell from attachment, within the allotted time
 * (two years: the day before `allottedUntil` is its last), the threshold being the rate card's at
 * attachment. It is earned, and paid at the rate of, the day the threshold was reached. One per
 * referral.
 */
export function claimJobOutcome(db: DataSource, viewer: Viewer, input: { referralId: string; claimedOn: string }, today: string = todayUtc()): Promise<Payment> {
  return db.transaction(async (tx) => {
    const { referral, contract } = await referralForWork(tx, viewer, input.referralId, 'PRIME');
    assertAttached(referral);
    const errors: UserError[] = [];
    notInFuture(errors, input.claimedOn, 'claimedOn', today);
    if (await tx.getRepository(Payment).existsBy({ referralId: referral.id, kind: PaymentKind.JOB_OUTCOME })) {
      errors.push(userError(ErrorCode.OUTCOME_ALREADY_CLAIMED, 'The job outcome of this referral has been claimed', ['referralId']));
    }
    assertNoUserErrors(errors);
    // The threshold is the one the participant started under: the rate card at attachment.
    const { rate } = await rateInForce(tx, contract, referral.paymentGroup, referral.attachedOn);
    // In work counts up to the claim, the allotted time's last day, or a move to other provision, whichever is first.
    const until = [input.claimedOn, lastAllottedDay(referral), provisionEndedOn(referral)].filter((day): day is string => day !== null).sort()[0];
    const spells = await spellsOf(tx, referral.id);
    const needed = rate.outcomeThresholdWeeks * 7;
    const reachedOn = dayReaching(spells, referral.attachedOn, until, needed);
    if (!reachedOn) {
      const days = daysInWork(spells, referral.attachedOn, until);
      refuse(ErrorCode.NOT_ENOUGH_TIME_IN_WORK, `${days} days in work by ${until}; a job outcome in ${referral.paymentGroup} needs ${needed} (${rate.outcomeThresholdWeeks} weeks)`, ['claimedOn']);
    }
    return writePayment(tx, { referral, contract, kind: PaymentKind.JOB_OUTCOME, earnedOn: reachedOn, claimedById: viewer.organisation.id });
  });
}

/**
 * A sustainment payment for the next period after the job outcome, in work throughout it (a gap
 * between jobs of up to the rate card's sustainmentGapDays does not break it). The
 * periods are a grid from the day the outcome was earned (period length from the outcome's rate
 * card); the fee and the cap are the rate card's in force at the period's end. The last one the
 * cap allows exits the participant with FINAL_PAYMENT_CLAIMED.
 */
export function claimSustainment(db: DataSource, viewer: Viewer, input: { referralId: string; periodEndsOn: string }, today: string = todayUtc()): Promise<Payment> {
  return db.transaction(async (tx) => {
    const { referral, contract } = await referralForWork(tx, viewer, input.referralId, 'PRIME');
    assertAttached(referral);
    const payments = tx.getRepository(Payment);
    const outcome = await payments.findOneBy({ referralId: referral.id, kind: PaymentKind.JOB_OUTCOME });
    if (!outcome) refuse(ErrorCode.NO_JOB_OUTCOME, 'Sustainment follows a claimed job outcome', ['referralId']);
    const claimed = await payments.find({ where: { referralId: referral.id, kind: PaymentKind.SUSTAINMENT }, order: { sequence: 'ASC' } });
    if (claimed.some((p) => p.periodEndsOn === input.periodEndsOn)) {
      refuse(ErrorCode.PERIOD_ALREADY_CLAIMED, `The period ending ${input.periodEndsOn} has been claimed`, ['periodEndsOn']);
    }
    const grid = await tx.getRepository(RateCard).findOneByOrFail({ id: outcome.rateCardId });
    const periodDays = grid.sustainmentPeriodWeeks * 7;
    const next = claimed.length + 1;
    const periodEndsOn = addDays(outcome.earnedOn, next * periodDays);
    const { rate } = await rateInForce(tx, contract, referral.paymentGroup, periodEndsOn);
    if (next > rate.sustainmentMaxCount) {
      refuse(ErrorCode.SUSTAINMENT_CAP_REACHED, `All ${rate.sustainmentMaxCount} sustainment payments of ${referral.paymentGroup} have been claimed`, ['periodEndsOn']);
    }
    if (input.periodEndsOn !== periodEndsOn) {
      refuse(ErrorCode.PERIOD_OUT_OF_ORDER, `The next period to claim (number ${next}) ends on ${periodEndsOn}`, ['periodEndsOn']);
    }
    const errors: UserError[] = [];
    notInFuture(errors, periodEndsOn, 'periodEndsOn', today);
    afterExit(errors, periodEndsOn, 'periodEndsOn', referral);
    assertNoUserErrors(errors);
    const gap = firstDayOutOfWork(await spellsOf(tx, referral.id), addDays(periodEndsOn, 1 - periodDays), periodEndsOn, grid.sustainmentGapDays);
    if (gap) refuse(ErrorCode.NOT_IN_WORK_THROUGHOUT, `Not in work on ${gap}, within the period ending ${periodEndsOn}`, ['periodEndsOn']);
    const payment = await writePayment(tx, {
      referral,
      contract,
      kind: PaymentKind.SUSTAINMENT,
      earnedOn: periodEndsOn,
      sequence: next,
      claimedById: viewer.organisation.id,
    });
    if (next === rate.sustainmentMaxCount && referral.status === ReferralStatus.ATTACHED) {
      // A last period that ends after the allotted time: the participation ended with the allotted time, before the exchange's hourly job saw it.
      const ended = referral.allottedUntil !== null && periodEndsOn >= referral.allottedUntil;
      const exit = ended ? { exitedOn: lastAllottedDay(referral), reason: ExitReason.ALLOTTED_TIME_ENDED } : { exitedOn: periodEndsOn, reason: ExitReason.FINAL_PAYMENT_CLAIMED };
      await exitReferral(tx, referral, exit, viewer.organisation.id, today);
    }
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
  sustainmentGapDays: number;
  source: string;
}

/** An ADMIN sets a rate: it supersedes the row in force (kept, with the payments made from it). */
export function setRateCard(db: DataSource, viewer: Viewer, input: RateCardInput): Promise<RateCard> {
  const errors: UserError[] = [];
  const whole = (field: keyof RateCardInput, min: number) => {
    const value = input[field] as number;
    if (!Number.isInteger(value) || value < min) errors.push(userError(ErrorCode.INVALID_RATE, `${field} is a whole number of at least ${min}`, [field]));
  };
  whole('contractYear', 1);
  whole('attachmentFeePence', 0);
  whole('jobOutcomeFeePence', 0);
  whole('outcomeThresholdWeeks', 1);
  whole('sustainmentFeePence', 0);
  whole('sustainmentMaxCount', 0);
  whole('sustainmentPeriodWeeks', 1);
  whole('sustainmentGapDays', 0);
  const programme = trimmed(input.programme);
  const source = trimmed(input.source);
  if (!programme) errors.push(userError(ErrorCode.INVALID_RATE, 'A rate names its programme', ['programme']));
  if (!source) errors.push(userError(ErrorCode.INVALID_RATE, 'A rate says where its figures come from', ['source']));
  assertNoUserErrors(errors);
  return db.transaction(async (tx) => {
    const key = { programme: programme!, paymentGroup: input.paymentGroup, contractYear: input.contractYear };
    if (!(await tx.getRepository(Programme).existsBy({ code: key.programme }))) {
      refuse(ErrorCode.UNKNOWN_PROGRAMME, `No programme has the code ${key.programme}`, ['programme']);
    }
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


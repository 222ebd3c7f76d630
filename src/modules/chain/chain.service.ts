import { type DataSource, type EntityManager, In } from 'typeorm';
import { lockAccess } from '../../auth/referral-access';
import type { Viewer } from '../../auth/viewer';
import { isUuid } from '../../common/ids';
import { reasonText, restrictedFreeText, trimmed } from '../../common/text';
import { Lifecycle } from '../../common/state-machine';
import { ErrorCode } from '../../common/error-codes';
import { type UserError, assertNoUserErrors, refuse, userError } from '../../common/user-error';
import { isUniqueViolation } from '../../db/errors';
import { type InboxEvent, addToInbox } from '../inbox/inbox';
import { InboxItemKind } from '../inbox/inbox-item.entity';
import { DeliveryModel } from '../contracts/contracts.enums';
import { Subcontract } from '../contracts/subcontract.entity';
import { Participant } from '../referrals/participant.entity';
import { Referral } from '../referrals/referral.entity';
import { HandoffPurpose, HandoffStatus, LIVE_HANDOFF_STATUSES, LIVE_STATUSES, ReferralStatus, SharedField } from '../../auth/access.enums';
import { referralLifecycle } from '../referrals/referral-lifecycle';
import { Handoff } from './handoff.entity';
import { HANDOFF_TRANSITIONS } from './handoff-states';

/** Passing a referral down the supply chain, and back. */

const END_TO_END_MODELS = [DeliveryModel.END_TO_END, DeliveryModel.SPECIALIST_END_TO_END];

/** Which places in the chain each purpose goes to (DOMAIN.md, "Who is in the chain"). */
export const PURPOSE_FITS: Readonly<Record<HandoffPurpose, readonly DeliveryModel[]>> = {
  [HandoffPurpose.END_TO_END_DELIVERY]: END_TO_END_MODELS,
  [HandoffPurpose.SPECIALIST_SUPPORT]: [DeliveryModel.SPECIALIST_END_TO_END],
  [HandoffPurpose.SPOT_PROVISION]: [DeliveryModel.SPOT],
  [HandoffPurpose.IN_WORK_SUPPORT]: [DeliveryModel.IN_WORK_SUPPORT],
};

/**
 * Offers a referral to another member of the prime contract's chain. The sender is the prime,
 * or a subcontractor holding an accepted end-to-end handoff of it; what travels is
 * `sharedFields`, never more than the sender sees itself.
 */
export async function passReferral(
  db: DataSource,
  viewer: Viewer,
  input: { referralId: string; toOrganisationId: string; purpose: HandoffPurpose; sharedFields: SharedField[]; note?: string | null },
): Promise<Handoff> {
  return db.transaction(async (tx) => {
    // Locked: handoffs of one referral are decided one at a time.
    const access = await lockAccess(tx, viewer, input.referralId);
    if (!access?.canRead) refuse(ErrorCode.UNKNOWN_REFERRAL, 'No referral with this id is yours to pass', ['referralId']);
    if (!access.mayPass) {
      refuse(ErrorCode.NOT_ALLOWED_TO_PASS, 'Only the prime, or a subcontractor holding an accepted end-to-end handoff of it, passes a referral on', ['referralId']);
    }
    const referral = await tx.getRepository(Referral).findOneByOrFail({ id: access.facts.id });
    if (!LIVE_STATUSES.includes(referral.status)) {
      refuse(ErrorCode.REFERRAL_NOT_LIVE, `The referral is ${referral.status}`, ['referralId']);
    }
    const places = await tx.getRepository(Subcontract).findBy({ contractId: referral.contractId });
    const sender = viewer.organisation.id;

    const errors: UserError[] = [];
    const theirs = places.filter((p) => p.subcontractorId === input.toOrganisationId && input.toOrganisationId !== sender);
    const place = theirs.find((p) => PURPOSE_FITS[input.purpose].includes(p.deliveryModel));
    if (theirs.length === 0) {
      errors.push(userError(ErrorCode.NOT_IN_CHAIN, 'The receiver has no place in this contract\'s supply chain', ['toOrganisationId']));
    } else if (!place) {
      errors.push(
        userError(ErrorCode.PURPOSE_NOT_FIT, `${input.purpose} does not fit the receiver's place (${theirs.map((p) => p.deliveryModel).join(', ')})`, ['purpose']),
      );
    } else if (place.parentId && !access.isPrime && places.find((p) => p.id === place.parentId)!.subcontractorId !== sender) {
      errors.push(userError(ErrorCode.SPOT_PARENT_ONLY, 'This spot provider takes referrals only from the prime or the subcontractor that commissioned it', ['toOrganisationId']));
    }

    const participant = await tx.getRepository(Participant).findOneByOrFail({ id: referral.participantId });
    // The contacts go down the chain as CONTACT_NOTES only from a sender that reads them itself.
    const senderSees = [...access.participant!.fields, ...(access.seesContacts ? [SharedField.CONTACT_NOTES] : [])];
    const fields = [...new Set(input.sharedFields)];
    errors.push(...restrictedFreeText(participant.restricted, { note: input.note }));
    if (participant.restricted && fields.length > 0) {
      errors.push(userError(ErrorCode.RESTRICTED_RECORD, 'A restricted (MAPPA) record goes down the chain as name and referral only', ['sharedFields']));
    }
    for (const field of participant.restricted ? [] : fields) {
      if (field === SharedField.HEALTH && !participant.consentToShareHealth) {
        errors.push(userError(ErrorCode.HEALTH_WITHOUT_CONSENT, 'The claimant did not consent to sharing health information', ['sharedFields']));
      } else if (field === SharedField.RISK_MARKERS && !access.facts.consentToShareRisk && !access.facts.riskSharingBasis) {
        errors.push(userError(ErrorCode.RISK_WITHOUT_BASIS, 'The claimant did not consent to sharing risk markers, and no legal basis was recorded', ['sharedFields']));
      } else if (!senderSees.includes(field)) {
        errors.push(userError(ErrorCode.FIELD_NOT_VISIBLE_TO_SENDER, `${field} is not yours to share: you cannot see it yourself`, ['sharedFields']));
      }
    }
    const live = access.facts.handoffs.filter((h) => LIVE_HANDOFF_STATUSES.includes(h.status));
    if (live.some((h) => h.toOrganisationId === input.toOrganisationId && h.purpose === input.purpose)) {
      errors.push(userError(ErrorCode.DUPLICATE_HANDOFF, 'This organisation already holds a live handoff of this referral for this purpose', ['toOrganisationId']));
    } else if (input.purpose === HandoffPurpose.END_TO_END_DELIVERY && live.some((h) => h.purpose === HandoffPurpose.END_TO_END_DELIVERY)) {
      errors.push(userError(ErrorCode.LIVE_END_TO_END_EXISTS, 'The referral already has a live end-to-end handoff', ['purpose']));
    }
    assertNoUserErrors(errors);

    let handoff: Handoff;
    try {
      handoff = await tx.getRepository(Handoff).save(
        tx.getRepository(Handoff).create({
          referralId: referral.id,
          fromOrganisationId: sender,
          toOrganisationId: input.toOrganisationId,
          subcontractId: place!.id,
          purpose: input.purpose,
          status: HandoffStatus.OFFERED,
          sharedFields: fields,
          note: trimmed(input.note),
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'handoff_live_end_to_end_key')) {
        refuse(ErrorCode.LIVE_END_TO_END_EXISTS, 'The referral already has a live end-to-end handoff', ['purpose']);
      }
      throw error;
    }
    await addToInbox(tx, [{ organisationId: handoff.toOrganisationId, kind: InboxItemKind.HANDOFF_OFFERED, referralId: referral.id, handoffId: handoff.id }]);
    return handoff;
  });
}

type Party = 'from' | 'to' | 'prime';

/**
 * Locks a handoff for a change by one of `parties` (its sender, its receiver, or the prime holding
 * the referral), asked of the access gate; anyone else is told it does not exist. The referral is
 * locked first, as passReferral does, so a handoff cannot end while another is passed on from it.
 */
async function lockHandoff(tx: EntityManager, viewer: Viewer, handoffId: string, parties: Party[]): Promise<{ handoff: Handoff; restricted: boolean }> {
  const found = isUuid(handoffId) ? await tx.getRepository(Handoff).findOneBy({ id: handoffId }) : null;
  const access = found && (await lockAccess(tx, viewer, found.referralId));
  if (!found || !access?.changesHandoff(found.id, parties)) refuse(ErrorCode.UNKNOWN_HANDOFF, 'No handoff with this id is yours to change', ['handoffId']);
  // Read again under the referral's lock, which every change to its handoffs takes first.
  return { handoff: await tx.getRepository(Handoff).findOneByOrFail({ id: found.id }), restricted: access.facts.restricted };
}

const handoffLifecycle = new Lifecycle<HandoffStatus, Handoff, InboxEvent>('handoff', HANDOFF_TRANSITIONS, Handoff, addToInbox);
const ENDED_HANDOFF_STATUSES = Object.values(HandoffStatus).filter((status) => !LIVE_HANDOFF_STATUSES.includes(status));

// An ended handoff takes its receiver's onward handoffs with it. Installed here: it is the chain's own rule.
handoffLifecycle
  .on(ENDED_HANDOFF_STATUSES, 'chain: end onward handoffs', (tx, { subject }) =>
    endOnwardHandoffs(tx, subject.referralId, subject.toOrganisationId, 'The handoff it came from ended'),
  )
  .install();

/** Moves a handoff along its lifecycle, telling `notify` of it with `kind`. */
async function moveHandoff(
  db: DataSource,
  viewer: Viewer,
  handoffId: string,
  parties: Party[],
  to: HandoffStatus,
  change: (handoff: Handoff, restricted: boolean) => { kind: InboxItemKind; notify: string[] },
): Promise<Handoff> {
  return db.transaction(async (tx) => {
    const { handoff: locked, restricted } = await lockHandoff(tx, viewer, handoffId, parties);
    return handoffLifecycle.move(tx, locked, to, {
      actorId: viewer.organisation.id,
      apply: (handoff) => {
        const { kind, notify } = change(handoff, restricted);
        if (ENDED_HANDOFF_STATUSES.includes(to)) handoff.endedAt = new Date();
        return [...new Set(notify)].map((organisationId) => ({ organisationId, kind, referralId: handoff.referralId, handoffId: handoff.id }));
      },
    });
  });
}

export function respondToHandoff(
  db: DataSource,
  viewer: Viewer,
  input: { handoffId: string; accept: boolean; declineReason?: string | null },
): Promise<Handoff> {
  return moveHandoff(db, viewer, input.handoffId, ['to'], input.accept ? HandoffStatus.ACCEPTED : HandoffStatus.DECLINED, (handoff, restricted) => {
    const reason = input.accept ? null : reasonText(restricted, input.declineReason, 'declineReason', 'A declined handoff says why');
    Object.assign(handoff, { respondedAt: new Date(), declineReason: reason });
    return { kind: InboxItemKind.HANDOFF_RESPONDED, notify: [handoff.fromOrganisationId] };
  });
}

/** Either party ends an accepted handoff, with feedback for the other. */
export function completeHandoff(db: DataSource, viewer: Viewer, input: { handoffId: string; feedback?: string | null }): Promise<Handoff> {
  return moveHandoff(db, viewer, input.handoffId, ['from', 'to'], HandoffStatus.COMPLETED, (handoff, restricted) => {
    assertNoUserErrors(restrictedFreeText(restricted, { feedback: input.feedback }));
    handoff.feedback = trimmed(input.feedback);
    const other = handoff.fromOrganisationId === viewer.organisation.id ? handoff.toOrganisationId : handoff.fromOrganisationId;
    return { kind: InboxItemKind.HANDOFF_ENDED, notify: [other] };
  });
}

/** The sender withdraws a handoff, or the prime any handoff of its referral (it answers for the chain). */
export function withdrawHandoff(db: DataSource, viewer: Viewer, input: { handoffId: string; reason: string }): Promise<Handoff> {
  return moveHandoff(db, viewer, input.handoffId, ['from', 'prime'], HandoffStatus.WITHDRAWN, (handoff, restricted) => {
    handoff.withdrawnReason = reasonText(restricted, input.reason, 'reason', 'A withdrawal says why');
    const notify = [handoff.toOrganisationId];
    if (handoff.fromOrganisationId !== viewer.organisation.id) notify.push(handoff.fromOrganisationId);
    return { kind: InboxItemKind.HANDOFF_ENDED, notify };
  });
}

/** Ends live handoffs of a referral (those sent by `from`, or all), and returns who to tell. */
async function endHandoffs(tx: EntityManager, referralId: string, reason: string, from: string | null): Promise<Array<{ id: string; to: string }>> {
  // TypeORM answers an UPDATE with [rows, count].
  const [ended]: [Array<{ id: string; to_organisation_id: string }>, number] = await tx.query(
    `UPDATE handoff SET status = 'WITHDRAWN', withdrawn_reason = $2, ended_at = now()
      WHERE referral_id = $1 AND status = ANY($3) AND ($4::uuid IS NULL OR from_organisation_id = $4)
      RETURNING id, to_organisation_id`,
    [referralId, reason, LIVE_HANDOFF_STATUSES, from],
  );
  return ended.map((row) => ({ id: row.id, to: row.to_organisation_id }));
}

/**
 * When `receiver` no longer holds any live handoff of a referral, the handoffs it passed on end
 * too, and so on down the chain: nobody keeps access that came through an ended handoff.
 */
async function endOnwardHandoffs(tx: EntityManager, referralId: string, receiver: string, reason: string): Promise<InboxEvent[]> {
  const stillHolds = await tx.getRepository(Handoff).existsBy({ referralId, toOrganisationId: receiver, status: In(LIVE_HANDOFF_STATUSES) });
  if (stillHolds) return [];
  const events: InboxEvent[] = [];
  for (const ended of await endHandoffs(tx, referralId, reason, receiver)) {
    events.push({ organisationId: ended.to, kind: InboxItemKind.HANDOFF_ENDED, referralId, handoffId: ended.id });
    events.push(...(await endOnwardHandoffs(tx, referralId, ended.to, reason)));
  }
  return events;
}

/** Why a referral's chain ends, by the state it moved into. */
const LEAVES_PRIME: Partial<Record<ReferralStatus, string>> = {
  [ReferralStatus.REJECTED]: 'The referral was rejected',
  [ReferralStatus.WITHDRAWN]: 'The referral was withdrawn',
  [ReferralStatus.EXITED]: 'The participant exited the programme',
  [ReferralStatus.ALLOCATED]: 'The referral was allocated to another contract',
};

/**
 * A referral that leaves its prime (withdrawn, exited, or moved to another contract) ends every
 * live handoff: the chain's access ends with it, and each receiver is told.
 */
export const endChainWithReferral = referralLifecycle.on(
  Object.keys(LEAVES_PRIME) as ReferralStatus[],
  'chain: end live handoffs',
  async (tx, { subject, to }) => {
    const ended = await endHandoffs(tx, subject.id, LEAVES_PRIME[to]!, null);
    return ended.map((h) => ({ organisationId: h.to, kind: InboxItemKind.HANDOFF_ENDED, referralId: subject.id, handoffId: h.id }));
  },
);

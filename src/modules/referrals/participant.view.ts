import { Field, ID, InputType, ObjectType, UseMiddleware } from 'type-graphql';
import { Limit } from '../../common/input-limits';
import { AuditRead } from '../audit/person-reads';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import type { ParticipantAccess } from '../../auth/policy';
import type { FieldCipher } from '../../db/field-encryption';
import type { Participant } from './participant.entity';
import type { ReferralClaimant } from './referral-claimant.entity';
import { SharedField } from '../../auth/access.enums';

/** The same shape in and out: one class serves as both GraphQL types. */
@ObjectType({ description: 'A postal address.' })
@InputType('AddressInput', { description: 'A postal address.' })
export class Address {
  @Field(() => String, { description: 'The first line: required.' })
  @Limit({ chars: 100 })
  line1!: string;

  @Field(() => String, { nullable: true, description: 'The second line.' })
  @Limit({ chars: 100 })
  line2?: string | null;

  @Field(() => String, { nullable: true, description: 'The post town.' })
  @Limit({ chars: 100 })
  town?: string | null;

  @Field(() => String, { description: 'The postcode: required ("SW1A 1AA").' })
  @Limit({ chars: 10 })
  postcode!: string;
}

@ObjectType({ description: 'How to reach a participant (shared as CONTACT_DETAILS).' })
export class ContactDetails {
  @Field(() => Address, { nullable: true, description: 'Postal address, when known.' })
  address!: Address | null;

  @Field(() => String, { nullable: true, description: 'Phone number, when known.' })
  phone!: string | null;

  @Field(() => String, { nullable: true, description: 'Email address, when known.' })
  email!: string | null;
}

@ObjectType({ description: "A participant's health information (shared as HEALTH, only with the claimant's consent)." })
export class HealthInformation {
  @Field(() => [String], { description: 'Health conditions, as the Jobcentre recorded them.' })
  conditions!: string[];
}

/**
 * A participant as one viewer may see them: what the policy withholds is null. Every field but the
 * id is audited when disclosed (AuditRead): this type is the only way to a person's fields.
 */
@ObjectType('Participant', {
  implements: Node,
  description:
    "A person referred, as the viewer may see them: one record per NINO across the person's referrals. What the viewer may not see is null. Down the chain, a MAPPA case is a name only.",
})
export class ParticipantView implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again (through the viewer\'s closest referral of the person).' })
  id!: string;

  @UseMiddleware(AuditRead)
  @Field(() => String, { nullable: true, description: 'Null where the viewer may not see it; `visibleFields` says what the viewer may see.' })
  nino!: string | null;

  @UseMiddleware(AuditRead)
  @Field(() => String, { nullable: true, description: 'Given name: every viewer of the referral sees it.' })
  givenName!: string | null;

  @UseMiddleware(AuditRead)
  @Field(() => String, { nullable: true, description: 'Family name: every viewer of the referral sees it.' })
  familyName!: string | null;

  @UseMiddleware(AuditRead)
  @Field(() => DateScalar, { nullable: true, description: 'Date of birth; null down the chain for a MAPPA case.' })
  dateOfBirth!: string | null;

  @UseMiddleware(AuditRead)
  @Field(() => ContactDetails, { nullable: true, description: 'Null unless `visibleFields` has CONTACT_DETAILS.' })
  contact!: ContactDetails | null;

  @UseMiddleware(AuditRead)
  @Field(() => HealthInformation, { nullable: true, description: 'Null unless `visibleFields` has HEALTH (consent given) and there is some.' })
  health!: HealthInformation | null;

  @UseMiddleware(AuditRead)
  @Field(() => [String], { nullable: true, description: 'Null unless `visibleFields` has RISK_MARKERS and there are some.' })
  riskMarkers!: string[] | null;

  @UseMiddleware(AuditRead)
  @Field(() => Boolean, { nullable: true, description: 'Whether the participant is disabled; null when not known or not visible.' })
  disabled!: boolean | null;

  @UseMiddleware(AuditRead)
  @Field(() => Boolean, { nullable: true, description: 'Whether the participant prefers Welsh; null when not known or not visible.' })
  welshLanguage!: boolean | null;

  @UseMiddleware(AuditRead)
  @Field(() => Boolean, { description: 'A MAPPA case: held as a minimal record, never passed down the chain in full.' })
  restricted!: boolean;

  @UseMiddleware(AuditRead)
  @Field(() => [SharedField], { description: 'The parts of the record this viewer may see now.' })
  visibleFields!: SharedField[];

  /** The referral the person is seen through: what its Jobcentre sent with it (the record module's fields of this type) is read from it. */
  referralId!: string | null;
}

/**
 * The view of `participant` that `access` (decided by the access gate) allows, with the details
 * `sent` with the referral it is seen through when that is not the person's newest (whose details
 * the participant row holds): each Jobcentre sees what it sent, never another's. What was sent is
 * looked up only when a field that shows it is read (a caseload of names asks nothing more).
 * Special-category data is decrypted here only, only when its field is visible, and only when the
 * field is read: a value that does not decrypt for this participant (copied from another,
 * altered, or under a key not in the ring) fails that field alone, as a fault, and shows nothing.
 */
export function participantView(
  participant: Participant,
  access: ParticipantAccess,
  cipher: FieldCipher,
  sent: () => Promise<ReferralClaimant | null> = async () => null,
  referralId: string | null = null,
): ParticipantView {
  const sees = (field: SharedField) => access.fields.includes(field);
  const full = access.identity === 'FULL';
  let details: Promise<ReferralClaimant | Participant> | undefined;
  /** `pick` of the details the person was referred with, when `shown`; null otherwise, and nothing looked up. */
  const fromDetails = <T>(shown: boolean, pick: (details: ReferralClaimant | Participant) => T) => () =>
    shown ? (details ??= sent().then((claimant) => claimant ?? participant)).then(pick) : null;
  const view = Object.assign(new ParticipantView(), {
    id: participant.id,
    nino: full ? participant.nino : null,
    givenName: participant.givenName,
    familyName: participant.familyName,
    dateOfBirth: full ? participant.dateOfBirth : null,
    restricted: participant.restricted,
    visibleFields: access.fields,
    referralId,
  });
  return Object.defineProperties(view, {
    disabled: { enumerable: true, get: fromDetails(full, (d) => d.disabled) },
    welshLanguage: { enumerable: true, get: fromDetails(full, (d) => d.welshLanguage) },
    contact: {
      enumerable: true,
      get: fromDetails(sees(SharedField.CONTACT_DETAILS), ({ address, phone, email }) => ({
        address: address && { line1: address.line1, line2: address.line2 ?? null, town: address.town ?? null, postcode: address.postcode },
        phone,
        email,
      })),
    },
    health: {
      enumerable: true,
      get: fromDetails(sees(SharedField.HEALTH), (d) => d.healthEncrypted && cipher.decrypt<HealthInformation>('health', participant.id, d.healthEncrypted)),
    },
    riskMarkers: {
      enumerable: true,
      get: fromDetails(sees(SharedField.RISK_MARKERS), (d) => d.riskMarkersEncrypted && cipher.decrypt<string[]>('risk_markers', participant.id, d.riskMarkersEncrypted)),
    },
  });
}

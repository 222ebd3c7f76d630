import { Field, ID, InputType, ObjectType, UseMiddleware } from 'type-graphql';
import { AuditRead } from '../audit/person-reads';
import { Node } from '../../common/node';
import { DateScalar } from '../../common/scalars';
import type { ParticipantAccess } from '../../auth/policy';
import type { FieldCipher } from '../../db/field-encryption';
import type { Participant } from './participant.entity';
import { SharedField } from './referral.enums';

/** The same shape in and out: one class serves as both GraphQL types. */
@ObjectType()
@InputType('AddressInput')
export class Address {
  @Field(() => String)
  line1!: string;

  @Field(() => String, { nullable: true })
  line2?: string | null;

  @Field(() => String, { nullable: true })
  town?: string | null;

  @Field(() => String)
  postcode!: string;
}

@ObjectType()
export class ContactDetails {
  @Field(() => Address, { nullable: true })
  address!: Address | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;
}

@ObjectType()
export class HealthInformation {
  @Field(() => [String])
  conditions!: string[];
}

/**
 * A participant as one viewer may see them: what the policy withholds is null. Every field but the
 * id is audited when disclosed (AuditRead): this type is the only way to a person's fields.
 */
@ObjectType('Participant', { implements: Node })
export class ParticipantView implements Node {
  @Field(() => ID)
  id!: string;

  @UseMiddleware(AuditRead)
  @Field(() => String, { nullable: true, description: 'Null where the viewer may not see it; `visibleFields` says what the viewer may see.' })
  nino!: string | null;

  @UseMiddleware(AuditRead)
  @Field(() => String, { nullable: true })
  givenName!: string | null;

  @UseMiddleware(AuditRead)
  @Field(() => String, { nullable: true })
  familyName!: string | null;

  @UseMiddleware(AuditRead)
  @Field(() => DateScalar, { nullable: true })
  dateOfBirth!: string | null;

  @UseMiddleware(AuditRead)
  @Field(() => ContactDetails, { nullable: true })
  contact!: ContactDetails | null;

  @UseMiddleware(AuditRead)
  @Field(() => HealthInformation, { nullable: true })
  health!: HealthInformation | null;

  @UseMiddleware(AuditRead)
  @Field(() => [String], { nullable: true })
  riskMarkers!: string[] | null;

  @UseMiddleware(AuditRead)
  @Field(() => Boolean, { nullable: true })
  disabled!: boolean | null;

  @UseMiddleware(AuditRead)
  @Field(() => Boolean, { nullable: true })
  welshLanguage!: boolean | null;

  @UseMiddleware(AuditRead)
  @Field(() => Boolean, { description: 'A MAPPA case: held as a minimal record, never passed down the chain in full.' })
  restricted!: boolean;

  @UseMiddleware(AuditRead)
  @Field(() => [SharedField])
  visibleFields!: SharedField[];
}

/**
 * The view of `participant` that `access` (decided by the policy) allows. Special-category data
 * is decrypted here only, and only when its field is visible.
 */
export function participantView(participant: Participant, access: ParticipantAccess, cipher: FieldCipher): ParticipantView {
  const sees = (field: SharedField) => access.fields.includes(field);
  const full = access.identity === 'FULL';
  const address = participant.address;
  return Object.assign(new ParticipantView(), {
    id: participant.id,
    nino: full ? participant.nino : null,
    givenName: participant.givenName,
    familyName: participant.familyName,
    dateOfBirth: full ? participant.dateOfBirth : null,
    disabled: full ? participant.disabled : null,
    welshLanguage: full ? participant.welshLanguage : null,
    restricted: participant.restricted,
    visibleFields: access.fields,
    contact: sees(SharedField.CONTACT_DETAILS)
      ? {
          address: address && { line1: address.line1, line2: address.line2 ?? null, town: address.town ?? null, postcode: address.postcode },
          phone: participant.phone,
          email: participant.email,
        }
      : null,
    health:
      sees(SharedField.HEALTH) && participant.healthEncrypted
        ? cipher.decrypt<HealthInformation>('health', participant.healthEncrypted)
        : null,
    riskMarkers:
      sees(SharedField.RISK_MARKERS) && participant.riskMarkersEncrypted
        ? cipher.decrypt<string[]>('risk_markers', participant.riskMarkersEncrypted)
        : null,
  });
}

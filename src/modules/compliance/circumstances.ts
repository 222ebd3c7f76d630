import { registerEnumType } from 'type-graphql';
import { ErrorCode } from '../../common/error-codes';
import { isEmail, isPhone, restrictedFreeText, trimmed } from '../../common/text';
import { type UserError, userError } from '../../common/user-error';
import { SharedField } from '../../auth/access.enums';
import { Benefit } from '../referrals/programme';

/** What changed in a participant's circumstances (DOMAIN.md step 7: changes travel both ways). */
export enum CircumstanceKind {
  ADDRESS = 'ADDRESS',
  PHONE = 'PHONE',
  EMAIL = 'EMAIL',
  BENEFIT_ENDED = 'BENEFIT_ENDED',
  BENEFIT_CHANGED = 'BENEFIT_CHANGED',
  CONDITIONALITY_CHANGED = 'CONDITIONALITY_CHANGED',
  CONSENT_CHANGED = 'CONSENT_CHANGED',
  IN_CUSTODY = 'IN_CUSTODY',
  HOSPITAL = 'HOSPITAL',
  DECEASED = 'DECEASED',
  MOVED_AREA = 'MOVED_AREA',
  OTHER = 'OTHER',
}
registerEnumType(CircumstanceKind, {
  name: 'CircumstanceKind',
  description: 'What changed in a participant\'s circumstances.',
  valuesConfig: {
    ADDRESS: { description: 'A new address (`address`).' },
    PHONE: { description: 'A new phone number (`phone`).' },
    EMAIL: { description: 'A new email address (`email`).' },
    BENEFIT_ENDED: { description: 'The claim ended (`benefitEndedReason`): the participant is recorded off benefit and stays on the programme; no doubt about a later day.' },
    BENEFIT_CHANGED: { description: 'Another benefit (`benefitFrom` → `benefitTo`): the conditionality a doubt assumed changed, so no doubt about a later day.' },
    CONDITIONALITY_CHANGED: { description: 'Work-related conditionality changed: no doubt about a later day.' },
    CONSENT_CHANGED: { description: "The claimant's consent to share health information changed (`consentToShareHealth`)." },
    IN_CUSTODY: { description: 'In custody.' },
    HOSPITAL: { description: 'In hospital.' },
    DECEASED: { description: 'Died.' },
    MOVED_AREA: { description: 'Moved out of the area.' },
    OTHER: { description: 'Another change, said in `description` (a change filed from a CHANGE_OF_CIRCUMSTANCES doubt is one of these).' },
  },
});

export enum BenefitEndedReason {
  WORK = 'WORK',
  OTHER = 'OTHER',
}
registerEnumType(BenefitEndedReason, {
  name: 'BenefitEndedReason',
  description: 'Why a claim ended.',
  valuesConfig: { WORK: { description: 'The claimant started work.' }, OTHER: { description: 'Another reason.' } },
});

export enum CircumstanceChangeAction {
  ACTIONED = 'ACTIONED',
  NOT_ACTIONED = 'NOT_ACTIONED',
}
registerEnumType(CircumstanceChangeAction, {
  name: 'CircumstanceChangeAction',
  description: "The referring Jobcentre's answer to a provider's report.",
  valuesConfig: { ACTIONED: { description: 'The Jobcentre acted on it.' }, NOT_ACTIONED: { description: 'The Jobcentre did not act on it (the note says why).' } },
});

registerEnumType(Benefit, {
  name: 'Benefit',
  description: 'A benefit a participant claims.',
  valuesConfig: { JSA: { description: "Jobseeker's Allowance." }, ESA: { description: 'Employment and Support Allowance.' }, IB_IS: { description: 'Incapacity Benefit or Income Support.' } },
});

/**
 * A change after which a participant cannot be doubted (DOMAIN.md step 7: "A doubt about a day after the
 * participant left benefit is refused"; a move to another benefit changes the conditionality the doubt
 * assumed, 002:1926), until they return to the programme.
 */
export const STATUS_CHANGES: readonly CircumstanceKind[] = [CircumstanceKind.BENEFIT_ENDED, CircumstanceKind.BENEFIT_CHANGED, CircumstanceKind.CONDITIONALITY_CHANGED];

/**
 * The participant field a change speaks of: its kind alone is personal (in hospital is health, in
 * custody a risk marker). It reaches, and shows to, only those who may see that field.
 */
export const CHANGE_FIELD: Partial<Record<CircumstanceKind, SharedField>> = {
  [CircumstanceKind.ADDRESS]: SharedField.CONTACT_DETAILS,
  [CircumstanceKind.PHONE]: SharedField.CONTACT_DETAILS,
  [CircumstanceKind.EMAIL]: SharedField.CONTACT_DETAILS,
  [CircumstanceKind.HOSPITAL]: SharedField.HEALTH,
  [CircumstanceKind.CONSENT_CHANGED]: SharedField.HEALTH,
  [CircumstanceKind.IN_CUSTODY]: SharedField.RISK_MARKERS,
};

/** A change acts on the record when the referring Jobcentre reported it, or confirmed a provider's report (ACTIONED). */
export function actsOnRecord(change: { reportedById: string; action: CircumstanceChangeAction | null }, jobcentreId: string): boolean {
  return change.reportedById === jobcentreId || change.action === CircumstanceChangeAction.ACTIONED;
}

export interface CircumstanceDetails {
  kind: CircumstanceKind;
  description?: string | null;
  benefitEndedReason?: BenefitEndedReason | null;
  benefitFrom?: Benefit | null;
  benefitTo?: Benefit | null;
  address?: { line1: string; line2?: string | null; town?: string | null; postcode: string } | null;
  phone?: string | null;
  email?: string | null;
  consentToShareHealth?: boolean | null;
}

type Detail = Exclude<keyof CircumstanceDetails, 'kind' | 'description'>;

/** Which details each kind takes, the first of them required; every other kind takes none but the description. */
const DETAILS: Partial<Record<CircumstanceKind, readonly Detail[]>> = {
  [CircumstanceKind.ADDRESS]: ['address'],
  [CircumstanceKind.PHONE]: ['phone'],
  [CircumstanceKind.EMAIL]: ['email'],
  [CircumstanceKind.BENEFIT_ENDED]: ['benefitEndedReason'],
  [CircumstanceKind.BENEFIT_CHANGED]: ['benefitTo', 'benefitFrom'],
  [CircumstanceKind.CONSENT_CHANGED]: ['consentToShareHealth'],
};
const ALL_DETAILS: readonly Detail[] = ['benefitEndedReason', 'benefitFrom', 'benefitTo', 'address', 'phone', 'email', 'consentToShareHealth'];

/**
 * A report's details against its kind (pure): each kind's own value required and well formed,
 * no value of another kind, a description for OTHER; on a restricted (MAPPA) record no free text
 * and no contact details at all.
 */
export function checkCircumstanceDetails(details: CircumstanceDetails, restricted: boolean): UserError[] {
  const errors: UserError[] = [];
  const takes = DETAILS[details.kind] ?? [];
  for (const detail of ALL_DETAILS) {
    const given = details[detail] != null;
    if (given && !takes.includes(detail)) {
      errors.push(userError(ErrorCode.CHANGE_DETAILS_MISMATCH, `A ${details.kind} change takes no ${detail}`, [detail]));
    }
  }
  const required = takes[0];
  if (required && details[required] == null) errors.push(userError(ErrorCode.CHANGE_DETAILS_MISMATCH, `A ${details.kind} change gives ${required}`, [required]));
  if (details.kind === CircumstanceKind.OTHER && !trimmed(details.description) && !restricted) {
    errors.push(userError(ErrorCode.DESCRIPTION_REQUIRED, 'A change of another kind says what changed', ['description']));
  }
  if (details.address && (!trimmed(details.address.line1) || !trimmed(details.address.postcode))) {
    errors.push(userError(ErrorCode.ADDRESS_INCOMPLETE, 'An address needs its first line and postcode', ['address']));
  }
  if (details.phone != null && !isPhone(details.phone)) errors.push(userError(ErrorCode.INVALID_PHONE, 'Not a phone number', ['phone']));
  if (details.email != null && !isEmail(details.email)) errors.push(userError(ErrorCode.INVALID_EMAIL, 'Not an email address', ['email']));
  // No free text and no contact details: the kind and the day only.
  errors.push(...restrictedFreeText(restricted, { description: details.description, address: details.address?.line1 ?? details.address?.postcode, phone: details.phone, email: details.email }));
  return errors;
}

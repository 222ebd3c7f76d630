import { ErrorCode } from '../../common/error-codes';
import { isCalendarDate } from '../../common/scalars';
import { type UserError, userError } from '../../common/user-error';
import { PaymentGroup } from '../contracts/contracts.enums';
import { ParticipationMode } from './programme';
import type { ReferralData } from './submission';

/**
 * A Jobcentre's CSV extract of referrals (docs/examples/referrals.csv): one referral a row, a
 * header row naming these columns in any order. Lists (health conditions, risk markers) are
 * separated by `;`; yes/no columns take true/false, yes/no, y/n or 1/0, blank for unknown.
 */
export const REFERRAL_CSV_COLUMNS = [
  'clientReference', 'cpaCode', 'jobcentreDistrict', 'paymentGroup', 'participationMode', 'referredOn',
  'nino', 'givenName', 'familyName', 'dateOfBirth', 'addressLine1', 'addressLine2', 'town', 'postcode',
  'phone', 'email', 'disabled', 'welshLanguage', 'healthConditions', 'consentToShareHealth', 'riskMarkers',
  'mappa', 'jointClaimantNino',
] as const;
const REQUIRED = ['clientReference', 'cpaCode', 'jobcentreDistrict', 'paymentGroup', 'participationMode', 'referredOn',
  'nino', 'givenName', 'familyName', 'dateOfBirth', 'consentToShareHealth'];

/** RFC 4180: fields separated by commas, optionally quoted, "" for a quote inside quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

function flag(value: string): boolean | null | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return null;
  if (['true', 'yes', 'y', '1'].includes(v)) return true;
  if (['false', 'no', 'n', '0'].includes(v)) return false;
  return undefined;
}

const list = (value: string) => value.split(';').map((s) => s.trim()).filter((s) => s !== '');
const optional = (value: string) => value.trim() || null;

/**
 * The rows of an extract as referrals, or the reasons a row cannot be one (code MALFORMED_ROW,
 * naming the column). Rules about the referral itself are the service's, not the reader's.
 */
export function readReferralCsv(text: string): {
  header: string[];
  rows: Array<{ line: number; clientReference: string; referral?: ReferralData; errors: UserError[] }>;
} {
  const [header = [], ...records] = parseCsv(text.replace(/^\uFEFF/, ''));
  const names = header.map((h) => h.trim());
  const missing = REQUIRED.filter((column) => !names.includes(column));
  if (missing.length > 0) throw new Error(`The CSV header lacks ${missing.join(', ')}`);
  const rows = records.map((record, i) => {
    const get = (column: string) => record[names.indexOf(column)]?.trim() ?? '';
    const errors: UserError[] = [];
    const bad = (column: string, why: string) => errors.push(userError(ErrorCode.MALFORMED_ROW, `${column}: ${why}`, [column]));
    const cpaCode = Number(get('cpaCode'));
    if (!Number.isInteger(cpaCode)) bad('cpaCode', 'not a whole number');
    if (!(Object.values(PaymentGroup) as string[]).includes(get('paymentGroup'))) bad('paymentGroup', 'not a payment group');
    if (!(Object.values(ParticipationMode) as string[]).includes(get('participationMode'))) bad('participationMode', 'MANDATORY or VOLUNTARY');
    for (const column of ['referredOn', 'dateOfBirth']) if (!isCalendarDate(get(column))) bad(column, 'not a date (YYYY-MM-DD)');
    const flags = Object.fromEntries(
      ['disabled', 'welshLanguage', 'consentToShareHealth', 'mappa'].map((column) => {
        const value = flag(get(column));
        if (value === undefined) bad(column, 'not yes or no');
        else if (value === null && column === 'consentToShareHealth') bad(column, 'required: yes or no');
        return [column, value ?? null];
      }),
    );
    // A malformed row keeps its reference, so that the report says which referral it was.
    if (errors.length > 0) return { line: i + 2, clientReference: get('clientReference'), errors };
    const line1 = get('addressLine1');
    const referral: ReferralData = {
      clientReference: get('clientReference'),
      cpaCode,
      jobcentreDistrict: get('jobcentreDistrict'),
      paymentGroup: get('paymentGroup') as PaymentGroup,
      participationMode: get('participationMode') as ParticipationMode,
      referredOn: get('referredOn'),
      jointClaimantNino: optional(get('jointClaimantNino')),
      claimant: {
        nino: get('nino'),
        givenName: get('givenName'),
        familyName: get('familyName'),
        dateOfBirth: get('dateOfBirth'),
        address: line1 || get('postcode')
          ? { line1, line2: optional(get('addressLine2')), town: optional(get('town')), postcode: get('postcode') }
          : null,
        phone: optional(get('phone')),
        email: optional(get('email')),
        disabled: flags.disabled,
        welshLanguage: flags.welshLanguage,
        healthConditions: list(get('healthConditions')),
        consentToShareHealth: flags.consentToShareHealth as boolean,
        riskMarkers: list(get('riskMarkers')),
        mappa: flags.mappa,
      },
    };
    return { line: i + 2, clientReference: referral.clientReference, referral, errors };
  });
  return { header: names, rows };
}

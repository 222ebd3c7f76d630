import { RiskSharingBasis } from '../../src/auth/access.enums';
import { progressErrors, referralRecordErrors, referralRecordRow } from '../../src/modules/record/record.rules';
import { Barrier } from '../../src/modules/record/record.enums';

describe('the referral record, without a database', () => {
  it('refuses free text on a restricted record, field by field, and a claim started after the referral', () => {
    const record = { reason: 'On licence', qualifications: ['NVQ 2'], barriers: [Barrier.HOUSING], accessNeeds: { interpreter: true, interpreterLanguage: 'Polish' } };
    expect(referralRecordErrors(record, true, '2025-01-10').map((e) => [e.code, e.field])).toEqual([
      ['RESTRICTED_RECORD_FREE_TEXT', ['record', 'reason']],
      ['RESTRICTED_RECORD_FREE_TEXT', ['record', 'qualifications']],
      ['RESTRICTED_RECORD_FREE_TEXT', ['record', 'accessNeeds', 'interpreterLanguage']],
    ]);
    expect(referralRecordErrors(record, false, '2025-01-10')).toEqual([]);
    expect(referralRecordErrors({ barriers: [Barrier.HOUSING], accessNeeds: { interpreter: true } }, true, '2025-01-10')).toEqual([]);
    expect(referralRecordErrors({ claimStartedOn: '2025-01-11' }, false, '2025-01-10').map((e) => e.code)).toEqual(['CLAIM_START_AFTER_REFERRAL']);
  });

  it('writes a row only when something was sent, never for a restricted record', () => {
    expect(referralRecordRow(null, {}, false)).toBeNull();
    expect(referralRecordRow({ reason: '  ', qualifications: [' '] }, { consentToShareRisk: false }, false)).toBeNull();
    expect(referralRecordRow({ accessNeeds: { welsh: false } }, {}, false)).toMatchObject({ welsh: false });
    expect(referralRecordRow(null, { riskSharingBasis: RiskSharingBasis.PUBLIC_TASK }, false)).toMatchObject({ risk_sharing_basis: 'PUBLIC_TASK', consent_to_share_risk: false });
    expect(referralRecordRow({ barriers: [Barrier.DEBT, Barrier.DEBT] }, { consentToShareRisk: true }, false)).toMatchObject({ barriers: ['DEBT'], consent_to_share_risk: true });
    expect(referralRecordRow({ barriers: [Barrier.DEBT] }, { consentToShareRisk: true }, true)).toBeNull();
  });

  it('keeps a progress update consistent: completed only if attended, a certificate only if completed', () => {
    expect(progressErrors({ attended: true, completed: true, certificate: 'Level 2' })).toEqual([]);
    expect(progressErrors({ attended: false, completed: true }).map((e) => e.field)).toEqual([['completed']]);
    expect(progressErrors({ attended: true, completed: false, certificate: 'Level 2' }).map((e) => e.field)).toEqual([['certificate']]);
  });
});

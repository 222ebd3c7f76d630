import { Action, ReferralRelationship, authorize, can, participantAccess, performanceScope } from '../../src/auth/policy';
import type { Viewer } from '../../src/auth/viewer';
import { RiskSharingBasis, Role, SharedField } from '../../src/auth/access.enums';

const viewer = (role: Role): Viewer => ({
  apiKeyId: 'key',
  expiresAt: null,
  role,
  organisation: { id: 'org' },
});

// The whole matrix, written out: a change to the policy must change this table.
const MATRIX: Record<Action, Record<Role, boolean>> = {
  [Action.ReadViewer]: { ADMIN: true, JOBCENTRE: true, DECISION_MAKER: true, PROVIDER: true, ANALYST: true },
  [Action.ReadRegistry]: { ADMIN: true, JOBCENTRE: true, DECISION_MAKER: true, PROVIDER: true, ANALYST: true },
  [Action.ManageRegistry]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.IssueApiKey]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.ManageApiKeys]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.ReadAccessLog]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.ExportSubjectAccess]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.SubmitReferrals]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.OverrideAllocation]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.MoveReferral]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.KeepActionPlans]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ReturnProgress]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ResolveReferralQuery]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.ReportCircumstanceChanges]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.AnswerCircumstanceChanges]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.RecordJobcentreExit]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.ReadReferrals]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.CheckAllocation]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: true },
  [Action.PassReferrals]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ReadInbox]: { ADMIN: true, JOBCENTRE: true, DECISION_MAKER: true, PROVIDER: true, ANALYST: true },
  [Action.PublishStandards]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.RecordContacts]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ReadCompliance]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: true },
  [Action.RaiseDoubts]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.DecideDoubts]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: true, PROVIDER: false, ANALYST: false },
  [Action.ReadDoubts]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: true, PROVIDER: true, ANALYST: false },
  [Action.RecordJobs]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ClaimPayments]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ReadRateCards]: { ADMIN: true, JOBCENTRE: true, DECISION_MAKER: true, PROVIDER: true, ANALYST: true },
  [Action.ManageRateCards]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.ReadPerformance]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: true },
  [Action.ExchangeMessages]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.SetContactPoints]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
};

describe('policy: role × action', () => {
  const cases = Object.values(Action).flatMap((action) =>
    Object.values(Role).map((role) => [action, role, MATRIX[action][role]] as const),
  );

  it('covers every action and role', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.values(Action).sort());
    expect(cases).toHaveLength(Object.values(Action).length * Object.values(Role).length);
  });

  it.each(cases)('%s by %s → %s', (action, role, allowed) => {
    expect(can(viewer(role), action)).toBe(allowed);
    if (allowed) expect(() => authorize(viewer(role), action)).not.toThrow();
    else expect(() => authorize(viewer(role), action)).toThrow(expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }));
  });

  it.each(Object.values(Action))('%s without a viewer is UNAUTHENTICATED', (action) => {
    expect(can(null, action)).toBe(false);
    expect(() => authorize(null, action)).toThrow(expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }));
  });
});

describe('policy: participant fields by relationship × consent × MAPPA × handoff', () => {
  // CONTACT_NOTES is the referral's contacts, not a field of the participant.
  const ALL = Object.values(SharedField).filter((f) => f !== SharedField.CONTACT_NOTES);
  const { CONTACT_DETAILS, HEALTH, RISK_MARKERS } = SharedField;
  it.each([
    [ReferralRelationship.ReferringJobcentre, false, false, [], ALL, 'FULL'],
    [ReferralRelationship.ReferringJobcentre, true, false, [], ALL, 'FULL'],
    [ReferralRelationship.Prime, true, false, [], ALL.filter((f) => f !== RISK_MARKERS), 'FULL'],
    [ReferralRelationship.Prime, false, false, [], ALL.filter((f) => f !== HEALTH && f !== RISK_MARKERS), 'FULL'],
    [ReferralRelationship.Subcontractor, true, false, [CONTACT_DETAILS, HEALTH], [CONTACT_DETAILS, HEALTH], 'FULL'],
    [ReferralRelationship.Subcontractor, false, false, [CONTACT_DETAILS, HEALTH], [CONTACT_DETAILS], 'FULL'],
    [ReferralRelationship.Subcontractor, true, false, [], [], 'FULL'],
    [ReferralRelationship.Subcontractor, true, true, [CONTACT_DETAILS, RISK_MARKERS], [], 'NAME_ONLY'],
    [ReferralRelationship.Prime, true, true, [], [], 'FULL'],
    [ReferralRelationship.ReferringJobcentre, true, true, [], [], 'FULL'],
  ])('%s, consent %s, restricted %s, handed %j → %j, identity %s', (relationship, consentToShareHealth, restricted, handed, fields, identity) => {
    expect(participantAccess(relationship, { consentToShareHealth, restricted }, handed)).toEqual({ fields, identity });
  });

  it('lets risk markers leave the Jobcentre only with consent or a legal basis', () => {
    const person = { consentToShareHealth: false, restricted: false };
    const risks = (extra: object, relationship = ReferralRelationship.Subcontractor) =>
      participantAccess(relationship, { ...person, ...extra }, [RISK_MARKERS]).fields.includes(RISK_MARKERS);
    expect(risks({})).toBe(false);
    expect(risks({}, ReferralRelationship.Prime)).toBe(false);
    expect(risks({}, ReferralRelationship.ReferringJobcentre)).toBe(true);
    expect(risks({ consentToShareRisk: true })).toBe(true);
    expect(risks({ riskSharingBasis: RiskSharingBasis.PUBLIC_TASK })).toBe(true);
    expect(risks({ riskSharingBasis: RiskSharingBasis.VITAL_INTERESTS }, ReferralRelationship.Prime)).toBe(true);
  });

  it('gives a prime whose referral is over the identity only; the referring Jobcentre keeps the record', () => {
    const person = { consentToShareHealth: true, restricted: false };
    expect(participantAccess(ReferralRelationship.Prime, person, [], false)).toEqual({ fields: [], identity: 'FULL' });
    expect(participantAccess(ReferralRelationship.ReferringJobcentre, person, [], false).fields).toEqual(ALL);
  });
});

describe('policy: performance', () => {
  it('a provider reads only its own contracts\' performance; DWP reads all of it', () => {
    expect(performanceScope(viewer(Role.PROVIDER))).toEqual({ primeId: 'org' });
    expect(performanceScope(viewer(Role.ANALYST))).toEqual({ primeId: null });
    expect(performanceScope(viewer(Role.ADMIN))).toEqual({ primeId: null });
    expect(() => performanceScope(viewer(Role.JOBCENTRE))).toThrow(expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }));
    expect(() => performanceScope(null)).toThrow(expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }));
  });
});

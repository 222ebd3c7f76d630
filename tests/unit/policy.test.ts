import { Action, ReferralRelationship, authorize, can, referralRelationship, visibleParticipantFields } from '../../src/auth/policy';
import type { Viewer } from '../../src/auth/viewer';
import { OrganisationKind, Role } from '../../src/modules/identity/identity.enums';
import { SharedField } from '../../src/modules/referrals/referral.enums';

const viewer = (role: Role): Viewer => ({
  apiKeyId: 'key',
  role,
  organisation: { id: 'org', name: 'Org', kind: OrganisationKind.DWP, createdAt: new Date() },
});

// The whole matrix, written out: a change to the policy must change this table.
const MATRIX: Record<Action, Record<Role, boolean>> = {
  [Action.ReadViewer]: { ADMIN: true, JOBCENTRE: true, DECISION_MAKER: true, PROVIDER: true, ANALYST: true },
  [Action.ReadRegistry]: { ADMIN: true, JOBCENTRE: true, DECISION_MAKER: true, PROVIDER: true, ANALYST: true },
  [Action.ManageRegistry]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.IssueApiKey]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.SubmitReferrals]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.OverrideAllocation]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: false, ANALYST: false },
  [Action.MoveReferral]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ReadReferrals]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.CheckAllocation]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: true },
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

describe('policy: who stands in what relationship to a referral', () => {
  const referral = { jobcentreId: 'jcp-1' };
  const contract = { primeId: 'prime-1' };
  const as = (role: Role, organisationId: string): Viewer => ({
    apiKeyId: 'key',
    role,
    organisation: { id: organisationId, name: 'Org', kind: OrganisationKind.PROVIDER, createdAt: new Date() },
  });

  it.each([
    [Role.JOBCENTRE, 'jcp-1', ReferralRelationship.ReferringJobcentre],
    [Role.JOBCENTRE, 'jcp-2', null],
    [Role.PROVIDER, 'prime-1', ReferralRelationship.Prime],
    [Role.PROVIDER, 'prime-2', null],
    // A role reads referrals only through its own organisation's relationship.
    [Role.PROVIDER, 'jcp-1', null],
    [Role.JOBCENTRE, 'prime-1', null],
    [Role.ADMIN, 'prime-1', null],
    [Role.ANALYST, 'jcp-1', null],
    [Role.DECISION_MAKER, 'prime-1', null],
  ])('%s of %s → %s', (role, organisationId, expected) => {
    expect(referralRelationship(as(role, organisationId), referral, contract)).toBe(expected);
  });

  it('is nothing without a viewer', () => expect(referralRelationship(null, referral, contract)).toBeNull());
});

describe('policy: participant fields by relationship × consent × MAPPA', () => {
  const ALL = Object.values(SharedField);
  it.each([
    [ReferralRelationship.ReferringJobcentre, false, false, ALL],
    [ReferralRelationship.ReferringJobcentre, true, false, ALL],
    [ReferralRelationship.Prime, true, false, ALL],
    [ReferralRelationship.Prime, false, false, ALL.filter((f) => f !== SharedField.HEALTH)],
    [ReferralRelationship.Prime, true, true, []],
    [ReferralRelationship.ReferringJobcentre, true, true, []],
  ])('%s, consent %s, restricted %s → %j', (relationship, consentToShareHealth, restricted, fields) => {
    expect(visibleParticipantFields(relationship, { consentToShareHealth, restricted })).toEqual(fields);
  });
});

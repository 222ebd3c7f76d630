import { Action, authorize, can } from '../../src/auth/policy';
import type { Viewer } from '../../src/auth/viewer';
import { OrganisationKind, Role } from '../../src/modules/identity/identity.enums';

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

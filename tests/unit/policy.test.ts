import {
  Action,
  ReferralRelationship,
  authorize,
  can,
  canSeeDoubt,
  jobAccess,
  participantAccess,
  performanceScope,
  referralRelationship,
  seesContacts,
  seesMessages,
  seesPayments,
} from '../../src/auth/policy';
import type { Viewer } from '../../src/auth/viewer';
import { HandoffPurpose } from '../../src/modules/chain/handoff-states';
import { OrganisationKind, Role } from '../../src/modules/identity/identity.enums';
import { SharedField } from '../../src/modules/referrals/referral.enums';

const viewer = (role: Role): Viewer => ({
  apiKeyId: 'key',
  expiresAt: null,
  role,
  organisation: { id: 'org', name: 'Org', kind: OrganisationKind.DWP, createdAt: new Date() },
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
  [Action.ReadReferrals]: { ADMIN: false, JOBCENTRE: true, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.CheckAllocation]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: false, ANALYST: true },
  [Action.PassReferrals]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ReadInbox]: { ADMIN: true, JOBCENTRE: true, DECISION_MAKER: true, PROVIDER: true, ANALYST: true },
  [Action.PublishStandards]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.RecordContacts]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.ReadCompliance]: { ADMIN: true, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: true },
  [Action.RaiseDoubts]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: false, PROVIDER: true, ANALYST: false },
  [Action.DecideDoubts]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: true, PROVIDER: false, ANALYST: false },
  [Action.ReadDoubts]: { ADMIN: false, JOBCENTRE: false, DECISION_MAKER: true, PROVIDER: true, ANALYST: false },
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

describe('policy: who stands in what relationship to a referral', () => {
  const referral = { jobcentreId: 'jcp-1' };
  const contract = { primeId: 'prime-1' };
  const as = (role: Role, organisationId: string): Viewer => ({
    apiKeyId: 'key',
  expiresAt: null,
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

describe('policy: participant fields by relationship × consent × MAPPA × handoff', () => {
  const ALL = Object.values(SharedField);
  const { CONTACT_DETAILS, HEALTH, RISK_MARKERS } = SharedField;
  it.each([
    [ReferralRelationship.ReferringJobcentre, false, false, [], ALL, 'FULL'],
    [ReferralRelationship.ReferringJobcentre, true, false, [], ALL, 'FULL'],
    [ReferralRelationship.Prime, true, false, [], ALL, 'FULL'],
    [ReferralRelationship.Prime, false, false, [], ALL.filter((f) => f !== HEALTH), 'FULL'],
    [ReferralRelationship.Subcontractor, true, false, [CONTACT_DETAILS, HEALTH], [CONTACT_DETAILS, HEALTH], 'FULL'],
    [ReferralRelationship.Subcontractor, false, false, [CONTACT_DETAILS, HEALTH], [CONTACT_DETAILS], 'FULL'],
    [ReferralRelationship.Subcontractor, true, false, [], [], 'FULL'],
    [ReferralRelationship.Subcontractor, true, true, [CONTACT_DETAILS, RISK_MARKERS], [], 'NAME_ONLY'],
    [ReferralRelationship.Prime, true, true, [], [], 'FULL'],
    [ReferralRelationship.ReferringJobcentre, true, true, [], [], 'FULL'],
  ])('%s, consent %s, restricted %s, handed %j → %j, identity %s', (relationship, consentToShareHealth, restricted, handed, fields, identity) => {
    expect(participantAccess(relationship, { consentToShareHealth, restricted }, handed)).toEqual({ fields, identity });
  });

  it('gives a prime whose referral is over the identity only; the referring Jobcentre keeps the record', () => {
    const person = { consentToShareHealth: true, restricted: false };
    expect(participantAccess(ReferralRelationship.Prime, person, [], false)).toEqual({ fields: [], identity: 'FULL' });
    expect(participantAccess(ReferralRelationship.ReferringJobcentre, person, [], false).fields).toEqual(ALL);
  });
});

describe('policy: a subcontractor sees a referral only while a handoff to it lives', () => {
  const sub: Viewer = {
    apiKeyId: 'key',
  expiresAt: null,
    role: Role.PROVIDER,
    organisation: { id: 'sub-1', name: 'Sub', kind: OrganisationKind.PROVIDER, createdAt: new Date() },
  };
  const handoff = (live: boolean, to = 'sub-1') => ({ toOrganisationId: to, sharedFields: [], live, purpose: HandoffPurpose.END_TO_END_DELIVERY, accepted: live });
  it.each([
    ['no handoff', [], null],
    ['a live handoff to it', [handoff(true)], ReferralRelationship.Subcontractor],
    ['an ended handoff to it', [handoff(false)], null],
    ['a live handoff to another', [handoff(true, 'sub-2')], null],
  ])('%s → %s', (_label, handoffs, expected) => {
    expect(referralRelationship(sub, { jobcentreId: 'jcp' }, { primeId: 'prime' }, handoffs)).toBe(expected);
  });
});

describe('policy: who sees a compliance doubt', () => {
  const as = (role: Role, id: string): Viewer => ({
    apiKeyId: 'key',
  expiresAt: null,
    role,
    organisation: { id, name: 'Org', kind: OrganisationKind.PROVIDER, createdAt: new Date() },
  });
  const contract = { primeId: 'prime' };
  const referral = { jobcentreId: 'jcp' };
  const raised = { raisedById: 'sub', status: 'RAISED', submittedAt: null };
  const submitted = { raisedById: 'sub', status: 'SUBMITTED', submittedAt: new Date() };
  const decided = { raisedById: 'sub', status: 'DECIDED', submittedAt: new Date() };
  it.each([
    ['the raiser', as(Role.PROVIDER, 'sub'), [true, true, true]],
    ['the prime', as(Role.PROVIDER, 'prime'), [true, true, true]],
    ['another provider', as(Role.PROVIDER, 'other'), [false, false, false]],
    ['a Decision Maker', as(Role.DECISION_MAKER, 'dwp'), [false, true, true]],
    ['the referring Jobcentre', as(Role.JOBCENTRE, 'jcp'), [false, false, true]],
    ['another Jobcentre', as(Role.JOBCENTRE, 'jcp-2'), [false, false, false]],
    ['an analyst', as(Role.ANALYST, 'dwp'), [false, false, false]],
  ])('%s: raised, submitted, decided → %j', (_who, viewer, expected) => {
    expect([raised, submitted, decided].map((doubt) => canSeeDoubt(viewer, doubt, contract, referral))).toEqual(expected);
  });
});

const held = (purpose: HandoffPurpose, accepted: boolean, sharedFields: SharedField[] = []) => ({ toOrganisationId: 'org', sharedFields, live: true, purpose, accepted });

describe('policy: delivery records, payments and performance', () => {
  it.each([
    [ReferralRelationship.Prime, true, true],
    [ReferralRelationship.Subcontractor, true, false],
    [ReferralRelationship.ReferringJobcentre, false, false],
    [ReferralRelationship.DecisionMaker, false, false],
  ])('%s: sees contacts %s, payments %s', (relationship, delivery, payments) => {
    expect(seesContacts(relationship)).toBe(delivery);
    expect(seesPayments(relationship)).toBe(payments);
  });

  it.each([
    ['the prime', ReferralRelationship.Prime, [], 'RECORD'],
    ['an accepted end-to-end holder', ReferralRelationship.Subcontractor, [held(HandoffPurpose.END_TO_END_DELIVERY, true)], 'RECORD'],
    ['an accepted in-work support holder', ReferralRelationship.Subcontractor, [held(HandoffPurpose.IN_WORK_SUPPORT, true)], 'RECORD'],
    ['an end-to-end holder not yet accepted', ReferralRelationship.Subcontractor, [held(HandoffPurpose.END_TO_END_DELIVERY, false)], 'READ'],
    ['a spot provider given employment history', ReferralRelationship.Subcontractor, [held(HandoffPurpose.SPOT_PROVISION, true, [SharedField.EMPLOYMENT_HISTORY])], 'READ'],
    ['a spot provider without it', ReferralRelationship.Subcontractor, [held(HandoffPurpose.SPOT_PROVISION, true)], null],
    ['the referring Jobcentre', ReferralRelationship.ReferringJobcentre, [], null],
    ['a Decision Maker', ReferralRelationship.DecisionMaker, [], null],
  ] as const)('job starts: %s → %s', (_who, relationship, handoffs, access) => {
    expect(jobAccess(viewer(Role.PROVIDER), relationship, [...handoffs])).toBe(access);
  });

  it('a provider reads only its own contracts\' performance; DWP reads all of it', () => {
    expect(performanceScope(viewer(Role.PROVIDER))).toEqual({ primeId: 'org' });
    expect(performanceScope(viewer(Role.ANALYST))).toEqual({ primeId: null });
    expect(performanceScope(viewer(Role.ADMIN))).toEqual({ primeId: null });
    expect(() => performanceScope(viewer(Role.JOBCENTRE))).toThrow(expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }));
    expect(() => performanceScope(null)).toThrow(expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }));
  });
});

describe('policy: who is a party to a referral\'s messages', () => {
  it.each([
    [ReferralRelationship.ReferringJobcentre, true],
    [ReferralRelationship.Prime, true],
    [ReferralRelationship.Subcontractor, true],
    [ReferralRelationship.DecisionMaker, false],
  ])('%s: %s', (relationship, party) => expect(seesMessages(relationship)).toBe(party));

  it('a subcontractor whose handoff ended, another prime and a key outside the chain are not (no relationship at all)', () => {
    const referral = { jobcentreId: 'jobcentre' };
    const contract = { primeId: 'prime' };
    const ended = [{ toOrganisationId: 'org', sharedFields: [], live: false, purpose: HandoffPurpose.END_TO_END_DELIVERY, accepted: false }];
    expect(referralRelationship(viewer(Role.PROVIDER), referral, contract, ended)).toBeNull();
    expect(referralRelationship(viewer(Role.PROVIDER), referral, contract)).toBeNull();
    expect(referralRelationship(viewer(Role.ANALYST), referral, contract)).toBeNull();
  });
});

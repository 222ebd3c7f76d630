import { ReferralRelationship } from '../../src/auth/policy';
import { type HandoffFacts, ReferralAccessChecker, type ReferralFacts } from '../../src/auth/referral-access';
import type { Viewer } from '../../src/auth/viewer';
import { HandoffPurpose, HandoffStatus, ReferralStatus, Role, SharedField } from '../../src/auth/access.enums';

/** The access gate's checker on its own, over facts written out by hand. */

const as = (role: Role, id: string): Viewer => ({
  apiKeyId: 'key',
  expiresAt: null,
  role,
  organisation: { id },
});

const ALLOCATED_AT = new Date('2024-05-01T10:00:00Z');
const LATER = new Date('2024-05-02T10:00:00Z');
const EARLIER = new Date('2024-04-30T10:00:00Z');

const handoff = (to: string, status: HandoffStatus, purpose = HandoffPurpose.END_TO_END_DELIVERY, sharedFields: SharedField[] = []): HandoffFacts => ({
  id: `h-${to}-${status}-${purpose}`,
  fromOrganisationId: 'prime',
  toOrganisationId: to,
  purpose,
  status,
  sharedFields,
  endToEndPlace: purpose === HandoffPurpose.END_TO_END_DELIVERY,
  offeredAt: LATER,
});

const facts = (overrides: Partial<ReferralFacts> = {}): ReferralFacts => ({
  id: 'referral',
  jobcentreId: 'jcp',
  status: ReferralStatus.ATTACHED,
  contractId: 'contract',
  primeId: 'prime',
  participantId: 'person',
  restricted: false,
  consentToShareHealth: true,
  consentToShareRisk: false,
  riskSharingBasis: null,
  allocatedAt: ALLOCATED_AT,
  handoffs: [],
  doubts: [],
  ...overrides,
});

const check = (viewer: Viewer | null, overrides: Partial<ReferralFacts> = {}) => new ReferralAccessChecker(viewer, facts(overrides));

describe('access gate: who stands in what relationship to a referral', () => {
  it.each([
    [Role.JOBCENTRE, 'jcp', ReferralRelationship.ReferringJobcentre],
    [Role.JOBCENTRE, 'jcp-2', null],
    [Role.PROVIDER, 'prime', ReferralRelationship.Prime],
    [Role.PROVIDER, 'prime-2', null],
    // A role reads referrals only through its own organisation's relationship.
    [Role.PROVIDER, 'jcp', null],
    [Role.JOBCENTRE, 'prime', null],
    [Role.ADMIN, 'prime', null],
    [Role.ANALYST, 'jcp', null],
    [Role.DECISION_MAKER, 'prime', null],
  ])('%s of %s → %s', (role, organisationId, expected) => {
    expect(check(as(role, organisationId)).relationship).toBe(expected);
  });

  it('is nothing without a viewer', () => expect(check(null).relationship).toBeNull());

  it.each([
    ['no handoff', [], null],
    ['a live handoff to it', [handoff('sub', HandoffStatus.OFFERED)], ReferralRelationship.Subcontractor],
    ['an ended handoff to it', [handoff('sub', HandoffStatus.COMPLETED)], null],
    ['a live handoff to another', [handoff('sub-2', HandoffStatus.ACCEPTED)], null],
  ])('a subcontractor with %s → %s', (_label, handoffs, expected) => {
    expect(check(as(Role.PROVIDER, 'sub'), { handoffs }).relationship).toBe(expected);
  });

  it('a Decision Maker reads a referral once a doubt on it is submitted', () => {
    const doubt = (status: string) => [{ id: 'd', raisedById: 'prime', status, raisedAt: LATER }];
    expect(check(as(Role.DECISION_MAKER, 'dwp'), { doubts: doubt('RAISED') }).relationship).toBeNull();
    expect(check(as(Role.DECISION_MAKER, 'dwp'), { doubts: doubt('SUBMITTED') }).relationship).toBe(ReferralRelationship.DecisionMaker);
  });
});

describe('access gate: who sees a compliance doubt', () => {
  const doubt = (status: string, raisedAt = LATER) => ({ id: 'd', raisedById: 'sub', status, raisedAt });
  const statuses = ['RAISED', 'SUBMITTED', 'DECIDED'];
  it.each([
    ['the raiser', as(Role.PROVIDER, 'sub'), [true, true, true]],
    ['the prime', as(Role.PROVIDER, 'prime'), [true, true, true]],
    ['another provider', as(Role.PROVIDER, 'other'), [false, false, false]],
    ['a Decision Maker', as(Role.DECISION_MAKER, 'dwp'), [false, true, true]],
    ['the referring Jobcentre', as(Role.JOBCENTRE, 'jcp'), [false, false, true]],
    ['another Jobcentre', as(Role.JOBCENTRE, 'jcp-2'), [false, false, false]],
    ['an analyst', as(Role.ANALYST, 'dwp'), [false, false, false]],
  ])('%s: raised, submitted, decided → %j', (_who, viewer, expected) => {
    expect(statuses.map((status) => check(viewer).seesDoubt(doubt(status)))).toEqual(expected);
  });

  it('a prime does not see a doubt raised in the chain the referral was moved from', () => {
    expect(check(as(Role.PROVIDER, 'prime')).seesDoubt({ ...doubt('SUBMITTED', EARLIER), raisedById: 'old-prime' })).toBe(false);
  });
});

describe('access gate: contacts follow the handoff and its shared fields', () => {
  const contact = (recordedById = 'prime', createdAt = LATER) => ({ recordedById, createdAt });
  it.each([
    ['the prime', 'prime', [], false, true],
    ['an OFFERED handoff sharing CONTACT_NOTES', 'sub', [handoff('sub', HandoffStatus.OFFERED, HandoffPurpose.END_TO_END_DELIVERY, [SharedField.CONTACT_NOTES])], false, false],
    ['an ACCEPTED handoff sharing nothing', 'sub', [handoff('sub', HandoffStatus.ACCEPTED)], false, false],
    ['an ACCEPTED handoff sharing CONTACT_NOTES', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.END_TO_END_DELIVERY, [SharedField.CONTACT_NOTES])], false, true],
    ['an ACCEPTED handoff sharing ACTION_PLAN', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.SPOT_PROVISION, [SharedField.ACTION_PLAN])], false, true],
    ['a restricted record, whatever is shared', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.END_TO_END_DELIVERY, [SharedField.CONTACT_NOTES])], true, false],
    ['an ended handoff', 'sub', [handoff('sub', HandoffStatus.COMPLETED, HandoffPurpose.END_TO_END_DELIVERY, [SharedField.CONTACT_NOTES])], false, false],
  ] as const)('%s → %s', (_label, organisation, handoffs, restricted, sees) => {
    const access = check(as(Role.PROVIDER, organisation), { handoffs: [...handoffs], restricted });
    expect(access.seesContacts).toBe(sees);
    expect(access.seesContact(contact())).toBe(sees);
  });

  it('the Jobcentre reads none; a recorder always reads its own; a prime none from an earlier chain', () => {
    expect(check(as(Role.JOBCENTRE, 'jcp')).seesContacts).toBe(false);
    expect(check(as(Role.PROVIDER, 'sub')).seesContact(contact('sub'))).toBe(true);
    expect(check(as(Role.PROVIDER, 'prime')).seesContact(contact('old-prime', EARLIER))).toBe(false);
  });
});

describe('access gate: delivery records and payments', () => {
  it.each([
    ['the prime', 'prime', [], 'RECORD'],
    ['an accepted end-to-end holder', 'sub', [handoff('sub', HandoffStatus.ACCEPTED)], 'RECORD'],
    ['an accepted in-work support holder', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.IN_WORK_SUPPORT)], 'RECORD'],
    ['an end-to-end holder not yet accepted', 'sub', [handoff('sub', HandoffStatus.OFFERED)], 'READ'],
    ['a spot provider given employment history', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.SPOT_PROVISION, [SharedField.EMPLOYMENT_HISTORY])], 'READ'],
    ['a spot provider without it', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.SPOT_PROVISION)], null],
    ['an ended end-to-end holder', 'sub', [handoff('sub', HandoffStatus.WITHDRAWN)], null],
  ] as const)('job starts: %s → %s', (_who, organisation, handoffs, jobs) => {
    expect(check(as(Role.PROVIDER, organisation), { handoffs: [...handoffs] }).jobs).toBe(jobs);
  });

  it('the referring Jobcentre and a Decision Maker read no jobs; only the prime reads payments', () => {
    expect(check(as(Role.JOBCENTRE, 'jcp')).jobs).toBeNull();
    expect(check(as(Role.DECISION_MAKER, 'dwp'), { doubts: [{ id: 'd', raisedById: 'prime', status: 'SUBMITTED', raisedAt: LATER }] }).jobs).toBeNull();
    expect(check(as(Role.PROVIDER, 'prime')).seesPayments).toBe(true);
    expect(check(as(Role.PROVIDER, 'sub'), { handoffs: [handoff('sub', HandoffStatus.ACCEPTED)] }).seesPayments).toBe(false);
    expect(check(as(Role.JOBCENTRE, 'jcp')).seesPayments).toBe(false);
  });
});

describe('access gate: the assessment and action plan', () => {
  const { ACTION_PLAN, CONTACT_DETAILS } = SharedField;
  it.each([
    ['the prime', 'prime', [], true, true],
    ['an accepted end-to-end holder sharing ACTION_PLAN', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.END_TO_END_DELIVERY, [ACTION_PLAN])], true, true],
    ['an accepted end-to-end holder without it', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.END_TO_END_DELIVERY, [CONTACT_DETAILS])], false, false],
    ['an offered end-to-end holder sharing it', 'sub', [handoff('sub', HandoffStatus.OFFERED, HandoffPurpose.END_TO_END_DELIVERY, [ACTION_PLAN])], true, false],
    ['a spot provider sharing it', 'sub', [handoff('sub', HandoffStatus.ACCEPTED, HandoffPurpose.SPOT_PROVISION, [ACTION_PLAN])], true, false],
    ['an ended end-to-end holder', 'sub', [handoff('sub', HandoffStatus.WITHDRAWN, HandoffPurpose.END_TO_END_DELIVERY, [ACTION_PLAN])], false, false],
  ] as const)('%s: reads %s, keeps %s', (_who, organisation, handoffs, reads, keeps) => {
    const access = check(as(Role.PROVIDER, organisation), { handoffs: [...handoffs] });
    expect([access.readsActionPlan, access.keepsActionPlan]).toEqual([reads, keeps]);
  });

  it('the referring Jobcentre reads it and keeps none; a restricted record shows it to the prime only', () => {
    expect([check(as(Role.JOBCENTRE, 'jcp')).readsActionPlan, check(as(Role.JOBCENTRE, 'jcp')).keepsActionPlan]).toEqual([true, false]);
    expect(check(as(Role.JOBCENTRE, 'jcp'), { restricted: true }).readsActionPlan).toBe(false);
    expect(check(as(Role.PROVIDER, 'prime'), { restricted: true }).readsActionPlan).toBe(true);
  });

  it("a spot provider's progress update is read by the two parties to its handoff", () => {
    const spot = handoff('spot', HandoffStatus.ACCEPTED, HandoffPurpose.SPOT_PROVISION);
    expect(check(as(Role.PROVIDER, 'spot'), { handoffs: [spot] }).seesProgressOf(spot.id)).toBe(true);
    expect(check(as(Role.PROVIDER, 'prime'), { handoffs: [spot] }).seesProgressOf(spot.id)).toBe(true); // the sender here
    expect(check(as(Role.PROVIDER, 'other'), { handoffs: [spot] }).seesProgressOf(spot.id)).toBe(false);
  });
});

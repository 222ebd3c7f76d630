import { addDays, todayUtc } from '../../src/common/dates';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';
import { FROM_THE_START, subscribe } from '../helpers/subscriber';

/**
 * The referral record through the real server (issue 15, item 3): what the Jobcentre sends beyond
 * the claimant, shared field by field; risk markers only with consent or a legal basis; the prime's
 * assessment and action plan, seen down the chain only where ACTION_PLAN was shared; a spot
 * provider's progress update, to its sender only; and no free text on a restricted (MAPPA) record.
 */

let t: TestServer;
let c: TestChain;
const day = (offset: number) => addDays(todayUtc(), offset);

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 95);
});
afterAll(() => t.close());

const RECORD = {
  benefit: 'JSA',
  claimStartedOn: day(-400),
  reason: 'Long-term unemployed, keen on warehouse work',
  qualifications: ['GCSE English', 'Forklift licence'],
  workHistory: 'Picker at a distribution centre, 2015-2019',
  barriers: ['TRANSPORT', 'DIGITAL_SKILLS'],
  barrierNotes: 'No car; buses are infrequent',
  jobGoals: 'Warehouse supervisor',
  accessNeeds: { welsh: true, interpreter: false, esol: false },
  caringResponsibilities: 'Cares for a parent two days a week',
};

const PARTICIPANT = `participant { visibleFields riskMarkers benefitClaim { benefit claimStartedOn } referralReason qualifications workHistory
  barriers { kinds notes } jobGoals accessNeeds { welsh interpreter interpreterLanguage esol } caringResponsibilities }`;
type Participant = Record<string, unknown> & { visibleFields: string[] };

async function participant(referralId: string, key: string): Promise<Participant> {
  const response = await t.gql<{ referral: { participant: Participant } }>(`query($id: ID!) { referral(id: $id) { ${PARTICIPANT} } }`, { id: referralId }, key);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!.referral.participant;
}

/** A mutation's payload: its object and its codes. */
async function mutate(name: string, input: Record<string, unknown>, key: string, select = 'id'): Promise<{ value: Record<string, unknown> | null; codes: string[] }> {
  const payloadField = { recordAssessment: 'assessment', addPlannedAction: 'plannedAction', reviewActionPlan: 'actionPlanReview', recordProgressUpdate: 'progressUpdate', passReferral: 'handoff' }[name]!;
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const response = await t.gql<Record<string, Record<string, unknown> & { userErrors: Array<{ code: string }> }>>(
    `mutation($input: ${inputType}!) { ${name}(input: $input) { ${payloadField} { ${select} } userErrors { code field } } }`,
    { input },
    key,
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  const payload = response.data![name];
  return { value: payload[payloadField] as Record<string, unknown> | null, codes: payload.userErrors.map((e) => e.code) };
}

async function attached(options: Parameters<typeof Journey.refer>[2] = {}): Promise<Journey> {
  return (await (await Journey.refer(t, c, { referredOn: day(-60), ...options })).acknowledge()).attach(day(-50));
}

describe('the record the Jobcentre sends', () => {
  it('travels field by field: the prime and the Jobcentre read it all, a subcontractor what its handoff shares', async () => {
    const journey = await attached({ record: RECORD });
    const full = {
      benefitClaim: { benefit: 'JSA', claimStartedOn: RECORD.claimStartedOn },
      referralReason: RECORD.reason,
      qualifications: RECORD.qualifications,
      workHistory: RECORD.workHistory,
      barriers: { kinds: RECORD.barriers, notes: RECORD.barrierNotes },
      jobGoals: RECORD.jobGoals,
      accessNeeds: { ...RECORD.accessNeeds, interpreterLanguage: null },
      caringResponsibilities: RECORD.caringResponsibilities,
    };
    expect(await participant(journey.referralId, c.prime.key)).toMatchObject(full);
    expect(await participant(journey.referralId, c.jobcentre.key)).toMatchObject(full);

    await journey.handOn(c.endToEnd, { sharedFields: ['REFERRAL_REASON', 'BARRIERS', 'ACCESS_NEEDS'] });
    const down = await participant(journey.referralId, c.endToEnd.key);
    expect(down.visibleFields.sort()).toEqual(['ACCESS_NEEDS', 'BARRIERS', 'REFERRAL_REASON']);
    expect(down).toMatchObject({
      referralReason: RECORD.reason,
      barriers: full.barriers,
      accessNeeds: full.accessNeeds,
      benefitClaim: null,
      qualifications: null,
      workHistory: null,
      jobGoals: null,
      caringResponsibilities: null,
    });

    // What was read is in the person's access log, field by field.
    const [{ details }] = await t.db.dataSource.query(
      `SELECT details FROM audit_event WHERE action = 'READ' AND organisation_id = $1 ORDER BY occurred_at DESC LIMIT 1`,
      [c.endToEnd.id],
    );
    expect(Object.values(details.fields as Record<string, string[]>)[0]).toEqual(expect.arrayContaining(['referralReason', 'barriers', 'accessNeeds']));
  });

  it('refuses a claim that started after the referral', async () => {
    const response = await t.gql<{ submitReferrals: { results: Array<{ userErrors: Array<{ code: string; field: string[] }> }> } }>(
      `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { userErrors { code field } } } }`,
      {
        input: {
          referrals: [{
            clientReference: 'REC-LATE-CLAIM', cpaCode: 95, jobcentreDistrict: 'Records', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY', referredOn: day(-10),
            claimant: { nino: nino(1, 'RC'), givenName: 'Lee', familyName: 'Late', dateOfBirth: '1980-01-01', consentToShareHealth: false },
            record: { claimStartedOn: day(-5) },
          }],
        },
      },
      c.jobcentre.key,
    );
    expect(response.data!.submitReferrals.results[0].userErrors).toEqual([{ code: 'CLAIM_START_AFTER_REFERRAL', field: ['record', 'claimStartedOn'] }]);
  });
});

describe('risk markers', () => {
  const risky = { riskMarkers: ['History of violence'] };

  it('stay with the Jobcentre without consent or a legal basis, and cannot be passed on', async () => {
    const journey = await attached({ claimant: risky });
    expect(await participant(journey.referralId, c.jobcentre.key)).toMatchObject({ riskMarkers: risky.riskMarkers });
    const prime = await participant(journey.referralId, c.prime.key);
    expect(prime.riskMarkers).toBeNull();
    expect(prime.visibleFields).not.toContain('RISK_MARKERS');
    const passed = await mutate('passReferral', { referralId: journey.referralId, toOrganisationId: c.endToEnd.id, purpose: 'END_TO_END_DELIVERY', sharedFields: ['RISK_MARKERS'] }, c.prime.key);
    expect(passed.codes).toEqual(['RISK_WITHOUT_BASIS']);
  });

  it.each([
    ['consent', { consentToShareRisk: true }],
    ['a legal basis', { riskSharingBasis: 'PUBLIC_TASK' }],
  ])('travel with %s, to the prime and to a handoff sharing them', async (_label, terms) => {
    const journey = await attached({ claimant: { ...risky, ...terms } });
    expect(await participant(journey.referralId, c.prime.key)).toMatchObject({ riskMarkers: risky.riskMarkers });
    await journey.handOn(c.endToEnd, { sharedFields: ['RISK_MARKERS'] });
    expect(await participant(journey.referralId, c.endToEnd.key)).toMatchObject({ riskMarkers: risky.riskMarkers, visibleFields: ['RISK_MARKERS'] });
  });
});

describe("the prime's assessment and action plan", () => {
  const PLAN = `query($id: ID!) { referral(id: $id) { assessments { jobReadiness barriers notes } actionPlan { actions { id kind dueOn mandatory notifiedInWritingOn completedOn } reviews { reviewedOn note } } } }`;
  type Plan = { assessments: unknown[]; actionPlan: { actions: Array<Record<string, unknown>>; reviews: unknown[] } | null };
  const plan = async (referralId: string, key: string): Promise<Plan> => (await t.gql<{ referral: Plan }>(PLAN, { id: referralId }, key)).data!.referral;

  it('is read down the chain only where ACTION_PLAN was shared, and kept by the end-to-end holder it was shared with', async () => {
    const journey = await attached();
    const assessed = await mutate('recordAssessment', { referralId: journey.referralId, assessedOn: day(-45), jobReadiness: 'AMBER', barriers: ['TRANSPORT'], notes: 'Needs a bus pass' }, c.prime.key);
    expect(assessed.codes).toEqual([]);
    const action = await mutate(
      'addPlannedAction',
      { referralId: journey.referralId, kind: 'TRAINING', description: 'Forklift refresher', dueOn: day(10), mandatory: true, notifiedInWritingOn: day(-1) },
      c.prime.key,
    );
    expect(action.codes).toEqual([]);
    const late = await mutate('addPlannedAction', { referralId: journey.referralId, kind: 'JOB_SEARCH', dueOn: day(-20), mandatory: true, notifiedInWritingOn: day(-10) }, c.prime.key);
    expect(late.codes).toEqual(['NOTIFIED_AFTER_DUE']);

    // Handed on without ACTION_PLAN: the subcontractor reads none of it and keeps none.
    const first = await journey.handOn(c.endToEnd, { sharedFields: ['CONTACT_DETAILS'] });
    expect(await plan(journey.referralId, c.endToEnd.key)).toEqual({ assessments: [], actionPlan: null });
    expect((await mutate('recordAssessment', { referralId: journey.referralId, assessedOn: day(-1), jobReadiness: 'GREEN' }, c.endToEnd.key)).codes).toEqual(['UNKNOWN_REFERRAL']);
    // The referring Jobcentre reads it (no starting again, 001:785).
    expect((await plan(journey.referralId, c.jobcentre.key)).assessments).toEqual([{ jobReadiness: 'AMBER', barriers: ['TRANSPORT'], notes: 'Needs a bus pass' }]);

    // Handed on with ACTION_PLAN: read, and kept.
    expect((await t.gql(`mutation($id: ID!) { withdrawHandoff(input: { handoffId: $id, reason: "Moving" }) { userErrors { code } } }`, { id: first }, c.prime.key)).errors).toBeUndefined();
    await journey.handOn(c.secondEndToEnd, { sharedFields: ['ACTION_PLAN'] });
    const seen = await plan(journey.referralId, c.secondEndToEnd.key);
    expect(seen.assessments).toHaveLength(1);
    expect(seen.actionPlan!.actions).toEqual([
      { id: action.value!.id, kind: 'TRAINING', dueOn: day(10), mandatory: true, notifiedInWritingOn: day(-1), completedOn: null },
    ]);
    const review = await mutate('reviewActionPlan', { referralId: journey.referralId, reviewedOn: day(0), note: 'Course booked', completedActionIds: [action.value!.id] }, c.secondEndToEnd.key);
    expect(review.codes).toEqual([]);
    const unknown = await mutate('reviewActionPlan', { referralId: journey.referralId, reviewedOn: day(0), completedActionIds: [journey.referralId] }, c.prime.key);
    expect(unknown.codes).toEqual(['UNKNOWN_PLANNED_ACTION']);
    const after = await plan(journey.referralId, c.prime.key);
    expect(after.actionPlan).toMatchObject({ actions: [{ completedOn: day(0) }], reviews: [{ reviewedOn: day(0), note: 'Course booked' }] });
  });
});

describe("a spot provider's progress update", () => {
  it('reaches whoever passed the referral to it, and nobody else', async () => {
    const journey = await attached();
    await journey.handOn(c.endToEnd);
    const spot = await journey.handOn(c.spot, { purpose: 'SPOT_PROVISION', from: c.endToEnd });
    const live = await subscribe(t.url, c.endToEnd.key, 'inboxItemAdded', { kinds: ['PROGRESS_UPDATE'] });
    expect((await mutate('recordProgressUpdate', { handoffId: spot, attended: false, completed: true }, c.spot.key)).codes).toEqual(['PROGRESS_INCONSISTENT']);
    const update = await mutate('recordProgressUpdate', { handoffId: spot, attended: true, completed: true, certificate: 'Level 2 Food Hygiene', recommendation: 'Ready for kitchen work' }, c.spot.key);
    expect(update.codes).toEqual([]);

    const inbox = async (key: string) =>
      (await t.gql<{ inbox: { edges: Array<{ node: { kind: string; handoff: { id: string; progressUpdates: Array<{ certificate: string }> } | null } }> } }>(
        '{ inbox(first: 500) { edges { node { kind handoff { id progressUpdates { certificate } } } } } }',
        {},
        key,
      )).data!.inbox.edges.map((e) => e.node).filter((item) => item.kind === 'PROGRESS_UPDATE');
    expect(await inbox(c.endToEnd.key)).toEqual([{ kind: 'PROGRESS_UPDATE', handoff: { id: spot, progressUpdates: [{ certificate: 'Level 2 Food Hygiene' }] } }]);
    expect(await inbox(c.prime.key)).toEqual([]);
    expect(await inbox(c.jobcentre.key)).toEqual([]);
    // The prime sees the handoff, not what was returned on it.
    const seenByPrime = await t.gql<{ node: { progressUpdates: unknown[] } }>('query($id: ID!) { node(id: $id) { ... on Handoff { progressUpdates { id } } } }', { id: spot }, c.prime.key);
    expect(seenByPrime.data!.node.progressUpdates).toEqual([]);

    // Live, and again on replay from a cursor.
    await live.until(1);
    expect(live.items[0]).toMatchObject({ kind: 'PROGRESS_UPDATE', referral: { id: journey.referralId }, handoff: { id: spot } });
    await live.close();
    const replay = await subscribe(t.url, c.endToEnd.key, 'inboxItemAdded', { kinds: ['PROGRESS_UPDATE'], after: FROM_THE_START });
    await replay.until(1);
    expect(replay.items.map((item) => item.handoff?.id)).toContain(spot);
    await replay.close();
  });

  it('goes no further than the referral: a sender whose own handoff ended no longer reads it, its writer keeps it', async () => {
    const journey = await attached();
    const endToEnd = await journey.handOn(c.endToEnd);
    const spot = await journey.handOn(c.spot, { purpose: 'SPOT_PROVISION', from: c.endToEnd });
    const update = await mutate('recordProgressUpdate', { handoffId: spot, attended: true, completed: true, certificate: 'Level 2 Food Hygiene' }, c.spot.key);
    expect(update.codes).toEqual([]);
    const id = update.value!.id as string;
    const read = async (key: string) => {
      const response = await t.gql<{ update: { certificate: string } | null; handoff: { progressUpdates: unknown[] } | null }>(
        'query($id: ID!, $spot: ID!) { update: node(id: $id) { ... on ProgressUpdate { certificate } } handoff: node(id: $spot) { ... on Handoff { progressUpdates { id } } } }',
        { id, spot },
        key,
      );
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return { update: response.data!.update, updates: response.data!.handoff?.progressUpdates.length ?? 0 };
    };
    expect(await read(c.endToEnd.key)).toEqual({ update: { certificate: 'Level 2 Food Hygiene' }, updates: 1 });

    const withdrawn = await t.gql(`mutation($id: ID!) { withdrawHandoff(input: { handoffId: $id, reason: "Moving" }) { userErrors { code } } }`, { id: endToEnd }, c.prime.key);
    expect(withdrawn.errors).toBeUndefined();
    // The end-to-end provider no longer holds the referral: what the spot provider returned about the person is not its to read.
    expect(await read(c.endToEnd.key)).toEqual({ update: null, updates: 0 });
    expect((await read(c.spot.key)).update).toEqual({ certificate: 'Level 2 Food Hygiene' });
  });

  it('is returned on a spot provision handoff only, by its receiver', async () => {
    const journey = await attached();
    const endToEnd = await journey.handOn(c.endToEnd);
    expect((await mutate('recordProgressUpdate', { handoffId: endToEnd, attended: true, completed: false }, c.endToEnd.key)).codes).toEqual(['NOT_SPOT_PROVISION']);
    expect((await mutate('recordProgressUpdate', { handoffId: endToEnd, attended: true, completed: false }, c.prime.key)).codes).toEqual(['UNKNOWN_HANDOFF']);
  });
});

describe('a restricted (MAPPA) record', () => {
  it('refuses free text in the record sent with it', async () => {
    const response = await t.gql<{ submitReferrals: { results: Array<{ userErrors: Array<{ code: string; field: string[] }> }> } }>(
      `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { userErrors { code field } } } }`,
      {
        input: {
          referrals: [{
            clientReference: 'REC-MAPPA', cpaCode: 95, jobcentreDistrict: 'Records', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY', referredOn: day(-10),
            claimant: { nino: nino(2, 'RC'), givenName: 'Max', familyName: 'Minimal', dateOfBirth: '1980-01-01', consentToShareHealth: false, mappa: true },
            record: { benefit: 'JSA', reason: 'Released on licence', accessNeeds: { interpreter: true, interpreterLanguage: 'Polish' } },
          }],
        },
      },
      c.jobcentre.key,
    );
    expect(response.data!.submitReferrals.results[0].userErrors).toEqual([
      { code: 'RESTRICTED_RECORD_FREE_TEXT', field: ['record', 'reason'] },
      { code: 'RESTRICTED_RECORD_FREE_TEXT', field: ['record', 'accessNeeds', 'interpreterLanguage'] },
    ]);
  });

  it('takes an action plan and progress updates as codes and dates only', async () => {
    const journey = await attached({ claimant: { mappa: true } });
    const plan = (input: Record<string, unknown>) => mutate('addPlannedAction', { referralId: journey.referralId, kind: 'APPOINTMENT', dueOn: day(5), mandatory: false, ...input }, c.prime.key);
    expect((await plan({ description: 'Probation office, Tuesdays' })).codes).toEqual(['RESTRICTED_RECORD_FREE_TEXT']);
    expect((await plan({})).codes).toEqual([]);
    expect((await mutate('recordAssessment', { referralId: journey.referralId, assessedOn: day(-1), jobReadiness: 'RED', notes: 'x' }, c.prime.key)).codes).toEqual(['RESTRICTED_RECORD_FREE_TEXT']);
    await journey.handOn(c.endToEnd);
    const spot = await journey.handOn(c.spot, { purpose: 'SPOT_PROVISION', from: c.endToEnd });
    const update = (input: Record<string, unknown>) => mutate('recordProgressUpdate', { handoffId: spot, attended: true, completed: true, ...input }, c.spot.key);
    expect((await update({ recommendation: 'Warehouse work' })).codes).toEqual(['RESTRICTED_RECORD_FREE_TEXT']);
    expect((await update({})).codes).toEqual([]);
  });
});

import { addDays, todayUtc } from '../../src/common/dates';
import { Role } from '../../src/auth/access.enums';
import { type Member, type TestChain, createChain } from '../helpers/chain';
import { nino } from '../helpers/registry';
import { Journey } from '../helpers/journey';
import { BOOTSTRAP_ADMIN_KEY, type GraphQLResponse, type TestServer, startTestServer } from '../helpers/server';
import { FROM_THE_START, subscribe } from '../helpers/subscriber';

/**
 * Access through the real server, decided by the one gate (src/auth/referral-access.ts):
 * 1. every operation that touches a referral or what hangs off it, against every kind of outsider
 *    (refused, or sees nothing) and its insiders (get through): a new operation joins by adding a row;
 * 2. every list agrees with the checker: what a list gives, `node(id)` gives, and the other way round.
 */

let t: TestServer;
let c: TestChain;
let otherJobcentre: Member;
let decisionMaker: Member;
let dwp: string;

const day = (offset: number) => addDays(todayUtc(), offset);

/** The ids of one referral and of everything hanging off it. */
interface World {
  referral: string;
  participant: string;
  /** The accepted end-to-end handoff to c.endToEnd, sharing CONTACT_NOTES. */
  handoff: string;
  /** The specialist handoff, withdrawn: its receiver's access has ended. */
  endedHandoff: string;
  /** An in-work support handoff, offered and not yet answered. */
  offeredHandoff: string;
  contact: string;
  doubt: string;
  jobStart: string;
  payment: string;
  /** A message thread the Jobcentre started, open. */
  thread: string;
  /** A message thread closed: closing it again breaks a rule past the gate. */
  closedThread: string;
  /** A spot provision handoff from the prime to c.spot, accepted, with a progress update returned on it. */
  spotHandoff: string;
  /** A query the prime raised before attachment, which the Jobcentre confirmed: answering it again breaks a rule past the gate. */
  confirmedQuery: string;
}

const ok = <T>(response: GraphQLResponse<T>): T => {
  if (response.errors || !response.data) throw new Error(JSON.stringify(response.errors));
  return response.data;
};

/** A mutation's payload must have succeeded: setup steps say so rather than carry on silently. */
async function step<T extends Record<string, { userErrors: Array<{ code: string }> }>>(query: string, variables: Record<string, unknown>, key: string): Promise<T> {
  const data = ok(await t.gql<T>(query, variables, key));
  const [payload] = Object.values(data);
  if (payload.userErrors.length) throw new Error(`${query}: ${JSON.stringify(payload.userErrors)}`);
  return data;
}

let people = 0;
/** An attached referral handed on (end-to-end accepted, specialist withdrawn) with a contact, a job, a payment and a doubt. */
async function build(doubtBy: 'prime' | 'subcontractor'): Promise<World> {
  people += 1;
  const submitted = ok(await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string; participant: { id: string } } | null; userErrors: Array<{ code: string }> }> } }>(
    `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id participant { id } } userErrors { code } } } }`,
    {
      input: {
        referrals: [{
          clientReference: `ACCESS-${people}`, cpaCode: 71, jobcentreDistrict: 'Gate', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY',
          referredOn: day(-400),
          claimant: { nino: nino(people, 'GT'), givenName: 'Gale', familyName: `Gate ${people}`, dateOfBirth: '1980-01-01', phone: '01000 777777', consentToShareHealth: false },
          record: { reason: 'Wants warehouse work' },
        }],
      },
    },
    c.jobcentre.key,
  ));
  const [result] = submitted.submitReferrals.results;
  if (!result.referral) throw new Error(JSON.stringify(result.userErrors));
  const referral = result.referral.id;
  await step(`mutation($id: ID!) { acknowledgeReferral(input: { referralId: $id }) { userErrors { code } } }`, { id: referral }, c.prime.key);
  const confirmedQuery = (await step<{ queryReferral: { referralQuery: { id: string }; userErrors: [] } }>(
    `mutation($id: ID!) { queryReferral(input: { referralId: $id, grounds: INELIGIBLE, reason: "Health condition" }) { referralQuery { id } userErrors { code } } }`,
    { id: referral },
    c.prime.key,
  )).queryReferral.referralQuery.id;
  await step(`mutation($id: ID!) { resolveReferralQuery(input: { referralQueryId: $id, resolution: CONFIRM }) { userErrors { code } } }`, { id: confirmedQuery }, c.jobcentre.key);
  await step(`mutation($id: ID!, $on: Date!) { recordAttachment(input: { referralId: $id, attachedOn: $on }) { userErrors { code } } }`, { id: referral, on: day(-390) }, c.prime.key);
  const pass = async (to: Member, purpose: string, sharedFields: string[]) =>
    (await step<{ passReferral: { handoff: { id: string }; userErrors: [] } }>(
      `mutation($input: PassReferralInput!) { passReferral(input: $input) { handoff { id } userErrors { code } } }`,
      { input: { referralId: referral, toOrganisationId: to.id, purpose, sharedFields } },
      c.prime.key,
    )).passReferral.handoff.id;
  const handoff = await pass(c.endToEnd, 'END_TO_END_DELIVERY', ['CONTACT_DETAILS', 'CONTACT_NOTES', 'REFERRAL_REASON']);
  await step(`mutation($id: ID!) { respondToHandoff(input: { handoffId: $id, accept: true }) { userErrors { code } } }`, { id: handoff }, c.endToEnd.key);
  const endedHandoff = await pass(c.specialist, 'SPECIALIST_SUPPORT', []);
  await step(`mutation($id: ID!) { withdrawHandoff(input: { handoffId: $id, reason: "Not needed" }) { userErrors { code } } }`, { id: endedHandoff }, c.prime.key);
  const offeredHandoff = await pass(c.inWork, 'IN_WORK_SUPPORT', []);
  const spotHandoff = await pass(c.spot, 'SPOT_PROVISION', []);
  await step(`mutation($id: ID!) { respondToHandoff(input: { handoffId: $id, accept: true }) { userErrors { code } } }`, { id: spotHandoff }, c.spot.key);
  await step(`mutation($id: ID!) { recordProgressUpdate(input: { handoffId: $id, attended: true, completed: false }) { userErrors { code } } }`, { id: spotHandoff }, c.spot.key);
  await step(`mutation($id: ID!, $on: Date!) { recordAssessment(input: { referralId: $id, assessedOn: $on, jobReadiness: AMBER }) { userErrors { code } } }`, { id: referral, on: day(-385) }, c.prime.key);
  await step(`mutation($id: ID!, $on: Date!) { addPlannedAction(input: { referralId: $id, kind: JOB_SEARCH, dueOn: $on, mandatory: false }) { userErrors { code } } }`, { id: referral, on: day(-380) }, c.prime.key);
  await step(`mutation($id: ID!, $on: Date!) { reviewActionPlan(input: { referralId: $id, reviewedOn: $on }) { userErrors { code } } }`, { id: referral, on: day(-379) }, c.prime.key);
  const contact = (await step<{ recordContact: { contact: { id: string }; userErrors: [] } }>(
    `mutation($id: ID!, $at: DateTime!) { recordContact(input: { referralId: $id, occurredAt: $at, channel: TELEPHONE, kind: ADVISER_CONTACT, attended: true, note: "Lives at the hostel" }) { contact { id } userErrors { code } } }`,
    { id: referral, at: `${day(-380)}T10:00:00Z` },
    c.prime.key,
  )).recordContact.contact.id;
  const jobStart = (await step<{ recordJobStart: { jobStart: { id: string }; userErrors: [] } }>(
    `mutation($id: ID!, $on: Date!) { recordJobStart(input: { referralId: $id, startedOn: $on, employerName: "Mill" }) { jobStart { id } userErrors { code } } }`,
    { id: referral, on: day(-300) },
    c.prime.key,
  )).recordJobStart.jobStart.id;
  const raiser = doubtBy === 'prime' ? c.prime : c.endToEnd;
  const doubt = (await step<{ raiseComplianceDoubt: { complianceDoubt: { id: string }; userErrors: [] } }>(
    `mutation($id: ID!, $on: Date!) { raiseComplianceDoubt(input: { referralId: $id, type: ENTITLEMENT_DOUBT, occurredOn: $on, description: "Working cash in hand" }) { complianceDoubt { id } userErrors { code } } }`,
    { id: referral, on: day(-200) },
    raiser.key,
  )).raiseComplianceDoubt.complianceDoubt.id;
  const [{ id: payment }] = await t.db.dataSource.query('SELECT id FROM payment WHERE referral_id = $1', [referral]);
  const startThread = async () =>
    (await step<{ startMessageThread: { messageThread: { id: string }; userErrors: [] } }>(
      `mutation($id: ID!) { startMessageThread(input: { referralId: $id, topic: ATTENDANCE, subject: "Monday", body: "Did they come?" }) { messageThread { id } userErrors { code } } }`,
      { id: referral },
      c.jobcentre.key,
    )).startMessageThread.messageThread.id;
  const thread = await startThread();
  const closedThread = await startThread();
  await step(`mutation($id: ID!) { closeMessageThread(input: { messageThreadId: $id }) { userErrors { code } } }`, { id: closedThread }, c.jobcentre.key);
  return { referral, participant: result.referral.participant.id, handoff, endedHandoff, offeredHandoff, contact, doubt, jobStart, payment, thread, closedThread, confirmedQuery, spotHandoff };
}

/** A referral of the same chain handed on and then exited by its Jobcentre, with a handback: made once, when first asked for. */
let exited: Promise<string> | undefined;
const exitedReferral = (): Promise<string> =>
  (exited ??= (async () => {
    const journey = await (await (await Journey.refer(t, c, { referredOn: day(-300) })).acknowledge()).attach(day(-290));
    await journey.handOn(c.endToEnd);
    await step(`mutation($id: ID!, $on: Date!) { recordJobcentreExit(input: { referralId: $id, exitedOn: $on, note: "Work Choice" }) { userErrors { code } } }`, { id: journey.referralId, on: day(-10) }, c.jobcentre.key);
    return journey.referralId;
  })());

/** A change of circumstances on a world's referral: the Jobcentre's (for the list) and a provider's, answered (so that answering again is refused past the gate). Made once per world. */
const changes = new Map<string, Promise<{ providers: string }>>();
const changed = (w: World) => {
  if (!changes.has(w.referral)) {
    changes.set(w.referral, (async () => {
      await step(`mutation($id: ID!, $on: Date!) { reportCircumstanceChange(input: { referralId: $id, kind: MOVED_AREA, effectiveOn: $on }) { userErrors { code } } }`, { id: w.referral, on: day(-5) }, c.jobcentre.key);
      const reported = await step<{ reportCircumstanceChange: { circumstanceChange: { id: string }; userErrors: [] } }>(
        `mutation($id: ID!, $on: Date!) { reportCircumstanceChange(input: { referralId: $id, kind: DECEASED, effectiveOn: $on }) { circumstanceChange { id } userErrors { code } } }`,
        { id: w.referral, on: day(-4) },
        c.prime.key,
      );
      const providers = reported.reportCircumstanceChange.circumstanceChange.id;
      await step(`mutation($id: ID!) { actionCircumstanceChange(input: { circumstanceChangeId: $id, action: ACTIONED }) { userErrors { code } } }`, { id: providers }, c.jobcentre.key);
      return { providers };
    })());
  }
  return changes.get(w.referral)!;
};

/** The Jobcentre's change of the world's benefit (the record's benefit claim then holds it). Made once per world. */
const benefits = new Map<string, Promise<unknown>>();
const benefitChanged = (w: World) => {
  if (!benefits.has(w.referral)) {
    benefits.set(w.referral, step(
      `mutation($id: ID!, $on: Date!) { reportCircumstanceChange(input: { referralId: $id, kind: BENEFIT_CHANGED, effectiveOn: $on, benefitTo: ESA }) { userErrors { code } } }`,
      { id: w.referral, on: day(-6) },
      c.jobcentre.key,
    ));
  }
  return benefits.get(w.referral)!;
};

let world: World;
/** The same, but its doubt is with the prime, not yet submitted to DWP. */
let unsubmitted: World;

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 71);
  const jobcentre = await t.keyFor(Role.JOBCENTRE, 'Jobcentre elsewhere 71');
  otherJobcentre = { id: jobcentre.organisationId, key: jobcentre.secret };
  const dm = await t.keyFor(Role.DECISION_MAKER, 'Decision Makers 71');
  decisionMaker = { id: dm.organisationId, key: dm.secret };
  dwp = dm.organisationId;
  world = await build('prime');
  unsubmitted = await build('subcontractor');
});
afterAll(() => t.close());

// ---------------------------------------------------------------- 1. every operation × every viewer

type Viewer = 'jobcentre' | 'prime' | 'endToEnd' | 'decisionMaker' | 'admin';
type Outsider = 'anotherPrime' | 'otherChainSubcontractor' | 'endedSubcontractor' | 'wrongJobcentre' | 'analyst' | 'decisionMakerBeforeSubmission';
const OUTSIDERS: Outsider[] = ['anotherPrime', 'otherChainSubcontractor', 'endedSubcontractor', 'wrongJobcentre', 'analyst', 'decisionMakerBeforeSubmission'];

const keyOf = (who: Viewer | Outsider): string =>
  ({
    jobcentre: c.jobcentre.key,
    prime: c.prime.key,
    endToEnd: c.endToEnd.key,
    decisionMaker: decisionMaker.key,
    admin: BOOTSTRAP_ADMIN_KEY,
    anotherPrime: c.otherPrime.key,
    otherChainSubcontractor: c.otherPrimesSubcontractor.key,
    endedSubcontractor: c.specialist.key,
    wrongJobcentre: otherJobcentre.key,
    analyst: c.analyst.key,
    decisionMakerBeforeSubmission: decisionMaker.key,
  })[who];

/** What an operation did for a viewer: got through to the object, or was refused / saw nothing. */
type Reach = 'reached' | 'refused';

/** Codes that mean "not yours": an outsider gets these (or FORBIDDEN), never a rule about the object itself. */
const NOT_YOURS = ['UNKNOWN_REFERRAL', 'UNKNOWN_CIRCUMSTANCE_CHANGE', 'UNKNOWN_HANDOFF', 'UNKNOWN_COMPLIANCE_DOUBT', 'UNKNOWN_JOB_START', 'UNKNOWN_MESSAGE_THREAD', 'UNKNOWN_REFERRAL_QUERY', 'NOT_ALLOWED_TO_PASS'];

/** A mutation built to fail on a rule about the object (never changing it): past the gate it answers that rule. */
async function mutate(query: string, variables: Record<string, unknown>, key: string): Promise<Reach> {
  const response = await t.gql<Record<string, { userErrors: Array<{ code: string }> }>>(query, variables, key);
  if (response.errors) {
    expect(response.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    return 'refused';
  }
  const codes = Object.values(response.data!)[0].userErrors.map((e) => e.code);
  expect(codes.length).toBeGreaterThan(0);
  return codes.some((code) => NOT_YOURS.includes(code)) ? 'refused' : 'reached';
}

/** A read: FORBIDDEN, null or absent is refused; the object itself is reached. */
async function read(query: string, variables: Record<string, unknown>, key: string, found: (data: Record<string, unknown>) => boolean): Promise<Reach> {
  const response = await t.gql<Record<string, unknown>>(query, variables, key);
  if (response.errors) {
    expect(response.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    return 'refused';
  }
  return found(response.data!) ? 'reached' : 'refused';
}

const nodeRead = (id: (w: World) => string) => (w: World, key: string) =>
  read('query($id: ID!) { node(id: $id) { id } }', { id: id(w) }, key, (data) => data.node !== null);

/** node(id) of the world's (first) row of `table`, kept on its referral. */
async function nodeOf(table: string, w: World, key: string): Promise<Reach> {
  const [row] = await t.db.dataSource.query(`SELECT id FROM ${table} WHERE referral_id = $1 ORDER BY id LIMIT 1`, [w.referral]);
  if (!row) throw new Error(`the world has no ${table}`);
  return read('query($id: ID!) { node(id: $id) { id } }', { id: row.id }, key, (data) => data.node !== null);
}

interface Operation {
  name: string;
  /** Who gets through; everyone in OUTSIDERS must not. */
  insiders: Viewer[];
  run(w: World, key: string): Promise<Reach>;
}

const edgesHave = (list: unknown, id: string) => (list as { edges: Array<{ node: { id: string } }> }).edges.some((e) => e.node.id === id);

const OPERATIONS: Operation[] = [
  // ------------------------------------------------------------ queries and node types
  { name: 'query referral(id)', insiders: ['jobcentre', 'prime', 'endToEnd'], run: (w, key) => read('query($id: ID!) { referral(id: $id) { id participant { id } } }', { id: w.referral }, key, (d) => d.referral !== null) },
  { name: 'query referrals', insiders: ['jobcentre', 'prime', 'endToEnd'], run: (w, key) => read('{ referrals(first: 500) { edges { node { id } } } }', {}, key, (d) => edgesHave(d.referrals, w.referral)) },
  {
    name: 'field Referral.handback (of an exited referral)',
    insiders: ['jobcentre', 'prime'],
    run: async (_w, key) => read('query($id: ID!) { referral(id: $id) { handback { exitedOn barriers } } }', { id: await exitedReferral() }, key, (d) => (d.referral as { handback: unknown } | null)?.handback != null),
  },
  {
    name: 'field Referral.firstAppointments',
    insiders: ['jobcentre', 'prime', 'endToEnd'],
    run: (w, key) => read('query($id: ID!) { referral(id: $id) { firstAppointments { id outcome } } }', { id: w.referral }, key, (d) => ((d.referral as { firstAppointments: unknown[] } | null)?.firstAppointments.length ?? 0) > 0),
  },
  { name: 'query complianceDoubts', insiders: ['prime', 'decisionMaker'], run: (w, key) => read('{ complianceDoubts(first: 500) { edges { node { id } } } }', {}, key, (d) => edgesHave(d.complianceDoubts, w.doubt)) },
  { name: 'node Referral', insiders: ['jobcentre', 'prime', 'endToEnd', 'decisionMaker'], run: nodeRead((w) => w.referral) },
  { name: 'node Participant', insiders: ['jobcentre', 'prime', 'endToEnd', 'decisionMaker'], run: nodeRead((w) => w.participant) },
  { name: 'node Handoff', insiders: ['prime', 'endToEnd'], run: nodeRead((w) => w.handoff) },
  { name: 'node Contact', insiders: ['prime', 'endToEnd'], run: nodeRead((w) => w.contact) },
  { name: 'node ComplianceDoubt', insiders: ['prime', 'decisionMaker'], run: nodeRead((w) => w.doubt) },
  { name: 'node JobStart', insiders: ['prime', 'endToEnd'], run: nodeRead((w) => w.jobStart) },
  { name: 'node Payment', insiders: ['prime'], run: nodeRead((w) => w.payment) },
  { name: 'node MessageThread', insiders: ['jobcentre', 'prime', 'endToEnd'], run: nodeRead((w) => w.thread) },
  {
    name: 'node CircumstanceChange',
    insiders: ['jobcentre', 'prime', 'endToEnd', 'decisionMaker'],
    run: async (w, key) => read('query($id: ID!) { node(id: $id) { id } }', { id: (await changed(w)).providers }, key, (d) => d.node !== null),
  },
  { name: 'node FirstAppointment', insiders: ['jobcentre', 'prime', 'endToEnd'], run: (w, key) => nodeOf('first_appointment', w, key) },
  { name: 'node ReferralQuery', insiders: ['jobcentre', 'prime'], run: nodeRead((w) => w.confirmedQuery) },
  { name: 'node Assessment', insiders: ['jobcentre', 'prime'], run: (w, key) => nodeOf('assessment', w, key) },
  { name: 'node PlannedAction', insiders: ['jobcentre', 'prime'], run: (w, key) => nodeOf('planned_action', w, key) },
  { name: 'node ActionPlanReview', insiders: ['jobcentre', 'prime'], run: (w, key) => nodeOf('action_plan_review', w, key) },
  { name: 'node ProgressUpdate', insiders: ['prime'], run: (w, key) => nodeOf('progress_update', w, key) },

  {
    name: 'Referral.messageThreads',
    insiders: ['jobcentre', 'prime', 'endToEnd'],
    run: (w, key) =>
      read('query($id: ID!) { node(id: $id) { ... on Referral { messageThreads(first: 10) { edges { node { id } } } } } }', { id: w.referral }, key, (d) =>
        Boolean(d.node && edgesHave((d.node as { messageThreads: unknown }).messageThreads, w.thread)),
      ),
  },
  {
    name: 'query inbox (items pointing at the referral)',
    insiders: ['prime', 'endToEnd', 'decisionMaker'],
    run: (w, key) =>
      read('{ inbox(first: 500) { edges { node { referral { id } } } } }', {}, key, (d) =>
        (d.inbox as { edges: Array<{ node: { referral: { id: string } | null } }> }).edges.some((e) => e.node.referral?.id === w.referral),
      ),
  },
  {
    name: 'subscription inboxItemAdded (items pointing at the referral)',
    insiders: ['prime', 'endToEnd', 'decisionMaker'],
    run: async (w, key) => {
      const held = ok(await t.gql<{ inbox: { edges: unknown[] } }>('{ inbox(first: 500) { edges { cursor } } }', {}, key)).inbox.edges.length;
      const subscriber = await subscribe(t.url, key, 'inboxItemAdded', { after: FROM_THE_START });
      try {
        await subscriber.until(held);
        return subscriber.items.some((item) => item.referral?.id === w.referral) ? 'reached' : 'refused';
      } finally {
        await subscriber.close();
      }
    },
  },
  // ------------------------------------------------------------ mutations (each fails on a rule past the gate)
  { name: 'mutation acknowledgeReferral', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { acknowledgeReferral(input: { referralId: $id }) { userErrors { code } } }', { id: w.referral }, key) },
  { name: 'mutation rejectReferral', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { rejectReferral(input: { referralId: $id, reason: DUPLICATE }) { userErrors { code } } }', { id: w.referral }, key) },
  { name: 'mutation queryReferral', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { queryReferral(input: { referralId: $id, grounds: DUPLICATE, reason: "Again" }) { userErrors { code } } }', { id: w.referral }, key) },
  {
    name: 'mutation resolveReferralQuery',
    insiders: ['jobcentre'],
    run: (w, key) => mutate('mutation($id: ID!) { resolveReferralQuery(input: { referralQueryId: $id, resolution: WITHDRAW }) { userErrors { code } } }', { id: w.confirmedQuery }, key),
  },
  {
    name: 'Referral.queries',
    insiders: ['jobcentre', 'prime'],
    run: (w, key) =>
      read('query($id: ID!) { node(id: $id) { ... on Referral { queries { id } } } }', { id: w.referral }, key, (d) =>
        Boolean((d.node as { queries?: Array<{ id: string }> } | null)?.queries?.some((q) => q.id === w.confirmedQuery)),
      ),
  },
  { name: 'mutation recordAttachment', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { recordAttachment(input: { referralId: $id, attachedOn: $on }) { userErrors { code } } }', { id: w.referral, on: day(-1) }, key) },
  { name: 'mutation recordExit', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { recordExit(input: { referralId: $id, exitedOn: $on, reason: FINAL_PAYMENT_CLAIMED }) { userErrors { code } } }', { id: w.referral, on: day(-395) }, key) },
  {
    name: 'mutation reportCircumstanceChange',
    insiders: ['jobcentre', 'prime', 'endToEnd'],
    run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { reportCircumstanceChange(input: { referralId: $id, kind: ADDRESS, effectiveOn: $on }) { userErrors { code } } }', { id: w.referral, on: day(-3) }, key),
  },
  {
    name: 'mutation actionCircumstanceChange',
    insiders: ['jobcentre'],
    run: async (w, key) => mutate('mutation($id: ID!) { actionCircumstanceChange(input: { circumstanceChangeId: $id, action: NOT_ACTIONED }) { userErrors { code } } }', { id: (await changed(w)).providers }, key),
  },
  {
    name: 'field Referral.circumstanceChanges',
    insiders: ['jobcentre', 'prime', 'endToEnd', 'decisionMaker'],
    run: async (w, key) => {
      await changed(w);
      // Through node(id), which a Decision Maker reads a referral by.
      return read('query($id: ID!) { node(id: $id) { ... on Referral { circumstanceChanges { id } } } }', { id: w.referral }, key, (d) => ((d.node as { circumstanceChanges?: unknown[] } | null)?.circumstanceChanges?.length ?? 0) > 0);
    },
  },
  {
    name: 'field Referral.assessments and actionPlan',
    insiders: ['jobcentre', 'prime'],
    run: (w, key) =>
      read('query($id: ID!) { node(id: $id) { ... on Referral { assessments { id } actionPlan { actions { id } } } } }', { id: w.referral }, key, (d) => {
        const node = d.node as { assessments: unknown[]; actionPlan: { actions: unknown[] } | null } | null;
        return Boolean(node?.assessments.length && node.actionPlan?.actions.length);
      }),
  },
  {
    name: 'field Participant.referralReason (the record sent, shared as REFERRAL_REASON)',
    insiders: ['jobcentre', 'prime', 'endToEnd'],
    run: (w, key) =>
      read('query($id: ID!) { node(id: $id) { ... on Referral { participant { referralReason } } } }', { id: w.referral }, key, (d) => Boolean((d.node as { participant: { referralReason: string | null } } | null)?.participant.referralReason)),
  },
  {
    name: 'field Participant.benefitClaim (the record sent, as changes of benefit left it; shared as BENEFIT)',
    insiders: ['jobcentre', 'prime'],
    run: async (w, key) => {
      await benefitChanged(w);
      return read('query($id: ID!) { node(id: $id) { ... on Referral { participant { benefitClaim { benefit endedOn } } } } }', { id: w.referral }, key, (d) =>
        (d.node as { participant: { benefitClaim: { benefit: string } | null } } | null)?.participant.benefitClaim?.benefit === 'ESA',
      );
    },
  },
  {
    name: 'query subjectAccessExport (every record of the person, for DWP as controller)',
    insiders: ['admin'],
    run: async (w, key) => {
      await changed(w);
      return read(
        'query($id: ID) { subjectAccessExport(participantId: $id) { referrals { queries { reason } circumstanceChanges { kind } assessments { id } messageThreads { subject } sentWith { referralReason } } } }',
        { id: w.participant },
        key,
        (d) => {
          const [referral] = (d.subjectAccessExport as { referrals: Array<{ queries: unknown[]; circumstanceChanges: unknown[]; assessments: unknown[]; messageThreads: unknown[]; sentWith: { referralReason: string | null } }> }).referrals;
          return Boolean(referral.queries.length && referral.circumstanceChanges.length && referral.assessments.length && referral.messageThreads.length && referral.sentWith.referralReason);
        },
      );
    },
  },
  {
    name: 'field Handoff.progressUpdates (to the sender of a spot handoff)',
    insiders: ['prime'],
    run: (w, key) =>
      read('query($id: ID!) { node(id: $id) { ... on Handoff { progressUpdates { id } } } }', { id: w.spotHandoff }, key, (d) => ((d.node as { progressUpdates: unknown[] } | null)?.progressUpdates.length ?? 0) > 0),
  },
  { name: 'mutation recordAssessment', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { recordAssessment(input: { referralId: $id, assessedOn: $on, jobReadiness: GREEN }) { userErrors { code } } }', { id: w.referral, on: day(5) }, key) },
  { name: 'mutation addPlannedAction', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { addPlannedAction(input: { referralId: $id, kind: TRAINING, dueOn: $on, mandatory: true }) { userErrors { code } } }', { id: w.referral, on: day(-1000) }, key) },
  { name: 'mutation reviewActionPlan', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { reviewActionPlan(input: { referralId: $id, reviewedOn: $on }) { userErrors { code } } }', { id: w.referral, on: day(5) }, key) },
  { name: 'mutation recordProgressUpdate', insiders: ['endToEnd'], run: (w, key) => mutate('mutation($id: ID!) { recordProgressUpdate(input: { handoffId: $id, attended: true, completed: false }) { userErrors { code } } }', { id: w.handoff }, key) },
  { name: 'mutation recordHandback', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { recordHandback(input: { referralId: $id, handback: { summary: "Attended every review" } }) { userErrors { code } } }', { id: w.referral }, key) },
  { name: 'mutation recordOffBenefit', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { recordOffBenefit(input: { referralId: $id, offBenefitOn: $on }) { userErrors { code } } }', { id: w.referral, on: day(-395) }, key) },
  {
    name: 'mutation bookFirstAppointment',
    insiders: ['prime'],
    run: (w, key) => mutate('mutation($id: ID!, $at: DateTime!) { bookFirstAppointment(input: { referralId: $id, appointment: { startsAt: $at, channel: TELEPHONE } }) { userErrors { code } } }', { id: w.referral, at: `${day(1)}T10:00:00Z` }, key),
  },
  { name: 'mutation recordFirstAppointmentOutcome', insiders: ['prime', 'endToEnd'], run: (w, key) => mutate('mutation($id: ID!) { recordFirstAppointmentOutcome(input: { referralId: $id, outcome: ATTENDED }) { userErrors { code } } }', { id: w.referral }, key) },
  { name: 'mutation recordJobcentreExit', insiders: ['jobcentre'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { recordJobcentreExit(input: { referralId: $id, exitedOn: $on }) { userErrors { code } } }', { id: w.referral, on: day(-395) }, key) },
  {
    name: 'mutation overrideAllocation',
    insiders: ['jobcentre'],
    run: (w, key) => mutate('mutation($id: ID!, $contract: ID!) { overrideAllocation(input: { referralId: $id, contractId: $contract, reason: " " }) { userErrors { code } } }', { id: w.referral, contract: c.area.contracts[1].id }, key),
  },
  {
    name: 'mutation passReferral',
    insiders: ['prime', 'endToEnd'],
    run: (w, key) => mutate('mutation($id: ID!, $to: ID!) { passReferral(input: { referralId: $id, toOrganisationId: $to, purpose: SPOT_PROVISION, sharedFields: [] }) { userErrors { code } } }', { id: w.referral, to: c.otherPrimesSubcontractor.id }, key),
  },
  { name: 'mutation respondToHandoff', insiders: ['endToEnd'], run: (w, key) => mutate('mutation($id: ID!) { respondToHandoff(input: { handoffId: $id, accept: true }) { userErrors { code } } }', { id: w.handoff }, key) },
  { name: 'mutation completeHandoff', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { completeHandoff(input: { handoffId: $id }) { userErrors { code } } }', { id: w.offeredHandoff }, key) },
  { name: 'mutation withdrawHandoff', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { withdrawHandoff(input: { handoffId: $id, reason: "Again" }) { userErrors { code } } }', { id: w.endedHandoff }, key) },
  {
    name: 'mutation recordContact',
    insiders: ['prime', 'endToEnd'],
    run: (w, key) => mutate('mutation($id: ID!, $at: DateTime!) { recordContact(input: { referralId: $id, occurredAt: $at, channel: TELEPHONE, kind: ADVISER_CONTACT, attended: true }) { userErrors { code } } }', { id: w.referral, at: `${day(30)}T10:00:00Z` }, key),
  },
  {
    name: 'mutation raiseComplianceDoubt',
    insiders: ['prime', 'endToEnd'],
    run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { raiseComplianceDoubt(input: { referralId: $id, type: ENTITLEMENT_DOUBT, occurredOn: $on, description: "Later" }) { userErrors { code } } }', { id: w.referral, on: day(30) }, key),
  },
  { name: 'mutation submitComplianceDoubt', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { submitComplianceDoubt(input: { complianceDoubtId: $id }) { userErrors { code } } }', { id: w.doubt }, key) },
  { name: 'mutation returnComplianceDoubt', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { returnComplianceDoubt(input: { complianceDoubtId: $id, reason: "Why" }) { userErrors { code } } }', { id: w.doubt }, key) },
  { name: 'mutation withdrawComplianceDoubt', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!) { withdrawComplianceDoubt(input: { complianceDoubtId: $id, reason: " " }) { userErrors { code } } }', { id: w.doubt }, key) },
  { name: 'mutation decideComplianceDoubt', insiders: ['decisionMaker'], run: (w, key) => mutate('mutation($id: ID!) { decideComplianceDoubt(input: { complianceDoubtId: $id, outcome: NOT_APPLIED_GOOD_REASON, reason: " " }) { userErrors { code } } }', { id: w.doubt }, key) },
  { name: 'mutation recordJobStart', insiders: ['prime', 'endToEnd'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { recordJobStart(input: { referralId: $id, startedOn: $on }) { userErrors { code } } }', { id: w.referral, on: day(30) }, key) },
  { name: 'mutation recordJobEnd', insiders: ['prime', 'endToEnd'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { recordJobEnd(input: { jobStartId: $id, endedOn: $on }) { userErrors { code } } }', { id: w.jobStart, on: day(-301) }, key) },
  { name: 'mutation claimJobOutcome', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { claimJobOutcome(input: { referralId: $id, claimedOn: $on }) { userErrors { code } } }', { id: w.referral, on: day(30) }, key) },
  { name: 'mutation startMessageThread', insiders: ['jobcentre', 'prime', 'endToEnd'], run: (w, key) => mutate('mutation($id: ID!) { startMessageThread(input: { referralId: $id, topic: OTHER, subject: " ", body: "Hello" }) { userErrors { code } } }', { id: w.referral }, key) },
  { name: 'mutation replyToMessageThread', insiders: ['jobcentre', 'prime', 'endToEnd'], run: (w, key) => mutate('mutation($id: ID!) { replyToMessageThread(input: { messageThreadId: $id, body: " " }) { userErrors { code } } }', { id: w.thread }, key) },
  { name: 'mutation closeMessageThread', insiders: ['jobcentre', 'prime', 'endToEnd'], run: (w, key) => mutate('mutation($id: ID!) { closeMessageThread(input: { messageThreadId: $id }) { userErrors { code } } }', { id: w.closedThread }, key) },
  { name: 'mutation claimSustainment', insiders: ['prime'], run: (w, key) => mutate('mutation($id: ID!, $on: Date!) { claimSustainment(input: { referralId: $id, periodEndsOn: $on }) { userErrors { code } } }', { id: w.referral, on: day(-1) }, key) },
];

const organisationOf = (who: Viewer | Outsider): string =>
  ({
    jobcentre: c.jobcentre.id,
    prime: c.prime.id,
    endToEnd: c.endToEnd.id,
    decisionMaker: decisionMaker.id,
    admin: dwp,
    anotherPrime: c.otherPrime.id,
    otherChainSubcontractor: c.otherPrimesSubcontractor.id,
    endedSubcontractor: c.specialist.id,
    wrongJobcentre: otherJobcentre.id,
    analyst: c.analyst.id,
    decisionMakerBeforeSubmission: decisionMaker.id,
  })[who];

// The insider decision maker reads the world whose doubt was submitted; the outsider one the other.
const worldFor = (who: Viewer | Outsider) => (who === 'decisionMakerBeforeSubmission' ? unsubmitted : world);

describe.each(OPERATIONS)('$name', (operation) => {
  it.each(OUTSIDERS)('refuses %s, or shows it nothing', async (outsider) => {
    expect(await operation.run(worldFor(outsider), keyOf(outsider))).toBe('refused');
  });

  it.each(operation.insiders)('lets %s through', async (insider) => {
    expect(await operation.run(worldFor(insider), keyOf(insider))).toBe('reached');
  });
});

// ---------------------------------------------------------------- 2. lists agree with the checker

const VIEWERS: Array<Viewer | Outsider> = ['jobcentre', 'prime', 'endToEnd', 'decisionMaker', ...OUTSIDERS.filter((o) => o !== 'decisionMakerBeforeSubmission')];

/** The ids `node(id)` (the checker) answers for this viewer, out of `ids`. */
async function seenByNode(ids: string[], key: string): Promise<string[]> {
  const seen: string[] = [];
  for (const id of ids) {
    const response = await t.gql<{ node: { id: string } | null }>('query($id: ID!) { node(id: $id) { id } }', { id }, key);
    if (response.data?.node) seen.push(id);
  }
  return seen.sort();
}

const ids = async (sql: string, parameters: unknown[] = []): Promise<string[]> =>
  ((await t.db.dataSource.query(sql, parameters)) as Array<{ id: string }>).map((row) => row.id).sort();

describe.each(VIEWERS)('for %s, every list agrees with the checker', (who) => {
  it('referrals: the list holds exactly the referrals node(id) gives', async () => {
    const response = await t.gql<{ referrals: { edges: Array<{ node: { id: string } }> } }>('{ referrals(first: 500) { edges { node { id } } } }', {}, keyOf(who));
    const listed = response.errors ? null : response.data!.referrals.edges.map((e) => e.node.id).sort();
    const seen = await seenByNode(await ids('SELECT id FROM referral'), keyOf(who));
    // A role the list is not granted to is refused it; it reaches a referral only through what hangs off it.
    if (listed === null) expect(response.errors!.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    else expect(listed).toEqual(seen);
  });

  it('complianceDoubts: the list holds exactly the doubts node(id) gives', async () => {
    const response = await t.gql<{ complianceDoubts: { edges: Array<{ node: { id: string } }> } }>('{ complianceDoubts(first: 500) { edges { node { id } } } }', {}, keyOf(who));
    const seen = await seenByNode(await ids('SELECT id FROM compliance_doubt'), keyOf(who));
    if (response.errors) {
      expect(response.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(seen).toEqual([]);
    } else {
      expect(response.data!.complianceDoubts.edges.map((e) => e.node.id).sort()).toEqual(seen);
    }
  });

  it("a referral's handoffs, contacts, doubts, jobs and payments: each list holds exactly what node(id) gives", async () => {
    for (const w of [world, unsubmitted]) {
      const response = await t.gql<{
        referral: { handoffs: Array<{ id: string }>; contacts: { edges: Array<{ node: { id: string } }> }; complianceDoubts: Array<{ id: string }>; jobStarts: Array<{ id: string }>; payments: Array<{ id: string }> } | null;
      }>(
        'query($id: ID!) { referral(id: $id) { handoffs { id } contacts(first: 500) { edges { node { id } } } complianceDoubts { id } jobStarts { id } payments { id } } }',
        { id: w.referral },
        keyOf(who),
      );
      const referral = response.data?.referral;
      if (!referral) continue; // a referral the viewer may not read has no lists to compare
      const key = keyOf(who);
      const of = (table: string) => ids(`SELECT id FROM ${table} WHERE referral_id = $1`, [w.referral]);
      expect(referral.handoffs.map((h) => h.id).sort()).toEqual(await seenByNode(await of('handoff'), key));
      expect(referral.contacts.edges.map((e) => e.node.id).sort()).toEqual(await seenByNode(await of('contact'), key));
      expect(referral.complianceDoubts.map((d) => d.id).sort()).toEqual(await seenByNode(await of('compliance_doubt'), key));
      expect(referral.jobStarts.map((j) => j.id).sort()).toEqual(await seenByNode(await of('job_start'), key));
      expect(referral.payments.map((p) => p.id).sort()).toEqual(await seenByNode(await of('payment'), key));
    }
  });

  it("a referral's changes of circumstances, first appointments, queries, assessments, action plan and progress updates: each list holds exactly what node(id) gives", async () => {
    type Ids = Array<{ id: string }>;
    for (const w of [world, unsubmitted]) {
      const response = await t.gql<{
        node: { circumstanceChanges: Ids; firstAppointments: Ids; queries: Ids; assessments: Ids; actionPlan: { actions: Ids; reviews: Ids } | null; handoffs: Array<{ progressUpdates: Ids }> } | null;
      }>(
        `query($id: ID!) { node(id: $id) { ... on Referral { circumstanceChanges { id } firstAppointments { id } queries { id } assessments { id }
           actionPlan { actions { id } reviews { id } } handoffs { progressUpdates { id } } } } }`,
        { id: w.referral },
        keyOf(who),
      );
      const referral = ok(response).node;
      if (!referral) continue; // a referral the viewer may not read has no lists to compare
      const key = keyOf(who);
      const of = (table: string) => ids(`SELECT id FROM ${table} WHERE referral_id = $1`, [w.referral]);
      const listed = (rows: Ids | undefined) => (rows ?? []).map((row) => row.id).sort();
      expect(listed(referral.circumstanceChanges)).toEqual(await seenByNode(await of('circumstance_change'), key));
      expect(listed(referral.firstAppointments)).toEqual(await seenByNode(await of('first_appointment'), key));
      expect(listed(referral.queries)).toEqual(await seenByNode(await of('referral_query'), key));
      expect(listed(referral.assessments)).toEqual(await seenByNode(await of('assessment'), key));
      expect(listed(referral.actionPlan?.actions)).toEqual(await seenByNode(await of('planned_action'), key));
      expect(listed(referral.actionPlan?.reviews)).toEqual(await seenByNode(await of('action_plan_review'), key));
      expect(listed(referral.handoffs.flatMap((h) => h.progressUpdates))).toEqual(await seenByNode(await of('progress_update'), key));
    }
  });

  it('inbox items: each shows its referral, doubt and handoff exactly when node(id) does', async () => {
    const response = await t.gql<{ inbox: { edges: Array<{ node: { referral: { id: string } | null; complianceDoubt: { id: string } | null; handoff: { id: string } | null } }> } }>(
      '{ inbox(first: 500) { edges { node { referral { id } complianceDoubt { id } handoff { id } } } } }',
      {},
      keyOf(who),
    );
    const items = ok(response).inbox.edges.map((e) => e.node);
    const held: Array<{ referral_id: string | null; compliance_doubt_id: string | null; handoff_id: string | null }> = await t.db.dataSource.query(
      'SELECT referral_id, compliance_doubt_id, handoff_id FROM inbox_item WHERE organisation_id = $1 ORDER BY seq',
      [organisationOf(who)],
    );
    expect(items.length).toBe(held.length);
    const shownWhenSeen = async (id: string | null, shown: { id: string } | null) => {
      if (id) expect(shown?.id ?? null).toBe((await seenByNode([id], keyOf(who)))[0] ?? null);
      else expect(shown).toBeNull();
    };
    for (const [i, item] of items.entries()) {
      await shownWhenSeen(held[i].referral_id, item.referral);
      await shownWhenSeen(held[i].compliance_doubt_id, item.complianceDoubt);
      await shownWhenSeen(held[i].handoff_id, item.handoff);
    }
  });
});

import { addDays, todayUtc } from '../../src/common/dates';
import { Role } from '../../src/auth/access.enums';
import { type Member, type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type GraphQLResponse, type TestServer, startTestServer } from '../helpers/server';
import { withdrawReferral } from '../helpers/journey';

/** Each personal-data leak of issue 12, and the doubt bug, tried as an attacker would, through the real server. */

let t: TestServer;
let c: TestChain;
let otherJobcentre: Member;
let decisionMaker: Member;

const day = (offset: number) => addDays(todayUtc(), offset);

beforeAll(async () => {
  // Every count shown, so that allocationCheck's joint-claim count can be read back.
  t = await startTestServer({ disclosureThreshold: 1 });
  c = await createChain(t, 72);
  const jobcentre = await t.keyFor(Role.JOBCENTRE, 'Jobcentre elsewhere 72');
  otherJobcentre = { id: jobcentre.organisationId, key: jobcentre.secret };
  const dm = await t.keyFor(Role.DECISION_MAKER, 'Decision Makers 72');
  decisionMaker = { id: dm.organisationId, key: dm.secret };
});
afterAll(() => t.close());

const ok = <T>(response: GraphQLResponse<T>): T => {
  if (response.errors || !response.data) throw new Error(JSON.stringify(response.errors));
  return response.data;
};

/** Runs a mutation whose payload must succeed; answers its payload. */
async function must<T>(query: string, variables: Record<string, unknown>, key: string): Promise<T> {
  const data = ok(await t.gql<Record<string, T & { userErrors: Array<{ code: string }> }>>(query, variables, key));
  const payload = Object.values(data)[0];
  if (payload.userErrors.length) throw new Error(`${query}: ${JSON.stringify(payload.userErrors)}`);
  return payload;
}

let references = 0;
interface Claimant {
  nino: string;
  givenName?: string;
  familyName?: string;
  dateOfBirth?: string;
  phone?: string | null;
  email?: string | null;
  healthConditions?: string[];
  riskMarkers?: string[];
  consentToShareHealth?: boolean;
  mappa?: boolean;
}
type Result = { referral: { id: string; participant: { id: string; givenName: string; contact: { phone: string | null; email: string | null } | null; health: { conditions: string[] } | null } } | null; userErrors: Array<{ code: string }> };

async function submit(claimant: Claimant, options: { key?: string; jointClaimantNino?: string; jointClaimReason?: string; cpaCode?: number } = {}): Promise<Result> {
  references += 1;
  const response = ok(
    await t.gql<{ submitReferrals: { results: Result[] } }>(
      `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results {
         referral { id participant { id givenName contact { phone email } health { conditions } } } userErrors { code } } } }`,
      {
        input: {
          referrals: [{
            clientReference: `LEAK-${references}`, cpaCode: options.cpaCode ?? 72, jobcentreDistrict: 'Leaky', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY',
            referredOn: day(-100), jointClaimantNino: options.jointClaimantNino, jointClaimReason: options.jointClaimReason,
            claimant: { givenName: 'Lee', familyName: 'Kidd', dateOfBirth: '1979-02-03', consentToShareHealth: true, ...claimant },
          }],
        },
      },
      options.key ?? c.jobcentre.key,
    ),
  );
  return response.submitReferrals.results[0];
}

const acknowledge = (id: string, prime = c.prime) => must(`mutation($id: ID!) { acknowledgeReferral(input: { referralId: $id }) { userErrors { code } } }`, { id }, prime.key);

async function pass(referralId: string, to: Member, purpose: string, sharedFields: string[], from = c.prime): Promise<string> {
  const payload = await must<{ handoff: { id: string } }>(
    `mutation($input: PassReferralInput!) { passReferral(input: $input) { handoff { id } userErrors { code } } }`,
    { input: { referralId, toOrganisationId: to.id, purpose, sharedFields } },
    from.key,
  );
  return payload.handoff.id;
}
const accept = (handoffId: string, by: Member) => must(`mutation($id: ID!) { respondToHandoff(input: { handoffId: $id, accept: true }) { userErrors { code } } }`, { id: handoffId }, by.key);

async function recordContact(referralId: string, note: string | null, by = c.prime): Promise<string> {
  const payload = await must<{ contact: { id: string } }>(
    `mutation($id: ID!, $at: DateTime!, $note: String) { recordContact(input: { referralId: $id, occurredAt: $at, channel: TELEPHONE, kind: ADVISER_CONTACT, attended: true, note: $note }) { contact { id } userErrors { code } } }`,
    { id: referralId, at: `${day(-90)}T10:00:00Z`, note },
    by.key,
  );
  return payload.contact.id;
}

async function contactsSeen(referralId: string, key: string): Promise<string[] | null> {
  const response = await t.gql<{ referral: { contacts: { edges: Array<{ node: { note: string | null } }> } } | null }>(
    'query($id: ID!) { referral(id: $id) { contacts(first: 50) { edges { node { note } } } } }',
    { id: referralId },
    key,
  );
  return response.data?.referral ? response.data.referral.contacts.edges.map((e) => e.node.note ?? '') : null;
}

const node = async (id: string, key: string) => (await t.gql<{ node: { id: string } | null }>('query($id: ID!) { node(id: $id) { id } }', { id }, key)).data?.node ?? null;

describe('contact notes follow the handoff and its shared fields', () => {
  it('none while OFFERED, none without CONTACT_NOTES, and nothing beyond the name for a MAPPA case', async () => {
    const open = (await submit({ nino: nino(1, 'LK') })).referral!.id;
    const note = await recordContact(open, 'Lives at the hostel; the victim lives nearby');
    // Offered with CONTACT_NOTES: nothing until it is accepted.
    const offered = await pass(open, c.endToEnd, 'END_TO_END_DELIVERY', ['CONTACT_NOTES']);
    expect(await contactsSeen(open, c.endToEnd.key)).toEqual([]);
    expect(await node(note, c.endToEnd.key)).toBeNull();
    await accept(offered, c.endToEnd);
    expect(await contactsSeen(open, c.endToEnd.key)).toEqual(['Lives at the hostel; the victim lives nearby']);
    expect(await node(note, c.endToEnd.key)).toEqual({ id: note });
    // Accepted, but sharing nothing: the specialist reads the referral, not its contacts.
    await accept(await pass(open, c.specialist, 'SPECIALIST_SUPPORT', []), c.specialist);
    expect(await contactsSeen(open, c.specialist.key)).toEqual([]);
    expect(await node(note, c.specialist.key)).toBeNull();

    // A MAPPA case takes no note at all (RESTRICTED_RECORD_FREE_TEXT, below), and shares no field, so no contact goes down the chain.
    const mappa = (await submit({ nino: nino(2, 'LK'), mappa: true })).referral!.id;
    const mappaNote = await recordContact(mappa, null);
    const refused = await t.gql<{ passReferral: { userErrors: Array<{ code: string }> } }>(
      `mutation($input: PassReferralInput!) { passReferral(input: $input) { userErrors { code } } }`,
      { input: { referralId: mappa, toOrganisationId: c.endToEnd.id, purpose: 'END_TO_END_DELIVERY', sharedFields: ['CONTACT_NOTES'] } },
      c.prime.key,
    );
    expect(refused.data!.passReferral.userErrors.map((e) => e.code)).toEqual(['RESTRICTED_RECORD']);
    await accept(await pass(mappa, c.endToEnd, 'END_TO_END_DELIVERY', []), c.endToEnd);
    expect(await contactsSeen(mappa, c.endToEnd.key)).toEqual([]);
    expect(await node(mappaNote, c.endToEnd.key)).toBeNull();
    const person = ok(await t.gql<{ referral: { participant: { givenName: string; dateOfBirth: string | null; contact: unknown } } }>(
      'query($id: ID!) { referral(id: $id) { participant { givenName dateOfBirth contact { phone } } } }', { id: mappa }, c.endToEnd.key,
    ));
    expect(person.referral.participant).toEqual({ givenName: 'Lee', dateOfBirth: null, contact: null });
  });
});

describe('a person is not matched on NINO alone', () => {
  it('refuses another name or date of birth with IDENTITY_MISMATCH, giving nothing back', async () => {
    const person = nino(10, 'LK');
    const first = await submit({ nino: person, phone: '01000 100100', email: 'first@example.invalid', healthConditions: ['asthma'] });
    expect(first.userErrors).toEqual([]);
    for (const other of [{ givenName: 'Someone' }, { dateOfBirth: '1990-09-09' }]) {
      const second = await submit({ nino: person, ...other }, { key: otherJobcentre.key });
      expect(second).toEqual({ referral: null, userErrors: [{ code: 'IDENTITY_MISMATCH' }] });
    }
  });

  it("keeps what each referral was sent with: a Jobcentre sees only its own, and another's submission overwrites nothing", async () => {
    const person = nino(11, 'LK');
    const first = (await submit({ nino: person, phone: '01000 111111', email: 'a@example.invalid', healthConditions: ['asthma'] })).referral!;
    await withdrawReferral(t, first.id, c.prime.key, c.jobcentre.key);
    // The same person (any letter case), referred by another Jobcentre that sent no contact details.
    const second = await submit({ nino: person, givenName: 'LEE', phone: null, email: null, healthConditions: ['back pain'] }, { key: otherJobcentre.key });
    expect(second.userErrors).toEqual([]);
    expect(second.referral!.participant.contact).toEqual({ phone: null, email: null });
    expect(second.referral!.participant.health).toEqual({ conditions: ['back pain'] });
    // The first Jobcentre still reads what it sent.
    const mine = ok(await t.gql<{ referral: { participant: { contact: { phone: string | null }; health: { conditions: string[] } | null } } }>(
      'query($id: ID!) { referral(id: $id) { participant { contact { phone } health { conditions } } } }', { id: first.id }, c.jobcentre.key,
    ));
    expect(mine.referral.participant).toEqual({ contact: { phone: '01000 111111' }, health: { conditions: ['asthma'] } });
    const kept = await t.db.dataSource.query('SELECT phone FROM referral_claimant WHERE referral_id = ANY($1) ORDER BY created_at', [[first.id, second.referral!.id]]);
    expect(kept).toEqual([{ phone: '01000 111111' }, { phone: null }]);
  });
});

describe('a referral moved by overrideAllocation', () => {
  it('shows the new prime nothing exchanged in the previous chain, through the referral or node(id)', async () => {
    const id = (await submit({ nino: nino(20, 'LK') })).referral!.id;
    await acknowledge(id);
    const handoff = await pass(id, c.endToEnd, 'END_TO_END_DELIVERY', ['CONTACT_NOTES']);
    await accept(handoff, c.endToEnd);
    const note = await recordContact(id, 'Told us about the rent arrears');
    const subsNote = await recordContact(id, 'Met at the food bank', c.endToEnd);
    await must(
      `mutation($id: ID!, $contract: ID!) { overrideAllocation(input: { referralId: $id, contractId: $contract, reason: "Closer to home" }) { userErrors { code } } }`,
      { id, contract: c.area.contracts[1].id },
      c.jobcentre.key,
    );
    const seen = ok(await t.gql<{ referral: { handoffs: unknown[]; contacts: { totalCount: number } } }>(
      'query($id: ID!) { referral(id: $id) { handoffs { id } contacts(first: 50) { totalCount } } }', { id }, c.otherPrime.key,
    ));
    expect(seen.referral).toEqual({ handoffs: [], contacts: { totalCount: 0 } });
    for (const old of [handoff, note, subsNote]) expect(await node(old, c.otherPrime.key)).toBeNull();
    // The old chain's handoff ended with the move: its receiver no longer reads the referral.
    expect(await node(id, c.endToEnd.key)).toBeNull();
    // What the new prime records is its own.
    const fresh = await recordContact(id, 'First meeting', c.otherPrime);
    expect(await node(fresh, c.otherPrime.key)).toEqual({ id: fresh });
    expect((await t.gql<{ referral: { contacts: { totalCount: number } } }>('query($id: ID!) { referral(id: $id) { contacts { totalCount } } }', { id }, c.otherPrime.key)).data!.referral.contacts.totalCount).toBe(1);
  });
});

describe('a restricted (MAPPA) record', () => {
  it('never stores contact, health or risk data again, even when referred without the flag', async () => {
    const person = nino(30, 'LK');
    const first = (await submit({ nino: person, mappa: true, phone: '01000 300300', healthConditions: ['ptsd'], riskMarkers: ['violence'] })).referral!;
    await withdrawReferral(t, first.id, c.prime.key, c.jobcentre.key);
    const again = await submit({ nino: person, phone: '01000 300301', email: 'x@example.invalid', healthConditions: ['ptsd'], riskMarkers: ['violence'] });
    expect(again.userErrors).toEqual([]);
    const [row] = await t.db.dataSource.query('SELECT restricted, address, phone, email, health_encrypted, risk_markers_encrypted FROM participant WHERE id = $1', [first.participant.id]);
    expect(row).toEqual({ restricted: true, address: null, phone: null, email: null, health_encrypted: null, risk_markers_encrypted: null });
    const copies = await t.db.dataSource.query(
      'SELECT phone, email, health_encrypted, risk_markers_encrypted FROM referral_claimant WHERE referral_id = ANY($1)',
      [[first.id, again.referral!.id]],
    );
    expect(copies).toEqual([
      { phone: null, email: null, health_encrypted: null, risk_markers_encrypted: null },
      { phone: null, email: null, health_encrypted: null, risk_markers_encrypted: null },
    ]);
  });
});

describe('a restricted (MAPPA) record', () => {
  it('takes no free text and no employer name anywhere: contacts, jobs, doubts, handoffs (RESTRICTED_RECORD_FREE_TEXT), and nothing is written', async () => {
    const journey = await (await (await Journey.refer(t, c, { referredOn: day(-60), claimant: { mappa: true } })).acknowledge()).attach(day(-50));
    const id = journey.referralId;
    const codesOf = async (query: string, input: Record<string, unknown>, key = c.prime.key) => {
      const data = ok(await t.gql<Record<string, { userErrors: Array<{ code: string; field: string[] }> }>>(query, { input: { referralId: id, ...input } }, key));
      return Object.values(data)[0].userErrors.map((e) => `${e.code} ${e.field.join('.')}`);
    };
    expect(await codesOf('mutation($input: RecordContactInput!) { recordContact(input: $input) { userErrors { code field } } }',
      { occurredAt: `${day(-40)}T10:00:00Z`, kind: 'ADVISER_CONTACT', attended: true, channel: 'FACE_TO_FACE', note: 'Lives at the hostel' })).toEqual(['RESTRICTED_RECORD_FREE_TEXT note']);
    expect(await codesOf('mutation($input: RecordJobStartInput!) { recordJobStart(input: $input) { userErrors { code field } } }',
      { startedOn: day(-30), employerName: 'Acme Ltd' })).toEqual(['RESTRICTED_RECORD_FREE_TEXT employerName']);
    expect(await codesOf('mutation($input: RaiseComplianceDoubtInput!) { raiseComplianceDoubt(input: $input) { userErrors { code field } } }',
      { type: 'ENTITLEMENT_DOUBT', occurredOn: day(-20), description: 'Seen working at the hostel' })).toEqual(['RESTRICTED_RECORD_FREE_TEXT description']);
    expect(await codesOf('mutation($input: PassReferralInput!) { passReferral(input: $input) { userErrors { code field } } }',
      { toOrganisationId: c.endToEnd.id, purpose: 'END_TO_END_DELIVERY', sharedFields: [], note: 'Victim lives nearby' })).toEqual(['RESTRICTED_RECORD_FREE_TEXT note']);
    const [written] = await t.db.dataSource.query(
      `SELECT (SELECT count(*) FROM contact WHERE referral_id = $1)::int AS contacts, (SELECT count(*) FROM job_start WHERE referral_id = $1)::int AS jobs,
              (SELECT count(*) FROM compliance_doubt WHERE referral_id = $1)::int AS doubts, (SELECT count(*) FROM handoff WHERE referral_id = $1)::int AS handoffs`,
      [id],
    );
    expect(written).toEqual({ contacts: 0, jobs: 0, doubts: 0, handoffs: 0 });
    // The same without the words is recorded: a doubt's type, day and nothing more.
    expect(await codesOf('mutation($input: RecordJobStartInput!) { recordJobStart(input: $input) { userErrors { code field } } }', { startedOn: day(-30) })).toEqual([]);
    expect(await codesOf('mutation($input: RaiseComplianceDoubtInput!) { raiseComplianceDoubt(input: $input) { userErrors { code field } } }',
      { type: 'ENTITLEMENT_DOUBT', occurredOn: day(-20), description: '' })).toEqual([]);
    // Handed on by name only, and withdrawn with no words: the reason is refused, not required.
    const handoffId = await pass(id, c.endToEnd, 'END_TO_END_DELIVERY', []);
    const withdraw = (reason: string) =>
      t.gql<{ withdrawHandoff: { userErrors: Array<{ code: string }> } }>('mutation($id: ID!, $reason: String!) { withdrawHandoff(input: { handoffId: $id, reason: $reason }) { userErrors { code } } }', { id: handoffId, reason }, c.prime.key);
    expect((await withdraw('Victim lives nearby')).data!.withdrawHandoff.userErrors.map((e) => e.code)).toEqual(['RESTRICTED_RECORD_FREE_TEXT']);
    expect((await withdraw('')).data!.withdrawHandoff.userErrors).toEqual([]);
  });
});

describe('joint claims', () => {
  it('need the same Jobcentre, one partner each and a reason, and are counted by allocationCheck', async () => {
    const partner = nino(40, 'LK');
    expect((await submit({ nino: partner })).userErrors).toEqual([]);
    // Another Jobcentre naming this Jobcentre's claimant learns nothing, and steers nothing.
    const stranger = await submit({ nino: nino(41, 'LK') }, { key: otherJobcentre.key, jointClaimantNino: partner, jointClaimReason: 'Couple' });
    expect(stranger.userErrors.map((e) => e.code)).toEqual(['JOINT_CLAIMANT_NOT_REFERRED']);
    const unexplained = await submit({ nino: nino(42, 'LK') }, { jointClaimantNino: partner });
    expect(unexplained.userErrors.map((e) => e.code)).toEqual(['JOINT_CLAIM_REASON_REQUIRED']);
    const couple = await submit({ nino: nino(43, 'LK') }, { jointClaimantNino: partner, jointClaimReason: 'Couple claiming together' });
    expect(couple.userErrors).toEqual([]);
    const third = await submit({ nino: nino(44, 'LK') }, { jointClaimantNino: partner, jointClaimReason: 'Another partner' });
    expect(third.userErrors.map((e) => e.code)).toEqual(['JOINT_CLAIMANT_HAS_PARTNER']);
    // ...nor can the joint claimant be claimed with in turn.
    const onward = await submit({ nino: nino(45, 'LK') }, { jointClaimantNino: nino(43, 'LK'), jointClaimReason: 'Another partner' });
    expect(onward.userErrors.map((e) => e.code)).toEqual(['JOINT_CLAIMANT_HAS_PARTNER']);

    const check = ok(await t.gql<{ allocationCheck: { jointClaimReferrals: number | null; shares: Array<{ jointClaimReferrals: number | null }> } }>(
      `query($from: Date!, $to: Date!) { allocationCheck(cpaCode: 72, from: $from, to: $to) { jointClaimReferrals shares { jointClaimReferrals } } }`,
      { from: day(-130), to: day(-70) },
      c.analyst.key,
    ));
    expect(check.allocationCheck.jointClaimReferrals).toBe(1);
    expect(check.allocationCheck.shares.map((s) => s.jointClaimReferrals)).toEqual([1]);
  });

  it('stay together: an override of one partner moves both, or neither once the partner is attached (JOINT_CLAIM)', async () => {
    const override = async (referralId: string) =>
      ok(await t.gql<{ overrideAllocation: { referral: { id: string } | null; userErrors: Array<{ code: string }> } }>(
        `mutation($id: ID!, $contract: ID!) { overrideAllocation(input: { referralId: $id, contractId: $contract, reason: "Nearer the couple's home", reasonCategory: ACCESSIBILITY }) { referral { id } userErrors { code } } }`,
        { id: referralId, contract: c.area.contracts[1].id },
        c.jobcentre.key,
      ));
    const contractOf = async (id: string) => (await t.db.dataSource.query('SELECT contract_id FROM referral WHERE id = $1', [id]))[0].contract_id;
    const first = (await submit({ nino: nino(46, 'LK') })).referral!.id;
    const second = (await submit({ nino: nino(47, 'LK') }, { jointClaimantNino: nino(46, 'LK'), jointClaimReason: 'Couple claiming together' })).referral!.id;
    expect((await override(second)).overrideAllocation.userErrors).toEqual([]);
    expect([await contractOf(first), await contractOf(second)]).toEqual([c.area.contracts[1].id, c.area.contracts[1].id]);
    const told = await t.db.dataSource.query(`SELECT referral_id FROM inbox_item WHERE organisation_id = $1 AND kind = 'REFERRAL_ALLOCATED' AND referral_id = ANY($2)`, [c.otherPrime.id, [first, second]]);
    expect(told.map((row: { referral_id: string }) => row.referral_id).sort()).toEqual([first, second].sort());

    const attachedPartner = (await submit({ nino: nino(48, 'LK') })).referral!.id;
    const joined = (await submit({ nino: nino(49, 'LK') }, { jointClaimantNino: nino(48, 'LK'), jointClaimReason: 'Couple claiming together' })).referral!.id;
    await acknowledge(attachedPartner);
    await must(`mutation($id: ID!, $on: Date!) { recordAttachment(input: { referralId: $id, attachedOn: $on }) { userErrors { code } } }`, { id: attachedPartner, on: day(-90) }, c.prime.key);
    expect((await override(joined)).overrideAllocation.userErrors.map((e) => e.code)).toEqual(['JOINT_CLAIM']);
    expect([await contractOf(attachedPartner), await contractOf(joined)]).toEqual([c.area.contracts[0].id, c.area.contracts[0].id]);
  });
});

describe('a decided compliance doubt (the bug)', () => {
  it('is seen alike by the referring Jobcentre in its inbox, on the referral, through node(id) and in complianceDoubts', async () => {
    const id = (await submit({ nino: nino(50, 'LK') })).referral!.id;
    await acknowledge(id);
    await must(`mutation($id: ID!, $on: Date!) { recordAttachment(input: { referralId: $id, attachedOn: $on }) { userErrors { code } } }`, { id, on: day(-95) }, c.prime.key);
    const doubt = (await must<{ complianceDoubt: { id: string } }>(
      `mutation($id: ID!, $on: Date!) { raiseComplianceDoubt(input: { referralId: $id, type: ENTITLEMENT_DOUBT, occurredOn: $on, description: "Working cash in hand" }) { complianceDoubt { id } userErrors { code } } }`,
      { id, on: day(-60) },
      c.prime.key,
    )).complianceDoubt.id;
    const paths = async (key: string) => {
      const inbox = ok(await t.gql<{ inbox: { edges: Array<{ node: { complianceDoubt: { id: string } | null } }> } }>('{ inbox(first: 500, kinds: [COMPLIANCE_DECISION]) { edges { node { complianceDoubt { id } } } } }', {}, key));
      const onReferral = ok(await t.gql<{ referral: { complianceDoubts: Array<{ id: string }> } }>('query($id: ID!) { referral(id: $id) { complianceDoubts { id } } }', { id }, key));
      const listed = ok(await t.gql<{ complianceDoubts: { edges: Array<{ node: { id: string } }> } }>('{ complianceDoubts(first: 500) { edges { node { id } } } }', {}, key));
      return {
        inbox: inbox.inbox.edges.some((e) => e.node.complianceDoubt?.id === doubt),
        referral: onReferral.referral.complianceDoubts.some((d) => d.id === doubt),
        node: (await node(doubt, key)) !== null,
        list: listed.complianceDoubts.edges.some((e) => e.node.id === doubt),
      };
    };
    expect(await paths(c.jobcentre.key)).toEqual({ inbox: false, referral: false, node: false, list: false });
    await must(
      `mutation($id: ID!) { decideComplianceDoubt(input: { complianceDoubtId: $id, outcome: NOT_APPLIED_GOOD_REASON, reason: "Was at a funeral" }) { userErrors { code } } }`,
      { id: doubt },
      decisionMaker.key,
    );
    expect(await paths(c.jobcentre.key)).toEqual({ inbox: true, referral: true, node: true, list: true });
    // Another Jobcentre sees it nowhere.
    const elsewhere = ok(await t.gql<{ complianceDoubts: { edges: unknown[] } }>('{ complianceDoubts(first: 500) { edges { node { id } } } }', {}, otherJobcentre.key));
    expect(elsewhere.complianceDoubts.edges).toEqual([]);
    expect(await node(doubt, otherJobcentre.key)).toBeNull();
  });
});

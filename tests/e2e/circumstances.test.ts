import { BenefitChanges1795437100000 } from '../../migrations/1795437100000-BenefitChanges';
import { Role } from '../../src/auth/access.enums';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';
import { FROM_THE_START, subscribe } from '../helpers/subscriber';

/**
 * Changes of circumstances, both ways (issue 15, item 1; 002:1214, 002:1650, 002:1926, 002:2174):
 * the Jobcentre's reach the chain holding the referral with the details each may see; a
 * provider's reach the Jobcentre, which answers; a status change stops doubts about later days.
 */
let t: TestServer;
let c: TestChain;
let decisionMaker: { secret: string; organisationId: string };

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 66);
  decisionMaker = await t.keyFor(Role.DECISION_MAKER, 'Decision Makers 66');
}, 60000);

afterAll(async () => t?.close());

type Change = { id: string; kind: string; action: string | null; actionNote: string | null; validUntil: string | null; newContactDetails: { phone: string | null; address: { postcode: string } | null } | null };
type Payload = { circumstanceChange: Change | null; userErrors: Array<{ code: string; field: string[] | null }> };
const CHANGE = 'id kind action actionNote validUntil newContactDetails { phone address { postcode } }';

async function report(input: Record<string, unknown>, key: string): Promise<Payload> {
  const response = await t.gql<{ reportCircumstanceChange: Payload }>(
    `mutation($input: ReportCircumstanceChangeInput!) { reportCircumstanceChange(input: $input) { circumstanceChange { ${CHANGE} } userErrors { code field } } }`,
    { input },
    key,
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!.reportCircumstanceChange;
}

async function answer(input: Record<string, unknown>, key: string) {
  return t.gql<{ actionCircumstanceChange: Payload }>(
    `mutation($input: ActionCircumstanceChangeInput!) { actionCircumstanceChange(input: $input) { circumstanceChange { ${CHANGE} } userErrors { code field } } }`,
    { input },
    key,
  );
}

const codes = (payload: Payload) => payload.userErrors.map((e) => e.code);

/** The CIRCUMSTANCES_CHANGED-family items about a referral in an organisation's inbox, with what that organisation sees of the change. */
async function told(key: string, referralId: string) {
  const response = await t.gql<{ inbox: { edges: Array<{ node: { kind: string; referral: { id: string } | null; circumstanceChange: Change | null } }> } }>(
    `{ inbox(first: 500, kinds: [CIRCUMSTANCES_CHANGED, CIRCUMSTANCE_CHANGE_ACTIONED]) { edges { node { kind referral { id } circumstanceChange { ${CHANGE} } } } } }`,
    {},
    key,
  );
  return response.data!.inbox.edges.map((e) => e.node).filter((node) => node.referral?.id === referralId);
}

const referredOn = '2025-09-01';
async function attached(): Promise<Journey> {
  return (await (await Journey.refer(t, c, { referredOn })).acknowledge()).attach('2025-09-08');
}

describe("the Jobcentre's report", () => {
  it("updates the record and reaches the prime and every live holder with only the details each may see, live and on replay; not an ended holder", async () => {
    const journey = await attached();
    const sharing = await journey.handOn(c.endToEnd, { sharedFields: ['CONTACT_DETAILS'] });
    expect(sharing).toBeTruthy();
    await journey.handOn(c.specialist, { purpose: 'SPECIALIST_SUPPORT' }); // shares nothing
    const ended = await journey.handOn(c.inWork, { purpose: 'IN_WORK_SUPPORT' });
    await t.gql('mutation($id: ID!) { withdrawHandoff(input: { handoffId: $id, reason: "Not needed" }) { userErrors { code } } }', { id: ended }, c.prime.key);
    const live = await subscribe(t.url, c.endToEnd.key, 'inboxItemAdded', { kinds: ['CIRCUMSTANCES_CHANGED'] }, 'kind referral { id } circumstanceChange { kind }');

    const moved = await report({ referralId: journey.referralId, kind: 'PHONE', effectiveOn: '2025-10-01', phone: '07700 900123' }, c.jobcentre.key);
    expect(moved).toMatchObject({ circumstanceChange: { kind: 'PHONE', newContactDetails: { phone: '07700 900123' } }, userErrors: [] });

    // The record: the prime reads the new number on the participant.
    const participant = await t.gql<{ referral: { participant: { contact: { phone: string | null } | null } } }>(
      'query($id: ID!) { referral(id: $id) { participant { contact { phone } } } }', { id: journey.referralId }, c.prime.key);
    expect(participant.data!.referral.participant.contact!.phone).toBe('07700 900123');

    expect((await told(c.prime.key, journey.referralId)).map((n) => [n.kind, n.circumstanceChange?.newContactDetails?.phone])).toEqual([['CIRCUMSTANCES_CHANGED', '07700 900123']]);
    expect((await told(c.endToEnd.key, journey.referralId)).map((n) => n.circumstanceChange?.newContactDetails?.phone)).toEqual(['07700 900123']);
    // The specialist holds the referral but was not handed contact details: a change of them does not reach it, nor show to it.
    const rows = async (organisationId: string) =>
      (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM inbox_item WHERE organisation_id = $1 AND referral_id = $2 AND kind = 'CIRCUMSTANCES_CHANGED'`, [organisationId, journey.referralId]))[0].n;
    for (const outsider of [c.specialist, c.inWork, c.otherPrime, c.secondEndToEnd, c.jobcentre]) expect(await rows(outsider.id)).toBe(0);
    const seen = await t.gql<{ referral: { circumstanceChanges: unknown[] } }>('query($id: ID!) { referral(id: $id) { circumstanceChanges { id } } }', { id: journey.referralId }, c.specialist.key);
    expect(seen.data!.referral.circumstanceChanges).toEqual([]);
    // A change that speaks of no participant field reaches every live holder.
    await report({ referralId: journey.referralId, kind: 'MOVED_AREA', effectiveOn: '2025-10-02' }, c.jobcentre.key);
    expect(await rows(c.specialist.id)).toBe(1);

    await live.until(1);
    expect(live.items[0]).toMatchObject({ kind: 'CIRCUMSTANCES_CHANGED', referral: { id: journey.referralId }, circumstanceChange: { kind: 'PHONE' } });
    await live.close();
    const replay = await subscribe(t.url, c.prime.key, 'inboxItemAdded', { kinds: ['CIRCUMSTANCES_CHANGED'], after: FROM_THE_START }, 'kind referral { id }');
    await replay.until(1);
    expect(replay.items.map((item) => item.referral?.id)).toContain(journey.referralId);
    await replay.close();

    // A later change of the same kind: the history says until when the first held.
    await report({ referralId: journey.referralId, kind: 'PHONE', effectiveOn: '2025-11-01', phone: '07700 900456' }, c.jobcentre.key);
    const history = await t.gql<{ referral: { circumstanceChanges: Array<{ kind: string; newContactDetails: { phone: string } | null; validUntil: string | null }> } }>(
      'query($id: ID!) { referral(id: $id) { circumstanceChanges { kind newContactDetails { phone } validUntil } } }', { id: journey.referralId }, c.jobcentre.key);
    expect(history.data!.referral.circumstanceChanges.filter((change) => change.kind === 'PHONE').map(({ kind: _kind, ...rest }) => rest)).toEqual([
      { newContactDetails: { phone: '07700 900123' }, validUntil: '2025-11-01' },
      { newContactDetails: { phone: '07700 900456' }, validUntil: null },
    ]);
  });

  it('is refused with clear codes when its details do not fit its kind, and takes no free text on a restricted record', async () => {
    const journey = await attached();
    expect(codes(await report({ referralId: journey.referralId, kind: 'ADDRESS', effectiveOn: '2025-10-01' }, c.jobcentre.key))).toEqual(['CHANGE_DETAILS_MISMATCH']);
    expect(codes(await report({ referralId: journey.referralId, kind: 'PHONE', effectiveOn: '2025-10-01', phone: '07700 900123', email: 'a@b.example' }, c.jobcentre.key))).toEqual(['CHANGE_DETAILS_MISMATCH']);
    expect(codes(await report({ referralId: journey.referralId, kind: 'EMAIL', effectiveOn: '2025-10-01', email: 'not an email' }, c.jobcentre.key))).toEqual(['INVALID_EMAIL']);
    expect(codes(await report({ referralId: journey.referralId, kind: 'OTHER', effectiveOn: '2025-10-01' }, c.jobcentre.key))).toEqual(['DESCRIPTION_REQUIRED']);
    expect(codes(await report({ referralId: journey.referralId, kind: 'HOSPITAL', effectiveOn: '2024-01-01' }, c.jobcentre.key))).toEqual(['DATE_BEFORE_REFERRAL']);
    expect(codes(await report({ referralId: journey.referralId, kind: 'HOSPITAL', effectiveOn: '2025-10-01' }, c.otherPrime.key))).toEqual(['UNKNOWN_REFERRAL']);
    const mappa = await (await Journey.refer(t, c, { referredOn, claimant: { mappa: true } })).acknowledge();
    expect(codes(await report({ referralId: mappa.referralId, kind: 'OTHER', effectiveOn: '2025-10-01', description: 'Moved to the hostel on King St' }, c.jobcentre.key))).toEqual(['RESTRICTED_RECORD_FREE_TEXT']);
    expect(codes(await report({ referralId: mappa.referralId, kind: 'IN_CUSTODY', effectiveOn: '2025-10-01' }, c.jobcentre.key))).toEqual([]);
    const written = await t.db.dataSource.query('SELECT count(*)::int AS n FROM circumstance_change WHERE referral_id = $1', [journey.referralId]);
    expect(written[0].n).toBe(0);
  });
});

describe('a change of benefit', () => {
  type Claim = { benefit: string | null; claimStartedOn: string | null; endedOn: string | null } | null;
  const claim = async (referralId: string, key: string): Promise<Claim> => {
    const response = await t.gql<{ referral: { participant: { benefitClaim: Claim } } }>(
      'query($id: ID!) { referral(id: $id) { participant { benefitClaim { benefit claimStartedOn endedOn } } } }', { id: referralId }, key);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!.referral.participant.benefitClaim;
  };

  it("is the referral record's benefit claim: the Jobcentre's at once, a provider's once confirmed, never one overtaken by a later change", async () => {
    const journey = await (await Journey.refer(t, c, { referredOn, record: { benefit: 'JSA', claimStartedOn: '2025-06-02' } })).acknowledge();
    await journey.attach('2025-09-08');
    await journey.handOn(c.endToEnd, { sharedFields: ['BENEFIT'] });
    await journey.handOn(c.specialist, { purpose: 'SPECIALIST_SUPPORT' }); // not handed BENEFIT
    expect(await claim(journey.referralId, c.prime.key)).toEqual({ benefit: 'JSA', claimStartedOn: '2025-06-02', endedOn: null });

    // The Jobcentre's move to ESA is the claim at once, for everyone who sees BENEFIT.
    expect(codes(await report({ referralId: journey.referralId, kind: 'BENEFIT_CHANGED', effectiveOn: '2025-10-01', benefitFrom: 'JSA', benefitTo: 'ESA' }, c.jobcentre.key))).toEqual([]);
    const esa = { benefit: 'ESA', claimStartedOn: '2025-10-01', endedOn: null };
    for (const member of [c.jobcentre, c.prime, c.endToEnd]) expect(await claim(journey.referralId, member.key)).toEqual(esa);
    expect(await claim(journey.referralId, c.specialist.key)).toBeNull();

    // A provider's report that the claim ended waits for the Jobcentre to confirm it.
    const ended = await report({ referralId: journey.referralId, kind: 'BENEFIT_ENDED', effectiveOn: '2025-11-03', benefitEndedReason: 'WORK' }, c.prime.key);
    expect(await claim(journey.referralId, c.prime.key)).toEqual(esa);
    expect((await answer({ circumstanceChangeId: ended.circumstanceChange!.id, action: 'ACTIONED' }, c.jobcentre.key)).data!.actionCircumstanceChange.userErrors).toEqual([]);
    const endedClaim = { benefit: 'ESA', claimStartedOn: '2025-10-01', endedOn: '2025-11-03' };
    expect(await claim(journey.referralId, c.endToEnd.key)).toEqual(endedClaim);

    // A change from an earlier day, reported late, does not undo what a later one made of the claim; it stays in the history.
    expect(codes(await report({ referralId: journey.referralId, kind: 'BENEFIT_CHANGED', effectiveOn: '2025-10-20', benefitTo: 'JSA' }, c.jobcentre.key))).toEqual([]);
    expect(await claim(journey.referralId, c.prime.key)).toEqual(endedClaim);
    // A new claim after it ended starts afresh; one the Jobcentre did not confirm changes nothing.
    const refused = await report({ referralId: journey.referralId, kind: 'BENEFIT_CHANGED', effectiveOn: '2025-12-01', benefitTo: 'IB_IS' }, c.prime.key);
    await answer({ circumstanceChangeId: refused.circumstanceChange!.id, action: 'NOT_ACTIONED', note: 'No such claim' }, c.jobcentre.key);
    expect(await claim(journey.referralId, c.prime.key)).toEqual(endedClaim);
    await report({ referralId: journey.referralId, kind: 'BENEFIT_CHANGED', effectiveOn: '2025-12-08', benefitTo: 'JSA' }, c.jobcentre.key);
    expect(await claim(journey.referralId, c.prime.key)).toEqual({ benefit: 'JSA', claimStartedOn: '2025-12-08', endedOn: null });
    const history = await t.gql<{ referral: { circumstanceChanges: Array<{ kind: string; benefitTo: string | null; validUntil: string | null }> } }>(
      'query($id: ID!) { referral(id: $id) { circumstanceChanges { kind benefitTo validUntil } } }', { id: journey.referralId }, c.jobcentre.key);
    expect(history.data!.referral.circumstanceChanges.filter((change) => change.kind === 'BENEFIT_CHANGED').map(({ benefitTo, validUntil }) => [benefitTo, validUntil])).toEqual([
      // The change the Jobcentre did not act on ended none, and held none.
      ['ESA', '2025-10-20'], ['JSA', '2025-12-08'], ['IB_IS', '2025-12-08'], ['JSA', null],
    ]);
  });

  it('reported before the migration that made it the claim, is applied by that migration, in order', async () => {
    const changedThenEnded = await attached();
    const endedThenChanged = await (await Journey.refer(t, c, { referredOn, record: { benefit: 'JSA', claimStartedOn: '2025-06-02' } })).acknowledge();
    const notConfirmed = await (await Journey.refer(t, c, { referredOn, record: { benefit: 'JSA', claimStartedOn: '2025-06-02' } })).acknowledge();
    const insert = (referralId: string, kind: string, effectiveOn: string, benefitTo: string | null, by = c.jobcentre.id, action: string | null = null) =>
      t.db.dataSource.query(
        `INSERT INTO circumstance_change (referral_id, reported_by, effective_on, kind, benefit_to, benefit_ended_reason, action) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [referralId, by, effectiveOn, kind, benefitTo, kind === 'BENEFIT_ENDED' ? 'OTHER' : null, action],
      );
    await insert(changedThenEnded.referralId, 'BENEFIT_CHANGED', '2025-10-01', 'ESA');
    await insert(changedThenEnded.referralId, 'BENEFIT_CHANGED', '2025-09-20', 'IB_IS');
    await insert(changedThenEnded.referralId, 'BENEFIT_ENDED', '2025-11-03', null, c.prime.id, 'ACTIONED');
    await insert(endedThenChanged.referralId, 'BENEFIT_ENDED', '2025-10-01', null);
    await insert(endedThenChanged.referralId, 'BENEFIT_CHANGED', '2025-10-15', 'ESA');
    await insert(notConfirmed.referralId, 'BENEFIT_CHANGED', '2025-10-15', 'ESA', c.prime.id, 'NOT_ACTIONED');
    // On one day, as the API applies them: the one reported last holds (here a new claim after the end).
    const sameDay = await (await Journey.refer(t, c, { referredOn, record: { benefit: 'JSA', claimStartedOn: '2025-06-02' } })).acknowledge();
    await insert(sameDay.referralId, 'BENEFIT_ENDED', '2025-10-01', null);
    await insert(sameDay.referralId, 'BENEFIT_CHANGED', '2025-10-01', 'ESA');
    const runner = t.db.dataSource.createQueryRunner();
    try {
      const migration = new BenefitChanges1795437100000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await claim(changedThenEnded.referralId, c.prime.key)).toEqual({ benefit: 'ESA', claimStartedOn: '2025-10-01', endedOn: '2025-11-03' });
    expect(await claim(endedThenChanged.referralId, c.prime.key)).toEqual({ benefit: 'ESA', claimStartedOn: '2025-10-15', endedOn: null });
    expect(await claim(notConfirmed.referralId, c.prime.key)).toEqual({ benefit: 'JSA', claimStartedOn: '2025-06-02', endedOn: null });
    expect(await claim(sameDay.referralId, c.prime.key)).toEqual({ benefit: 'ESA', claimStartedOn: '2025-10-01', endedOn: null });
  });

  it('shows the benefits it speaks of only to those who may see the participant\'s benefit, and its reporter', async () => {
    const journey = await attached();
    await journey.handOn(c.endToEnd, { sharedFields: ['BENEFIT'] });
    await journey.handOn(c.specialist, { purpose: 'SPECIALIST_SUPPORT' }); // shares nothing
    await report({ referralId: journey.referralId, kind: 'BENEFIT_CHANGED', effectiveOn: '2025-10-01', benefitFrom: 'JSA', benefitTo: 'ESA' }, c.jobcentre.key);
    const seen = async (key: string) =>
      (await t.gql<{ referral: { circumstanceChanges: Array<{ kind: string; benefitFrom: string | null; benefitTo: string | null }> } }>(
        'query($id: ID!) { referral(id: $id) { circumstanceChanges { kind benefitFrom benefitTo } } }', { id: journey.referralId }, key)).data!.referral.circumstanceChanges;
    for (const key of [c.jobcentre.key, c.prime.key, c.endToEnd.key]) expect(await seen(key)).toEqual([{ kind: 'BENEFIT_CHANGED', benefitFrom: 'JSA', benefitTo: 'ESA' }]);
    // The specialist must know the status changed (its doubts about later days are refused), not to what.
    expect(await seen(c.specialist.key)).toEqual([{ kind: 'BENEFIT_CHANGED', benefitFrom: null, benefitTo: null }]);
  });

  it("says why a claim ended only to those who may see the participant's benefit, and records each read of the change's details", async () => {
    const journey = await attached();
    await journey.handOn(c.endToEnd, { sharedFields: ['BENEFIT'] });
    await journey.handOn(c.specialist, { purpose: 'SPECIALIST_SUPPORT' }); // shares nothing
    const ended = await report({ referralId: journey.referralId, kind: 'BENEFIT_ENDED', effectiveOn: '2025-10-01', benefitEndedReason: 'WORK' }, c.jobcentre.key);
    const consent = await report({ referralId: journey.referralId, kind: 'CONSENT_CHANGED', effectiveOn: '2025-10-02', consentToShareHealth: true }, c.jobcentre.key);
    expect([...codes(ended), ...codes(consent)]).toEqual([]);
    const node = async (id: string, select: string, key: string, operation = 'Look') => {
      const response = await t.gql<{ node: Record<string, unknown> | null }>(`query ${operation}($id: ID!) { node(id: $id) { ... on CircumstanceChange { ${select} } } }`, { id }, key);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data!.node;
    };
    for (const key of [c.jobcentre.key, c.prime.key, c.endToEnd.key]) expect(await node(ended.circumstanceChange!.id, 'benefitEndedReason', key)).toEqual({ benefitEndedReason: 'WORK' });
    // The specialist knows the claim ended (its doubts about later days are refused), not that the person went to work.
    expect(await node(ended.circumstanceChange!.id, 'benefitEndedReason', c.specialist.key)).toEqual({ benefitEndedReason: null });

    const [{ participant_id: participantId }] = await t.db.dataSource.query(`SELECT participant_id FROM referral WHERE id = $1`, [journey.referralId]);
    const [{ seq: since }] = await t.db.dataSource.query(`SELECT seq::text FROM audit_chain_head`);
    await node(ended.circumstanceChange!.id, 'benefitEndedReason', c.prime.key, 'WhyEnded');
    expect(await node(consent.circumstanceChange!.id, 'consentToShareHealth', c.prime.key, 'Consent')).toEqual({ consentToShareHealth: true });
    const reads: Array<{ operation: string; details: { fields: Record<string, string[]> } }> = await t.db.dataSource.query(
      `SELECT operation, details FROM audit_event WHERE seq > $1 AND action = 'READ' AND organisation_id = $2 ORDER BY seq`,
      [since, c.prime.id],
    );
    expect(reads.map((r) => [r.operation, r.details.fields[participantId]])).toEqual([
      ['WhyEnded', ['CircumstanceChange.benefitEndedReason']],
      ['Consent', ['CircumstanceChange.consentToShareHealth']],
    ]);
  });

  it('gives a referral sent without a record one holding its claim', async () => {
    const journey = await attached();
    expect(await claim(journey.referralId, c.prime.key)).toBeNull();
    await report({ referralId: journey.referralId, kind: 'BENEFIT_CHANGED', effectiveOn: '2025-10-01', benefitTo: 'ESA' }, c.jobcentre.key);
    expect(await claim(journey.referralId, c.prime.key)).toEqual({ benefit: 'ESA', claimStartedOn: '2025-10-01', endedOn: null });
    const [written] = await t.db.dataSource.query(`SELECT details FROM audit_event WHERE record = 'referral_record' AND action = 'INSERT' ORDER BY seq DESC LIMIT 1`);
    expect(written.details.rows).toEqual([expect.objectContaining({ participant: expect.any(String) })]);
  });
});

describe("a provider's report", () => {
  it('reaches the Jobcentre, which answers it; the reporter hears back; once ACTIONED, BENEFIT_ENDED records the off-benefit marker, never an exit', async () => {
    const journey = await attached();
    const reported = await report({ referralId: journey.referralId, kind: 'BENEFIT_ENDED', effectiveOn: '2025-10-06', benefitEndedReason: 'WORK' }, c.prime.key);
    expect(reported.userErrors).toEqual([]);
    const id = reported.circumstanceChange!.id;
    expect((await told(c.jobcentre.key, journey.referralId)).map((n) => [n.kind, n.circumstanceChange?.id])).toEqual([['CIRCUMSTANCES_CHANGED', id]]);
    // Not the record until the Jobcentre confirms it.
    const marker = async () => (await t.db.dataSource.query('SELECT status, off_benefit_since::text FROM referral WHERE id = $1', [journey.referralId]))[0];
    expect(await marker()).toEqual({ status: 'ATTACHED', off_benefit_since: null });

    const live = await subscribe(t.url, c.prime.key, 'inboxItemAdded', { kinds: ['CIRCUMSTANCE_CHANGE_ACTIONED'] }, 'kind circumstanceChange { id action }');
    expect((await answer({ circumstanceChangeId: id, action: 'ACTIONED' }, c.prime.key)).errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const other = await t.keyFor(Role.JOBCENTRE, 'Another Jobcentre 66');
    expect((await answer({ circumstanceChangeId: id, action: 'ACTIONED' }, other.secret)).data!.actionCircumstanceChange.userErrors.map((e) => e.code)).toEqual(['UNKNOWN_CIRCUMSTANCE_CHANGE']);
    const answered = (await answer({ circumstanceChangeId: id, action: 'ACTIONED', note: 'Claim closed from 6 October' }, c.jobcentre.key)).data!.actionCircumstanceChange;
    expect(answered).toMatchObject({ circumstanceChange: { action: 'ACTIONED', actionNote: 'Claim closed from 6 October' }, userErrors: [] });
    expect((await answer({ circumstanceChangeId: id, action: 'NOT_ACTIONED' }, c.jobcentre.key)).data!.actionCircumstanceChange.userErrors.map((e) => e.code)).toEqual(['CHANGE_ALREADY_ANSWERED']);
    expect((await told(c.prime.key, journey.referralId)).map((n) => [n.kind, n.circumstanceChange?.action])).toEqual([['CIRCUMSTANCE_CHANGE_ACTIONED', 'ACTIONED']]);
    await live.until(1);
    expect(live.items[0]).toMatchObject({ kind: 'CIRCUMSTANCE_CHANGE_ACTIONED', circumstanceChange: { id, action: 'ACTIONED' } });
    await live.close();
    const replay = await subscribe(t.url, c.prime.key, 'inboxItemAdded', { kinds: ['CIRCUMSTANCE_CHANGE_ACTIONED'], after: FROM_THE_START }, 'kind circumstanceChange { id }');
    const [{ n: held }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM inbox_item WHERE organisation_id = $1 AND kind = 'CIRCUMSTANCE_CHANGE_ACTIONED'`, [c.prime.id]);
    await replay.until(held);
    expect(replay.items.map((item) => (item as { circumstanceChange?: { id: string } }).circumstanceChange?.id)).toContain(id);
    await replay.close();
    expect(await marker()).toEqual({ status: 'ATTACHED', off_benefit_since: '2025-10-06' });
  });
});

describe('a status change and compliance doubts', () => {
  it('refuses a doubt about a day after the participant signed off (STATUS_CHANGED), not one before', async () => {
    const journey = await attached();
    await report({ referralId: journey.referralId, kind: 'BENEFIT_ENDED', effectiveOn: '2025-10-06', benefitEndedReason: 'OTHER' }, c.jobcentre.key);
    const raise = (occurredOn: string) =>
      t.gql<{ raiseComplianceDoubt: { userErrors: Array<{ code: string }> } }>(
        'mutation($input: RaiseComplianceDoubtInput!) { raiseComplianceDoubt(input: $input) { userErrors { code } } }',
        { input: { referralId: journey.referralId, type: 'ENTITLEMENT_DOUBT', occurredOn, description: 'Working cash in hand' } },
        c.prime.key,
      );
    expect((await raise('2025-10-20')).data!.raiseComplianceDoubt.userErrors.map((e) => e.code)).toEqual(['STATUS_CHANGED']);
    expect((await raise('2025-10-01')).data!.raiseComplianceDoubt.userErrors).toEqual([]);
  });

  it("counts a provider's report only once the Jobcentre confirms it, and stops a raised doubt from being submitted after it", async () => {
    const journey = await attached();
    await journey.handOn(c.endToEnd);
    const raised = await journey.doubt({ type: 'ENTITLEMENT_DOUBT', occurredOn: '2025-10-20', description: 'Working cash in hand' }, c.endToEnd);
    const reported = await report({ referralId: journey.referralId, kind: 'BENEFIT_ENDED', effectiveOn: '2025-10-10', benefitEndedReason: 'OTHER' }, c.endToEnd.key);
    const submit = () =>
      t.gql<{ submitComplianceDoubt: { userErrors: Array<{ code: string }> } }>(
        'mutation($id: ID!) { submitComplianceDoubt(input: { complianceDoubtId: $id }) { userErrors { code } } }', { id: raised }, c.prime.key);
    await answer({ circumstanceChangeId: reported.circumstanceChange!.id, action: 'ACTIONED' }, c.jobcentre.key);
    expect((await submit()).data!.submitComplianceDoubt.userErrors.map((e) => e.code)).toEqual(['STATUS_CHANGED']);
  });

  it('lets a returner be doubted again: a return starts afresh', async () => {
    const person = { nino: 'JY 99 88 77 A', claimant: { givenName: 'Ria', familyName: 'Return', dateOfBirth: '1980-01-01' } };
    const journey = await (await (await Journey.refer(t, c, { ...person, referredOn })).acknowledge()).attach('2025-09-08');
    await report({ referralId: journey.referralId, kind: 'BENEFIT_ENDED', effectiveOn: '2025-10-06', benefitEndedReason: 'WORK' }, c.jobcentre.key);
    const again = await Journey.refer(t, c, { ...person, referredOn: '2025-11-03' });
    expect(again.referralId).toBe(journey.referralId); // the participation reopened
    const raised = await t.gql<{ raiseComplianceDoubt: { userErrors: Array<{ code: string }> } }>(
      'mutation($input: RaiseComplianceDoubtInput!) { raiseComplianceDoubt(input: $input) { userErrors { code } } }',
      { input: { referralId: journey.referralId, type: 'ENTITLEMENT_DOUBT', occurredOn: '2025-11-10', description: 'Working cash in hand' } },
      c.prime.key,
    );
    expect(raised.data!.raiseComplianceDoubt.userErrors).toEqual([]);
  });

  it('flags a submitted doubt that a later status change overtakes to the Decision Makers', async () => {
    const journey = await attached();
    const doubt = await journey.doubt({ type: 'ENTITLEMENT_DOUBT', occurredOn: '2025-10-20', description: 'Working cash in hand' });
    const live = await subscribe(t.url, decisionMaker.secret, 'inboxItemAdded', { kinds: ['COMPLIANCE_DOUBT_OVERTAKEN'] }, 'kind complianceDoubt { id }');
    await report({ referralId: journey.referralId, kind: 'CONDITIONALITY_CHANGED', effectiveOn: '2025-10-15' }, c.jobcentre.key);
    await live.until(1);
    expect(live.items[0]).toMatchObject({ kind: 'COMPLIANCE_DOUBT_OVERTAKEN', complianceDoubt: { id: doubt } });
    await live.close();
    const replay = await subscribe(t.url, decisionMaker.secret, 'inboxItemAdded', { kinds: ['COMPLIANCE_DOUBT_OVERTAKEN'], after: FROM_THE_START }, 'kind complianceDoubt { id }');
    await replay.until(1);
    await replay.close();
    const inbox = await t.gql<{ inbox: { edges: Array<{ node: { kind: string; complianceDoubt: { id: string; overtakenBy: { kind: string } | null } | null } }> } }>(
      '{ inbox(first: 500, kinds: [COMPLIANCE_DOUBT_OVERTAKEN]) { edges { node { kind complianceDoubt { id overtakenBy { kind } } } } } }',
      {},
      decisionMaker.secret,
    );
    expect(inbox.data!.inbox.edges.map((e) => e.node)).toEqual([{ kind: 'COMPLIANCE_DOUBT_OVERTAKEN', complianceDoubt: { id: doubt, overtakenBy: { kind: 'CONDITIONALITY_CHANGED' } } }]);
  });
});

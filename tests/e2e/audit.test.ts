import { execFile } from 'node:child_process';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { addDays, todayUtc } from '../../src/common/dates';
import { AuditRecord } from '../../src/modules/audit/audit.types';
import { verifyAuditTrail } from '../../src/modules/audit/verify';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey, attachedReferral } from '../helpers/journey';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
let c: TestChain;
beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 61);
});
afterAll(() => t.close());

interface AuditRow {
  seq: string;
  action: string;
  record: string;
  api_key_id: string | null;
  organisation_id: string | null;
  request_id: string | null;
  operation: string | null;
  db_role: string;
  participant_ids: string[];
  details: { fields?: Record<string, string[]>; rows?: Array<Record<string, unknown>> };
}
const events = async (where = 'true', params: unknown[] = []): Promise<AuditRow[]> =>
  t.db.dataSource.query(
    `SELECT seq::text, action, record, api_key_id, organisation_id, request_id, operation, db_role, participant_ids::text[], details
       FROM audit_event WHERE ${where} ORDER BY seq`,
    params,
  );
const lastSeq = async (): Promise<string> => (await t.db.dataSource.query(`SELECT seq::text FROM audit_chain_head`))[0].seq;
const keyIdOf = async (organisationId: string): Promise<string> =>
  (await t.db.dataSource.query(`SELECT id FROM api_key WHERE organisation_id = $1`, [organisationId]))[0].id;

/** The cursor of the prime's last inbox item, for a subscription that starts after it. */
const primeCursor = async (): Promise<string> => {
  const [{ seq }] = await t.db.dataSource.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM inbox_item WHERE organisation_id = $1`, [c.prime.id]);
  return Buffer.from(seq as string).toString('base64url');
};

let people = 0;
/** One referral by the chain's Jobcentre, over HTTP with a request id of our own. */
async function refer(requestId: string): Promise<{ referralId: string; participantId: string }> {
  people += 1;
  const { referralId } = await Journey.refer(t, c, {
    clientReference: `AUDIT-${people}`,
    nino: nino(people, 'AH'),
    district: 'Auditshire',
    claimant: {
      givenName: 'Ada', familyName: `Audit ${people}`, address: { line1: '1 Ledger Lane', postcode: 'LE1 1AA' }, phone: '01000 222222',
      healthConditions: ['asthma'], consentToShareHealth: true,
    },
    via: { requestId },
  });
  const [{ participant_id }] = await t.db.dataSource.query(`SELECT participant_id FROM referral WHERE id = $1`, [referralId]);
  return { referralId, participantId: participant_id };
}

describe('writes to a person record', () => {
  it('are recorded by the database, one event per statement, with the key, organisation, request and operation', async () => {
    const since = await lastSeq();
    const { referralId, participantId } = await refer('audit-write-1');
    const written = await events('seq > $1', [since]);
    expect(written.map((e) => `${e.action} ${e.record}`)).toEqual(['INSERT participant', 'INSERT referral', 'INSERT referral_claimant', 'INSERT referral_allocation']);
    const jobcentreKey = await keyIdOf(c.jobcentre.id);
    for (const event of written) {
      expect(event).toMatchObject({
        api_key_id: jobcentreKey, organisation_id: c.jobcentre.id, request_id: 'audit-write-1', operation: 'Refer', participant_ids: [participantId],
      });
    }
    expect(written[1].details.rows).toEqual([{ id: referralId, participant: participantId }]);

    const acknowledged = await t.gql(`mutation Ack($id: ID!) { acknowledgeReferral(input: { referralId: $id }) { userErrors { code } } }`, { id: referralId }, c.prime.key);
    expect(acknowledged.errors).toBeUndefined();
    const [update] = await events(`seq > $1 AND record = 'referral' AND action = 'UPDATE'`, [since]);
    expect(update).toMatchObject({ api_key_id: await keyIdOf(c.prime.id), organisation_id: c.prime.id, operation: 'Ack' });
    expect(update.details.rows).toEqual([{ id: referralId, participant: participantId, changed: ['acknowledged_at', 'status'] }]);
  });

  it('are each recorded with their own request, with reads beside them and between them (which run without the actor storage)', async () => {
    const read = () => t.gql('query Caseload { referrals(first: 50) { edges { node { participant { givenName } } } } }', {}, c.prime.key);
    const ids = ['audit-side-1', 'audit-side-2', 'audit-side-3', 'audit-side-4'];
    const written = await Promise.all([...ids.map((id) => refer(id)), read(), read(), read(), read()]);
    await read();
    const after = await refer('audit-side-5');
    for (const [i, requestId] of [...ids, 'audit-side-5'].entries()) {
      const { participantId } = (i < ids.length ? written[i] : after) as { participantId: string };
      const inserts = await events(`record = 'participant' AND action = 'INSERT' AND $1 = ANY(participant_ids)`, [participantId]);
      expect(inserts).toEqual([expect.objectContaining({ request_id: requestId, operation: 'Refer', organisation_id: c.jobcentre.id })]);
    }
  });

  it('records a payment whole, with its amount, kind and referral', async () => {
    const since = await lastSeq();
    const referralId = await attachedReferral(t, c, { paymentGroup: 'JSA_18_24', referredOn: '2023-05-01', attachedOn: '2023-05-10' });
    const [payment] = await events(`seq > $1 AND record = 'payment'`, [since]);
    const [stored] = await t.db.dataSource.query(`SELECT id, amount_pence, kind FROM payment WHERE referral_id = $1`, [referralId]);
    expect(payment.details.rows).toEqual([
      expect.objectContaining({ id: stored.id, referral_id: referralId, kind: 'ATTACHMENT', amount_pence: stored.amount_pence, sequence: 1 }),
    ]);
  });

  it('records a write made outside the API with its database role and no key', async () => {
    const since = await lastSeq();
    await t.db.dataSource.query(`UPDATE participant SET phone = '01000 999999' WHERE nino = $1`, [nino(1, 'AH')]);
    const [event] = await events('seq > $1', [since]);
    expect(event).toMatchObject({ action: 'UPDATE', record: 'participant', api_key_id: null, request_id: null });
    expect(event.db_role).toBeTruthy();
    expect(event.details.rows![0]).toMatchObject({ changed: ['phone'] });
  });
});

describe('reads of a person', () => {
  it('record the fields disclosed, once per request however many people were read', async () => {
    await refer('audit-read-setup');
    const since = await lastSeq();
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${c.prime.key}`, 'x-request-id': 'audit-read-1' },
      body: JSON.stringify({ query: 'query Caseload { referrals(first: 100) { edges { node { participant { id givenName contact { phone } } } } } }' }),
    });
    const body = (await response.json()) as { data: { referrals: { edges: Array<{ node: { participant: { id: string } } }> } } };
    const read = body.data.referrals.edges.map((e) => e.node.participant.id);
    expect(read.length).toBeGreaterThan(1);
    const logged = await events('seq > $1', [since]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ action: 'READ', record: 'participant', organisation_id: c.prime.id, request_id: 'audit-read-1', operation: 'Caseload' });
    expect([...logged[0].participant_ids].sort()).toEqual([...new Set(read)].sort());
    for (const id of read) expect(logged[0].details.fields![id]).toEqual(['contact', 'givenName']);
  });

  it('records what node(id) disclosed of a participant, and nothing for a field the policy withheld', async () => {
    const { referralId, participantId } = await refer('audit-node-setup');
    const passed = await t.gql<{ passReferral: { handoff: { id: string } } }>(
      `mutation($input: PassReferralInput!) { passReferral(input: $input) { handoff { id } } }`,
      { input: { referralId, toOrganisationId: c.endToEnd.id, purpose: 'END_TO_END_DELIVERY', sharedFields: ['CONTACT_DETAILS'] } },
      c.prime.key,
    );
    expect(passed.data!.passReferral.handoff).not.toBeNull();
    const since = await lastSeq();
    const read = await t.gql<{ node: { givenName: string; health: unknown } }>(
      `query Look($id: ID!) { node(id: $id) { ... on Participant { givenName health { conditions } } } }`,
      { id: participantId },
      c.endToEnd.key,
    );
    expect(read.data!.node).toEqual({ givenName: 'Ada', health: null });
    const [event] = await events('seq > $1', [since]);
    expect(event).toMatchObject({ action: 'READ', organisation_id: c.endToEnd.id, operation: 'Look', participant_ids: [participantId] });
    expect(event.details.fields).toEqual({ [participantId]: ['givenName'] });
  });

  it("records a read of a query's grounds, reason and answer and of a first appointment's place and outcome as reads of the person", async () => {
    const journey = await Journey.refer(t, c, {
      nino: nino(91, 'AH'),
      referredOn: addDays(todayUtc(), -5),
      firstAppointment: { startsAt: `${addDays(todayUtc(), 2)}T10:00:00Z`, channel: 'IN_PERSON', place: '2 Ledger Lane' },
    });
    const queryId = await journey.query('INELIGIBLE', 'Health condition');
    const resolved = await t.gql(`mutation($id: ID!) { resolveReferralQuery(input: { referralQueryId: $id, resolution: CONFIRM, note: "Eligible" }) { userErrors { code } } }`, { id: queryId }, c.jobcentre.key);
    expect(resolved.errors).toBeUndefined();
    // The outcome as the provider would record it after the day (the booking is days ahead).
    await t.db.dataSource.query(`UPDATE first_appointment SET outcome = 'ATTENDED', outcome_recorded_at = now() WHERE referral_id = $1`, [journey.referralId]);
    const since = await lastSeq();
    const read = await t.gql<{ referral: { queries: Array<{ grounds: string; reason: string; answer: string }>; firstAppointments: Array<{ place: string; outcome: string | null }> } }>(
      `query Look($id: ID!) { referral(id: $id) { queries { grounds reason answer } firstAppointments { place outcome } } }`,
      { id: journey.referralId },
      c.prime.key,
    );
    expect(read.data!.referral).toEqual({
      queries: [{ grounds: 'INELIGIBLE', reason: 'Health condition', answer: 'Eligible' }],
      firstAppointments: [{ place: '2 Ledger Lane', outcome: 'ATTENDED' }],
    });
    const [{ participant_id: participantId }] = await t.db.dataSource.query(`SELECT participant_id FROM referral WHERE id = $1`, [journey.referralId]);
    const [event] = await events('seq > $1', [since]);
    expect(event).toMatchObject({ action: 'READ', organisation_id: c.prime.id, operation: 'Look', participant_ids: [participantId] });
    expect(event.details.fields).toEqual({ [participantId]: ['FirstAppointment.outcome', 'FirstAppointment.place', 'ReferralQuery.answer', 'ReferralQuery.grounds', 'ReferralQuery.reason'] });
  });

  it('records each subscription item that delivers a person, as it is delivered', async () => {
    const client = createClient({ url: t.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${c.prime.key}` }, retryAttempts: 0 });
    const delivered: string[] = [];
    // From the prime's last item: the next one is delivered whenever the subscription has started.
    const after = await primeCursor();
    const stop = client.subscribe<{ referralReceived: { referral: { participant: { id: string; familyName: string } } } }>(
      { query: 'subscription NewWork($after: String) { referralReceived(after: $after) { referral { participant { id familyName } } } }', variables: { after } },
      { next: (result) => delivered.push(result.data!.referralReceived.referral.participant.id), error: () => undefined, complete: () => undefined },
    );
    try {
      const since = await lastSeq();
      const { participantId } = await refer('audit-subscription-setup');
      for (let waited = 0; delivered.length === 0 && waited < 10000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(delivered).toEqual([participantId]);
      const reads = await events(`seq > $1 AND action = 'READ'`, [since]);
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({ organisation_id: c.prime.id, operation: 'NewWork', participant_ids: [participantId] });
      expect(reads[0].details.fields).toEqual({ [participantId]: ['familyName'] });
    } finally {
      stop();
      await client.dispose();
    }
  });
});

describe('a read that cannot be recorded', () => {
  it('is not disclosed: the HTTP answer is withheld (500), the subscription item too, and the subscription ends', async () => {
    const { participantId } = await refer('audit-down-setup');
    const after = await primeCursor();
    const client = createClient({ url: t.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${c.prime.key}` }, retryAttempts: 0 });
    const delivered: unknown[] = [];
    const failed: unknown[] = [];
    const stop = client.subscribe(
      { query: 'subscription Down($after: String) { referralReceived(after: $after) { referral { participant { familyName } } } }', variables: { after } },
      { next: (result) => delivered.push(result), error: (error) => failed.push(...(Array.isArray(error) ? error : [error])), complete: () => undefined },
    );
    // The audit trail refuses reads from here on (as a full disk or a lost connection would).
    await t.db.dataSource.query(`CREATE FUNCTION audit_refuse_reads() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit is down'; END $$`);
    await t.db.dataSource.query(
      `CREATE TRIGGER audit_refuse_reads BEFORE INSERT ON audit_event FOR EACH ROW WHEN (NEW.action = 'READ') EXECUTE FUNCTION audit_refuse_reads()`,
    );
    try {
      const response = await fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.prime.key}` },
        body: JSON.stringify({ query: `query($id: ID!) { node(id: $id) { ... on Participant { familyName } } }`, variables: { id: participantId } }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });

      await refer('audit-down-item');
      for (let waited = 0; failed.length === 0 && waited < 10000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(delivered).toEqual([]);
      expect(failed).toEqual([
        {
          message: 'Internal server error: this item could not be delivered; subscribe again after the last cursor you handled',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
    } finally {
      await t.db.dataSource.query(`DROP TRIGGER audit_refuse_reads ON audit_event`);
      await t.db.dataSource.query(`DROP FUNCTION audit_refuse_reads()`);
      stop();
      await client.dispose();
    }
  });
});

describe('personAccessLog and subjectAccessExport (ADMIN)', () => {
  interface LogEntry { action: string; record: string; fields: string[]; operation: string | null; requestId: string | null; organisation: { name: string } | null; apiKey: { id: string } | null }
  const LOG = 'edges { cursor node { sequence action record fields recordIds operation requestId databaseRole organisation { name } apiKey { id } } } pageInfo { hasNextPage endCursor }';

  it('tell who read or changed a person record, newest first, paged; asking is itself a read', async () => {
    const { participantId } = await refer('audit-log-setup');
    await t.gql(`query Caseload2 { referrals(first: 500) { edges { node { participant { nino } } } } }`, {}, c.prime.key);
    const first = await t.gql<{ personAccessLog: { edges: Array<{ node: LogEntry }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      `query Who($id: ID!) { personAccessLog(participantId: $id, first: 2) { ${LOG} } }`,
      { id: participantId },
    );
    expect(first.errors).toBeUndefined();
    const [read, allocated] = first.data!.personAccessLog.edges.map((e) => e.node);
    expect(read).toMatchObject({ action: 'READ', record: 'PARTICIPANT', fields: ['nino'], operation: 'Caseload2', organisation: { name: expect.stringContaining('Prime 61') } });
    expect(allocated).toMatchObject({ action: 'INSERT', record: 'REFERRAL_ALLOCATION', operation: 'Refer', requestId: 'audit-log-setup' });
    expect(first.data!.personAccessLog.pageInfo.hasNextPage).toBe(true);
    const older = await t.gql<{ personAccessLog: { edges: Array<{ node: LogEntry }> } }>(
      `query($id: ID!, $after: String) { personAccessLog(participantId: $id, after: $after) { ${LOG} } }`,
      { id: participantId, after: first.data!.personAccessLog.pageInfo.endCursor },
    );
    expect(older.data!.personAccessLog.edges.map((e) => `${e.node.action} ${e.node.record}`)).toEqual(['INSERT REFERRAL_CLAIMANT', 'INSERT REFERRAL', 'INSERT PARTICIPANT']);
    expect(older.data!.personAccessLog.edges[2].node).toMatchObject({ requestId: 'audit-log-setup', organisation: { name: expect.stringContaining('Jobcentre 61') } });

    // The two questions above are now on the log, newest first.
    const again = await t.gql<{ personAccessLog: { edges: Array<{ node: LogEntry }> } }>(
      `query($id: ID!) { personAccessLog(participantId: $id, first: 2) { ${LOG} } }`,
      { id: participantId },
    );
    const admin = { action: 'READ', fields: ['personAccessLog'], organisation: { name: 'Department for Work and Pensions' } };
    expect(again.data!.personAccessLog.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ ...admin, operation: 'query' }),
      expect.objectContaining({ ...admin, operation: 'Who' }),
    ]);
  });

  it('export everything held about a person, found by id or NINO, and the access log', async () => {
    const referralId = await attachedReferral(t, c, { paymentGroup: 'JSA_18_24', referredOn: '2023-06-01', attachedOn: '2023-06-10' });
    const [{ participant_id: participantId, nino: personNino }] = await t.db.dataSource.query(
      `SELECT p.id AS participant_id, p.nino FROM referral r JOIN participant p ON p.id = r.participant_id WHERE r.id = $1`,
      [referralId],
    );
    const EXPORT = `participant { id nino givenName contact { phone } health { conditions } }
      referrals { referral { id status } allocations { method } handoffs { id } contacts { id } complianceDoubts { id } jobStarts { id } payments { kind amountPence } }
      accessLog(first: 500) { edges { node { action record fields } } }`;
    const byNino = await t.gql<{ subjectAccessExport: { participant: { id: string }; referrals: Array<{ referral: { id: string; status: string }; payments: Array<{ kind: string }>; allocations: unknown[] }>; accessLog: { edges: Array<{ node: { action: string; record: string; fields: string[] } }> } } }>(
      `query Sar($nino: String) { subjectAccessExport(nino: $nino) { ${EXPORT} } }`,
      { nino: personNino.toLowerCase().replace(/(..)(..)(..)/, '$1 $2 $3 ') },
    );
    expect(byNino.errors).toBeUndefined();
    const exported = byNino.data!.subjectAccessExport;
    expect(exported.participant).toMatchObject({ id: participantId, nino: personNino });
    expect(exported.referrals).toEqual([
      expect.objectContaining({ referral: { id: referralId, status: 'ATTACHED' }, payments: [expect.objectContaining({ kind: 'ATTACHMENT' })], allocations: [{ method: 'RANDOM' }] }),
    ]);
    expect(exported.accessLog.edges.map((e) => `${e.node.action} ${e.node.record}`)).toEqual(
      expect.arrayContaining(['INSERT PARTICIPANT', 'INSERT REFERRAL', 'UPDATE REFERRAL', 'INSERT PAYMENT']),
    );
    // The export itself is recorded as a read of the fields it gave.
    const latest = (await events(`participant_ids @> ARRAY[$1]::uuid[] AND action = 'READ'`, [participantId])).at(-1)!;
    expect(latest.details.fields![participantId]).toEqual(expect.arrayContaining(['subjectAccessExport', 'nino', 'givenName', 'personAccessLog']));

    const byId = await t.gql<{ subjectAccessExport: { participant: { id: string } } }>(
      `query($id: ID) { subjectAccessExport(participantId: $id) { participant { id } } }`,
      { id: participantId },
    );
    expect(byId.data!.subjectAccessExport.participant.id).toBe(participantId);
    const nobody = await t.gql(`{ subjectAccessExport(nino: "ZZ999999D") { participant { id } } }`);
    expect(nobody.data).toEqual({ subjectAccessExport: null });
    const both = await t.gql(`query($id: ID) { subjectAccessExport(participantId: $id, nino: "AB123456C") { participant { id } } }`, { id: participantId });
    expect(both.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  /** Runs a mutation `name` (input type `<Name>Input`) that must succeed. */
  async function must(name: string, input: Record<string, unknown>, key: string): Promise<void> {
    const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
    const response = await t.gql<Record<string, { userErrors: Array<{ code: string }> }>>(
      `mutation($input: ${inputType}!) { ${name}(input: $input) { userErrors { code } } }`,
      { input },
      key,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data![name].userErrors).toEqual([]);
  }
  const idOf = async (sql: string, referralId: string): Promise<string> => (await t.db.dataSource.query(sql, [referralId]))[0].id;

  it("export every record of issue 15 about the person whole, though DWP has no relationship to the referral, and record each read", async () => {
    const day = (offset: number) => addDays(todayUtc(), offset);
    const journey = await Journey.refer(t, c, {
      referredOn: day(-60),
      nino: nino(90, 'AH'),
      record: { benefit: 'JSA', claimStartedOn: day(-200), reason: 'Wants warehouse work', barriers: ['TRANSPORT'], jobGoals: 'Forklift driver' },
      firstAppointment: { startsAt: `${day(-58)}T10:00:00Z`, channel: 'IN_PERSON', place: '1 Ledger Lane' },
    });
    const referralId = journey.referralId;
    await journey.acknowledge();
    const queryId = await journey.query('INELIGIBLE', 'Health condition');
    await must('resolveReferralQuery', { referralQueryId: queryId, resolution: 'CONFIRM', note: 'Checked with the work coach' }, c.jobcentre.key);
    await must('recordFirstAppointmentOutcome', { referralId, outcome: 'ATTENDED' }, c.prime.key);
    await journey.attach(day(-57));
    await must('recordAssessment', { referralId, assessedOn: day(-57), jobReadiness: 'AMBER', barriers: ['TRANSPORT'], notes: 'Needs a bus pass' }, c.prime.key);
    await must('addPlannedAction', { referralId, kind: 'TRAINING', dueOn: day(-30), mandatory: false, description: 'Forklift course' }, c.prime.key);
    await must('reviewActionPlan', { referralId, reviewedOn: day(-29), note: 'Course booked' }, c.prime.key);
    const spot = await journey.handOn(c.spot, { purpose: 'SPOT_PROVISION' });
    await must('recordProgressUpdate', { handoffId: spot, attended: true, completed: true, certificate: 'Forklift licence' }, c.spot.key);
    await must('reportCircumstanceChange', { referralId, kind: 'PHONE', effectiveOn: day(-20), phone: '01000 333333' }, c.jobcentre.key);
    await must('reportCircumstanceChange', { referralId, kind: 'OTHER', effectiveOn: day(-19), description: 'Moved in with his sister' }, c.prime.key);
    const providers = await idOf(`SELECT id FROM circumstance_change WHERE referral_id = $1 AND kind = 'OTHER'`, referralId);
    await must('actionCircumstanceChange', { circumstanceChangeId: providers, action: 'ACTIONED', note: 'Address to follow' }, c.jobcentre.key);
    await must('startMessageThread', { referralId, topic: 'ATTENDANCE', subject: 'Monday', body: 'Did he come?' }, c.jobcentre.key);
    const thread = await idOf(`SELECT id FROM message_thread WHERE referral_id = $1`, referralId);
    await must('replyToMessageThread', { messageThreadId: thread, body: 'He did' }, c.prime.key);
    await must('recordJobcentreExit', { referralId, exitedOn: day(-10), note: 'Moved to Work Choice' }, c.jobcentre.key);

    const EXPORT = `referrals {
        referral { id }
        sentWith { phone: contact { phone } referralReason jobGoals benefitClaim { benefit claimStartedOn } barriers { kinds } }
        queries { id reason answer status }
        firstAppointments { place outcome }
        circumstanceChanges { kind description actionNote newContactDetails { phone } }
        assessments { jobReadiness notes }
        actionPlan { actions { description } reviews { note } }
        progressUpdates { certificate }
        handback { exitedOn summary barriers }
        messageThreads { subject messages(first: 10) { edges { node { body } } } }
      }
      accessLog(first: 500) { edges { node { action record } } }`;
    const since = await lastSeq();
    const response = await t.gql<{ subjectAccessExport: { referrals: Array<Record<string, unknown>>; accessLog: { edges: Array<{ node: { action: string; record: string } }> } } }>(
      `query Sar($nino: String) { subjectAccessExport(nino: $nino) { ${EXPORT} } }`,
      { nino: nino(90, 'AH') },
    );
    expect(response.errors).toBeUndefined();
    const [exported] = response.data!.subjectAccessExport.referrals;
    expect(exported).toEqual({
      referral: { id: referralId },
      sentWith: { phone: { phone: '01000 333333' }, referralReason: 'Wants warehouse work', jobGoals: 'Forklift driver', benefitClaim: { benefit: 'JSA', claimStartedOn: day(-200) }, barriers: { kinds: ['TRANSPORT'] } },
      queries: [{ id: queryId, reason: 'Health condition', answer: 'Checked with the work coach', status: 'CONFIRMED' }],
      firstAppointments: [{ place: '1 Ledger Lane', outcome: 'ATTENDED' }],
      circumstanceChanges: [
        { kind: 'PHONE', description: null, actionNote: null, newContactDetails: { phone: '01000 333333' } },
        { kind: 'OTHER', description: 'Moved in with his sister', actionNote: 'Address to follow', newContactDetails: null },
      ],
      assessments: [{ jobReadiness: 'AMBER', notes: 'Needs a bus pass' }],
      actionPlan: { actions: [{ description: 'Forklift course' }], reviews: [{ note: 'Course booked' }] },
      progressUpdates: [{ certificate: 'Forklift licence' }],
      handback: { exitedOn: day(-10), summary: 'Moved to Work Choice', barriers: [] },
      messageThreads: [{ subject: 'Monday', messages: { edges: [{ node: { body: 'Did he come?' } }, { node: { body: 'He did' } }] } }],
    });
    // Every write to these records is on the person's log (each table the audit triggers watch is an AuditRecord).
    expect(response.data!.subjectAccessExport.accessLog.edges.map((e) => `${e.node.action} ${e.node.record}`)).toEqual(
      expect.arrayContaining(['INSERT REFERRAL_RECORD', 'INSERT REFERRAL_QUERY', 'INSERT FIRST_APPOINTMENT', 'INSERT CIRCUMSTANCE_CHANGE', 'UPDATE CIRCUMSTANCE_CHANGE',
        'INSERT ASSESSMENT', 'INSERT PLANNED_ACTION', 'INSERT ACTION_PLAN_REVIEW', 'INSERT PROGRESS_UPDATE', 'INSERT MESSAGE_THREAD', 'INSERT MESSAGE']),
    );
    // What the export disclosed of the person is recorded, field by field.
    const [{ participant_id: participantId }] = await t.db.dataSource.query(`SELECT participant_id FROM referral WHERE id = $1`, [referralId]);
    const [read] = await events(`seq > $1 AND action = 'READ'`, [since]);
    expect(read.details.fields![participantId]).toEqual(expect.arrayContaining([
      'subjectAccessExport', 'contact', 'referralReason', 'jobGoals', 'benefitClaim', 'barriers', 'ReferralQuery.reason', 'ReferralQuery.answer', 'FirstAppointment.place',
      'CircumstanceChange.kind', 'CircumstanceChange.description', 'CircumstanceChange.actionNote', 'CircumstanceChange.newContactDetails', 'Assessment.notes',
      'PlannedAction.description', 'ActionPlanReview.note', 'ProgressUpdate.certificate', 'Handback.summary', 'MessageThread.subject', 'Message.body',
      'personAccessLog',
    ]));
  });

  it('name every table the audit triggers watch', async () => {
    const watched: Array<{ table: string }> = await t.db.dataSource.query(
      `SELECT DISTINCT c.relname AS table FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE g.tgname = 'audit_insert' ORDER BY 1`,
    );
    expect(watched.map((w) => w.table).filter((table) => !(Object.values(AuditRecord) as string[]).includes(table))).toEqual([]);
  });

  it('are for ADMIN keys only', async () => {
    for (const key of [c.prime.key, c.jobcentre.key, c.analyst.key]) {
      const log = await t.gql(`{ personAccessLog(participantId: "00000000-0000-4000-8000-000000000000") { edges { cursor } } }`, {}, key);
      expect(log.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const sar = await t.gql(`{ subjectAccessExport(nino: "AB123456C") { participant { id } } }`, {}, key);
      expect(sar.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('the hash chain', () => {
  it('stays one chain under concurrent writers and readers', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0 ? t.gql(`{ referrals(first: 20) { edges { node { participant { familyName } } } } }`, {}, c.prime.key) : refer(`audit-race-${i}`),
      ),
    );
    const result = await verifyAuditTrail(t.db.dataSource);
    expect(result.broken).toBeNull();
    expect(result.head.seq).toBe(await lastSeq());
    expect(result.events).toBe(Number(await lastSeq()));
  });

  it('npm run audit:verify detects a payment changed by hand, and an audit event altered or removed', async () => {
    const verify = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        execFile(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', 'src/scripts/audit-verify.ts'],
          { cwd: path.join(__dirname, '..', '..'), env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' } },
          (error, stdout) => resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, out: stdout }),
        );
      });
    const whole = await verify();
    expect(whole.out).toMatch(/^audit trail verified: \d+ events on the chain, \d+ payments as recorded\nhead: \d+:[0-9a-f]{64}/);
    expect(whole.code).toBe(0);

    // The owner (only the owner) can switch the payments trigger off and change an amount.
    const [payment] = await t.db.dataSource.query(`SELECT id, amount_pence FROM payment ORDER BY claimed_at LIMIT 1`);
    await t.db.dataSource.query(`ALTER TABLE payment DISABLE TRIGGER payment_written_once`);
    await t.db.dataSource.query(`UPDATE payment SET amount_pence = 999999 WHERE id = $1`, [payment.id]);
    await t.db.dataSource.query(`ALTER TABLE payment ENABLE TRIGGER payment_written_once`);
    const changed = await verify();
    expect(changed.code).toBe(1);
    expect(changed.out).toMatch(new RegExp(`^audit trail BROKEN: payment ${payment.id} was changed after it was recorded \\(audit event \\d+\\)`));

    // Put back, the payment matches its record again (the change itself stays on the chain).
    await t.db.dataSource.query(`ALTER TABLE payment DISABLE TRIGGER payment_written_once`);
    await t.db.dataSource.query(`UPDATE payment SET amount_pence = $2 WHERE id = $1`, [payment.id, payment.amount_pence]);
    await t.db.dataSource.query(`ALTER TABLE payment ENABLE TRIGGER payment_written_once`);
    expect((await verifyAuditTrail(t.db.dataSource)).broken).toBeNull();
    expect((await events(`record = 'payment' AND action = 'UPDATE'`)).length).toBe(2);

    // An event altered by hand.
    await t.db.dataSource.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
    try {
      const [{ original }] = await t.db.dataSource.query(`SELECT operation AS original FROM audit_event WHERE seq = 5`);
      await t.db.dataSource.query(`UPDATE audit_event SET operation = 'Innocent' WHERE seq = 5`);
      const altered = await verify();
      expect(altered.code).toBe(1);
      expect(altered.out).toMatch(/^audit trail BROKEN: audit event 5 was altered/);
      await t.db.dataSource.query(`UPDATE audit_event SET operation = $1 WHERE seq = 5`, [original]);
      expect((await verifyAuditTrail(t.db.dataSource)).broken).toBeNull();

      // An event removed, in the middle and at the end.
      await t.db.dataSource.query(`DELETE FROM audit_event WHERE seq = 7`);
      expect((await verifyAuditTrail(t.db.dataSource)).broken).toMatch(/^audit event 7 is missing/);
      const head = await lastSeq();
      await t.db.dataSource.query(`DELETE FROM audit_event WHERE seq >= 7`);
      expect((await verifyAuditTrail(t.db.dataSource)).broken).toMatch(new RegExp(`^the chain head \\(event ${head}\\) is not the last event \\(6\\)`));
    } finally {
      await t.db.dataSource.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
    }
  }, 60000);
});

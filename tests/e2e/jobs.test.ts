import { runHourlyJobs } from '../../src/server/jobs';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

/** The exchange's own hourly work, as src/main.ts runs it: as production connects, the API's own role. */
let t: TestServer;
let c: TestChain;
beforeAll(async () => {
  t = await startTestServer({ asApiRole: true });
  c = await createChain(t, 81);
});
afterAll(() => t.close());

it("ends an allotted time as the API's role, and the audit trail names the job", async () => {
  const journey = await (await (await Journey.refer(t, c, { referredOn: '2023-01-02' })).acknowledge()).attach('2023-03-01');
  expect((await runHourlyJobs(t.serverDb, '2026-11-30')).exited).toBeGreaterThanOrEqual(1);
  const [row] = await t.db.dataSource.query('SELECT status FROM referral WHERE id = $1', [journey.referralId]);
  expect(row.status).toBe('EXITED');
  const [event] = await t.db.dataSource.query(
    `SELECT operation, request_id, api_key_id FROM audit_event WHERE record = 'referral' AND action = 'UPDATE' AND details->'rows' @> $1::jsonb ORDER BY seq DESC LIMIT 1`,
    [JSON.stringify([{ id: journey.referralId }])],
  );
  expect(event).toMatchObject({ operation: 'hourly job', api_key_id: null, request_id: expect.stringMatching(/^job:/) });
});

import { Role } from '../../src/auth/access.enums';
import { DEFAULT_LIMITS } from '../../src/server/limits';
import { capturedLogs } from '../helpers/logs';
import { BOOTSTRAP_ADMIN_KEY, type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
// The logger `npm start` uses, writing where the test can read it.
const { logger, lines: logged } = capturedLogs();
beforeAll(async () => {
  t = await startTestServer({ log: logger });
});
afterAll(() => t.close());

describe('a fault inside the server', () => {
  it('answers INTERNAL_SERVER_ERROR with no detail: no SQL, no stack, no 500', async () => {
    // Break this test's own database under the running server.
    await t.db.dataSource.query('ALTER TABLE cpa RENAME TO cpa_gone');
    const response = await t.gql('{ cpas { code } }');
    expect(response.status).toBe(200);
    expect(response.errors).toEqual([
      { message: 'Internal server error', path: ['cpas'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(response)).not.toMatch(/cpa_gone|relation|SELECT|stack/i);
  });

  it('is logged with the request id, and without the SQL parameters that hold personal data', async () => {
    const jobcentre = (await t.keyFor(Role.JOBCENTRE)).secret;
    // Now the failing statement is the one whose parameters are the claimants' NINOs.
    await t.db.dataSource.query('ALTER TABLE cpa_gone RENAME TO cpa');
    await t.db.dataSource.query('ALTER TABLE participant RENAME TO participant_gone');
    logged.length = 0;
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jobcentre}`, 'x-request-id': 'fault-test-1' },
      body: JSON.stringify({
        query: 'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { created } } }',
        variables: { input: { referrals: [{
          clientReference: 'F-1', cpaCode: 1, jobcentreDistrict: 'X', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY', referredOn: '2024-01-01',
          claimant: { nino: 'JG103759A', givenName: 'Secretname', familyName: 'Person', dateOfBirth: '1980-01-01', consentToShareHealth: false },
        }] } },
      }),
    });
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const faults = logged.filter((line) => line.includes('fault in a GraphQL operation'));
    expect(faults).toHaveLength(1);
    const fault = JSON.parse(faults[0]) as { req: { id: string }; err: Record<string, unknown> };
    expect(fault.req.id).toBe('fault-test-1');
    // What went wrong, where: the error's type, message, SQLSTATE and stack (pino-http used to hand
    // the serializer a copy it could not read, and the line said "[object Object]").
    expect(fault.err).toEqual({
      type: 'QueryFailedError',
      message: 'relation "participant" does not exist',
      code: '42P01',
      stack: expect.stringMatching(/^QueryFailedError: relation "participant" does not exist\n\s+at /),
    });
    expect(logged.join('\n')).not.toMatch(/JG103759A|Secretname|Bearer|scx_|parameters|detail/);
  });

  it('logs a data exception without the value PostgreSQL quotes in its message', async () => {
    // PostgreSQL names the value it could not take ("invalid input syntax for type uuid: …"): a parameter.
    const error = await t.db.dataSource.query('SELECT $1::uuid', ['JG103759A']).catch((e: unknown) => e);
    const captured = capturedLogs();
    captured.logger.error({ err: error }, 'fault');
    const { err } = JSON.parse(captured.lines[0]) as { err: { type: string; message: string; code: string; stack: string } };
    expect(err).toMatchObject({ type: 'QueryFailedError', message: 'invalid input syntax for type uuid: "…"', code: '22P02' });
    expect(err.stack).toMatch(/^QueryFailedError: invalid input syntax for type uuid: "…"\n/);
    expect(captured.lines[0]).not.toContain('JG103759A');
  });
});

describe('a request the server cannot read', () => {
  // With a key: a request without one is refused before its body is read (tests/e2e/limits.test.ts).
  const post = (body: string) =>
    fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${BOOTSTRAP_ADMIN_KEY}` }, body });

  it('answers malformed JSON with 400 and a GraphQL error, no stack, no body in the logs', async () => {
    logged.length = 0;
    const response = await post('{"query": "{ viewer { role } }", JG103759A');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    expect(logged.join('\n')).not.toContain('JG103759A');
  });

  it('answers a body over the limit with 413', async () => {
    const response = await post(JSON.stringify({ query: '{ viewer { role } }', variables: { x: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) } }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses text with a NUL character, which PostgreSQL cannot store', async () => {
    const response = await t.gql('mutation($name: String!) { registerOrganisation(input: { name: $name, kind: PROVIDER }) { userErrors { code } } }', {
      name: 'Bad\u0000Name',
    });
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

import { type TestServer, startTestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
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
});

import net from 'node:net';
import * as actor from '../../src/modules/audit/actor';
import { type TestChain, createChain } from '../helpers/chain';
import { type TestServer, startTestServer } from '../helpers/server';

/** The audit's actor storage (src/modules/audit/actor.ts) is released by every request that held it. */
let t: TestServer;
let c: TestChain;
beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 78);
});
afterAll(() => t.close());

describe('the audit actor: a request that may write, refused before Apollo runs it, its client gone', () => {
  it('releases the storage it held', async () => {
    const settled: boolean[] = [];
    const { actingAs } = actor;
    const acting = jest.spyOn(actor, 'actingAs').mockImplementation((...args) => {
      const i = settled.push(false) - 1;
      return actingAs(...args).finally(() => (settled[i] = true));
    });
    try {
      const { port } = new URL(t.url);
      // Not JSON: express.json leaves the body unparsed, so the operation's type is unknown and
      // the request acts; Apollo refuses it (no req.body) without running any plugin.
      const body = 'mutation { x }';
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `POST /graphql HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${c.jobcentre.key}\r\nContent-Type: text/plain\r\n` +
              `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
            () => {
              socket.destroy();
              resolve();
            },
          );
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(settled).toEqual([true]);
    } finally {
      acting.mockRestore();
    }
  });
});

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
    const started: object[] = [];
    const done = new Set<object>();
    const { startActing, doneActing } = actor;
    const start = jest.spyOn(actor, 'startActing').mockImplementation((...args) => {
      started.push(args[0]);
      return startActing(...args);
    });
    const finish = jest.spyOn(actor, 'doneActing').mockImplementation((a) => {
      done.add(a);
      return doneActing(a);
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
      expect(started.length).toBe(1);
      expect(started.filter((a) => !done.has(a))).toEqual([]);
    } finally {
      start.mockRestore();
      finish.mockRestore();
    }
  });
});

import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/server/logger';

/** The logger `npm start` uses, writing JSON lines where a test can read them. */
export function capturedLogs(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

/** Polls until `check` holds; throws, naming what never happened, after about 15 s. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let tries = 0; !(await check()); tries++) {
    if (tries > 750) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

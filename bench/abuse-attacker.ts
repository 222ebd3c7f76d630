import { parentPort, workerData } from 'node:worker_threads';
import { type CorpusTarget, HOSTILE_CORPUS, KNOWN_CODES } from '../tests/helpers/hostile-corpus';

/**
 * One attacker of `npm run bench:abuse` (bench/abuse.ts), in a thread of its own: sends the
 * hostile-request corpus, one request after another, round and round, until told to stop; then
 * reports how many it sent and how they were answered.
 */
export interface AttackerReport {
  requests: number;
  /** Answers by their first code (or HTTP status / close code when they carry none). */
  answers: Record<string, number>;
  /** Answers that were not well-formed or carried a code we do not know. */
  unknown: string[];
}

const { target, offset } = workerData as { target: CorpusTarget; offset: number };
let stopping = false;
parentPort!.on('message', () => (stopping = true));

async function attack(): Promise<AttackerReport> {
  const report: AttackerReport = { requests: 0, answers: {}, unknown: [] };
  parentPort!.postMessage('attacking');
  for (let i = offset; !stopping; i++) {
    const request = HOSTILE_CORPUS[i % HOSTILE_CORPUS.length];
    let answer: string;
    try {
      const outcome = await request.send(target);
      answer = outcome.codes[0] ?? outcome.userErrorCodes[0] ?? String(outcome.status);
      const strange = [...outcome.codes, ...outcome.userErrorCodes].filter((code) => !KNOWN_CODES.has(code));
      if (!outcome.wellFormed || strange.length > 0) report.unknown.push(`${request.name}: ${strange.join(' ') || 'not well-formed'}`);
    } catch (error) {
      // A body far over the limit is refused before it is read: the server may close the
      // connection while the client is still writing it.
      answer = `connection closed (${(error as { cause?: { code?: string } }).cause?.code ?? String(error)})`;
    }
    report.requests += 1;
    report.answers[answer] = (report.answers[answer] ?? 0) + 1;
  }
  return report;
}

void attack().then((report) => parentPort!.postMessage(report));

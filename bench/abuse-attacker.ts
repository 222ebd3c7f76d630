import { parentPort, workerData } from 'node:worker_threads';
import { type CorpusTarget, type Finding, HOSTILE_CORPUS, type HostileRequest, KNOWN_CODES, post } from '../tests/helpers/hostile-corpus';

/**
 * One attacker of `npm run bench:abuse` (bench/abuse.ts), in a thread of its own. Told
 * `{ attack: findings | null }`, it sends the hostile-request corpus (or the requests of those
 * findings), one request after another, round and round; told `{ stop: true }`, it finishes the
 * request it is on and reports how many it sent and how they were answered.
 */
export interface AttackerReport {
  requests: number;
  /** Answers by their first code (or HTTP status / close code when they carry none). */
  answers: Record<string, number>;
  /** Answers that were not well-formed or carried a code we do not know. */
  unknown: string[];
}

/** `control`: a legitimate request instead of the corpus, to tell the cost of hostility from that of company. */
export type AttackerCommand = { attack: Finding[] | null | 'control' } | { stop: true };

const CONTROL: HostileRequest = {
  name: 'a legitimate request',
  finding: 'budget',
  send: (t) => post(t.url, { query: '{ viewer { role organisation { name } } cpas { code name } }' }, t.keys.analyst),
  expected: { status: 200 },
};

const { target, offset } = workerData as { target: CorpusTarget; offset: number };
let running: Promise<AttackerReport> | undefined;
let stopping = false;

async function attack(findings: Finding[] | null | 'control'): Promise<AttackerReport> {
  const corpus = findings === 'control' ? [CONTROL] : HOSTILE_CORPUS.filter((request) => !findings || findings.includes(request.finding));
  const report: AttackerReport = { requests: 0, answers: {}, unknown: [] };
  for (let i = offset; !stopping; i++) {
    const request = corpus[i % corpus.length];
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

parentPort!.on('message', (command: AttackerCommand) => {
  if ('attack' in command) {
    stopping = false;
    running = attack(command.attack);
  } else {
    stopping = true;
    void running!.then((report) => parentPort!.postMessage(report));
  }
});
parentPort!.postMessage('ready');

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';

export interface ApiProcess {
  child: ChildProcess;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `src/main.ts` in a process of its own, as `npm start` runs it; resolves once it listens. */
export async function startApiProcess(env: NodeJS.ProcessEnv): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: path.join(__dirname, '..', '..'),
    // As a user runs it: libraries behave differently under jest's NODE_ENV=test.
    env: { ...env, NODE_ENV: 'production' },
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('scx GraphQL API on')) resolve();
    });
    void exited.then((code) => reject(new Error(`scx exited with ${code} before listening:\n${out}`)));
  });
  return { child, stdout: () => out, exited };
}

/** One of src/scripts (or src/main.ts) run to its end, as npm runs it: its exit code and output. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', script, ...args],
      { cwd: path.join(__dirname, '..', '..'), env: { ...env, NODE_ENV: 'production' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

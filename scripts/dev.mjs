// `npm run dev`: tsc --watch compiles into dist/, and node --watch restarts the API whenever what
// it runs changes; the dashboard's files are copied as they change. Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist', '.built');
const copyDashboard = () =>
  fs.cpSync(path.join(root, 'src/server/dashboard'), path.join(root, 'dist/src/server/dashboard'), { recursive: true });

const tscBin = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const tsc = spawn(process.execPath, [tscBin, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const children = [tsc];
let api;
let compiling = new Date();
tsc.stdout.on('data', (chunk) => {
  const text = chunk.toString();
  process.stdout.write(text);
  if (/Starting (incremental )?compilation/.test(text)) compiling = new Date();
  if (!/Found 0 errors/.test(text)) return;
  // dist/ is whole again: `npm start` need not build it.
  fs.writeFileSync(stamp, '');
  fs.utimesSync(stamp, compiling, compiling);
  if (api) return;
  // Started once the first compilation is done, so that it does not restart as dist/ is written.
  copyDashboard();
  fs.watch(path.join(root, 'src/server/dashboard'), { recursive: true }, copyDashboard);
  api = spawn(process.execPath, ['--watch', 'dist/src/main.js'], { cwd: root, stdio: 'inherit' });
  children.push(api);
});

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill(signal);
  Promise.all(children.map((child) => (child.exitCode !== null ? null : new Promise((resolve) => child.once('exit', resolve))))).then(
    () => process.exit(0),
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
tsc.once('exit', (code) => {
  if (!stopping) {
    process.stderr.write(`tsc --watch exited (${code})\n`);
    stop('SIGTERM');
  }
});

// `npm start` runs this first: `npm run build` only when a source is newer than the last build.
// Sources are what tsconfig.build.json compiles, the tsconfigs and the lock file; folders count
// too, since deleting or renaming a file changes its folder's time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist', '.built');
const sources = [
  'src',
  'migrations',
  'bench',
  'ormconfig.ts',
  'package-lock.json',
  ...fs.readdirSync(root).filter((name) => /^tsconfig.*\.json$/.test(name)),
];

/** The latest modification time in a file or folder tree. */
function newest(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  let time = stat.mtimeMs;
  if (stat.isDirectory()) for (const name of fs.readdirSync(file)) time = Math.max(time, newest(path.join(file, name)));
  return time;
}

const built = fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = sources.find((source) => newest(path.join(root, source)) > built);
if (!changed) {
  process.stdout.write('dist/ is up to date: no build needed\n');
  process.exit(0);
}
process.stdout.write(built ? `building dist/ (${changed} changed since the last build)\n` : 'building dist/\n');
// Stamped with the time the build began, so that a file saved during the build counts as changed next time.
const began = new Date();
const npm = process.env.npm_execpath;
const result = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.status !== 0) process.exit(result.status ?? 1);
fs.writeFileSync(stamp, '');
fs.utimesSync(stamp, began, began);

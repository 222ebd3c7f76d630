import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * scripts/build-if-stale.mjs (npm start's prestart) in a project of its own whose `npm run build`
 * only counts its runs: it builds the first time, then only after a source changed or went.
 */
let project: string;
const builds = () => fs.readFileSync(path.join(project, 'builds.log'), 'utf8').length;
const run = () => execFileSync(process.execPath, [path.join(project, 'scripts', 'build-if-stale.mjs')], { cwd: project, encoding: 'utf8' });
const touch = (file: string) => fs.utimesSync(file, new Date(), new Date());

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-build-'));
  fs.mkdirSync(path.join(project, 'scripts'));
  fs.copyFileSync(path.join(__dirname, '..', '..', 'scripts', 'build-if-stale.mjs'), path.join(project, 'scripts', 'build-if-stale.mjs'));
  const build = "require('fs').appendFileSync('builds.log', 'x'); require('fs').mkdirSync('dist', { recursive: true })";
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'fixture', scripts: { build: `node -e "${build}"` } }));
  fs.writeFileSync(path.join(project, 'builds.log'), '');
  for (const file of ['src/main.ts', 'src/server/app.ts', 'migrations/1-First.ts', 'tsconfig.json', 'package-lock.json']) {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    fs.writeFileSync(path.join(project, file), '');
  }
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('build-if-stale', () => {
  it('builds when there is no build, and not again while nothing changed', () => {
    expect(run()).toContain('building dist/');
    expect(run()).toBe('dist/ is up to date: no build needed\n');
    expect(builds()).toBe(1);
  });

  it('builds again after a source, a tsconfig or the lock file changed', () => {
    for (const [file, expected] of [['src/server/app.ts', 2], ['tsconfig.json', 3], ['package-lock.json', 4]] as const) {
      touch(path.join(project, file));
      expect(run()).toContain(`building dist/ (${file.split('/')[0]} changed since the last build)`);
      expect(builds()).toBe(expected);
    }
  });

  it('builds again after a source was deleted', () => {
    fs.rmSync(path.join(project, 'migrations', '1-First.ts'));
    expect(run()).toContain('migrations changed');
    expect(builds()).toBe(5);
    expect(run()).toContain('up to date');
  });
});

import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * eslint.config.mjs keeps imports pointing down: common → db → auth → modules → server → main,
 * config.ts, the demo and the scripts; no file is exempt.
 * ESLint's Node API loads the config with a dynamic import, which jest's module sandbox does not
 * offer: the cases are linted in one plain Node process, `new ESLint().lintText(code, { filePath })`.
 */

const root = path.join(__dirname, '..', '..');

const LINT = `
import { ESLint } from 'eslint';
const eslint = new ESLint({ cwd: process.cwd() });
const cases = JSON.parse(process.argv[1]);
const out = [];
for (const [file, code] of cases) {
  const [result] = await eslint.lintText(code + '\\nexport {};\\n', { filePath: file });
  out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
`;

/** For each [file, code]: the messages of no-restricted-imports for `code` written at `file`. */
function upward(cases: Array<[string, string]>): string[][] {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', LINT, JSON.stringify(cases.map(([file, code]) => [path.join(root, file), code]))], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}

const REFUSED: Array<[string, string]> = [
  ['src/common/new.ts', "import { Referral } from '../modules/referrals/referral.entity';"],
  ['src/common/new.ts', "import { createDataSource } from '../db/data-source';"],
  ['src/db/new.ts', "import type { RequestContext } from '../modules/context';"],
  ['src/db/new.ts', "import { authorize } from '../auth/policy';"],
  ['src/auth/new.ts', "import { keyLookup } from '../modules/identity/identity.service';"],
  ['src/auth/new.ts', "import { Role } from '../modules/identity/identity.enums';"],
  ['src/auth/new.ts', "import type { Organisation } from '../modules/identity/organisation.entity';"],
  ['src/auth/new.ts', "import { addToInbox } from '../modules/inbox/inbox';"],
  ['src/modules/referrals/new.ts', "import { startServer } from '../../server/app';"],
  ['src/auth/new.ts', "import type { RequestContext } from '../modules/context';"],
  // The access gate's own files too: none is exempt.
  ['src/auth/referral-access.ts', "import type { RequestContext } from '../modules/context';"],
  ['src/auth/authenticate.ts', "import { keyLookup } from '../modules/identity/identity.service';"],
  ['src/modules/inbox/new.ts', "import { buildScxSchema } from '../../server/schema';"],
  ['src/server/new.ts', "import { seedDemo } from '../demo/seed-demo';"],
  ['src/server/new.ts', "import { loadConfig } from '../config';"],
  ['src/db/new.ts', "import type { Config } from '../config';"],
  ['src/modules/identity/new.ts', "import { DEFAULT_RATE_LIMIT } from '../../config';"],
];

/** Modules sit side by side, but none imports another's resolver. */
const ANOTHER_MODULES_RESOLVER: Array<[string, string]> = [
  ['src/modules/inbox/new.ts', "import { HandoffResolver } from '../chain/chain.resolver';"],
  ['src/modules/compliance/new.ts', "import { ReferralResolver } from '../referrals/referrals.resolver';"],
];

const ALLOWED: Array<[string, string]> = [
  ['src/db/new.ts', "import { isUuid } from '../common/ids';"],
  ['src/auth/new.ts', "import { FieldCipher } from '../db/field-encryption';"],
  ['src/modules/referrals/new.ts', "import { authorize } from '../../auth/policy';"],
  ['src/modules/referrals/new.ts', "import { Handoff } from '../chain/handoff.entity';"],
  ['src/modules/referrals/new.ts', "import { addToInbox } from '../inbox/inbox';"],
  ['src/modules/referrals/new.ts', "import type { RequestContext } from '../context';"],
  ['src/server/new.ts', "import { Referral } from '../modules/referrals/referral.entity';"],
  ['src/main.ts', "import { startServer } from './server/app';"],
  ['src/main.ts', "import { loadConfig } from './config';"],
  ['src/modules/identity/new.ts', "import { Role } from '../../auth/access.enums';"],
  ['src/modules/inbox/new.ts', "import { visibleHandoff } from '../visible';"],
  ['src/modules/referrals/new.ts', "import { ReferralResolver } from './referrals.resolver';"],
  ['src/server/new.ts', "import { HandoffResolver } from '../modules/chain/chain.resolver';"],
];

describe('imports point down (eslint.config.mjs)', () => {
  let refused: string[][];
  let crossModule: string[][];
  let allowed: string[][];
  beforeAll(() => {
    const messages = upward([...REFUSED, ...ANOTHER_MODULES_RESOLVER, ...ALLOWED]);
    refused = messages.splice(0, REFUSED.length);
    crossModule = messages.splice(0, ANOTHER_MODULES_RESOLVER.length);
    allowed = messages;
  }, 120000);

  it.each(REFUSED.map((c, i) => [...c, i] as const))('refuses, in %s: %s', (_file, _code, i) => {
    expect(refused[i]).toEqual([expect.stringContaining('Imports point down')]);
  });

  it.each(ANOTHER_MODULES_RESOLVER.map((c, i) => [...c, i] as const))('refuses, in %s: %s', (_file, _code, i) => {
    expect(crossModule[i]).toEqual([expect.stringContaining("another module's resolver")]);
  });

  it.each(ALLOWED.map((c, i) => [...c, i] as const))('allows, in %s: %s', (_file, _code, i) => {
    expect(allowed[i]).toEqual([]);
  });
});

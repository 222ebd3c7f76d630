import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../../src/common/error-codes';
import { readmeWithCodes } from '../../src/scripts/print-schema';

const root = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return file.endsWith('.ts') ? [fs.readFileSync(file, 'utf8')] : [];
  });
}

describe('the catalogue of userErrors codes', () => {
  it("is README's table (run `npm run schema` after changing a code)", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toBe(readmeWithCodes(readme));
  });

  it('holds only codes the exchange answers', () => {
    const code = sources(path.join(root, 'src')).join('\n');
    const unused = Object.keys(ERROR_CODES).filter((name) => !code.includes(`ErrorCode.${name}`));
    expect(unused).toEqual([]);
  });
});

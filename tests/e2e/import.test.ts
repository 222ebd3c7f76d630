import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Role } from '../../src/auth/access.enums';
import { createArea } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

/** `npm run import:referrals` on the sample extract in docs/examples, as an operator runs it. */
const ROOT = path.join(__dirname, '..', '..');
const SAMPLE = path.join(ROOT, 'docs', 'examples', 'referrals.csv');
let t: TestServer;
let folder: string;

beforeAll(async () => {
  t = await startTestServer();
  await createArea(t, 1, [5000, 5000]);
  await t.keyFor(Role.JOBCENTRE, 'Jobcentre Plus Import Test');
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scx-import-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function runImport(report: string, { file = SAMPLE, jobcentre = 'Jobcentre Plus Import Test' }: { file?: string; jobcentre?: string } = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/scripts/import-referrals.ts', file, '--jobcentre', jobcentre, '--report', report, '--batch', '4'],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.db.url, SCX_DATA_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' } },
  );
  return stdout;
}

const reportRows = (file: string) =>
  fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));

describe('import:referrals', () => {
  it('creates the valid rows, reports every row, and creates nothing the second time', async () => {
    const first = path.join(folder, 'first.csv');
    expect(await runImport(first)).toContain('11 rows: 8 created, 0 already present, 3 rejected.');
    const rows = reportRows(first);
    expect(rows.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ['2', 'EE-2026-0001', 'created', ''],
      ['3', 'EE-2026-0002', 'created', ''],
      ['4', 'EE-2026-0003', 'created', ''],
      ['5', 'EE-2026-0004', 'created', ''],
      ['6', 'EE-2026-0005', 'created', ''],
      ['7', 'EE-2026-0006', 'created', ''],
      ['8', 'EE-2026-0007', 'created', ''],
      ['9', 'EE-2026-0008', 'created', ''],
      ['10', 'EE-2026-0009', 'rejected', 'INVALID_NINO'],
      ['11', 'EE-2026-0010', 'rejected', 'PARTICIPATION_MODE_NOT_ALLOWED'],
      ['12', 'EE-2026-0011', 'rejected', 'MALFORMED_ROW'],
    ]);
    const [joint] = await t.db.dataSource.query(
      `SELECT a.method, (r.contract_id = partner.contract_id) AS same FROM referral r
         JOIN referral_allocation a ON a.referral_id = r.id
         JOIN referral partner ON partner.client_reference = 'EE-2026-0001'
        WHERE r.client_reference = 'EE-2026-0005'`,
    );
    expect(joint).toEqual({ method: 'JOINT_CLAIM', same: true });

    // The Jobcentre's name in another letter case and spacing is the same Jobcentre.
    const second = path.join(folder, 'second.csv');
    expect(await runImport(second, { jobcentre: ' jobcentre plus  IMPORT test' })).toContain('11 rows: 0 created, 8 already present, 3 rejected.');
    const [{ n }] = await t.db.dataSource.query('SELECT count(*)::int AS n FROM referral');
    expect(n).toBe(8);
    // The audit trail has the import's writes as the Jobcentre's.
    const audited = await t.db.dataSource.query(
      `SELECT DISTINCT e.operation, o.name FROM audit_event e JOIN organisation o ON o.id = e.organisation_id WHERE e.record = 'referral'`,
    );
    expect(audited).toEqual([{ operation: 'import:referrals', name: 'Jobcentre Plus Import Test' }]);
  });

  it("holds each row to the API's input limits", async () => {
    const [header] = fs.readFileSync(SAMPLE, 'utf8').split('\n');
    const file = path.join(folder, 'long.csv');
    fs.writeFileSync(
      file,
      [
        header,
        'LIM-1,1,Norfolk and Suffolk,JSA_25_PLUS,MANDATORY,2024-05-01,JT480301A,Short,Name,1979-04-11,,,,,,,no,no,,no,,,',
        `LIM-2,1,Norfolk and Suffolk,JSA_25_PLUS,MANDATORY,2024-05-01,JT480302B,Long,${'N'.repeat(101)},1979-04-11,,,,,,,no,no,,no,,,`,
      ].join('\n'),
    );
    const report = path.join(folder, 'long.report.csv');
    expect(await runImport(report, { file })).toContain('2 rows: 1 created, 0 already present, 1 rejected.');
    expect(reportRows(report).map((r) => [r[1], r[2], r[4]])).toEqual([
      ['LIM-1', 'created', ''],
      ['LIM-2', 'rejected', 'TOO_LONG'],
    ]);
  });

  it('names the close matches of a Jobcentre it does not know, and imports nothing', async () => {
    await t.keyFor(Role.JOBCENTRE, 'Jobcentre Plus Import Trial');
    await t.keyFor(Role.JOBCENTRE, 'Jobcentre Plus Elsewhere');
    const failed = runImport(path.join(folder, 'unknown.csv'), { jobcentre: 'Jobcentre Plus Imprt Test' });
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'No Jobcentre organisation is called "Jobcentre Plus Imprt Test"; close matches: "Jobcentre Plus Import Test", "Jobcentre Plus Import Trial"\n',
      ),
    });
    expect(fs.existsSync(path.join(folder, 'unknown.csv'))).toBe(false);
  });
});

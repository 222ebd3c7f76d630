import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { FieldCipher, dataKeyId } from '../../src/db/field-encryption';
import { Role } from '../../src/auth/access.enums';
import { rotateDataKeys } from '../../src/modules/referrals/key-rotation';
import { startServer } from '../../src/server/app';
import { createLogger } from '../../src/server/logger';
import { connectAsApiRole } from '../helpers/database';
import { createArea, nino } from '../helpers/registry';
import { type GraphQLResponse, type TestServer, startTestServer } from '../helpers/server';

/**
 * Health and risk markers at rest: each value bound to its participant and field, under a key the
 * value names; `npm run keys:rotate` moves every value to the current key.
 */
const ROOT = path.join(__dirname, '..', '..');
let t: TestServer;
let jobcentre: string;
const logged: string[] = [];
let people = 0;

beforeAll(async () => {
  t = await startTestServer({
    log: createLogger('info', new Writable({ write: (chunk, _encoding, done) => done(void logged.push(String(chunk))) })),
  });
  await createArea(t, 61, [5000, 5000]);
  jobcentre = (await t.keyFor(Role.JOBCENTRE)).secret;
});
afterAll(() => t.close());

interface Person {
  referralId: string;
  participantId: string;
  health: string[] | null;
  risks: string[] | null;
}

/** Referrals of new people, through the API, with the special-category data given. */
async function refer(claimants: Array<{ health?: string[]; risks?: string[] }>): Promise<Person[]> {
  const response = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string; participant: { id: string } } }> } }>(
    'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id participant { id } } } } }',
    {
      input: {
        referrals: claimants.map(({ health, risks }) => {
          const n = ++people;
          return {
            clientReference: `ENC-${n}`,
            cpaCode: 61,
            jobcentreDistrict: 'Cipher',
            paymentGroup: 'JSA_25_PLUS',
            participationMode: 'MANDATORY',
            referredOn: '2024-05-01',
            claimant: { nino: nino(n, 'EN'), givenName: `Person${n}`, familyName: 'Test', dateOfBirth: '1980-01-01', consentToShareHealth: false, healthConditions: health, riskMarkers: risks },
          };
        }),
      },
    },
    jobcentre,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.submitReferrals.results.map(({ referral }, i) => ({
    referralId: referral.id,
    participantId: referral.participant.id,
    health: claimants[i].health ?? null,
    risks: claimants[i].risks ?? null,
  }));
}

type Read = GraphQLResponse<{ referral: { participant: { id: string; givenName: string; health: { conditions: string[] } | null; riskMarkers: string[] | null } } | null }>;

/** The person as the referring Jobcentre reads them (it sees health and risk markers always). */
function read(referralId: string, url = t.url): Promise<Read> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${jobcentre}` },
    body: JSON.stringify({ query: 'query($id: ID!) { referral(id: $id) { participant { id givenName health { conditions } riskMarkers } } }', variables: { id: referralId } }),
  }).then(async (response) => ({ status: response.status, ...((await response.json()) as object) }));
}

const stored = async (participantId: string): Promise<{ health_encrypted: string | null; risk_markers_encrypted: string | null }> =>
  (await t.db.dataSource.query('SELECT health_encrypted, risk_markers_encrypted FROM participant WHERE id = $1', [participantId]))[0];

/** A value as the first release wrote it: bound to the field name only, no key id. */
function v1(key: Buffer, field: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(field));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

describe('a ciphertext is bound to its participant', () => {
  it('is written as v2 under the current key, for this participant', async () => {
    const [person] = await refer([{ health: ['asthma'], risks: ['lone working not advised'] }]);
    const row = await stored(person.participantId);
    expect(t.cipher.keyId).toBe(dataKeyId(Buffer.from(t.dataKey, 'base64')));
    expect(row.health_encrypted).toMatch(new RegExp(`^v2\\.${t.cipher.keyId}\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(JSON.stringify(row)).not.toMatch(/asthma|lone working/);
    expect(t.cipher.decrypt('risk_markers', person.participantId, row.risk_markers_encrypted!)).toEqual(['lone working not advised']);
  });

  it('copied to another person, does not decrypt: that field fails as a fault, and shows nothing of the first person', async () => {
    const [first, second] = await refer([{ health: ['epilepsy'], risks: ['history of violence'] }, { health: ['diabetes'], risks: ['dog at home'] }]);
    await t.db.dataSource.query(
      `UPDATE participant SET (health_encrypted, risk_markers_encrypted) = (SELECT health_encrypted, risk_markers_encrypted FROM participant WHERE id = $1)
        WHERE id = $2`,
      [first.participantId, second.participantId],
    );
    logged.length = 0;
    const response = await read(second.referralId);
    expect(response.status).toBe(200);
    // The second person's record, without the fields that do not open; nothing of the first person.
    expect(response.data!.referral!.participant).toEqual({ id: second.participantId, givenName: expect.stringMatching(/^Person/), health: null, riskMarkers: null });
    expect(response.data!.referral!.participant.givenName).not.toBe((await read(first.referralId)).data!.referral!.participant.givenName);
    expect(response.errors).toEqual([
      { message: 'Internal server error', path: ['referral', 'participant', 'health'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      { message: 'Internal server error', path: ['referral', 'participant', 'riskMarkers'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(response)).not.toMatch(/epilepsy|violence/);
    // The operator learns which value, of whom, and why.
    const faults = logged.filter((line) => line.includes('fault in a GraphQL operation')).map((line) => JSON.parse(line).err);
    expect(faults).toEqual([
      expect.objectContaining({
        type: 'FieldDecryptionError',
        message: `The encrypted health of participant ${second.participantId} does not decrypt: it was written for another participant or field, or altered`,
      }),
      expect.objectContaining({ type: 'FieldDecryptionError', message: expect.stringContaining(`risk_markers of participant ${second.participantId}`) }),
    ]);
    expect(logged.join('\n')).not.toMatch(/epilepsy|violence/);
    // The first person still reads.
    expect((await read(first.referralId)).data!.referral!.participant).toMatchObject({ health: { conditions: ['epilepsy'] }, riskMarkers: ['history of violence'] });
    await t.db.dataSource.query('UPDATE participant SET health_encrypted = NULL, risk_markers_encrypted = NULL WHERE id = $1', [second.participantId]);
  });

  it('moved to another field, or under a key not in the ring, does not decrypt either', async () => {
    const [person] = await refer([{ health: ['migraine'] }]);
    const { health_encrypted: health } = await stored(person.participantId);
    expect(() => t.cipher.decrypt('risk_markers', person.participantId, health!)).toThrow('written for another participant or field');
    const stranger = new FieldCipher(randomBytes(32));
    expect(() => stranger.decrypt('health', person.participantId, health!)).toThrow(`its key ${t.cipher.keyId} is not in the key ring`);
    expect(() => t.cipher.decrypt('health', person.participantId, 'v9.x.y')).toThrow('not a format this exchange writes');
  });

  it('still reads a v1 value (bound to the field only) with any key of the ring', async () => {
    const [person] = await refer([{}]);
    const old = randomBytes(32);
    await t.db.dataSource.query('UPDATE participant SET health_encrypted = $1 WHERE id = $2', [v1(Buffer.from(t.dataKey, 'base64'), 'health', { conditions: ['hay fever'] }), person.participantId]);
    expect((await read(person.referralId)).data!.referral!.participant.health).toEqual({ conditions: ['hay fever'] });
    const value = v1(old, 'risk_markers', ['none']);
    expect(new FieldCipher(randomBytes(32), [old]).decrypt('risk_markers', person.participantId, value)).toEqual(['none']);
    expect(() => t.cipher.decrypt('risk_markers', person.participantId, value)).toThrow('no key of the key ring opens it');
    await t.db.dataSource.query('UPDATE participant SET health_encrypted = NULL WHERE id = $1', [person.participantId]);
  });
});

/** Encrypted values held (`like`: only those matching), in the participants' records and each referral's copy. */
async function encryptedValues(like?: string): Promise<number> {
  const counted = (table: string) =>
    like === undefined
      ? `SELECT count(health_encrypted) + count(risk_markers_encrypted) AS n FROM ${table}`
      : `SELECT count(*) FILTER (WHERE health_encrypted LIKE $1) + count(*) FILTER (WHERE risk_markers_encrypted LIKE $1) AS n FROM ${table}`;
  const [{ n }] = await t.db.dataSource.query(`SELECT sum(n) AS n FROM (${counted('participant')} UNION ALL ${counted('referral_claimant')}) counts`, like === undefined ? [] : [like]);
  return Number(n);
}

describe('key rotation', () => {
  const keyA = () => Buffer.from(t.dataKey, 'base64');
  const keyB = randomBytes(32);
  let everyone: Person[];

  beforeAll(async () => {
    everyone = [
      ...(await t.db.dataSource.query('SELECT r.id AS "referralId", p.id AS "participantId" FROM referral r JOIN participant p ON p.id = r.participant_id')),
    ] as Person[];
    const more = await refer(Array.from({ length: 7 }, (_, i) => ({ health: [`condition ${i}`], risks: i % 2 ? [`risk ${i}`] : undefined })));
    // One value as the first release wrote it, under key A.
    const [legacy] = await refer([{}]);
    await t.db.dataSource.query('UPDATE participant SET health_encrypted = $1 WHERE id = $2', [v1(keyA(), 'health', { conditions: ['legacy'] }), legacy.participantId]);
    everyone = [...everyone, ...more, legacy];
  });

  it('from key A to key B is transactional per batch and resumable, and leaves every value readable with B alone', async () => {
    const expected = new Map<string, Read>();
    for (const person of everyone) expected.set(person.referralId, await read(person.referralId));
    expect([...expected.values()].some((r) => r.data!.referral!.participant.health?.conditions[0] === 'legacy')).toBe(true);
    const values = await encryptedValues();

    const ring = new FieldCipher(keyB, [keyA()]);
    // Stopped after its first batch of 3 participants: that batch is done, the rest untouched.
    await expect(
      rotateDataKeys(t.db.dataSource, ring, { batchSize: 3, onProgress: () => { throw new Error('operator pressed ^C'); } }),
    ).rejects.toThrow('operator pressed ^C');
    const underB = await encryptedValues(`v2.${ring.keyId}.%`);
    expect(underB).toBeGreaterThan(0);
    expect(underB).toBeLessThan(values);

    // Run again: it carries on with what is left.
    const report = await rotateDataKeys(t.db.dataSource, ring, { batchSize: 3 });
    expect(report).toMatchObject({ keyId: dataKeyId(keyB), alreadyCurrent: underB, rewritten: values - underB, unreadable: [], remaining: 0 });
    const rows: Array<{ id: string; health_encrypted: string | null; risk_markers_encrypted: string | null }> = await t.db.dataSource.query(
      'SELECT id, health_encrypted, risk_markers_encrypted FROM participant',
    );
    for (const row of rows) {
      for (const value of [row.health_encrypted, row.risk_markers_encrypted]) if (value) expect(value.startsWith(`v2.${ring.keyId}.`)).toBe(true);
    }

    // An API process with key B alone reads every person as before.
    const onlyB = await startServer({ db: t.db.dataSource, cipher: new FieldCipher(keyB), port: 0, host: '127.0.0.1', log: pino({ level: 'silent' }) });
    try {
      for (const person of everyone) expect(await read(person.referralId, onlyB.url)).toEqual(expected.get(person.referralId));
    } finally {
      await onlyB.stop();
    }
  });

  it('npm run keys:rotate reports what it rewrote, names what it cannot read, and fails until no value needs an old key', async () => {
    const keyC = randomBytes(32);
    // As production runs it (docker/README): the API's own role, which writes people only as an actor.
    const apiRole = await connectAsApiRole(t.db);
    await apiRole.dataSource.destroy();
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/scripts/rotate-keys.ts', '--batch', '4'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: apiRole.url, LOG_LEVEL: 'warn', ...env },
      }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const [victim, source] = everyone.slice(-3);
    await t.db.dataSource.query(
      'UPDATE participant SET health_encrypted = (SELECT health_encrypted FROM participant WHERE id = $1) WHERE id = $2',
      [source.participantId, victim.participantId],
    );
    const values = await encryptedValues();
    const env = { SCX_DATA_KEY: keyC.toString('base64'), SCX_DATA_KEYS_PREVIOUS: ` ${keyB.toString('base64')} , ${randomBytes(32).toString('base64')}` };

    const first = await run(env);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`Current key ${dataKeyId(keyC)}; previous keys: ${dataKeyId(keyB)}, `);
    expect(first.stdout).toContain(`${values - 1} values re-encrypted under ${dataKeyId(keyC)} (0 of them from the v1 format)`);
    expect(first.stdout).toContain(`UNREADABLE The encrypted health of participant ${victim.participantId} does not decrypt: it was written for another participant or field, or altered`);
    expect(first.stdout).toContain('1 values still need another key (1 unreadable)');

    // The operator clears the altered value (it is re-entered from the source); the next run finishes.
    await t.db.dataSource.query('UPDATE participant SET health_encrypted = NULL WHERE id = $1', [victim.participantId]);
    const second = await run(env);
    expect(second).toEqual({ code: 0, stdout: expect.stringContaining(`0 values re-encrypted under ${dataKeyId(keyC)}`) });
    expect(second.stdout).toContain(`${values - 1} were already under it.`);
    expect(second.stdout).toContain('No value needs an old key');
    // The rewrites are on the audit trail under the operation's name, in batches of 4 people.
    const rewrites: Array<{ operation: string; api_key_id: string | null; people: number }> = await t.db.dataSource.query(
      `SELECT operation, api_key_id, cardinality(participant_ids) AS people FROM audit_event WHERE action = 'UPDATE' AND record = 'participant' AND request_id LIKE 'keys:rotate:%'`,
    );
    expect(rewrites.length).toBeGreaterThan(0);
    for (const rewrite of rewrites) expect(rewrite).toMatchObject({ operation: 'keys:rotate', api_key_id: null, people: expect.any(Number) });
    expect(rewrites.every((rewrite) => rewrite.people <= 4)).toBe(true);
    await apiRole.drop();
  });
});

import { randomBytes } from 'node:crypto';
import { entropyBits, loadConfig } from '../../src/config';
import { DEFAULT_RATE_LIMIT } from '../../src/modules/identity/rate-limit';

const WEAK = /^SCX_BOOTSTRAP_ADMIN_KEY is too easy to guess: use at least 32 random characters without spaces \(128 bits or more\), e\.g\. the output of `openssl rand -hex 32`\.$/;

describe('SCX_BOOTSTRAP_ADMIN_KEY', () => {
  it.each([
    ['16 × "a"', 'a'.repeat(16)],
    ['64 × "a": long, but no entropy', 'a'.repeat(64)],
    ['a short random value', randomBytes(12).toString('hex')],
    ['a phrase with spaces', 'correct horse battery staple and then some more words'],
    ['a repeated pattern', 'abab'.repeat(16)],
  ])('refuses %s, in one sentence', (_label, key) => {
    expect(() => loadConfig({ SCX_BOOTSTRAP_ADMIN_KEY: key })).toThrow(WEAK);
  });

  it.each([
    ['openssl rand -hex 32', () => randomBytes(32).toString('hex')],
    ['openssl rand -base64 32', () => randomBytes(32).toString('base64')],
    ['an issued secret', () => `scx_${randomBytes(32).toString('base64url')}`],
  ])('accepts %s, whatever the draw', (_label, draw) => {
    for (let i = 0; i < 200; i++) {
      const key = draw();
      expect(loadConfig({ SCX_BOOTSTRAP_ADMIN_KEY: key }).bootstrapAdminKey).toBe(key);
    }
  });

  it('estimates entropy from the characters themselves', () => {
    expect(entropyBits('a'.repeat(100))).toBe(0);
    expect(entropyBits('ab'.repeat(50))).toBe(100);
    expect(entropyBits('0123456789abcdef'.repeat(4))).toBe(256);
  });
});

describe('rate limits', () => {
  it('default to 6000 requests a minute per key, and are set by SCX_RATE_LIMIT_*', () => {
    expect(loadConfig({}).rateLimit).toEqual(DEFAULT_RATE_LIMIT);
    expect(DEFAULT_RATE_LIMIT).toEqual({ requests: 6000, windowSeconds: 60 });
    expect(loadConfig({ SCX_RATE_LIMIT_REQUESTS: '10', SCX_RATE_LIMIT_WINDOW_SECONDS: '1' }).rateLimit).toEqual({ requests: 10, windowSeconds: 1 });
  });

  it.each([
    ['SCX_RATE_LIMIT_REQUESTS', '0'],
    ['SCX_RATE_LIMIT_REQUESTS', 'lots'],
    ['SCX_RATE_LIMIT_WINDOW_SECONDS', '0'],
    ['SCX_RATE_LIMIT_WINDOW_SECONDS', '86401'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});

describe('the read replica and the LISTEN connection', () => {
  it('are DATABASE_REPLICA_URL and DATABASE_LISTEN_URL, beside DATABASE_URL; none without them', () => {
    expect(loadConfig({})).toMatchObject({ replicaDatabaseUrl: undefined, listenDatabaseUrl: undefined });
    const env = { DATABASE_URL: 'postgres://api@pgbouncer/scx', DATABASE_REPLICA_URL: 'postgres://api@replica/scx', DATABASE_LISTEN_URL: 'postgres://api@primary/scx' };
    expect(loadConfig(env)).toMatchObject({ databaseUrl: env.DATABASE_URL, replicaDatabaseUrl: env.DATABASE_REPLICA_URL, listenDatabaseUrl: env.DATABASE_LISTEN_URL });
  });

  it.each(['DATABASE_REPLICA_URL', 'DATABASE_LISTEN_URL'])('%s is refused without DATABASE_URL: the embedded server is reached one way', (name) => {
    expect(() => loadConfig({ [name]: 'postgres://api@elsewhere/scx' })).toThrow(`${name} needs DATABASE_URL`);
  });
});

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Special-category data (health, risk markers) is encrypted at rest with AES-256-GCM. The field's
 * name is authenticated with it, so a value copied into another column does not decrypt.
 * Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export class FieldCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The data key must be 32 bytes (AES-256)');
  }

  encrypt(field: string, value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(field));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data.toString('base64url')}`;
  }

  decrypt<T>(field: string, stored: string): T {
    const [version, iv, tag, data] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error(`Unreadable encrypted ${field}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}

/** SCX_DATA_KEY: 32 random bytes, base64. */
export function parseDataKey(value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('SCX_DATA_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');
  return key;
}

/**
 * The data key: SCX_DATA_KEY, or for the embedded database a key generated on first start and
 * kept beside it (`.data/data-key`). An external database needs SCX_DATA_KEY: a key made up on
 * one machine would leave the data unreadable from any other.
 */
export function loadDataKey(options: { dataKey?: string; embedded: boolean; dataDir: string }): Buffer {
  if (options.dataKey) return parseDataKey(options.dataKey);
  if (!options.embedded) throw new Error('SCX_DATA_KEY is required with DATABASE_URL (32 random bytes, base64)');
  const file = path.join(options.dataDir, 'data-key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  return parseDataKey(fs.readFileSync(file, 'utf8').trim());
}

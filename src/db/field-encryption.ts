import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The special-category fields encrypted at rest, by the name their ciphertext is bound to. */
export type EncryptedField = 'health' | 'risk_markers';

/** A value that does not open: the read fails rather than show anything of it. */
export class FieldDecryptionError extends Error {
  override readonly name = 'FieldDecryptionError';
}

/** A key's id: the first 4 bytes of its SHA-256, in hex (`base64 -d | sha256sum | cut -c1-8`). */
export function dataKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

const ALGORITHM = 'aes-256-gcm';

/**
 * Special-category data (health, risk markers) is encrypted at rest with AES-256-GCM, stored as
 * `v2.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). The field's name and the participant's id
 * are authenticated with it, so a value copied to another person or column does not decrypt; the
 * key id names the key of the ring that opens it, so keys can be rotated (`npm run keys:rotate`).
 * Values of the first format, `v1.<iv>.<tag>.<ciphertext>`, bound to the field name only and
 * without a key id, are still read (with any key of the ring) until the rotation rewrites them.
 */
export class FieldCipher {
  /** The id of the key new values are encrypted with. */
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();

  /** `current` encrypts and decrypts; `previous` keys only decrypt, until a rotation retires them. */
  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('A data key must be 32 bytes (AES-256)');
      const id = dataKeyId(key);
      const known = this.keys.get(id);
      if (known && !known.equals(key)) throw new Error(`Two data keys share the id ${id}: replace one of them`);
      this.keys.set(id, key);
    }
    this.keyId = dataKeyId(current);
  }

  /** The ids of the keys that only decrypt. */
  get previousKeyIds(): string[] {
    return [...this.keys.keys()].filter((id) => id !== this.keyId);
  }

  encrypt(field: EncryptedField, participantId: string, value: unknown): string {
    return this.seal(field, participantId, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  decrypt<T>(field: EncryptedField, participantId: string, stored: string): T {
    return JSON.parse(this.open(field, participantId, stored).toString('utf8')) as T;
  }

  /** Whether `stored` is already in the current format under the current key. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`v2.${this.keyId}.`);
  }

  /** `stored` re-encrypted under the current key, bound to its field and participant. */
  reencrypt(field: EncryptedField, participantId: string, stored: string): string {
    return this.seal(field, participantId, this.open(field, participantId, stored));
  }

  private seal(field: EncryptedField, participantId: string, plain: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.keyId)!, iv);
    cipher.setAAD(binding(field, participantId));
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    return ['v2', this.keyId, iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  private open(field: EncryptedField, participantId: string, stored: string): Buffer {
    const fail = (why: string) => new FieldDecryptionError(`The encrypted ${field} of participant ${participantId} does not decrypt: ${why}`);
    const parts = stored.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, keyId, iv, tag, data] = parts;
      const key = this.keys.get(keyId);
      if (!key) throw fail(`its key ${keyId} is not in the key ring (SCX_DATA_KEY, SCX_DATA_KEYS_PREVIOUS)`);
      const plain = attempt(key, binding(field, participantId), iv, tag, data);
      if (!plain) throw fail('it was written for another participant or field, or altered');
      return plain;
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, data] = parts;
      for (const key of this.keys.values()) {
        const plain = attempt(key, Buffer.from(field), iv, tag, data);
        if (plain) return plain;
      }
      throw fail('no key of the key ring opens it (v1), or it was altered');
    }
    throw fail('not a format this exchange writes');
  }
}

/** What a v2 ciphertext is bound to: its field and its participant. */
function binding(field: EncryptedField, participantId: string): Buffer {
  return Buffer.from(`${field}:${participantId.toLowerCase()}`);
}

/** The plaintext, or null when the tag does not authenticate it under this key and binding. */
function attempt(key: Buffer, aad: Buffer, iv: string, tag: string, data: string): Buffer | null {
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
  } catch {
    return null;
  }
}

/** SCX_DATA_KEY: 32 random bytes, base64. */
export function parseDataKey(value: string, name = 'SCX_DATA_KEY'): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
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

/** The key ring: the data key, and SCX_DATA_KEYS_PREVIOUS (comma-separated), still read until rotated away. */
export function loadFieldCipher(options: { dataKey?: string; previousDataKeys?: string; embedded: boolean; dataDir: string }): FieldCipher {
  const previous = (options.previousDataKeys ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map((value) => parseDataKey(value, 'each key of SCX_DATA_KEYS_PREVIOUS'));
  return new FieldCipher(loadDataKey(options), previous);
}

import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** Sealing for the emulator's sensitive values at rest, and token digests for lookups. */
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A token's lookup key: its SHA-256. Tokens carry 122 random bits, so the digest reveals nothing usable. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class Sealer {
  private readonly key: Buffer;

  /** `key`: 32 bytes from the caller (e.g. the app's keychain); null = a fresh key for this run only. */
  constructor(key: Buffer | null) {
    if (key !== null && key.length !== KEY_BYTES) throw new Error('the emulator storage key must be 32 bytes');
    this.key = key ?? randomBytes(KEY_BYTES);
  }

  /** Tells whether stored values were sealed under this key, without revealing the key. */
  keyCheck(): string {
    return createHmac('sha256', this.key).update('assetdesk-emulator-storage-key-check').digest('hex');
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plain text, or null when it was sealed under another key (or damaged). */
  open(sealed: string): string | null {
    try {
      const bytes = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

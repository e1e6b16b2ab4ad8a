import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import Database from 'better-sqlite3';
import type { StoreContext } from './context';
import { AppError } from '../../shared/errors';

/**
 * The recovery key: a printable code the officer keeps on paper, like a disk-encryption recovery key.
 * The app stores only the data key wrapped (AES-256-GCM) under a key derived from that code with scrypt,
 * in the database itself — so the history and a backup carry their own way back in, and neither the code
 * nor the data key is ever written in clear.
 */
export const RECOVERY_META_KEY = 'recovery_wrapped_key';
export const RECOVERY_KEY_WRONG = 'RECOVERY_KEY_WRONG';

const VERSION = 1;
const SALT = 16;
const NONCE = 12;
const TAG = 16;
// scrypt cost: ≈0.1 s and 32 MiB per guess, so a stolen database cannot be searched for the code quickly.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
// Crockford's base32: no I, L, O, U, so a code read off paper is not mistyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 160 random bits as 8 groups of 4 characters: `XXXX-XXXX-…`. */
export function newRecoveryKey(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** Upper-cases, drops spaces and dashes, and reads the letters people confuse as the digits they meant. */
export function normalizeRecoveryKey(text: string): string {
  return text
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/[OIL]/g, (c) => (c === 'O' ? '0' : '1'));
}

function derive(recoveryKey: string, salt: Buffer): Buffer {
  return scryptSync(normalizeRecoveryKey(recoveryKey), salt, 32, SCRYPT);
}

const AAD = Buffer.from('assetdesk/recovery/v1');

export function wrapDataKey(dataKey: Buffer, recoveryKey: string): Buffer {
  const salt = randomBytes(SALT);
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', derive(recoveryKey, salt), nonce, { authTagLength: TAG });
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), salt, nonce, body, cipher.getAuthTag()]);
}

export function unwrapDataKey(wrapped: Buffer, recoveryKey: string): Buffer {
  try {
    if (wrapped[0] !== VERSION) throw new Error('unknown recovery format');
    const salt = wrapped.subarray(1, 1 + SALT);
    const nonce = wrapped.subarray(1 + SALT, 1 + SALT + NONCE);
    const body = wrapped.subarray(1 + SALT + NONCE, wrapped.length - TAG);
    const decipher = createDecipheriv('aes-256-gcm', derive(recoveryKey, salt), nonce, { authTagLength: TAG });
    decipher.setAAD(AAD);
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG));
    const key = Buffer.concat([decipher.update(body), decipher.final()]);
    if (key.length !== 32) throw new Error('wrong length');
    return key;
  } catch (error) {
    throw new AppError(
      {
        code: RECOVERY_KEY_WRONG,
        message:
          'That recovery key does not open this history. Check it against your printed copy (8 groups of 4 letters and digits) and try again.',
        retryable: true,
      },
      { cause: error },
    );
  }
}

/** Stores (replacing) the wrapped key in an open database. */
export async function saveWrappedDataKey(ctx: StoreContext, wrapped: Buffer): Promise<void> {
  await ctx
    .statement(
      'INSERT INTO store_meta (key, value_enc) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_enc = excluded.value_enc',
    )
    .run(RECOVERY_META_KEY, wrapped);
}

/** The wrapped key in a database file that is not open (start-up without a key, a backup), or null. */
export function readWrappedDataKey(file: string): Buffer | null {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT value_enc FROM store_meta WHERE key = ?').get(RECOVERY_META_KEY) as
      { value_enc: Buffer } | undefined;
    return row?.value_enc ?? null;
  } finally {
    db.close();
  }
}

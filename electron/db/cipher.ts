import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { Logger } from '../log/logger';

/**
 * AES-256-GCM for values at rest. Layout: [version 1 byte][nonce 12][ciphertext][tag 16].
 * The AAD names the table, column and row, so a ciphertext copied onto another row (or column)
 * fails authentication instead of silently showing another borrower's data.
 */
const FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;

export interface SealedValueLocation {
  table: string;
  column: string;
  rowId: string;
}

export interface ValueCipher {
  seal(plain: Uint8Array, where: SealedValueLocation): Buffer;
  open(sealed: Uint8Array, where: SealedValueLocation): Buffer;
  sealText(plain: string, where: SealedValueLocation): Buffer;
  openText(sealed: Uint8Array, where: SealedValueLocation): string;
}

/** What the loan officer reads when a stored value fails authentication. */
export function corruptValueError(what: string, cause?: unknown): AppError {
  return new AppError(
    {
      code: ErrorCodes.storeCorrupt,
      message:
        `The saved ${what} is damaged or was changed outside AssetDesk, so it can't be shown. ` +
        'Re-create it from the linked banks, or restore the AssetDesk database from a backup.',
      retryable: false,
    },
    cause === undefined ? undefined : { cause },
  );
}

const DESCRIPTIONS: Record<string, string> = {
  'hosted_link_sessions.link_token_enc': 'Hosted Link session',
  'hosted_link_sessions.url_enc': 'Hosted Link address',
  'team_secrets.value_enc': 'team Plaid keys',
  'items.access_token_enc': 'bank connection',
  'items.accounts_enc': 'list of linked accounts',
  'reports.report_token_enc': 'Asset Report access',
  'report_content.json_enc': 'Asset Report',
  'report_content.pdf_enc': 'Asset Report PDF',
  'report_content.view_enc': 'Asset Report view',
  'report_content.view_first_enc': 'Asset Report first screen',
  'audit_copies.token_enc': 'audit copy',
  'applicants.ssn_enc': 'Social Security number',
  'sourced_deposits.note_enc': 'sourced-deposit note',
  'store_meta.value_enc': 'database key check',
};

/** What the officer is told was damaged, for a sealed value's place (either engine, either cipher). */
export function describeSealedValue(where: SealedValueLocation): string {
  return DESCRIPTIONS[`${where.table}.${where.column}`] ?? 'data';
}

function aadFor(where: SealedValueLocation): Buffer {
  return Buffer.from(`assetdesk/v${FORMAT_VERSION}/${where.table}/${where.column}/${where.rowId}`, 'utf8');
}

export function createValueCipher(dataKey: Buffer, logger?: Logger): ValueCipher {
  if (!Buffer.isBuffer(dataKey) || dataKey.length !== 32) {
    throw new AppError({
      code: ErrorCodes.internal,
      message:
        'AssetDesk could not unlock its database: the data key from the keychain has the wrong length. Restart AssetDesk.',
      retryable: false,
    });
  }
  // A private copy: the caller may zero its buffer after opening the store.
  const key = Buffer.from(dataKey);

  const seal = (plain: Uint8Array, where: SealedValueLocation): Buffer => {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadFor(where));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT_VERSION), nonce, body, cipher.getAuthTag()]);
  };

  const open = (sealed: Uint8Array, where: SealedValueLocation): Buffer => {
    const what = describeSealedValue(where);
    const fail = (reason: string, cause?: unknown): never => {
      logger?.warn('encrypted value failed authentication', { ...where, reason });
      throw corruptValueError(what, cause);
    };
    if (!(sealed instanceof Uint8Array) || sealed.length < HEADER_BYTES + TAG_BYTES) return fail('too short');
    const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (buf[0] !== FORMAT_VERSION) return fail('unknown format version');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, HEADER_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aadFor(where));
      decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
      return Buffer.concat([decipher.update(buf.subarray(HEADER_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
    } catch (err) {
      return fail('authentication failed', err);
    }
  };

  return {
    seal,
    open,
    sealText: (plain, where) => seal(Buffer.from(plain, 'utf8'), where),
    openText: (sealed, where) => open(sealed, where).toString('utf8'),
  };
}

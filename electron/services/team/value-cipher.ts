import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { corruptValueError, describeSealedValue, type SealedValueLocation, type ValueCipher } from '../../db/cipher';
import type { Logger } from '../../log/logger';
import { currentTeamKey, type TeamKeyring } from './keys';

/**
 * AES-256-GCM for values a team keeps on its server, like the local store's cipher but with the key version in
 * the header: [format 2][key version, 4 bytes big-endian][nonce 12][ciphertext][tag 16]. New values use the
 * keyring's current version; a value written before a rotation names its older version and still opens. The AAD
 * names the version, table, column and row, so neither the version byte nor the value can be moved.
 */
const FORMAT_VERSION = 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + 4 + NONCE_BYTES;

export interface TeamValueCipher extends ValueCipher {
  /** The key version new values are sealed with. */
  readonly version: number;
  /** The key version a sealed value names, or null when it is not a team value. */
  versionOf(sealed: Uint8Array): number | null;
}

function aadFor(version: number, where: SealedValueLocation): Buffer {
  return Buffer.from(
    `assetdesk/team/v${FORMAT_VERSION}/k${version}/${where.table}/${where.column}/${where.rowId}`,
    'utf8',
  );
}

/** Takes a snapshot of the keyring: after a rotation (or a new version from the admin) make a new cipher. */
export function createTeamValueCipher(keyring: TeamKeyring, logger?: Logger): TeamValueCipher {
  const version = keyring.version;
  const keys = new Map([...keyring.keys].map(([v, key]) => [v, Buffer.from(key)] as const));
  currentTeamKey(keyring);

  const seal = (plain: Uint8Array, where: SealedValueLocation): Buffer => {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', keys.get(version)!, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadFor(version, where));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const header = Buffer.alloc(5);
    header[0] = FORMAT_VERSION;
    header.writeUInt32BE(version, 1);
    return Buffer.concat([header, nonce, body, cipher.getAuthTag()]);
  };

  const versionOf = (sealed: Uint8Array): number | null => {
    if (!(sealed instanceof Uint8Array) || sealed.length < HEADER_BYTES + TAG_BYTES) return null;
    const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    return buf[0] === FORMAT_VERSION ? buf.readUInt32BE(1) : null;
  };

  const open = (sealed: Uint8Array, where: SealedValueLocation): Buffer => {
    const what = describeSealedValue(where);
    const fail = (reason: string, cause?: unknown): never => {
      logger?.warn('encrypted team value failed authentication', { ...where, reason });
      throw corruptValueError(what, cause);
    };
    const keyVersion = versionOf(sealed);
    if (keyVersion === null) return fail('not a team value');
    const key = keys.get(keyVersion);
    if (!key) return fail(`unknown team key version ${keyVersion}`);
    const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(5, HEADER_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aadFor(keyVersion, where));
      decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
      return Buffer.concat([decipher.update(buf.subarray(HEADER_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
    } catch (err) {
      return fail('authentication failed', err);
    }
  };

  return {
    version,
    versionOf,
    seal,
    open,
    sealText: (plain, where) => seal(Buffer.from(plain, 'utf8'), where),
    openText: (sealed, where) => open(sealed, where).toString('utf8'),
  };
}

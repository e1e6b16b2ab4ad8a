import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Token and id formats of Plaid Sandbox, so client code written here works there unchanged. */
export const ENVIRONMENT = 'sandbox';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return out;
}

export const newRequestId = (): string => randomString(ALNUM, 15);
export const newItemId = (): string => randomString(ALNUM, 37);
export const newLinkToken = (): string => `link-${ENVIRONMENT}-${randomUUID()}`;
export const newPublicToken = (): string => `public-${ENVIRONMENT}-${randomUUID()}`;
export const newAccessToken = (): string => `access-${ENVIRONMENT}-${randomUUID()}`;
export const newAssetReportToken = (): string => `assets-${ENVIRONMENT}-${randomUUID()}`;
export const newAuditCopyToken = (): string => `a-${ENVIRONMENT}-${randomString(BASE32, 26)}`;
export const newUuid = (): string => randomUUID();
export const newOpaqueId = (): string => randomString(ALNUM, 24);

const TOKEN_SHAPE = (prefix: string) =>
  new RegExp(`^${prefix}-[a-z]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);
export const looksLikeAccessToken = (t: string): boolean => TOKEN_SHAPE('access').test(t);
export const looksLikePublicToken = (t: string): boolean => TOKEN_SHAPE('public').test(t);

/** A 37-character Plaid-style id derived from a seed, for accounts and transactions that must repeat. */
export function derivedId(...parts: (string | number)[]): string {
  const digest = createHash('sha512').update(parts.join('|')).digest();
  let out = '';
  for (let i = 0; i < 37; i += 1) out += ALNUM[(digest[i] ?? 0) % 62];
  return out;
}

/** 32-bit hash of a string (FNV-1a), to seed the per-day random generators cheaply. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Small, fast, seeded PRNG (mulberry32): same seed → same sequence, on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 37-character id from a seeded generator (transaction ids: cheaper than hashing 40k times). */
export function randomIdFrom(random: () => number): string {
  let out = '';
  for (let i = 0; i < 37; i += 1) out += ALNUM[Math.floor(random() * 62)];
  return out;
}

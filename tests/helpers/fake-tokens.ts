/**
 * Plaid-shaped tokens for tests: the right format (so the app's validators and the logger's redaction
 * patterns see them as tokens) but plainly fake — all zeros but a tag — so nobody, and no secret
 * scanner, mistakes them for real credentials. Each is distinct, so a scan for one finds only that one.
 */
const uuid = (tag: number) => `00000000-0000-4000-8000-${tag.toString(16).padStart(12, '0')}`;

export const FAKE_ACCESS_TOKEN = `access-sandbox-${uuid(0xa1)}`;
/** The n-th of many distinct fake access tokens (seeded histories, fixtures). */
export const fakeAccessToken = (n: number) => `access-sandbox-${uuid(n)}`;
export const FAKE_PUBLIC_TOKEN = `public-sandbox-${uuid(0xb2)}`;
export const FAKE_REPORT_TOKEN = `assets-sandbox-${uuid(0xc3)}`;
export const FAKE_LINK_TOKEN = `link-sandbox-${uuid(0xd4)}`;
/** Audit-copy tokens are base32 after the prefix. */
export const FAKE_AUDIT_COPY_TOKEN = 'a-sandbox-TESTAUDITCOPYTOKENAAAAAAAAA';
/** Plaid client credentials' shapes (30 and 24 hex characters). */
export const FAKE_SECRET = '000000000000000000000000fa4e5e';
export const FAKE_CLIENT_ID = '000000000000000000fa4ec1';

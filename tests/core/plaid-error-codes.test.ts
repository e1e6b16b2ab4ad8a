import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes } from '../../shared/errors';
import { ALREADY_GONE_AT_PLAID } from '../../electron/services/plaid-gateway';
import { OUTCOME_UNKNOWN, plaidCodesNamed } from '../../electron/services/plaid-messages';
import { SPEC_PATH } from '../contract/openapi-validator';

/**
 * Every Plaid error code and type AssetDesk keys a retry rule or a message on must be one Plaid
 * documents: a rule keyed on a code Plaid never sends is a rule that never fires.
 */
const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const plaidDocs = [readFileSync(SPEC_PATH, 'utf8'), readFileSync(resolve(SPEC_PATH, '../ASSETS-API.md'), 'utf8')].join(
  '\n',
);
const documented = (code: string) => new RegExp(`\\b${code}\\b`).test(plaidDocs);

/** Codes that are AssetDesk's own (never compared with Plaid's answers), Node's and a library's. */
const APP_OWN_CODES = new Set<string>([
  ...Object.values(ErrorCodes),
  OUTCOME_UNKNOWN,
  'DUPLICATE_INSTITUTION',
  'HOSTED_LINK_CONTACT_MISSING',
  'HOSTED_LINK_UNAVAILABLE',
  'INSTITUTION_UNKNOWN',
  'INVALID_PDF',
  'LOAN_NUMBER_TAKEN',
  'RECOVERY_NOT_SET_UP',
  'REPORT_NOT_READY',
  'RESTORE_REFUSED',
  'TEAM_BACKUP_BY_OFFICE',
  'ECONNREFUSED', // Node's, for a connection refused before the request was sent
  'ECONNRESET', // Node's, a team database connection cut
  'ETIMEDOUT', // Node's, a team database that stopped answering
  'EADDRINUSE', // Node's, when the webhook receiver's saved port is taken
  'ENOENT', // Node's, a desk's own state file not written yet
  'ENOSPC', // Node's, a full disk under the desk's own state file
  'ERR_JWT_EXPIRED', // jose's, from webhook verification
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

test("the spec and Plaid's error list are really being read", () => {
  expect(documented('PRODUCT_NOT_READY')).toBe(true);
  expect(documented('NOT_A_PLAID_CODE_AT_ALL')).toBe(false);
});

test('every error code and type in the one table (messages, retries, insights, removals) exists at Plaid', () => {
  const { codes, types } = plaidCodesNamed();
  const named = [...codes, ...ALREADY_GONE_AT_PLAID];
  expect(named.length).toBeGreaterThan(20);
  expect(named.filter((code) => !documented(code))).toEqual([]);
  expect(types.filter((type) => !documented(type))).toEqual([]);
  // Types are not codes: a rule keyed on the type as if it were a code never fires.
  expect(codes).not.toContain('RATE_LIMIT_EXCEEDED');
  expect(codes).not.toContain('INVALID_INPUT');
  expect(codes).not.toContain('ASSET_REPORT_ERROR');
});

test('every code string the services compare with or raise is documented by Plaid, or is AssetDesk’s own', () => {
  const pattern = /\b(?:error_?[cC]ode|code|errorType|error_type)\s*(?:===|!==|:)\s*'([A-Z][A-Z0-9_]+)'/g;
  const unknown: string[] = [];
  let seen = 0;
  for (const file of sourceFiles(join(projectRoot, 'electron/services'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      seen++;
      const code = match[1]!;
      if (!APP_OWN_CODES.has(code) && !documented(code))
        unknown.push(`${code} (${file.slice(projectRoot.length + 1)})`);
    }
  }
  expect(seen).toBeGreaterThan(10);
  // A new code here is either Plaid's (then it must be in the spec) or AssetDesk's (then list it above).
  expect(unknown).toEqual([]);
});

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountryCode, Products } from 'plaid';
import { startEmulator } from '../../electron/emulator';
import { SpecValidator } from '../contract/openapi-validator';

/**
 * The emulator's data folder holds nothing sensitive in clear: owner-only folder and files, and no SSN, token,
 * secret or signing key anywhere in the raw bytes of the database or its WAL, while running and after closing.
 */
const SSN = '123-45-6789';
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function rawFiles(dir: string): { name: string; mode: number; bytes: Buffer }[] {
  return readdirSync(dir).map((name) => {
    const path = join(dir, name);
    return { name, mode: statSync(path).mode & 0o777, bytes: readFileSync(path) };
  });
}

it('keeps the folder and files owner-only and no SSN, token, secret or key in the raw files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-at-rest-'));
  dirs.push(dir);
  const emulator = await startEmulator({
    dataDir: join(dir, 'emulator'),
    readyAfterMs: 0,
    storageKey: randomBytes(32),
  });
  const secrets: string[] = [SSN, 'Bobbeth', emulator.secret];
  try {
    const plaid = new SpecValidator().plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
    const link = await plaid.linkTokenCreate({
      user: { client_user_id: 'applicant-99', legal_name: 'Alberta Bobbeth Charleson' },
      client_name: 'AssetDesk',
      products: [Products.Assets],
      country_codes: [CountryCode.Us],
      language: 'en',
    });
    secrets.push(link.data.link_token);
    const hosted = await plaid.linkTokenCreate({
      user: { client_user_id: 'applicant-99' },
      client_name: 'AssetDesk',
      products: [Products.Assets],
      country_codes: [CountryCode.Us],
      language: 'en',
      hosted_link: {},
    });
    secrets.push(hosted.data.link_token, String(hosted.data.hosted_link_url?.split('/').pop()));
    const created = await plaid.sandboxPublicTokenCreate({
      institution_id: 'ins_109508',
      initial_products: [Products.Assets],
    });
    secrets.push(created.data.public_token);
    const { access_token } = (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
    secrets.push(access_token);
    const report = (
      await plaid.assetReportCreate({
        access_tokens: [access_token],
        days_requested: 10,
        options: { user: { first_name: 'Alberta', last_name: 'Charleson', ssn: SSN } },
      })
    ).data;
    secrets.push(report.asset_report_token);
    const got = await plaid.assetReportGet({ asset_report_token: report.asset_report_token });
    // The report still carries the applicant: sealed, not dropped.
    expect(got.data.report.user.ssn).toBe(SSN);
    const copy = await plaid.assetReportAuditCopyCreate({
      asset_report_token: report.asset_report_token,
      auditor_id: 'fannie_mae',
    });
    secrets.push(copy.data.audit_copy_token);

    const whileRunning = rawFiles(join(dir, 'emulator'));
    expect(statSync(join(dir, 'emulator')).mode & 0o777).toBe(0o700);
    expect(whileRunning.map((f) => f.name)).toEqual(expect.arrayContaining(['emulator.sqlite', 'emulator.sqlite-wal']));
    for (const file of whileRunning) {
      expect({ file: file.name, mode: file.mode.toString(8) }).toEqual({ file: file.name, mode: '600' });
      for (const secret of secrets) expect(file.bytes.includes(secret), `${secret} in ${file.name}`).toBe(false);
      expect(file.bytes.includes('privateJwk'), `signing key in ${file.name}`).toBe(false);
    }
  } finally {
    await emulator.close();
  }
  for (const file of rawFiles(join(dir, 'emulator'))) {
    expect(file.mode).toBe(0o600);
    for (const secret of secrets) expect(file.bytes.includes(secret), `${secret} in ${file.name}`).toBe(false);
    expect(file.bytes.includes('privateJwk')).toBe(false);
  }
});

it('tightens an existing folder and database file to owner-only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-at-rest-'));
  dirs.push(dir);
  const first = await startEmulator({ dataDir: dir, readyAfterMs: 0 });
  await first.close();
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'emulator.sqlite'), 0o644);
  const second = await startEmulator({ dataDir: dir, readyAfterMs: 0 });
  try {
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'emulator.sqlite')).mode & 0o777).toBe(0o600);
  } finally {
    await second.close();
  }
});

import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountryCode, Products } from 'plaid';
import { startEmulator } from '../../electron/emulator';
import { SpecValidator } from '../contract/openapi-validator';
import { FAKE_ACCESS_TOKEN } from '../helpers/fake-tokens';

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

it('carries a data folder of the old clear-text format over, sealed, and leaves no clear copy behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-at-rest-'));
  dirs.push(dir);
  const accessToken = FAKE_ACCESS_TOKEN;
  const reportToken = 'assets-sandbox-00000000-0000-4000-8000-0000000000a2';
  const oldSecret = '0123456789abcdef0123456789abcd';
  const old = new Database(join(dir, 'emulator.sqlite'));
  old.pragma('journal_mode = WAL');
  old.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE items (item_id TEXT PRIMARY KEY, access_token TEXT NOT NULL UNIQUE, institution_id TEXT NOT NULL,
      username TEXT NOT NULL, products TEXT NOT NULL, webhook TEXT, error TEXT, created_at TEXT NOT NULL,
      removed INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE public_tokens (public_token TEXT PRIMARY KEY, item_id TEXT NOT NULL, expires_at TEXT NOT NULL,
      used INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE link_tokens (link_token TEXT PRIMARY KEY, created_at TEXT NOT NULL, expiration TEXT NOT NULL,
      request TEXT NOT NULL, item_id TEXT, hosted_link_id TEXT UNIQUE);
    CREATE TABLE link_sessions (link_session_id TEXT PRIMARY KEY, link_token TEXT NOT NULL, data TEXT NOT NULL);
    CREATE TABLE reports (asset_report_id TEXT PRIMARY KEY, asset_report_token TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
    CREATE TABLE audit_copies (audit_copy_token TEXT PRIMARY KEY, asset_report_id TEXT NOT NULL,
      auditor_id TEXT NOT NULL, created_at TEXT NOT NULL, removed INTEGER NOT NULL DEFAULT 0);`);
  const created = new Date(Date.now() - 86_400_000).toISOString();
  old.prepare('INSERT INTO meta VALUES (?, ?), (?, ?)').run('client_id', 'old-client', 'secret', oldSecret);
  old
    .prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, 0)')
    .run('item-old-1', accessToken, 'ins_109508', 'user_good', '["assets"]', created);
  const record = {
    asset_report_id: 'report-old-1',
    asset_report_token: reportToken,
    item_ids: ['item-old-1'],
    days_requested: 10,
    options: { user: { first_name: 'Alberta', last_name: 'Charleson', ssn: SSN } },
    account_ids_to_exclude: [],
    created_at: created,
    ready_at: created,
    date_generated: created.replace(/\.\d{3}Z$/, 'Z'),
    failure: null,
    removed: false,
    parent_report_id: null,
    webhook_sent: true,
  };
  old.prepare('INSERT INTO reports VALUES (?, ?, ?)').run('report-old-1', reportToken, JSON.stringify(record));
  old.close();

  const emulator = await startEmulator({ dataDir: dir, readyAfterMs: 0 });
  try {
    expect(emulator.clientId).toBe('old-client');
    const plaid = new SpecValidator().plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
    expect((await plaid.itemGet({ access_token: accessToken })).data.item.item_id).toBe('item-old-1');
    const report = await plaid.assetReportGet({ asset_report_token: reportToken });
    expect(report.data.report.user.ssn).toBe(SSN);
    for (const file of rawFiles(dir)) {
      for (const secret of [SSN, accessToken, reportToken, oldSecret])
        expect(file.bytes.includes(secret), `${secret} in ${file.name}`).toBe(false);
    }
  } finally {
    await emulator.close();
  }
});

it("seals a user_custom Item's configuration, and reads it back after a restart with the same key", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-at-rest-'));
  dirs.push(dir);
  const storageKey = randomBytes(32);
  const owner = 'Zebulon Quincy Quarrington';
  const street = '77 Hidden Orchard Lane';
  const config = {
    override_accounts: [
      {
        type: 'depository',
        subtype: 'checking',
        starting_balance: 812.34,
        meta: { name: 'Quarrington Checking' },
        identity: { names: [owner], addresses: [{ data: { street, city: 'Ithaca' }, primary: true }] },
      },
    ],
  };
  const first = await startEmulator({ dataDir: dir, readyAfterMs: 0, storageKey });
  let accessToken: string;
  try {
    const plaid = new SpecValidator().plaidClient(first.baseUrl, first.clientId, first.secret);
    const created = await plaid.sandboxPublicTokenCreate({
      institution_id: 'ins_109508',
      initial_products: [Products.Assets],
      options: { override_username: 'user_custom', override_password: JSON.stringify(config) },
    });
    accessToken = (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data.access_token;
  } finally {
    await first.close();
  }
  for (const file of rawFiles(dir))
    for (const secret of [owner, street, 'Quarrington Checking'])
      expect(file.bytes.includes(secret), `${secret} in ${file.name}`).toBe(false);
  const second = await startEmulator({ dataDir: dir, readyAfterMs: 0, storageKey });
  try {
    const plaid = new SpecValidator().plaidClient(second.baseUrl, second.clientId, second.secret);
    const report = await plaid.assetReportCreate({ access_tokens: [accessToken], days_requested: 5 });
    const got = await plaid.assetReportGet({ asset_report_token: report.data.asset_report_token });
    const account = got.data.report.items[0]?.accounts[0];
    expect(account).toMatchObject({ name: 'Quarrington Checking', balances: { current: 812.34 } });
    expect(account?.owners[0]).toMatchObject({ names: [owner], addresses: [{ data: { street, city: 'Ithaca' } }] });
  } finally {
    await second.close();
  }
});

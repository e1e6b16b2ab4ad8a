import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Products, type PlaidApi } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { expectPlaidError, SpecValidator } from '../contract/openapi-validator';
import { FAKE_ACCESS_TOKEN } from '../helpers/fake-tokens';

/**
 * /item/access_token/invalidate through the official SDK, every request, response and error body checked
 * against Plaid's spec: the old token dies, the new one reaches the same Item (and survives a restart).
 */
let emulator: RunningEmulator;
let plaid: PlaidApi;
let validator: SpecValidator;
const folders: string[] = [];

beforeAll(async () => {
  validator = new SpecValidator();
  emulator = await startEmulator({ readyAfterMs: 0 });
  plaid = validator.plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
});

afterAll(async () => {
  await emulator.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function newItem(client: PlaidApi = plaid) {
  const created = await client.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: [Products.Assets],
    options: { override_username: 'user_steady_saver', override_password: 'pass_good' },
  });
  return (await client.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
}

describe('/item/access_token/invalidate', () => {
  it('returns a new token for the same Item and the old one stops working with INVALID_ACCESS_TOKEN', async () => {
    const { access_token: old, item_id } = await newItem();
    const accountsBefore = (await plaid.accountsGet({ access_token: old })).data.accounts.map((a) => a.account_id);

    const responsesBefore = validator.counts.responses;
    const rotated = await plaid.itemAccessTokenInvalidate({ access_token: old });
    expect(validator.counts.responses).toBe(responsesBefore + 1);
    expect(Object.keys(rotated.data).sort()).toEqual(['new_access_token', 'request_id']);
    const fresh = rotated.data.new_access_token;
    expect(fresh).toMatch(/^access-sandbox-[0-9a-f-]{36}$/);
    expect(fresh).not.toBe(old);
    expect(rotated.data.request_id).toMatch(/^[A-Za-z0-9]{15}$/);

    const refused = await expectPlaidError(plaid.itemGet({ access_token: old }));
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_ACCESS_TOKEN' });
    const refusedReport = await expectPlaidError(plaid.assetReportCreate({ access_tokens: [old], days_requested: 30 }));
    expect(refusedReport.data.error_code).toBe('INVALID_ACCESS_TOKEN');
    // The old token cannot be rotated again either.
    expect((await expectPlaidError(plaid.itemAccessTokenInvalidate({ access_token: old }))).data.error_code).toBe(
      'INVALID_ACCESS_TOKEN',
    );

    expect((await plaid.itemGet({ access_token: fresh })).data.item.item_id).toBe(item_id);
    const accountsAfter = (await plaid.accountsGet({ access_token: fresh })).data.accounts.map((a) => a.account_id);
    expect(accountsAfter).toEqual(accountsBefore);
    const report = await plaid.assetReportCreate({ access_tokens: [fresh], days_requested: 30 });
    expect(report.data.asset_report_token).toMatch(/^assets-sandbox-/);
    const ready = await plaid.assetReportGet({ asset_report_token: report.data.asset_report_token });
    expect(ready.data.report.items[0]?.item_id).toBe(item_id);

    // Rotating again works from the new token, and only the newest token answers.
    const again = (await plaid.itemAccessTokenInvalidate({ access_token: fresh })).data.new_access_token;
    expect((await expectPlaidError(plaid.itemGet({ access_token: fresh }))).data.error_code).toBe(
      'INVALID_ACCESS_TOKEN',
    );
    expect((await plaid.itemGet({ access_token: again })).data.item.item_id).toBe(item_id);
  });

  it('answers Plaid’s errors for a malformed, unknown or removed token and a bad body', async () => {
    const malformed = await expectPlaidError(plaid.itemAccessTokenInvalidate({ access_token: 'not-a-token' }));
    expect(malformed.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_ACCESS_TOKEN' });
    expect(String(malformed.data.error_message)).toMatch(/invalid format/);
    const unknown = await expectPlaidError(plaid.itemAccessTokenInvalidate({ access_token: FAKE_ACCESS_TOKEN }));
    expect(unknown.data.error_code).toBe('INVALID_ACCESS_TOKEN');

    const { access_token } = await newItem();
    await plaid.itemRemove({ access_token });
    expect((await expectPlaidError(plaid.itemAccessTokenInvalidate({ access_token }))).data.error_code).toBe(
      'INVALID_ACCESS_TOKEN',
    );

    const bare = validator.axiosInstance(emulator.baseUrl);
    const headers = { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret };
    const url = `${emulator.baseUrl}/item/access_token/invalidate`;
    const missing = await validator.withInvalidRequests(() => expectPlaidError(bare.post(url, {}, { headers })));
    expect(missing.data).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'MISSING_FIELDS' });
    expect(String(missing.data.error_message)).toContain('access_token');
    const extra = await validator.withInvalidRequests(() =>
      expectPlaidError(bare.post(url, { access_token, rotate: true }, { headers })),
    );
    expect(extra.data).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'UNKNOWN_FIELDS' });
  });

  it('does not let an auditor’s credentials rotate someone else’s token', async () => {
    const { access_token } = await newItem();
    const fannie = emulator.auditors.fannie_mae!;
    const auditor = validator.plaidClient(emulator.baseUrl, fannie.clientId, fannie.secret);
    expect((await expectPlaidError(auditor.itemAccessTokenInvalidate({ access_token }))).data.error_code).toBe(
      'INVALID_ACCESS_TOKEN',
    );
    expect((await plaid.itemGet({ access_token })).data.item.item_id).toBeTruthy();
  });

  it('keeps the rotation across a restart of an emulator with a data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assetdesk-invalidate-'));
    folders.push(dataDir);
    const storageKey = randomBytes(32);
    const first = await startEmulator({ readyAfterMs: 0, dataDir, storageKey });
    let old: string;
    let fresh: string;
    let itemId: string;
    try {
      const client = validator.plaidClient(first.baseUrl, first.clientId, first.secret);
      const item = await newItem(client);
      old = item.access_token;
      itemId = item.item_id;
      fresh = (await client.itemAccessTokenInvalidate({ access_token: old })).data.new_access_token;
    } finally {
      await first.close();
    }
    const second = await startEmulator({ readyAfterMs: 0, dataDir, storageKey });
    try {
      const client = validator.plaidClient(second.baseUrl, second.clientId, second.secret);
      expect((await client.itemGet({ access_token: fresh })).data.item.item_id).toBe(itemId);
      expect((await expectPlaidError(client.itemGet({ access_token: old }))).data.error_code).toBe(
        'INVALID_ACCESS_TOKEN',
      );
    } finally {
      await second.close();
    }
  });
});

import axios from 'axios';
import { AssetReportAddOns, CountryCode, Products, type PlaidApi } from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { deliveredPayloads, startWebhookReceiver, type WebhookReceiver } from './helpers';
import { expectPlaidError, SpecValidator } from './openapi-validator';

/**
 * The ways Plaid says no, through the official SDK, each response, error body and webhook checked against the
 * spec: failed and partial reports, entitlements, per-Item rate limits, auditors' copies, FAST then FULL,
 * header rules, the Sandbox inactivity rule under a moved clock, and /accounts/get.
 */
let emulator: RunningEmulator;
let plaid: PlaidApi;
let validator: SpecValidator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  validator = new SpecValidator();
  receiver = await startWebhookReceiver();
  emulator = await startEmulator({ readyAfterMs: 0, webhookRetryDelaysMs: [5] });
  plaid = validator.plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

afterEach(() => emulator.faults.reset());

const control = (action: string, body: Record<string, unknown>) =>
  axios.post(`${emulator.baseUrl}/emulator/_control/${action}`, body, {
    headers: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
  });

async function newItem(username = 'user_good', webhook?: string) {
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: [Products.Assets],
    options: { override_username: username, override_password: 'pass_good', ...(webhook ? { webhook } : {}) },
  });
  return (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
}

/** Webhooks for one report, checked against the spec's webhook schemas. */
async function webhooksFor(reportId: string, count: number): Promise<Record<string, unknown>[]> {
  let found: Record<string, unknown>[] = [];
  await vi.waitFor(
    async () => {
      await emulator.webhooksIdle();
      found = deliveredPayloads(receiver).filter((p) => p.asset_report_id === reportId);
      expect(found.length).toBeGreaterThanOrEqual(count);
    },
    { timeout: 5000 },
  );
  for (const payload of found) {
    validator.check(
      payload.webhook_code === 'ERROR' ? 'AssetsErrorWebhook' : 'AssetsProductReadyWebhook',
      payload,
      'webhook',
    );
  }
  return found;
}

describe('a bank that fails while the report is generated', () => {
  it('fails the whole report with DATA_UNAVAILABLE and per-Item causes when every Item is required', async () => {
    const good = await newItem('user_good');
    const timeout = await newItem('user_bank_timeout');
    const created = await plaid.assetReportCreate({
      access_tokens: [good.access_token, timeout.access_token],
      days_requested: 30,
      options: { webhook: receiver.url },
    });
    const [webhook] = await webhooksFor(created.data.asset_report_id, 1);
    expect(webhook).toMatchObject({
      webhook_type: 'ASSETS',
      webhook_code: 'ERROR',
      error: { error_type: 'ASSET_REPORT_ERROR', error_code: 'DATA_UNAVAILABLE', status: 400 },
    });
    const failed = await expectPlaidError(
      plaid.assetReportGet({ asset_report_token: created.data.asset_report_token }),
    );
    expect(failed.status).toBe(400);
    expect(failed.data).toMatchObject({ error_type: 'ASSET_REPORT_ERROR', error_code: 'DATA_UNAVAILABLE' });
    expect(failed.data).not.toHaveProperty('status');
    expect(failed.data.causes).toEqual([
      expect.objectContaining({
        item_id: timeout.item_id,
        error_type: 'INSTITUTION_ERROR',
        error_code: 'INSTITUTION_NOT_RESPONDING',
      }),
    ]);
    for (const cause of failed.data.causes as Record<string, unknown>[]) validator.check('Cause', cause, 'cause');
  });

  it('produces the report without the failing Item, with a warning naming it, when require_all_items is false', async () => {
    const good = await newItem('user_good');
    const timeout = await newItem('user_bank_timeout');
    const created = await plaid.assetReportCreate({
      access_tokens: [good.access_token, timeout.access_token],
      days_requested: 30,
      options: { require_all_items: false, webhook: receiver.url },
    });
    const [webhook] = await webhooksFor(created.data.asset_report_id, 1);
    expect(webhook).toMatchObject({ webhook_code: 'PRODUCT_READY', report_type: 'FULL' });
    const got = await plaid.assetReportGet({ asset_report_token: created.data.asset_report_token });
    expect(got.data.report.items.map((i) => i.item_id)).toEqual([good.item_id]);
    expect(got.data.warnings).toEqual([
      {
        warning_type: 'ASSET_REPORT_WARNING',
        warning_code: 'TRANSACTIONS_UNAVAILABLE',
        cause: expect.objectContaining({ item_id: timeout.item_id, error_code: 'INSTITUTION_NOT_RESPONDING' }),
      },
    ]);
  });

  it('fails a chosen Item through the control API, with the chosen error', async () => {
    const first = await newItem('user_steady_saver');
    const second = await newItem('user_good');
    await control('fail_item', { item_id: second.item_id, error_code: 'ITEM_LOCKED' });
    const created = await plaid.assetReportCreate({
      access_tokens: [first.access_token, second.access_token],
      days_requested: 10,
    });
    const failed = await expectPlaidError(
      plaid.assetReportGet({ asset_report_token: created.data.asset_report_token }),
    );
    expect(failed.data.causes).toEqual([
      expect.objectContaining({ item_id: second.item_id, error_type: 'ITEM_ERROR', error_code: 'ITEM_LOCKED' }),
    ]);
    // A single failing Item cannot be dropped: nothing would be left.
    const alone = await plaid.assetReportCreate({
      access_tokens: [second.access_token],
      days_requested: 10,
      options: { require_all_items: false },
    });
    const aloneFailed = await expectPlaidError(
      plaid.assetReportGet({ asset_report_token: alone.data.asset_report_token }),
    );
    expect(aloneFailed.data.error_code).toBe('DATA_UNAVAILABLE');
  });

  it('fails the create call itself for an Item already unhealthy, whatever require_all_items says', async () => {
    const good = await newItem('user_good');
    const broken = await newItem('user_good');
    await plaid.sandboxItemResetLogin({ access_token: broken.access_token });
    const error = await expectPlaidError(
      plaid.assetReportCreate({
        access_tokens: [good.access_token, broken.access_token],
        days_requested: 10,
        options: { require_all_items: false },
      }),
    );
    expect(error.data).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED' });
    expect(error.data).not.toHaveProperty('causes');
    expect(error.data).not.toHaveProperty('status');
  });

  it('warns OWNERS_UNAVAILABLE for a bank that shares no owners', async () => {
    const item = await newItem('user_owners_unavailable');
    const created = await plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 10 });
    const got = await plaid.assetReportGet({ asset_report_token: created.data.asset_report_token });
    expect(got.data.warnings).toEqual([
      expect.objectContaining({
        warning_type: 'ASSET_REPORT_WARNING',
        warning_code: 'OWNERS_UNAVAILABLE',
        cause: expect.objectContaining({ item_id: item.item_id, error_code: 'PRODUCTS_NOT_SUPPORTED' }),
      }),
    ]);
    for (const account of got.data.report.items[0]?.accounts ?? []) expect(account.owners).toEqual([]);
  });
});

describe('entitlements', () => {
  it('answers INSIGHTS_NOT_ENABLED, then INSIGHTS_PREVIOUSLY_NOT_ENABLED for a report made without insights', async () => {
    const item = await newItem();
    await control('entitlements', { insights: false });
    const created = await plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 10 });
    const token = created.data.asset_report_token;
    const notEnabled = await expectPlaidError(
      plaid.assetReportGet({ asset_report_token: token, include_insights: true }),
    );
    expect(notEnabled.data).toMatchObject({ error_type: 'ASSET_REPORT_ERROR', error_code: 'INSIGHTS_NOT_ENABLED' });
    expect((await plaid.assetReportGet({ asset_report_token: token })).data.report.asset_report_id).toBe(
      created.data.asset_report_id,
    );
    await control('entitlements', { insights: true });
    const previously = await expectPlaidError(
      plaid.assetReportGet({ asset_report_token: token, include_insights: true }),
    );
    expect(previously.data).toMatchObject({ error_code: 'INSIGHTS_PREVIOUSLY_NOT_ENABLED' });
  });

  it('refuses Assets on create and on link tokens for a client without the product', async () => {
    const item = await newItem();
    emulator.faults.reset();
    await control('entitlements', { assets: false });
    const create = await expectPlaidError(
      plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 10 }),
    );
    expect(create.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_PRODUCT' });
    const link = await expectPlaidError(
      plaid.linkTokenCreate({
        user: { client_user_id: 'applicant-7' },
        client_name: 'AssetDesk',
        products: [Products.Assets],
        country_codes: [CountryCode.Us],
        language: 'en',
      }),
    );
    expect(link.data).toMatchObject({ error_code: 'INVALID_PRODUCT' });
    await control('reset', {});
    await expect(
      plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 10 }),
    ).resolves.toBeDefined();
  });
});

describe('production rate limits', () => {
  it('allows 5 /asset_report/create per minute per Item, counted apart from other Items', async () => {
    const busy = await newItem();
    const other = await newItem();
    await control('rate_limits', { enabled: true });
    for (let i = 0; i < 5; i += 1)
      await plaid.assetReportCreate({ access_tokens: [busy.access_token], days_requested: 10 });
    const limited = await expectPlaidError(
      plaid.assetReportCreate({ access_tokens: [busy.access_token, other.access_token], days_requested: 10 }),
    );
    expect(limited.status).toBe(429);
    expect(limited.data).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT' });
    await expect(
      plaid.assetReportCreate({ access_tokens: [other.access_token], days_requested: 10 }),
    ).resolves.toBeDefined();
  });

  it('answers ITEM_GET_LIMIT after 40 /item/get per minute on one Item', async () => {
    const item = await newItem();
    await control('rate_limits', { enabled: true });
    for (let i = 0; i < 40; i += 1) await plaid.itemGet({ access_token: item.access_token });
    const limited = await expectPlaidError(plaid.itemGet({ access_token: item.access_token }));
    expect(limited.status).toBe(429);
    expect(limited.data).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'ITEM_GET_LIMIT' });
  });
});

describe('audit copies belong to their auditor', () => {
  it("keeps an auditor's credentials away from the creator's reports", async () => {
    const item = await newItem();
    const created = await plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 10 });
    const freddie = emulator.auditors.freddie_mac;
    expect(freddie).toBeDefined();
    const auditor = validator.plaidClient(emulator.baseUrl, freddie?.clientId ?? '', freddie?.secret ?? '');
    const copy = await plaid.assetReportAuditCopyCreate({
      asset_report_token: created.data.asset_report_token,
      auditor_id: 'freddie_mac',
    });
    const read = await auditor.assetReportAuditCopyGet({ audit_copy_token: copy.data.audit_copy_token });
    expect(read.data.report.asset_report_id).toBe(created.data.asset_report_id);
    const notYours = await expectPlaidError(
      plaid.assetReportAuditCopyGet({ audit_copy_token: copy.data.audit_copy_token }),
    );
    expect(notYours.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_AUDIT_COPY_TOKEN' });
    const fannie = emulator.auditors.fannie_mae;
    const otherAuditor = validator.plaidClient(emulator.baseUrl, fannie?.clientId ?? '', fannie?.secret ?? '');
    const wrongAuditor = await expectPlaidError(
      otherAuditor.assetReportAuditCopyGet({ audit_copy_token: copy.data.audit_copy_token }),
    );
    expect(wrongAuditor.data.error_code).toBe('INVALID_AUDIT_COPY_TOKEN');
    const original = await expectPlaidError(
      auditor.assetReportGet({ asset_report_token: created.data.asset_report_token }),
    );
    expect(original.data.error_code).toBe('INVALID_ASSET_REPORT_TOKEN');
  });
});

describe('Fast Assets', () => {
  it('sends the FAST PRODUCT_READY before the FULL one, and serves each when it is ready', async () => {
    const item = await newItem();
    // A minute between the two, crossed by moving the emulator's clock: no race with a slow machine.
    await control('fast_gap', { ms: 60_000 });
    const created = await plaid.assetReportCreate({
      access_tokens: [item.access_token],
      days_requested: 30,
      options: { add_ons: [AssetReportAddOns.FastAssets], webhook: receiver.url },
    });
    const token = created.data.asset_report_token;
    const [fastWebhook] = await webhooksFor(created.data.asset_report_id, 1);
    expect(fastWebhook).toMatchObject({ webhook_code: 'PRODUCT_READY', report_type: 'FAST' });
    const fast = await plaid.assetReportGet({ asset_report_token: token, fast_report: true });
    expect(fast.data.report.items[0]?.accounts[0]?.transactions).toEqual([]);
    const notYet = await expectPlaidError(plaid.assetReportGet({ asset_report_token: token }));
    expect(notYet.data.error_code).toBe('PRODUCT_NOT_READY');
    await control('clock', { advance_ms: 60_000 });
    const both = await webhooksFor(created.data.asset_report_id, 2);
    expect(both.map((w) => w.report_type)).toEqual(['FAST', 'FULL']);
    const full = await plaid.assetReportGet({ asset_report_token: token });
    expect(full.data.report.items[0]?.accounts.some((a) => a.transactions.length > 0)).toBe(true);
  });

  it('gives one report its own readiness delay through the control API', async () => {
    const item = await newItem();
    await control('ready_after', { ms: 60_000 });
    const created = await plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 10 });
    const token = created.data.asset_report_token;
    expect((await expectPlaidError(plaid.assetReportGet({ asset_report_token: token }))).data.error_code).toBe(
      'PRODUCT_NOT_READY',
    );
    await control('ready_after', { ms: 0, asset_report_id: created.data.asset_report_id });
    expect((await plaid.assetReportGet({ asset_report_token: token })).data.report.asset_report_id).toBe(
      created.data.asset_report_id,
    );
  });
});

describe('error bodies and headers as the spec says', () => {
  const headers = () => ({ 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret });

  it('answers a body that is not application/json with INVALID_HEADERS', async () => {
    const raw = validator.axiosInstance(emulator.baseUrl);
    const error = await validator.withInvalidRequests(() =>
      expectPlaidError(
        raw.post(`${emulator.baseUrl}/institutions/get_by_id`, 'institution_id=ins_109508', {
          headers: { ...headers(), 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
      ),
    );
    expect(error.status).toBe(400);
    expect(error.data).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'INVALID_HEADERS' });
    expect(error.data).not.toHaveProperty('causes');
    expect(error.data).not.toHaveProperty('status');
  });

  it('answers an unsupported Plaid-Version with INCOMPATIBLE_API_VERSION', async () => {
    const raw = validator.axiosInstance(emulator.baseUrl);
    const error = await expectPlaidError(
      raw.post(
        `${emulator.baseUrl}/institutions/get_by_id`,
        { institution_id: 'ins_109508', country_codes: ['US'] },
        { headers: { ...headers(), 'Plaid-Version': '2017-03-08' } },
      ),
    );
    expect(error.data).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'INCOMPATIBLE_API_VERSION' });
  });

  it('keeps causes on report errors only, and bills assets after the first report', async () => {
    const item = await newItem();
    expect((await plaid.itemGet({ access_token: item.access_token })).data.item.billed_products).not.toContain(
      'assets',
    );
    await control('ready_after', { ms: 60_000 });
    const created = await plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 10 });
    expect((await plaid.itemGet({ access_token: item.access_token })).data.item.billed_products).toContain('assets');
    const notReady = await expectPlaidError(
      plaid.assetReportGet({ asset_report_token: created.data.asset_report_token }),
    );
    expect(notReady.data.causes).toEqual([]);
    const invalid = await expectPlaidError(plaid.itemGet({ access_token: 'access-sandbox-x' }));
    expect(invalid.data).not.toHaveProperty('causes');
  });
});

describe('the emulator clock and Sandbox inactivity', () => {
  it('puts Items into ITEM_LOGIN_REQUIRED 30 days after their last login, with an ITEM ERROR webhook', async () => {
    const own = await startEmulator({ readyAfterMs: 0, webhookRetryDelaysMs: [5] });
    try {
      const client = validator.plaidClient(own.baseUrl, own.clientId, own.secret);
      const created = await client.sandboxPublicTokenCreate({
        institution_id: 'ins_109508',
        initial_products: [Products.Assets],
        options: { webhook: receiver.url },
      });
      const item = (await client.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
      const move = (ms: number) =>
        axios.post(
          `${own.baseUrl}/emulator/_control/clock`,
          { advance_ms: ms },
          { headers: { 'PLAID-CLIENT-ID': own.clientId, 'PLAID-SECRET': own.secret } },
        );
      await move(29 * 86_400_000);
      expect((await client.itemGet({ access_token: item.access_token })).data.item.error).toBeNull();
      await move(86_400_000);
      await vi.waitFor(async () => {
        await own.webhooksIdle();
        const sent = deliveredPayloads(receiver).find((p) => p.item_id === item.item_id);
        expect(sent).toMatchObject({ webhook_type: 'ITEM', webhook_code: 'ERROR' });
        validator.check('ItemErrorWebhook', sent, 'ITEM ERROR webhook');
      });
      expect((await client.itemGet({ access_token: item.access_token })).data.item.error).toMatchObject({
        error_code: 'ITEM_LOGIN_REQUIRED',
      });
      const create = await expectPlaidError(
        client.assetReportCreate({ access_tokens: [item.access_token], days_requested: 10 }),
      );
      expect(create.data.error_code).toBe('ITEM_LOGIN_REQUIRED');
    } finally {
      await own.close();
    }
  });
});

describe('/accounts/get', () => {
  it("returns the Item's accounts with balances, and the Item's error once it needs a login", async () => {
    const item = await newItem('user_steady_saver');
    const got = await plaid.accountsGet({ access_token: item.access_token });
    expect(got.data.item.item_id).toBe(item.item_id);
    expect(got.data.accounts.map((a) => a.mask)).toEqual(['0000', '1111']);
    expect(got.data.accounts[0]?.balances.current).toBeGreaterThan(0);
    const one = await plaid.accountsGet({
      access_token: item.access_token,
      options: { account_ids: [got.data.accounts[1]?.account_id ?? ''] },
    });
    expect(one.data.accounts.map((a) => a.mask)).toEqual(['1111']);
    await plaid.sandboxItemResetLogin({ access_token: item.access_token });
    const broken = await expectPlaidError(plaid.accountsGet({ access_token: item.access_token }));
    expect(broken.data).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED' });
  });
});

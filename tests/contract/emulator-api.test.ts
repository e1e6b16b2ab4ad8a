import {
  AssetReportAddOns,
  CountryCode,
  Products,
  SandboxItemFireWebhookRequestWebhookCodeEnum,
  SandboxItemFireWebhookRequestWebhookCodeEnum as Code,
  WebhookType,
  type PlaidApi,
} from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { PLAID_ENDPOINTS } from '../../electron/emulator/openapi/endpoints';
import { expectPlaidError, SpecValidator } from './openapi-validator';
import { deliveredPayloads, startWebhookReceiver, type WebhookReceiver } from './helpers';
import { FAKE_ACCESS_TOKEN } from '../helpers/fake-tokens';

/**
 * Every emulator endpoint through the official plaid SDK, success and error paths; the validator checks each
 * request, response and error body against Plaid's OpenAPI spec.
 */
let emulator: RunningEmulator;
let plaid: PlaidApi;
let validator: SpecValidator;
let receiver: WebhookReceiver;
let now = new Date('2026-03-30T18:27:37Z');

beforeAll(async () => {
  validator = new SpecValidator();
  receiver = await startWebhookReceiver();
  emulator = await startEmulator({ readyAfterMs: 0, clock: () => now, webhookRetryDelaysMs: [5, 5] });
  plaid = validator.plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

afterEach(() => emulator.faults.reset());

const linkTokenRequest = {
  user: { client_user_id: 'applicant-42' },
  client_name: 'AssetDesk',
  products: [Products.Assets],
  country_codes: [CountryCode.Us],
  language: 'en',
};

async function newItem(username = 'user_good', products = [Products.Assets], webhook?: string) {
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: products,
    options: { override_username: username, override_password: 'pass_good', ...(webhook ? { webhook } : {}) },
  });
  const exchanged = await plaid.itemPublicTokenExchange({ public_token: created.data.public_token });
  return exchanged.data;
}

async function readyReport(accessTokens: string[], days = 30, options: Record<string, unknown> = {}) {
  const created = await plaid.assetReportCreate({ access_tokens: accessTokens, days_requested: days, options });
  return created.data;
}

describe('transport', () => {
  it('rejects wrong credentials with INVALID_API_KEYS and missing ones with MISSING_FIELDS', async () => {
    const wrong = validator.plaidClient(emulator.baseUrl, emulator.clientId, 'not-the-secret');
    const e1 = await expectPlaidError(
      wrong.institutionsGetById({ institution_id: 'ins_109508', country_codes: [CountryCode.Us] }),
    );
    expect(e1.status).toBe(400);
    expect(e1.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_API_KEYS' });
    const anonymous = validator.axiosInstance(emulator.baseUrl);
    const e2 = await expectPlaidError(
      anonymous.post(`${emulator.baseUrl}/item/get`, { access_token: 'access-sandbox-x' }),
    );
    expect(e2.data).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'MISSING_FIELDS' });
    expect(String(e2.data.error_message)).toContain('client_id');
  });

  it('accepts credentials in the body', async () => {
    const bare = validator.axiosInstance(emulator.baseUrl);
    const res = await bare.post(`${emulator.baseUrl}/institutions/get_by_id`, {
      client_id: emulator.clientId,
      secret: emulator.secret,
      institution_id: 'ins_109508',
      country_codes: ['US'],
    });
    expect(res.data.institution.name).toBe('First Platypus Bank');
  });

  it('answers non-JSON bodies with INVALID_BODY and unknown paths with NOT_FOUND, each with a request_id', async () => {
    const raw = validator.axiosInstance(emulator.baseUrl);
    const headers = {
      'PLAID-CLIENT-ID': emulator.clientId,
      'PLAID-SECRET': emulator.secret,
      'Content-Type': 'application/json',
    };
    const bad = await validator.withInvalidRequests(() =>
      expectPlaidError(raw.post(`${emulator.baseUrl}/item/get`, 'not json{', { headers })),
    );
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'INVALID_BODY' });
    expect(bad.data.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
    // The path is not in the spec: only the error body is checked.
    const missing = await validator.withInvalidRequests(() =>
      expectPlaidError(raw.post(`${emulator.baseUrl}/no/such/endpoint`, {}, { headers })),
    );
    expect(missing.status).toBe(404);
    expect(missing.data).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'NOT_FOUND' });
  });

  it('reports MISSING_FIELDS, UNKNOWN_FIELDS and INVALID_FIELD from the spec', async () => {
    const missing = await validator.withInvalidRequests(() =>
      expectPlaidError(plaid.assetReportCreate({ access_tokens: ['access-sandbox-x'] } as never)),
    );
    expect(missing.data).toMatchObject({
      error_code: 'MISSING_FIELDS',
      error_message: 'the following required fields are missing: days_requested',
    });
    const unknown = await validator.withInvalidRequests(() =>
      expectPlaidError(plaid.itemGet({ access_token: 'access-sandbox-x', colour: 'blue' } as never)),
    );
    expect(unknown.data).toMatchObject({
      error_code: 'UNKNOWN_FIELDS',
      error_message: 'the following fields are not recognized by this endpoint: colour',
    });
    const wrongType = await validator.withInvalidRequests(() =>
      expectPlaidError(
        plaid.assetReportCreate({ access_tokens: ['access-sandbox-x'], days_requested: 'ten' } as never),
      ),
    );
    expect(wrongType.data).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'INVALID_FIELD' });
    expect(String(wrongType.data.error_message)).toContain('days_requested');
  });
});

describe('error objects', () => {
  it("link each error type to its section of Plaid's error pages", async () => {
    const anchor = async (call: Promise<unknown>) =>
      String((await expectPlaidError(call)).data.documentation_url).replace('https://plaid.com/docs/?ref=error', '');
    const unknownToken = FAKE_ACCESS_TOKEN;
    const sandbox = (password: string, institution = 'ins_109508') =>
      plaid.sandboxPublicTokenCreate({
        institution_id: institution,
        initial_products: [Products.Assets],
        options: { override_password: password },
      });
    expect(await validator.withInvalidRequests(() => anchor(plaid.itemGet({} as never))), 'INVALID_REQUEST').toBe(
      '#invalid-request-errors',
    );
    expect(await anchor(plaid.itemGet({ access_token: unknownToken })), 'INVALID_INPUT').toBe('#invalid-input-errors');
    expect(await anchor(sandbox('error_ITEM_LOCKED')), 'ITEM_ERROR').toBe('#item-errors');
    expect(await anchor(sandbox('pass_good', 'ins_132361')), 'INSTITUTION_ERROR').toBe('#institution-errors');
    const item = await newItem();
    emulator.faults.setReadyAfterMs(60_000);
    const pending = await readyReport([item.access_token], 5);
    expect(
      await anchor(plaid.assetReportGet({ asset_report_token: pending.asset_report_token })),
      'ASSET_REPORT_ERROR',
    ).toBe('#asset-report-errors');
    expect(
      await anchor(
        plaid.sandboxItemFireWebhook({
          access_token: item.access_token,
          webhook_type: WebhookType.Assets,
          webhook_code: SandboxItemFireWebhookRequestWebhookCodeEnum.ProductReady,
        }),
      ),
      'SANDBOX_ERROR',
    ).toBe('#sandbox-errors');
    emulator.faults.failNext('/item/get', 500);
    expect(await anchor(plaid.itemGet({ access_token: item.access_token })), 'API_ERROR').toBe('#api-errors');
    emulator.faults.failNext('/item/get', 429);
    expect(await anchor(plaid.itemGet({ access_token: item.access_token })), 'RATE_LIMIT_EXCEEDED').toBe(
      '#rate-limit-exceeded-errors',
    );
  });
});

describe('Link tokens', () => {
  it('creates and reads a link token; hosted link gets a URL', async () => {
    const created = await plaid.linkTokenCreate({ ...linkTokenRequest, webhook: receiver.url, hosted_link: {} });
    expect(created.data.link_token).toMatch(/^link-sandbox-[0-9a-f-]{36}$/);
    expect(created.data.hosted_link_url).toMatch(new RegExp(`^${emulator.baseUrl}/hosted-link/[A-Za-z0-9]+$`));
    expect(new Date(created.data.expiration).getTime()).toBeGreaterThan(now.getTime());
    const got = await plaid.linkTokenGet({ link_token: created.data.link_token });
    expect(got.data.metadata.client_name).toBe('AssetDesk');
    expect(got.data.link_sessions).toEqual([]);
  });

  it('lasts 4 hours for new Items and 30 minutes in update mode', async () => {
    const created = await plaid.linkTokenCreate(linkTokenRequest);
    expect(new Date(created.data.expiration).getTime() - now.getTime()).toBe(4 * 3600_000);
    const item = await newItem();
    const update = await plaid.linkTokenCreate({ ...linkTokenRequest, products: [], access_token: item.access_token });
    expect(new Date(update.data.expiration).getTime() - now.getTime()).toBe(30 * 60_000);
  });

  it("takes an application's own user ids, numbers and dashes included, as client_user_id", async () => {
    for (const id of ['12345678', '123-456-7890', '42', 'user 7 (north)']) {
      const created = await plaid.linkTokenCreate({ ...linkTokenRequest, user: { client_user_id: id } });
      expect(created.data.link_token, id).toMatch(/^link-sandbox-/);
    }
  });

  it("takes the languages Link supports and refuses others with INVALID_FIELD naming 'language'", async () => {
    for (const language of ['en', 'fr', 'es', 'vi', 'no']) {
      const created = await plaid.linkTokenCreate({ ...linkTokenRequest, language });
      expect(created.data.link_token, language).toMatch(/^link-sandbox-/);
    }
    for (const language of ['xx', 'EN', 'en-US', 'english']) {
      const refused = await expectPlaidError(plaid.linkTokenCreate({ ...linkTokenRequest, language }));
      expect(refused.data, language).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'INVALID_FIELD' });
      expect(String(refused.data.error_message), language).toMatch(/^language /);
    }
  });

  it('rejects bad products, e-mail addresses as user ids, missing fields and unknown tokens', async () => {
    const product = await validator.withInvalidRequests(() =>
      expectPlaidError(plaid.linkTokenCreate({ ...linkTokenRequest, products: ['balance' as Products] })),
    );
    expect(product.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_PRODUCT' });
    const pii = await expectPlaidError(
      plaid.linkTokenCreate({ ...linkTokenRequest, user: { client_user_id: 'alberta@example.com' } }),
    );
    expect(pii.data).toMatchObject({ error_code: 'INVALID_FIELD' });
    const { client_name: _omit, ...noName } = linkTokenRequest;
    const missing = await validator.withInvalidRequests(() => expectPlaidError(plaid.linkTokenCreate(noName as never)));
    expect(missing.data).toMatchObject({ error_code: 'MISSING_FIELDS' });
    const unknown = await expectPlaidError(
      plaid.linkTokenGet({ link_token: 'link-sandbox-00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_LINK_TOKEN' });
    const badUpdate = await expectPlaidError(
      plaid.linkTokenCreate({
        ...linkTokenRequest,
        access_token: FAKE_ACCESS_TOKEN,
      }),
    );
    expect(badUpdate.data).toMatchObject({ error_code: 'INVALID_ACCESS_TOKEN' });
  });
});

describe('Items', () => {
  it('creates, exchanges (once), reads and removes an Item', async () => {
    const created = await plaid.sandboxPublicTokenCreate({
      institution_id: 'ins_109508',
      initial_products: [Products.Assets],
    });
    expect(created.data.public_token).toMatch(/^public-sandbox-[0-9a-f-]{36}$/);
    const exchanged = await plaid.itemPublicTokenExchange({ public_token: created.data.public_token });
    expect(exchanged.data.access_token).toMatch(/^access-sandbox-[0-9a-f-]{36}$/);
    expect(exchanged.data.item_id).toMatch(/^[A-Za-z0-9]{37}$/);
    const again = await expectPlaidError(plaid.itemPublicTokenExchange({ public_token: created.data.public_token }));
    expect(again.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_PUBLIC_TOKEN' });
    const item = await plaid.itemGet({ access_token: exchanged.data.access_token });
    expect(item.data.item).toMatchObject({
      item_id: exchanged.data.item_id,
      institution_id: 'ins_109508',
      error: null,
      products: ['assets'],
    });
    await plaid.itemRemove({ access_token: exchanged.data.access_token });
    const gone = await expectPlaidError(plaid.itemGet({ access_token: exchanged.data.access_token }));
    expect(gone.data).toMatchObject({ error_code: 'INVALID_ACCESS_TOKEN' });
  });

  it('expires public tokens after 30 minutes', async () => {
    const created = await plaid.sandboxPublicTokenCreate({
      institution_id: 'ins_109508',
      initial_products: [Products.Assets],
    });
    const start = now;
    now = new Date(start.getTime() + 31 * 60_000);
    try {
      const expired = await expectPlaidError(
        plaid.itemPublicTokenExchange({ public_token: created.data.public_token }),
      );
      expect(expired.data).toMatchObject({ error_code: 'INVALID_PUBLIC_TOKEN' });
    } finally {
      now = start;
    }
    const malformed = await expectPlaidError(plaid.itemPublicTokenExchange({ public_token: 'public-token' }));
    expect(malformed.data).toMatchObject({ error_code: 'INVALID_PUBLIC_TOKEN' });
  });

  it('applies Sandbox credentials: error_ passwords, wrong passwords, unknown institutions', async () => {
    const locked = await expectPlaidError(
      plaid.sandboxPublicTokenCreate({
        institution_id: 'ins_109508',
        initial_products: [Products.Assets],
        options: { override_password: 'error_ITEM_LOCKED' },
      }),
    );
    expect(locked.data).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOCKED' });
    const wrong = await expectPlaidError(
      plaid.sandboxPublicTokenCreate({
        institution_id: 'ins_109508',
        initial_products: [Products.Assets],
        options: { override_password: 'pass_bad' },
      }),
    );
    expect(wrong.data).toMatchObject({ error_code: 'INVALID_CREDENTIALS' });
    expect(wrong.data.display_message).toBeTruthy();
    const down = await expectPlaidError(
      plaid.sandboxPublicTokenCreate({ institution_id: 'ins_132361', initial_products: [Products.Assets] }),
    );
    expect(down.data).toMatchObject({ error_type: 'INSTITUTION_ERROR', error_code: 'INSTITUTION_DOWN' });
    const unknown = await expectPlaidError(
      plaid.sandboxPublicTokenCreate({ institution_id: 'ins_999999', initial_products: [Products.Assets] }),
    );
    expect(unknown.data).toMatchObject({ error_code: 'INVALID_INSTITUTION' });
  });

  it('puts an Item into ITEM_LOGIN_REQUIRED and fires an ITEM ERROR webhook', async () => {
    const item = await newItem('user_good', [Products.Assets], receiver.url);
    const reset = await plaid.sandboxItemResetLogin({ access_token: item.access_token });
    expect(reset.data.reset_login).toBe(true);
    const got = await plaid.itemGet({ access_token: item.access_token });
    expect(got.data.item.error).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED' });
    const create = await expectPlaidError(
      plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 30 }),
    );
    expect(create.data).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED' });
    await emulator.webhooksIdle();
    expect(deliveredPayloads(receiver)).toContainEqual(
      expect.objectContaining({ webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: item.item_id }),
    );
    const bad = await expectPlaidError(plaid.sandboxItemResetLogin({ access_token: FAKE_ACCESS_TOKEN }));
    expect(bad.data).toMatchObject({ error_code: 'INVALID_ACCESS_TOKEN' });
  });

  it('fires Sandbox webhooks to the Item webhook, and refuses without one', async () => {
    const withHook = await newItem('user_good', [Products.Assets, Products.Transactions], receiver.url);
    const fired = await plaid.sandboxItemFireWebhook({
      access_token: withHook.access_token,
      webhook_type: WebhookType.Transactions,
      webhook_code: SandboxItemFireWebhookRequestWebhookCodeEnum.DefaultUpdate,
    });
    expect(fired.data.webhook_fired).toBe(true);
    await emulator.webhooksIdle();
    expect(deliveredPayloads(receiver)).toContainEqual(
      expect.objectContaining({
        webhook_type: 'TRANSACTIONS',
        webhook_code: 'DEFAULT_UPDATE',
        item_id: withHook.item_id,
      }),
    );
    const without = await newItem();
    const refused = await expectPlaidError(
      plaid.sandboxItemFireWebhook({
        access_token: without.access_token,
        webhook_code: SandboxItemFireWebhookRequestWebhookCodeEnum.ProductReady,
        webhook_type: WebhookType.Assets,
      }),
    );
    expect(refused.data).toMatchObject({ error_type: 'SANDBOX_ERROR', error_code: 'SANDBOX_WEBHOOK_INVALID' });
  });

  it("fires every webhook type and code pair fire_webhook's description lists, each payload as the spec's schema", async () => {
    // The pairs of the endpoint's description, and the spec's schema of each webhook.
    const pairs: [WebhookType, SandboxItemFireWebhookRequestWebhookCodeEnum, string][] = [
      [WebhookType.Transactions, Code.DefaultUpdate, 'DefaultUpdateWebhook'],
      [WebhookType.Auth, Code.DefaultUpdate, 'AuthDefaultUpdateWebhook'],
      [WebhookType.InvestmentsTransactions, Code.DefaultUpdate, 'InvestmentsDefaultUpdateWebhook'],
      [WebhookType.Holdings, Code.DefaultUpdate, 'HoldingsDefaultUpdateWebhook'],
      [WebhookType.Liabilities, Code.DefaultUpdate, 'LiabilitiesDefaultUpdateWebhook'],
      [WebhookType.Item, Code.NewAccountsAvailable, 'NewAccountsAvailableWebhook'],
      [WebhookType.Auth, Code.SmsMicrodepositsVerification, 'HostedMMDVerificationWebhook'],
      [WebhookType.Item, Code.LoginRepaired, 'ItemLoginRepairedWebhook'],
      [WebhookType.Item, Code.PendingDisconnect, 'PendingDisconnectWebhook'],
      [WebhookType.Transactions, Code.RecurringTransactionsUpdate, 'RecurringTransactionsUpdateWebhook'],
      [WebhookType.Transactions, Code.SyncUpdatesAvailable, 'SyncUpdatesAvailableWebhook'],
      [WebhookType.Item, Code.UserPermissionRevoked, 'UserPermissionRevokedWebhook'],
      [WebhookType.Item, Code.UserAccountRevoked, 'UserAccountRevokedWebhook'],
      [WebhookType.Assets, Code.ProductReady, 'AssetsProductReadyWebhook'],
      [WebhookType.Assets, Code.Error, 'AssetsErrorWebhook'],
    ];
    const everything = [
      Products.Assets,
      Products.Transactions,
      Products.Auth,
      Products.Investments,
      Products.Liabilities,
    ];
    const item = await newItem('user_good', everything, receiver.url);
    await emulator.webhooksIdle();
    for (const [webhook_type, webhook_code, schema] of pairs) {
      const before = receiver.received.length;
      await plaid.sandboxItemFireWebhook({ access_token: item.access_token, webhook_type, webhook_code });
      await emulator.webhooksIdle();
      const payloads = deliveredPayloads({ ...receiver, received: receiver.received.slice(before) });
      expect(payloads, `${webhook_type} ${webhook_code}`).toHaveLength(1);
      expect(payloads[0]).toMatchObject({ webhook_type, webhook_code, environment: 'sandbox' });
      validator.check(schema, payloads[0], `${webhook_type} ${webhook_code} webhook`);
    }
  });

  it('fires the Assets ERROR webhook for an Assets Item and refuses pairs the endpoint does not document', async () => {
    const item = await newItem('user_good', [Products.Assets], receiver.url);
    await emulator.webhooksIdle();
    const before = receiver.received.length;
    await plaid.sandboxItemFireWebhook({ access_token: item.access_token, webhook_code: Code.Error });
    await emulator.webhooksIdle();
    const [error] = deliveredPayloads({ ...receiver, received: receiver.received.slice(before) });
    expect(error).toMatchObject({
      webhook_type: 'ASSETS',
      webhook_code: 'ERROR',
      error: { error_type: 'ASSET_REPORT_ERROR' },
    });
    validator.check('AssetsErrorWebhook', error, 'ERROR webhook');
    for (const [webhook_type, webhook_code] of [
      [WebhookType.Assets, Code.DefaultUpdate],
      [WebhookType.Item, Code.ProductReady],
      [WebhookType.Item, Code.Error],
      [WebhookType.Transactions, Code.LoginRepaired],
      [WebhookType.Item, Code.AuthorizationGranted],
      [undefined, Code.AuthorizationGranted],
    ] as const) {
      const refused = await expectPlaidError(
        plaid.sandboxItemFireWebhook({ access_token: item.access_token, webhook_type, webhook_code }),
      );
      expect(refused.data, `${webhook_type} ${webhook_code}`).toMatchObject({
        error_type: 'INVALID_REQUEST',
        error_code: 'INVALID_FIELD',
      });
      expect(String(refused.data.error_message)).toContain(webhook_code);
    }
    const transactions = await expectPlaidError(
      plaid.sandboxItemFireWebhook({ access_token: item.access_token, webhook_code: Code.DefaultUpdate }),
    );
    expect(transactions.data).toMatchObject({ error_code: 'SANDBOX_PRODUCT_NOT_ENABLED' });
    await emulator.webhooksIdle();
    expect(receiver.received.length).toBe(before + 1);
  });
});

describe('accounts', () => {
  it("reads an Item's accounts and balances with /accounts/get", async () => {
    const item = await newItem('user_good');
    const got = await plaid.accountsGet({ access_token: item.access_token });
    expect(got.data.item.item_id).toBe(item.item_id);
    expect(got.data.accounts.length).toBeGreaterThan(0);
  });
});

describe('institutions', () => {
  it('gets by id (with optional metadata and status) and searches', async () => {
    const plain = await plaid.institutionsGetById({ institution_id: 'ins_109508', country_codes: [CountryCode.Us] });
    expect(plain.data.institution).toMatchObject({
      institution_id: 'ins_109508',
      name: 'First Platypus Bank',
      oauth: false,
    });
    expect(plain.data.institution.primary_color).toBeUndefined();
    const rich = await plaid.institutionsGetById({
      institution_id: 'ins_132363',
      country_codes: [CountryCode.Us],
      options: { include_optional_metadata: true, include_status: true },
    });
    expect(rich.data.institution.primary_color).toMatch(/^#/);
    expect(rich.data.institution.status?.item_logins?.status).toBe('DEGRADED');
    const search = await plaid.institutionsSearch({
      query: 'platypus',
      products: [Products.Assets],
      country_codes: [CountryCode.Us],
    });
    expect(search.data.institutions.map((i) => i.institution_id)).toContain('ins_109508');
    const unknown = await expectPlaidError(
      plaid.institutionsGetById({ institution_id: 'ins_0', country_codes: [CountryCode.Us] }),
    );
    expect(unknown.data).toMatchObject({ error_code: 'INVALID_INSTITUTION' });
  });
});

describe('Asset Reports', () => {
  it('creates a report, answers PRODUCT_NOT_READY until ready, then returns it', async () => {
    const item = await newItem();
    emulator.faults.setReadyAfterMs(5_000);
    const created = await readyReport([item.access_token], 61, {
      client_report_id: 'loan-7',
      user: { client_user_id: 'applicant-42', first_name: 'Alberta', last_name: 'Charleson' },
    });
    expect(created.asset_report_token).toMatch(/^assets-sandbox-[0-9a-f-]{36}$/);
    expect(created.asset_report_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const notReady = await expectPlaidError(plaid.assetReportGet({ asset_report_token: created.asset_report_token }));
    expect(notReady.status).toBe(400);
    expect(notReady.data).toMatchObject({
      error_type: 'ASSET_REPORT_ERROR',
      error_code: 'PRODUCT_NOT_READY',
      error_message: '',
    });
    const pdfNotReady = await expectPlaidError(
      plaid.assetReportPdfGet({ asset_report_token: created.asset_report_token }, { responseType: 'arraybuffer' }),
    );
    expect(pdfNotReady.data).toMatchObject({ error_code: 'PRODUCT_NOT_READY' });
    const start = now;
    now = new Date(start.getTime() + 5_000);
    try {
      const got = await plaid.assetReportGet({ asset_report_token: created.asset_report_token });
      const report = got.data.report;
      expect(report).toMatchObject({
        asset_report_id: created.asset_report_id,
        client_report_id: 'loan-7',
        days_requested: 61,
      });
      expect(report.user).toMatchObject({ first_name: 'Alberta', last_name: 'Charleson', ssn: null });
      expect(got.data.warnings).toEqual([]);
      const checking = report.items[0]?.accounts.find((a) => a.mask === '0000');
      expect(checking?.historical_balances).toHaveLength(61);
      expect(checking?.transactions.length).toBeGreaterThan(0);
      expect(checking?.transactions[0]?.name).toBeUndefined();
    } finally {
      now = start;
    }
  });

  it('adds insights fields only with include_insights and trims with days_to_include', async () => {
    const item = await newItem('user_steady_saver');
    const created = await readyReport([item.access_token], 120);
    const insights = await plaid.assetReportGet({
      asset_report_token: created.asset_report_token,
      include_insights: true,
      options: { days_to_include: 30 },
    });
    const accounts = insights.data.report.items[0]?.accounts ?? [];
    for (const account of accounts) {
      expect(account.historical_balances.length).toBeLessThanOrEqual(30);
      for (const t of account.transactions) {
        expect(t.name).toBeTruthy();
        expect(t.category?.length).toBeGreaterThan(0);
        expect(t.credit_category?.primary).toBeTruthy();
        expect(t.location).toBeDefined();
        expect(t.payment_meta).toBeDefined();
        expect(['digital', 'place', 'special', 'unresolved']).toContain(t.transaction_type);
      }
    }
    const payroll = accounts[0]?.transactions.find((t) => t.original_description === 'ACH DEPOSIT ACME CORP PAYROLL');
    expect(payroll).toMatchObject({
      amount: -2450,
      merchant_name: 'Acme Corp',
      payment_meta: { payment_method: 'ACH' },
    });
  });

  it('enforces access token and days_requested limits', async () => {
    const item = await newItem();
    const tooMany = await validator.withInvalidRequests(() =>
      expectPlaidError(
        plaid.assetReportCreate({ access_tokens: Array(100).fill(item.access_token), days_requested: 10 }),
      ),
    );
    expect(tooMany.data).toMatchObject({ error_code: 'INVALID_FIELD' });
    const none = await validator.withInvalidRequests(() =>
      expectPlaidError(plaid.assetReportCreate({ access_tokens: [], days_requested: 10 })),
    );
    expect(none.data).toMatchObject({ error_code: 'INVALID_FIELD' });
    const days = await validator.withInvalidRequests(() =>
      expectPlaidError(plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 732 })),
    );
    expect(days.data).toMatchObject({ error_code: 'INVALID_FIELD' });
    const negative = await validator.withInvalidRequests(() =>
      expectPlaidError(plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: -1 })),
    );
    expect(negative.data).toMatchObject({ error_code: 'INVALID_FIELD' });
    const edge = await plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 731 });
    expect(edge.data.asset_report_id).toBeTruthy();
    const zero = await plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 0 });
    const zeroReport = await plaid.assetReportGet({ asset_report_token: zero.data.asset_report_token });
    expect(zeroReport.data.report.items[0]?.accounts[0]?.historical_balances).toEqual([]);
    const unknownToken = await expectPlaidError(
      plaid.assetReportCreate({
        access_tokens: [FAKE_ACCESS_TOKEN],
        days_requested: 10,
      }),
    );
    expect(unknownToken.data).toMatchObject({ error_code: 'INVALID_ACCESS_TOKEN' });
    const transactionsOnly = await newItem('user_good', [Products.Transactions]);
    const notEnabled = await expectPlaidError(
      plaid.assetReportCreate({ access_tokens: [transactionsOnly.access_token], days_requested: 10 }),
    );
    expect(notEnabled.data).toMatchObject({ error_type: 'ASSET_REPORT_ERROR', error_code: 'PRODUCT_NOT_ENABLED' });
  });

  it('returns a real PDF with the request id in a header', async () => {
    const item = await newItem('user_joint');
    const created = await readyReport([item.access_token], 30);
    const pdf = await plaid.assetReportPdfGet(
      { asset_report_token: created.asset_report_token },
      { responseType: 'arraybuffer' },
    );
    const bytes = Buffer.from(pdf.data as unknown as ArrayBuffer);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['plaid-request-id']).toMatch(/^[A-Za-z0-9]{15}$/);
    const invalid = await expectPlaidError(
      plaid.assetReportPdfGet(
        { asset_report_token: 'assets-sandbox-00000000-0000-4000-8000-000000000000' },
        { responseType: 'arraybuffer' },
      ),
    );
    expect(invalid.data).toMatchObject({ error_code: 'INVALID_ASSET_REPORT_TOKEN' });
  });

  it('filters accounts out into a new report, and refresh keeps the filter', async () => {
    const item = await newItem();
    const created = await readyReport([item.access_token], 30);
    const original = await plaid.assetReportGet({ asset_report_token: created.asset_report_token });
    const accounts = original.data.report.items[0]?.accounts ?? [];
    const drop = accounts.filter((a) => a.type === 'investment' || a.type === 'loan').map((a) => a.account_id);
    const filtered = await plaid.assetReportFilter({
      asset_report_token: created.asset_report_token,
      account_ids_to_exclude: drop,
    });
    expect(filtered.data.asset_report_id).not.toBe(created.asset_report_id);
    const filteredReport = await plaid.assetReportGet({ asset_report_token: filtered.data.asset_report_token });
    const kept = filteredReport.data.report.items[0]?.accounts.map((a) => a.account_id) ?? [];
    expect(kept).toHaveLength(accounts.length - drop.length);
    expect(kept.some((id) => drop.includes(id))).toBe(false);
    expect(filteredReport.data.report.date_generated).toBe(original.data.report.date_generated);

    const refreshed = await plaid.assetReportRefresh({
      asset_report_token: filtered.data.asset_report_token,
      days_requested: 10,
    });
    expect(refreshed.data.asset_report_token).not.toBe(filtered.data.asset_report_token);
    const refreshedReport = await plaid.assetReportGet({ asset_report_token: refreshed.data.asset_report_token });
    expect(refreshedReport.data.report.days_requested).toBe(10);
    expect(refreshedReport.data.report.items[0]?.accounts.map((a) => a.account_id).sort()).toEqual([...kept].sort());

    const badAccount = await expectPlaidError(
      plaid.assetReportFilter({ asset_report_token: created.asset_report_token, account_ids_to_exclude: ['nope'] }),
    );
    expect(badAccount.data).toMatchObject({ error_code: 'INVALID_ACCOUNT_ID' });
    emulator.faults.setReadyAfterMs(60_000);
    const pending = await readyReport([item.access_token], 10);
    const parent = await expectPlaidError(
      plaid.assetReportFilter({ asset_report_token: pending.asset_report_token, account_ids_to_exclude: [] }),
    );
    expect(parent.data).toMatchObject({ error_type: 'ASSET_REPORT_ERROR', error_code: 'INVALID_PARENT' });
    const badRefresh = await expectPlaidError(
      plaid.assetReportRefresh({ asset_report_token: 'assets-sandbox-00000000-0000-4000-8000-000000000000' }),
    );
    expect(badRefresh.data).toMatchObject({ error_code: 'INVALID_ASSET_REPORT_TOKEN' });
  });

  it('refreshes with the original options, each overridden one by one, and "" clearing a field', async () => {
    const item = await newItem();
    const created = await readyReport([item.access_token], 20, {
      client_report_id: 'loan-9',
      webhook: receiver.url,
      user: { client_user_id: 'applicant-9', first_name: 'Ann', last_name: 'Lee', ssn: '111-22-3333' },
    });
    const reportOf = async (token: string) => (await plaid.assetReportGet({ asset_report_token: token })).data.report;

    const renamed = await plaid.assetReportRefresh({
      asset_report_token: created.asset_report_token,
      options: { user: { first_name: 'Bob' } },
    });
    const renamedReport = await reportOf(renamed.data.asset_report_token);
    expect(renamedReport.client_report_id).toBe('loan-9');
    expect(renamedReport.user).toEqual({
      client_user_id: 'applicant-9',
      first_name: 'Bob',
      middle_name: null,
      last_name: 'Lee',
      ssn: '111-22-3333',
      phone_number: null,
      email: null,
    });

    const cleared = await plaid.assetReportRefresh({
      asset_report_token: created.asset_report_token,
      options: { client_report_id: '', user: { ssn: '', middle_name: 'Q' } },
    });
    const clearedReport = await reportOf(cleared.data.asset_report_token);
    expect(clearedReport.client_report_id).toBeNull();
    expect(clearedReport.user).toMatchObject({ first_name: 'Ann', middle_name: 'Q', last_name: 'Lee', ssn: null });

    // The spec gives the refresh webhook the create's url format, yet its description asks for "" to clear it:
    // only this request is sent unchecked; the answer is still validated.
    const unhooked = await validator.withInvalidRequests(() =>
      plaid.assetReportRefresh({ asset_report_token: created.asset_report_token, options: { webhook: '' } }),
    );
    const unhookedReport = await reportOf(unhooked.data.asset_report_token);
    expect(unhookedReport.client_report_id).toBe('loan-9');
    expect(unhookedReport.user.first_name).toBe('Ann');
    await emulator.webhooksIdle();
    const readyIds = deliveredPayloads(receiver).map((p) => p.asset_report_id);
    expect(readyIds).toContain(renamed.data.asset_report_id);
    expect(readyIds).not.toContain(unhooked.data.asset_report_id);
    const badHook = await validator.withInvalidRequests(() =>
      expectPlaidError(
        plaid.assetReportRefresh({ asset_report_token: created.asset_report_token, options: { webhook: 'nope' } }),
      ),
    );
    expect(badHook.data).toMatchObject({
      error_code: 'INVALID_FIELD',
      error_message: 'options.webhook must be a valid url',
    });
  });

  it('answers the investments add-on with an INVESTMENTS_UNAVAILABLE warning per Item whose investments are missing', async () => {
    const withInvestments = await newItem('user_good', [Products.Assets, Products.Investments]);
    const assetsOnly = await newItem('user_good', [Products.Assets]);
    const noInvestmentAccounts = await newItem('user_steady_saver', [Products.Assets, Products.Investments]);
    const tokens = [withInvestments, assetsOnly, noInvestmentAccounts].map((i) => i.access_token);
    const warningsOf = async (options: Record<string, unknown>) => {
      const created = await readyReport(tokens, 10, options);
      return (await plaid.assetReportGet({ asset_report_token: created.asset_report_token })).data.warnings;
    };
    const warnings = await warningsOf({ add_ons: [AssetReportAddOns.Investments] });
    expect(warnings).toEqual([
      {
        warning_type: 'ASSET_REPORT_WARNING',
        warning_code: 'INVESTMENTS_UNAVAILABLE',
        cause: expect.objectContaining({
          error_type: 'ITEM_ERROR',
          error_code: 'PRODUCTS_NOT_SUPPORTED',
          item_id: withInvestments.item_id,
        }),
      },
      {
        warning_type: 'ASSET_REPORT_WARNING',
        warning_code: 'INVESTMENTS_UNAVAILABLE',
        cause: expect.objectContaining({
          error_type: 'ITEM_ERROR',
          error_code: 'PRODUCT_NOT_ENABLED',
          item_id: assetsOnly.item_id,
        }),
      },
    ]);
    // The deprecated form of the same add-on.
    expect(await warningsOf({ products: ['investments'] })).toEqual(warnings);
    expect(await warningsOf({})).toEqual([]);
  });

  it('keeps reports readable after /item/remove', async () => {
    const item = await newItem();
    const created = await readyReport([item.access_token], 10);
    await plaid.itemRemove({ access_token: item.access_token });
    const got = await plaid.assetReportGet({ asset_report_token: created.asset_report_token });
    expect(got.data.report.items[0]?.item_id).toBe(item.item_id);
  });

  it('creates, reads and removes audit copies; removing the report revokes them and makes it an INVALID_PARENT', async () => {
    const item = await newItem();
    const created = await readyReport([item.access_token], 30);
    const copy = await plaid.assetReportAuditCopyCreate({
      asset_report_token: created.asset_report_token,
      auditor_id: 'fannie_mae',
    });
    expect(copy.data.audit_copy_token).toMatch(/^a-sandbox-[A-Z2-7]{26}$/);
    const mine = await plaid.assetReportAuditCopyCreate({
      asset_report_token: created.asset_report_token,
      auditor_id: emulator.clientId,
    });
    // The copy belongs to Fannie Mae: the creator's credentials cannot read it, Fannie Mae's can.
    const notYours = await expectPlaidError(
      plaid.assetReportAuditCopyGet({ audit_copy_token: copy.data.audit_copy_token }),
    );
    expect(notYours.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_AUDIT_COPY_TOKEN' });
    const fannie = emulator.auditors.fannie_mae!;
    const auditor = validator.plaidClient(emulator.baseUrl, fannie.clientId, fannie.secret);
    const read = await auditor.assetReportAuditCopyGet({ audit_copy_token: copy.data.audit_copy_token });
    expect(read.data.report.asset_report_id).toBe(created.asset_report_id);
    const ownCopy = await plaid.assetReportAuditCopyGet({ audit_copy_token: mine.data.audit_copy_token });
    expect(ownCopy.data.report.asset_report_id).toBe(created.asset_report_id);
    const pdf = await auditor.assetReportAuditCopyPdfGet(
      { audit_copy_token: copy.data.audit_copy_token },
      { responseType: 'arraybuffer' },
    );
    expect(
      Buffer.from(pdf.data as unknown as ArrayBuffer)
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    const removed = await plaid.assetReportAuditCopyRemove({ audit_copy_token: copy.data.audit_copy_token });
    expect(removed.data.removed).toBe(true);
    const revoked = await expectPlaidError(
      auditor.assetReportAuditCopyGet({ audit_copy_token: copy.data.audit_copy_token }),
    );
    expect(revoked.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_AUDIT_COPY_TOKEN' });
    const badAuditor = await expectPlaidError(
      plaid.assetReportAuditCopyCreate({ asset_report_token: created.asset_report_token, auditor_id: 'acme_bank' }),
    );
    expect(badAuditor.data).toMatchObject({ error_code: 'INVALID_FIELD' });

    const removedReport = await plaid.assetReportRemove({ asset_report_token: created.asset_report_token });
    expect(removedReport.data.removed).toBe(true);
    const afterRemove = await expectPlaidError(
      plaid.assetReportGet({ asset_report_token: created.asset_report_token }),
    );
    expect(afterRemove.data).toMatchObject({ error_code: 'INVALID_ASSET_REPORT_TOKEN' });
    const copyAfter = await expectPlaidError(
      plaid.assetReportAuditCopyPdfGet(
        { audit_copy_token: mine.data.audit_copy_token },
        { responseType: 'arraybuffer' },
      ),
    );
    expect(copyAfter.data).toMatchObject({ error_code: 'INVALID_AUDIT_COPY_TOKEN' });
    const parentGone = await expectPlaidError(
      plaid.assetReportAuditCopyCreate({ asset_report_token: created.asset_report_token, auditor_id: 'fannie_mae' }),
    );
    expect(parentGone.data).toMatchObject({ error_type: 'ASSET_REPORT_ERROR', error_code: 'INVALID_PARENT' });
    const filterGone = await expectPlaidError(
      plaid.assetReportFilter({ asset_report_token: created.asset_report_token, account_ids_to_exclude: [] }),
    );
    expect(filterGone.data).toMatchObject({ error_type: 'ASSET_REPORT_ERROR', error_code: 'INVALID_PARENT' });
    const refreshGone = await expectPlaidError(
      plaid.assetReportRefresh({ asset_report_token: created.asset_report_token }),
    );
    expect(refreshGone.data).toMatchObject({ error_type: 'ASSET_REPORT_ERROR', error_code: 'INVALID_PARENT' });
    // A token that never named a report is still an invalid token, for every way of making a report from it.
    const neverToken = 'assets-sandbox-00000000-0000-4000-8000-000000000000';
    for (const never of [
      plaid.assetReportAuditCopyCreate({ asset_report_token: neverToken, auditor_id: 'fannie_mae' }),
      plaid.assetReportFilter({ asset_report_token: neverToken, account_ids_to_exclude: [] }),
      plaid.assetReportRefresh({ asset_report_token: neverToken }),
    ])
      expect((await expectPlaidError(never)).data).toMatchObject({ error_code: 'INVALID_ASSET_REPORT_TOKEN' });
    const removeAgain = await expectPlaidError(
      plaid.assetReportRemove({ asset_report_token: created.asset_report_token }),
    );
    expect(removeAgain.data).toMatchObject({ error_code: 'INVALID_ASSET_REPORT_TOKEN' });
    const copyRemoveAgain = await expectPlaidError(
      plaid.assetReportAuditCopyRemove({ audit_copy_token: copy.data.audit_copy_token }),
    );
    expect(copyRemoveAgain.data).toMatchObject({ error_code: 'INVALID_AUDIT_COPY_TOKEN' });
  });

  it('sends PRODUCT_READY to options.webhook', async () => {
    const item = await newItem();
    const created = await readyReport([item.access_token], 10, { webhook: receiver.url });
    await new Promise((r) => setImmediate(r));
    await plaid.assetReportGet({ asset_report_token: created.asset_report_token });
    await vi.waitFor(async () => {
      await emulator.webhooksIdle();
      expect(deliveredPayloads(receiver)).toContainEqual({
        webhook_type: 'ASSETS',
        webhook_code: 'PRODUCT_READY',
        asset_report_id: created.asset_report_id,
        report_type: 'FULL',
        environment: 'sandbox',
      });
    });
  });
});

describe('webhook verification key', () => {
  it('serves the signing key by kid and rejects unknown ids', async () => {
    const item = await newItem();
    await readyReport([item.access_token], 1, { webhook: receiver.url });
    await vi.waitFor(async () => {
      await emulator.webhooksIdle();
      expect(receiver.received.length).toBeGreaterThan(0);
    });
    const jwt = String(receiver.received.at(-1)?.headers['plaid-verification']);
    const kid = (JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid: string }).kid;
    const key = await plaid.webhookVerificationKeyGet({ key_id: kid });
    expect(key.data.key).toMatchObject({ alg: 'ES256', crv: 'P-256', kty: 'EC', use: 'sig', kid, expired_at: null });
    const unknown = await expectPlaidError(plaid.webhookVerificationKeyGet({ key_id: 'not-a-key' }));
    expect(unknown.data).toMatchObject({
      error_type: 'INVALID_INPUT',
      error_code: 'INVALID_WEBHOOK_VERIFICATION_KEY_ID',
    });
  });
});

describe('fault injection', () => {
  it('forces the next responses of an endpoint to 500, 503 and 429 with Plaid bodies', async () => {
    emulator.faults.failNext('/institutions/get_by_id', 500);
    emulator.faults.failNext('/institutions/get_by_id', 503);
    emulator.faults.failNext('/institutions/get_by_id', 429, 2);
    const call = () => plaid.institutionsGetById({ institution_id: 'ins_109508', country_codes: [CountryCode.Us] });
    expect((await expectPlaidError(call())).data).toMatchObject({
      error_type: 'API_ERROR',
      error_code: 'INTERNAL_SERVER_ERROR',
    });
    const maintenance = await expectPlaidError(call());
    expect(maintenance.status).toBe(503);
    expect(maintenance.data).toMatchObject({ error_type: 'API_ERROR', error_code: 'PLANNED_MAINTENANCE' });
    for (let i = 0; i < 2; i += 1) {
      const limited = await expectPlaidError(call());
      expect(limited.status).toBe(429);
      expect(limited.data).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED' });
    }
    expect((await call()).data.institution.institution_id).toBe('ins_109508');
  });

  it('is controllable over HTTP', async () => {
    const control = validator.axiosInstance(emulator.baseUrl);
    const headers = { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret };
    const ok = await validator.withInvalidRequests(() =>
      control.post(
        `${emulator.baseUrl}/emulator/_control/fail_next`,
        { endpoint: '/item/get', status: 503, count: 1 },
        { headers },
      ),
    );
    expect(ok.data).toMatchObject({ ok: true });
    const item = await newItem();
    const forced = await expectPlaidError(plaid.itemGet({ access_token: item.access_token }));
    expect(forced.status).toBe(503);
    expect((await plaid.itemGet({ access_token: item.access_token })).data.item.item_id).toBe(item.item_id);
  });

  it('fails report generation with ASSET_REPORT_GENERATION_FAILED and an ERROR webhook', async () => {
    const item = await newItem();
    emulator.faults.failReportGeneration();
    const created = await readyReport([item.access_token], 10, { webhook: receiver.url });
    const failed = await expectPlaidError(plaid.assetReportGet({ asset_report_token: created.asset_report_token }));
    expect(failed.data).toMatchObject({
      error_type: 'ASSET_REPORT_ERROR',
      error_code: 'ASSET_REPORT_GENERATION_FAILED',
    });
    await vi.waitFor(async () => {
      await emulator.webhooksIdle();
      expect(deliveredPayloads(receiver)).toContainEqual(
        expect.objectContaining({
          webhook_type: 'ASSETS',
          webhook_code: 'ERROR',
          asset_report_id: created.asset_report_id,
          error: expect.objectContaining({ error_code: 'ASSET_REPORT_GENERATION_FAILED' }),
        }),
      );
    });
    const next = await readyReport([item.access_token], 10);
    expect(
      (await plaid.assetReportGet({ asset_report_token: next.asset_report_token })).data.report.asset_report_id,
    ).toBe(next.asset_report_id);
  });

  it('applies production rate limits: 15 /asset_report/get per minute per report', async () => {
    const item = await newItem();
    const created = await readyReport([item.access_token], 5);
    emulator.faults.setProductionRateLimits(true);
    for (let i = 0; i < 15; i += 1) await plaid.assetReportGet({ asset_report_token: created.asset_report_token });
    const limited = await expectPlaidError(plaid.assetReportGet({ asset_report_token: created.asset_report_token }));
    expect(limited.status).toBe(429);
    expect(limited.data).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT' });
    const start = now;
    now = new Date(start.getTime() + 61_000);
    try {
      await plaid.assetReportGet({ asset_report_token: created.asset_report_token });
    } finally {
      now = start;
    }
  });
});

describe('coverage', () => {
  it('called every endpoint through the validated SDK client', () => {
    const missing = PLAID_ENDPOINTS.filter((p) => !validator.paths.has(p));
    expect(missing).toEqual([]);
    expect(validator.counts.responses).toBeGreaterThan(30);
    expect(validator.counts.errors).toBeGreaterThan(30);
  });
});

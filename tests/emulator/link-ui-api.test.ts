import { CountryCode, Products, type PlaidApi } from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { SpecValidator } from '../contract/openapi-validator';
import { deliveredPayloads, startWebhookReceiver, type WebhookReceiver } from '../contract/helpers';

/** The JSON endpoints behind the emulated Link UI, their CORS, and how results reach /link/token/get and Hosted Link. */
let emulator: RunningEmulator;
let plaid: PlaidApi;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startEmulator({ readyAfterMs: 0, webhookRetryDelaysMs: [5] });
  plaid = new SpecValidator().plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

async function ui(
  name: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${emulator.baseUrl}/link/ui/_api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'http://127.0.0.1:9' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const linkToken = async (extra: Record<string, unknown> = {}) =>
  (
    await plaid.linkTokenCreate({
      user: { client_user_id: 'applicant-1' },
      client_name: 'AssetDesk',
      products: [Products.Assets],
      country_codes: [CountryCode.Us],
      language: 'en',
      ...extra,
    })
  ).data;

it('links an Item: session → institutions → credentials (MFA) → complete → exchange', async () => {
  const { link_token } = await linkToken();
  const session = await ui('session', { link_token });
  expect(session.status).toBe(200);
  expect(session.headers.get('access-control-allow-origin')).toBe('*');
  expect(session.body).toMatchObject({
    client_name: 'AssetDesk',
    products: ['assets'],
    update_mode: false,
    institution: null,
    hosted: false,
    completion_redirect_uri: null,
  });
  const link_session_id = String(session.body.link_session_id);

  const institutions = await ui('institutions', { link_token, query: 'platypus' });
  expect(institutions.body.institutions).toContainEqual({
    institution_id: 'ins_109508',
    name: 'First Platypus Bank',
    oauth: false,
    status: 'HEALTHY',
  });
  expect(institutions.body.institutions).toContainEqual(
    expect.objectContaining({ institution_id: 'ins_132361', status: 'DOWN' }),
  );

  const login = {
    link_token,
    link_session_id,
    institution_id: 'ins_109508',
    username: 'user_good',
    password: 'mfa_device',
  };
  expect((await ui('credentials', login)).body).toMatchObject({ status: 'mfa_required', mfa_type: 'device' });
  const wrongCode = await ui('credentials', { ...login, mfa_code: '0000' });
  expect(wrongCode.status).toBe(400);
  expect(wrongCode.body).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'INVALID_MFA' });
  const accounts = await ui('credentials', { ...login, mfa_code: '1234' });
  expect(accounts.body.status).toBe('select_accounts');
  const list = accounts.body.accounts as { id: string; name: string }[];
  expect(list).toHaveLength(12);

  await ui('event', {
    link_token,
    link_session_id,
    event_name: 'OPEN',
    metadata: { view_name: 'CONSENT', timestamp: '2026-01-01T00:00:00.000Z' },
  });
  const done = await ui('complete', { ...login, account_ids: [list[0]!.id, list[1]!.id] });
  expect(done.status).toBe(200);
  const metadata = done.body.metadata as Record<string, unknown>;
  expect(metadata).toMatchObject({
    institution: { name: 'First Platypus Bank', institution_id: 'ins_109508' },
    link_session_id,
    transfer_status: null,
  });
  expect(metadata.accounts).toEqual([
    {
      id: list[0]!.id,
      name: 'Plaid Checking',
      mask: '0000',
      type: 'depository',
      subtype: 'checking',
      verification_status: null,
      class_type: null,
    },
    {
      id: list[1]!.id,
      name: 'Plaid Saving',
      mask: '1111',
      type: 'depository',
      subtype: 'savings',
      verification_status: null,
      class_type: null,
    },
  ]);

  const exchanged = await plaid.itemPublicTokenExchange({ public_token: String(done.body.public_token) });
  // /accounts/get tells the app, from Plaid's side, which accounts the customer shared.
  const shared = await plaid.accountsGet({ access_token: exchanged.data.access_token });
  expect(shared.data.accounts.map((a) => [a.account_id, a.mask])).toEqual([
    [list[0]!.id, '0000'],
    [list[1]!.id, '1111'],
  ]);
  const report = await plaid.assetReportCreate({ access_tokens: [exchanged.data.access_token], days_requested: 10 });
  const got = await plaid.assetReportGet({ asset_report_token: report.data.asset_report_token });
  // The Item holds every account of the persona; the report's ids match what Link showed.
  expect(got.data.report.items[0]?.accounts.map((a) => a.account_id)).toEqual(list.map((a) => a.id));

  const tokenInfo = await plaid.linkTokenGet({ link_token });
  const recorded = tokenInfo.data.link_sessions?.[0];
  expect(recorded?.link_session_id).toBe(link_session_id);
  expect(recorded?.results?.item_add_results[0]?.public_token).toBe(done.body.public_token);
  expect(recorded?.events?.map((e) => e.event_name)).toEqual(['OPEN']);
});

it("links Plaid's custom and pre-populated Sandbox users through Link's login as /sandbox/public_token/create does", async () => {
  const config = {
    override_accounts: [
      {
        type: 'depository',
        subtype: 'savings',
        starting_balance: 4300,
        meta: { name: 'Custom Savings', mask: '7788' },
        identity: { names: ['John Smith'] },
      },
      { type: 'depository', subtype: 'checking', starting_balance: 120.5 },
    ],
  };
  const { link_token } = await linkToken();
  const link_session_id = String((await ui('session', { link_token })).body.link_session_id);
  const login = {
    link_token,
    link_session_id,
    institution_id: 'ins_109508',
    username: 'user_custom',
    password: JSON.stringify(config),
  };
  const shown = await ui('credentials', login);
  expect(shown.body.status).toBe('select_accounts');
  const list = shown.body.accounts as { id: string; name: string; mask: string }[];
  expect(list.map((a) => [a.name, a.mask])).toEqual([
    ['Custom Savings', '7788'],
    ['Plaid Checking', '1111'],
  ]);
  // Another configuration at completion is another login: its accounts were never shown.
  const switched = await ui('complete', { ...login, password: '{}' });
  expect(switched.status).toBe(400);
  const done = await ui('complete', { ...login, account_ids: [list[0]!.id] });
  expect(done.status).toBe(200);
  const item = (await plaid.itemPublicTokenExchange({ public_token: String(done.body.public_token) })).data;
  const shared = await plaid.accountsGet({ access_token: item.access_token });
  expect(shared.data.accounts.map((a) => [a.account_id, a.name, a.balances.current])).toEqual([
    [list[0]!.id, 'Custom Savings', 4300],
  ]);
  const report = await plaid.assetReportCreate({ access_tokens: [item.access_token], days_requested: 5 });
  const got = await plaid.assetReportGet({ asset_report_token: report.data.asset_report_token });
  expect(got.data.report.items[0]?.accounts.map((a) => [a.name, a.owners[0]?.names])).toEqual([
    ['Custom Savings', ['John Smith']],
    ['Plaid Checking', ['John Smith']],
  ]);

  const invalid = await ui('credentials', { ...login, password: 'not json' });
  expect(invalid.status).toBe(400);
  expect(invalid.body).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'INVALID_CREDENTIALS' });
  const income = await ui('credentials', { ...login, username: 'user_bank_income', password: '{}' });
  expect(income.body.status).toBe('select_accounts');
  expect((income.body.accounts as unknown[]).length).toBeGreaterThan(0);
});

it('returns Plaid errors for error_ passwords, wrong credentials, DOWN institutions and bad tokens', async () => {
  const { link_token } = await linkToken();
  const link_session_id = String((await ui('session', { link_token })).body.link_session_id);
  const base = { link_token, link_session_id, institution_id: 'ins_109508', username: 'user_good' };
  expect((await ui('credentials', { ...base, password: 'error_ITEM_LOCKED' })).body).toMatchObject({
    error_code: 'ITEM_LOCKED',
  });
  expect((await ui('credentials', { ...base, password: 'wrong' })).body).toMatchObject({
    error_code: 'INVALID_CREDENTIALS',
  });
  expect((await ui('credentials', { ...base, username: 'nobody', password: 'pass_good' })).body).toMatchObject({
    error_code: 'INVALID_CREDENTIALS',
  });
  expect(
    (await ui('credentials', { ...base, institution_id: 'ins_132361', password: 'pass_good' })).body,
  ).toMatchObject({ error_type: 'INSTITUTION_ERROR', error_code: 'INSTITUTION_DOWN' });
  const bad = await ui('session', { link_token: 'link-sandbox-00000000-0000-4000-8000-000000000000' });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ error_code: 'INVALID_LINK_TOKEN' });
  expect(bad.headers.get('access-control-allow-origin')).toBe('*');
  expect(
    (
      await ui('exit', {
        link_token,
        link_session_id,
        status: 'requires_credentials',
        error: {
          error_type: 'ITEM_ERROR',
          error_code: 'INVALID_CREDENTIALS',
          error_message: 'x',
          display_message: null,
        },
      })
    ).body,
  ).toMatchObject({ ok: true });
  const sessions = (await plaid.linkTokenGet({ link_token })).data.link_sessions ?? [];
  expect(sessions[0]?.exit?.error?.error_code).toBe('INVALID_CREDENTIALS');
});

it('repairs an Item in ITEM_LOGIN_REQUIRED through update mode', async () => {
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109509',
    initial_products: [Products.Assets],
    options: { override_username: 'user_nsf' },
  });
  const item = (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
  await plaid.sandboxItemResetLogin({ access_token: item.access_token });
  const { link_token } = await linkToken({ products: [], access_token: item.access_token });
  const session = await ui('session', { link_token });
  expect(session.body).toMatchObject({
    update_mode: true,
    institution: { institution_id: 'ins_109509', name: 'First Gingham Credit Union' },
  });
  const login = {
    link_token,
    link_session_id: session.body.link_session_id,
    institution_id: 'ins_109509',
    username: 'user_nsf',
    password: 'pass_good',
  };
  expect((await ui('credentials', { ...login, username: 'user_good' })).body).toMatchObject({
    error_code: 'INVALID_CREDENTIALS',
  });
  expect((await ui('credentials', login)).body.status).toBe('select_accounts');
  const done = await ui('complete', { ...login, account_ids: [] });
  expect(done.status).toBe(200);
  expect((await plaid.itemGet({ access_token: item.access_token })).data.item.error).toBeNull();
  const exchanged = await plaid.itemPublicTokenExchange({ public_token: String(done.body.public_token) });
  expect(exchanged.data.item_id).toBe(item.item_id);
});

it('runs Hosted Link: page served by id, results in /link/token/get and a SESSION_FINISHED webhook', async () => {
  const created = await linkToken({
    webhook: receiver.url,
    hosted_link: { completion_redirect_uri: 'assetdesk://linked' },
  });
  const url = String(created.hosted_link_url);
  const hostedId = url.split('/').at(-1)!;
  const page = await fetch(url);
  // The page belongs to the Link UI; 404 only while those files are absent.
  expect([200, 404]).toContain(page.status);
  expect((await fetch(`${emulator.baseUrl}/hosted-link/unknown-id`)).status).toBe(404);
  const session = await ui('session', { link_token: created.link_token, hosted_link_id: hostedId });
  expect(session.body).toMatchObject({ hosted: true, completion_redirect_uri: 'assetdesk://linked' });
  const login = {
    link_token: created.link_token,
    link_session_id: session.body.link_session_id,
    institution_id: 'ins_109508',
    username: 'user_joint',
    password: 'pass_good',
  };
  await ui('credentials', login);
  const done = await ui('complete', { ...login, account_ids: [] });
  await vi.waitFor(async () => {
    await emulator.webhooksIdle();
    expect(deliveredPayloads(receiver)).toContainEqual(
      expect.objectContaining({
        webhook_type: 'LINK',
        webhook_code: 'SESSION_FINISHED',
        status: 'SUCCESS',
        link_token: created.link_token,
        public_tokens: [done.body.public_token],
      }),
    );
  });
  const info = await plaid.linkTokenGet({ link_token: created.link_token });
  expect(info.data.link_sessions?.[0]?.results?.item_add_results[0]?.public_token).toBe(done.body.public_token);
});

it('serves Link files with CORS, answers preflight and rejects path traversal', async () => {
  const preflight = await fetch(`${emulator.baseUrl}/link/ui/_api/session`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://127.0.0.1:9', 'Access-Control-Request-Method': 'POST' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  const script = await fetch(emulator.linkScriptUrl);
  expect(script.headers.get('access-control-allow-origin')).toBe('*');
  if (script.status === 200) expect(script.headers.get('content-type')).toMatch(/javascript/);
  for (const path of ['/link/ui/..%2F..%2Fapi.ts', '/link/ui/%2e%2e/%2e%2e/index.ts', '/link/ui/../../store.ts']) {
    const res = await fetch(`${emulator.baseUrl}${path}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error_code: 'NOT_FOUND' });
  }
});

it('hands an OAuth login to the bank on another origin, which answers once and sends the customer back', async () => {
  const { link_token } = await linkToken({ redirect_uri: 'http://127.0.0.1:9/oauth-return' });
  const session = await ui('session', { link_token });
  const link_session_id = String(session.body.link_session_id);
  const notOAuth = await ui('oauth_start', { link_token, link_session_id, institution_id: 'ins_109508' });
  expect(notOAuth.body.error_code).toBe('INVALID_INSTITUTION');
  const started = await ui('oauth_start', { link_token, link_session_id, institution_id: 'ins_127287' });
  const authorize = new URL(String(started.body.authorize_url));
  expect(authorize.origin).toBe(emulator.bankOrigin);
  expect(authorize.origin).not.toBe(emulator.baseUrl);
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('/link/ui/app.js');
  const oauth_state_id = String(started.body.oauth_state_id);
  expect((await ui('oauth_status', { link_token, oauth_state_id })).body.status).toBe('pending');

  const decide = () =>
    fetch(`${emulator.bankOrigin}/oauth/decision`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ oauth_state_id, approved: true }),
    });
  const decided = (await (await decide()).json()) as { redirect: string };
  expect(decided.redirect).toBe(`http://127.0.0.1:9/oauth-return?oauth_state_id=${oauth_state_id}`);
  expect((await decide()).status).toBe(400);

  // Link re-created at redirect_uri resumes the same session, approved.
  const resumed = await ui('session', { link_token, received_redirect_uri: decided.redirect });
  expect(resumed.body).toMatchObject({
    link_session_id,
    oauth_resume: { status: 'approved', institution: { institution_id: 'ins_127287' } },
  });
  const elsewhere = await ui('session', {
    link_token,
    received_redirect_uri: `http://127.0.0.1:9/elsewhere?oauth_state_id=${oauth_state_id}`,
  });
  expect(elsewhere.body.error_code).toBe('INVALID_FIELD');
});

it('serves the Link UI bundled from its TypeScript, never the sources', async () => {
  const script = await fetch(`${emulator.baseUrl}/link/ui/app.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toContain('text/javascript');
  const code = await script.text();
  expect(code).toContain('oauth_status');
  expect(code).not.toMatch(/^import /m);
  for (const source of ['app.ts', 'views.ts', 'tsconfig.json'])
    expect((await fetch(`${emulator.baseUrl}/link/ui/${source}`)).status).toBe(404);
});

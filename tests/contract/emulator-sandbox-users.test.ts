import { Products, type PlaidApi } from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { expectPlaidError, SpecValidator } from './openapi-validator';

/**
 * Plaid's documented Sandbox test users through the official SDK: `user_custom` with a JSON configuration as its
 * password, and the pre-populated users (`user_transactions_dynamic`, `user_bank_income`, `user_credit_*`, …).
 * Every request, response and error body is checked against Plaid's spec by the validator.
 */
let emulator: RunningEmulator;
let plaid: PlaidApi;
const now = new Date('2026-03-30T18:27:37Z');
const daysAgo = (n: number): string => new Date(now.getTime() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0, clock: () => now });
  plaid = new SpecValidator().plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
});

afterAll(async () => {
  await emulator.close();
});

const login = (username: string, password: string) =>
  plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: [Products.Assets],
    options: { override_username: username, override_password: password },
  });

async function linked(username: string, password: string) {
  const created = await login(username, password);
  return (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
}

async function reportOf(accessToken: string, days: number, includeInsights = false) {
  const created = await plaid.assetReportCreate({ access_tokens: [accessToken], days_requested: days });
  const got = await plaid.assetReportGet({
    asset_report_token: created.data.asset_report_token,
    include_insights: includeInsights,
  });
  return got.data;
}

const accountNames = async (accessToken: string) =>
  (await plaid.accountsGet({ access_token: accessToken })).data.accounts.map((a) => `${a.name} ${a.mask}`);

const JOHN = {
  names: ['John Smith'],
  addresses: [
    {
      data: { street: '10003 Broadway Road', city: 'New York', region: 'NY', postal_code: '10003', country: 'US' },
      primary: true,
    },
  ],
  emails: [{ data: 'john.smith@example.com', primary: true, type: 'primary' }],
  phone_numbers: [{ data: '+1 212-555-0100', primary: true, type: 'mobile' }],
};

const customConfig = {
  override_accounts: [
    {
      type: 'depository',
      subtype: 'checking',
      starting_balance: 1000,
      meta: { name: 'Everyday Checking', official_name: 'Broadway Everyday Checking', mask: '4321' },
      transactions: [
        {
          date_transacted: daysAgo(3),
          date_posted: daysAgo(2),
          amount: 25.5,
          description: 'COFFEE ROASTERS 42',
          currency: 'USD',
        },
        { date_transacted: daysAgo(10), date_posted: daysAgo(10), amount: -1500, description: 'ACME PAYROLL' },
      ],
      identity: JOHN,
    },
    {
      type: 'depository',
      subtype: 'savings',
      starting_balance: 5000,
      currency: 'CAD',
      meta: { name: 'Rainy Day Savings', mask: '9876' },
    },
    { type: 'credit', subtype: 'credit card', starting_balance: 300, meta: { limit: 2000 } },
  ],
};

describe('user_custom', () => {
  it("builds the Item from the JSON configuration's override_accounts", async () => {
    const item = await linked('user_custom', JSON.stringify(customConfig));
    const accounts = (await plaid.accountsGet({ access_token: item.access_token })).data.accounts;
    expect(accounts.map((a) => [a.name, a.official_name, a.mask, a.type, a.subtype])).toEqual([
      ['Everyday Checking', 'Broadway Everyday Checking', '4321', 'depository', 'checking'],
      ['Rainy Day Savings', null, '9876', 'depository', 'savings'],
      [expect.any(String), null, expect.any(String), 'credit', 'credit card'],
    ]);
    expect(accounts[0]?.balances).toMatchObject({ current: 1000, available: 1000, iso_currency_code: 'USD' });
    expect(accounts[1]?.balances).toMatchObject({ current: 5000, iso_currency_code: 'CAD' });
    expect(accounts[2]?.balances).toMatchObject({ current: 300, available: 1700, limit: 2000 });

    const { report } = await reportOf(item.access_token, 30, true);
    const [checking, savings, card] = report.items[0]?.accounts ?? [];
    expect(checking?.transactions.map((t) => [t.date, t.date_transacted, t.amount, t.original_description])).toEqual([
      [daysAgo(2), daysAgo(3), 25.5, 'COFFEE ROASTERS 42'],
      [daysAgo(10), daysAgo(10), -1500, 'ACME PAYROLL'],
    ]);
    // History goes back to the first transaction; balance(d) = current + the amounts posted after d.
    expect(checking?.days_available).toBe(10);
    expect(checking?.historical_balances.map((h) => [h.date, h.current])).toEqual([
      [daysAgo(1), 1000],
      [daysAgo(2), 1000],
      ...Array.from({ length: 8 }, (_, i) => [daysAgo(3 + i), 1025.5]),
    ]);
    expect(checking?.owners).toEqual([JOHN]);
    // Names are the Item's; what an account's identity leaves out is Sandbox's default owner.
    expect(savings?.owners[0]?.names).toEqual(['John Smith']);
    expect(savings?.owners[0]?.addresses[0]?.data.city).toBe('Malakoff');
    expect(savings?.balances.iso_currency_code).toBe('CAD');
    expect(savings?.transactions).toEqual([]);
    expect(card?.owners[0]?.names).toEqual(['John Smith']);
  });

  it("falls back to user_good's data for '{}' and a configuration without override_accounts", async () => {
    const good = await accountNames((await linked('user_good', 'pass_good')).access_token);
    expect(good).toHaveLength(12);
    expect(await accountNames((await linked('user_custom', '{}')).access_token)).toEqual(good);
    expect(await accountNames((await linked('user_custom', '{"seed":"loan-7"}')).access_token)).toEqual(good);
  });

  it('refuses a password that is not a valid configuration with INVALID_CREDENTIALS saying why', async () => {
    const notJson = await expectPlaidError(login('user_custom', 'pass_good'));
    expect(notJson.data).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'INVALID_CREDENTIALS' });
    expect(String(notJson.data.error_message)).toMatch(/user_custom.*JSON/);
    const badType = await expectPlaidError(
      login('user_custom', JSON.stringify({ override_accounts: [{ type: 'spaceship', subtype: 'checking' }] })),
    );
    expect(badType.data).toMatchObject({ error_code: 'INVALID_CREDENTIALS' });
    expect(String(badType.data.error_message)).toContain('override_accounts[0].type');
    const badDate = await expectPlaidError(
      login(
        'user_custom',
        JSON.stringify({
          override_accounts: [
            {
              type: 'depository',
              subtype: 'checking',
              transactions: [{ date_transacted: 'soon', date_posted: 'soon', amount: 1, description: 'X' }],
            },
          ],
        }),
      ),
    );
    expect(String(badDate.data.error_message)).toContain('override_accounts[0].transactions[0].date_posted');
  });

  it('fails Item creation with force_error', async () => {
    const locked = await expectPlaidError(login('user_custom', JSON.stringify({ force_error: 'ITEM_LOCKED' })));
    expect(locked.data).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOCKED' });
  });
});

describe("Plaid's pre-populated Sandbox users", () => {
  it('links each with any password, as the closest emulator persona', async () => {
    const saver = await accountNames((await linked('user_steady_saver', 'pass_good')).access_token);
    const good = await accountNames((await linked('user_good', 'pass_good')).access_token);
    const joint = await accountNames((await linked('user_joint', 'pass_good')).access_token);
    const expected: [string, string, string[]][] = [
      ['user_transactions_dynamic', 'anything', good],
      ['user_bank_income', '{}', saver],
      ['user_credit_profile_good', 'x', saver],
      ['user_credit_joint_account', 'whatever', joint],
    ];
    for (const [username, password, accounts] of expected)
      expect(await accountNames((await linked(username, password)).access_token), username).toEqual(accounts);
    const forced = await expectPlaidError(login('user_bank_income', 'error_ITEM_LOCKED'));
    expect(forced.data).toMatchObject({ error_code: 'ITEM_LOCKED' });
    const unknown = await expectPlaidError(login('user_nobody', 'pass_good'));
    expect(unknown.data).toMatchObject({ error_code: 'INVALID_CREDENTIALS' });
  });
});

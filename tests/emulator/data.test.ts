import { CountryCode, Products, type AssetReport, type PlaidApi } from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { generateItemAccounts } from '../../electron/emulator/data/generator';
import { PERSONA_USERNAMES, findPersona } from '../../electron/emulator/data/personas';
import { SpecValidator } from '../contract/openapi-validator';

/** The generated data: the historical-balance identity, determinism, and what each lending persona shows. */
let emulator: RunningEmulator;
let plaid: PlaidApi;
const now = new Date('2026-05-14T15:04:05Z');

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0, clock: () => now });
  plaid = new SpecValidator().plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
});
afterAll(() => emulator.close());

async function itemFor(username: string): Promise<{ access_token: string; item_id: string }> {
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: [Products.Assets],
    options: { override_username: username },
  });
  return (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
}

async function reportFor(accessToken: string, days: number, includeInsights = false): Promise<AssetReport> {
  const created = await plaid.assetReportCreate({ access_tokens: [accessToken], days_requested: days });
  return (
    await plaid.assetReportGet({
      asset_report_token: created.data.asset_report_token,
      include_insights: includeInsights,
    })
  ).data.report;
}

const cents = (n: number) => Math.round(n * 100);

it('keeps balance(d) = current + Σ amounts posted after d on every account of a 731-day report', async () => {
  const { access_token } = await itemFor('user_heavy');
  const report = await reportFor(access_token, 731);
  const accounts = report.items.flatMap((i) => i.accounts);
  let transactions = 0;
  for (const account of accounts) {
    transactions += account.transactions.length;
    if (account.type === 'investment' || account.type === 'loan') {
      expect(account.historical_balances).toEqual([]);
      continue;
    }
    expect(account.historical_balances).toHaveLength(account.days_available);
    const history = account.historical_balances;
    expect(history[0]?.date).toBe('2026-05-13');
    for (let i = 1; i < history.length; i += 1) expect(history[i - 1]!.date > history[i]!.date).toBe(true);
    // Walk back from the newest day, adding each day's transactions once (the identity, without O(n²)).
    const byDate = new Map<string, number>();
    for (const t of account.transactions) byDate.set(t.date, (byDate.get(t.date) ?? 0) + cents(t.amount));
    const reportDay = report.date_generated.slice(0, 10);
    let later = byDate.get(reportDay) ?? 0;
    const mismatches: string[] = [];
    // A card's current is what is owed and a charge (amount > 0) raises it: its history moves the other way.
    const sign = account.type === 'credit' ? -1 : 1;
    for (const row of history) {
      if (cents(row.current) !== cents(account.balances.current ?? 0) + sign * later)
        mismatches.push(`${account.name} ${row.date}`);
      later += byDate.get(row.date) ?? 0;
    }
    expect(mismatches).toEqual([]);
    expect(
      account.transactions.every(
        (t) => t.date <= reportDay && (history.length === 0 || t.date >= history.at(-1)!.date),
      ),
    ).toBe(true);
  }
  expect(accounts.length).toBeGreaterThanOrEqual(8);
  expect(transactions).toBeGreaterThan(30_000);
});

it('gives the same Item the same data twice', async () => {
  const { access_token } = await itemFor('user_good');
  const first = await reportFor(access_token, 200, true);
  const second = await reportFor(access_token, 200, true);
  expect(second.asset_report_id).not.toBe(first.asset_report_id);
  expect(second.items).toEqual(first.items);
  const other = await itemFor('user_good');
  const third = await reportFor(other.access_token, 200, true);
  expect(third.items[0]?.accounts[0]?.account_id).not.toBe(first.items[0]?.accounts[0]?.account_id);
});

it('reproduces the Sandbox user_good accounts and owner', async () => {
  const { access_token } = await itemFor('user_good');
  const report = await reportFor(access_token, 90);
  const accounts = report.items[0]!.accounts;
  expect(report.items[0]).toMatchObject({ institution_id: 'ins_109508', institution_name: 'First Platypus Bank' });
  expect(accounts.map((a) => a.mask)).toEqual([
    '0000',
    '1111',
    '2222',
    '3333',
    '4444',
    '5555',
    '6666',
    '7777',
    '8888',
    '9001',
    '9002',
    '9999',
  ]);
  expect(accounts[0]).toMatchObject({
    name: 'Plaid Checking',
    official_name: 'Plaid Gold Standard 0% Interest Checking',
    balances: { available: 100, current: 110 },
  });
  expect(accounts[0]?.owners[0]?.names).toEqual(['Alberta Bobbeth Charleson']);
  const ira = accounts.find((a) => a.subtype === 'ira');
  expect(ira).toMatchObject({ days_available: 0, historical_balances: [], transactions: [] });
  const descriptions = new Set(accounts.flatMap((a) => a.transactions.map((t) => t.original_description)));
  for (const d of ['McDonalds #3322', 'ACH Electronic CreditGUSTO PAY 123456', 'United Airlines **** REFUND ****'])
    expect(descriptions).toContain(d);
});

describe('lending personas', () => {
  const generated = (username: string, days = 731) =>
    generateItemAccounts({
      itemId: `item-${username}`,
      persona: findPersona(username)!,
      reportDate: now,
      daysRequested: days,
    });

  it('user_steady_saver: semi-monthly payroll and paired transfers to savings', () => {
    const [checking, savings] = generated('user_steady_saver', 90);
    const payroll = checking!.transactions.filter((t) => t.original_description === 'ACH DEPOSIT ACME CORP PAYROLL');
    expect(payroll.length).toBeGreaterThanOrEqual(5);
    expect(payroll.every((t) => t.amount === -2450)).toBe(true);
    const out = checking!.transactions.filter((t) => t.original_description === 'ONLINE TRANSFER TO SAVINGS XXXX1111');
    const into = savings!.transactions.filter(
      (t) => t.original_description === 'ONLINE TRANSFER FROM CHECKING XXXX0000',
    );
    expect(out.length).toBeGreaterThan(0);
    expect(into.map((t) => [t.date, -t.amount])).toEqual(out.map((t) => [t.date, t.amount]));
    expect(checking!.owners[0]?.names).toEqual(['Alberta Bobbeth Charleson']);
  });

  it('user_large_deposit: one deposit ≈ 1.5× monthly pay within the last 60 days', () => {
    const [checking] = generated('user_large_deposit', 90);
    const deposits = checking!.transactions.filter((t) => t.original_description.startsWith('MOBILE CHECK DEPOSIT'));
    expect(deposits).toHaveLength(1);
    expect(deposits[0]!.daysAgo).toBeLessThanOrEqual(60);
    expect(-deposits[0]!.amount).toBeCloseTo(1.5 * 2 * 2450, 0);
  });

  it('user_nsf: NSF and overdraft fees, one reversed, within 60 days', () => {
    const [checking] = generated('user_nsf', 61);
    const names = checking!.transactions.map((t) => t.original_description);
    expect(names.filter((n) => n === 'NSF FEE')).toHaveLength(2);
    expect(names).toContain('OVERDRAFT FEE');
    expect(names.filter((n) => n === 'NSF FEE REVERSAL')).toHaveLength(1);
    expect(checking!.historical_balances.some((h) => h.current < 0)).toBe(true);
  });

  it('user_joint: both names in one owner object', () => {
    const [checking] = generated('user_joint', 30);
    expect(checking!.owners).toHaveLength(1);
    expect(checking!.owners[0]?.names).toEqual(['John Michael Smith', 'Jane Alana Smith']);
  });

  it('user_short_history: 40 days available even when 731 are requested', () => {
    const [checking] = generated('user_short_history', 731);
    expect(checking!.days_available).toBe(40);
    expect(checking!.historical_balances).toHaveLength(40);
    expect(checking!.transactions.every((t) => t.daysAgo <= 40)).toBe(true);
  });

  it('user_name_mismatch: owner is not the applicant', () => {
    const [checking] = generated('user_name_mismatch', 30);
    expect(checking!.owners[0]?.names).toEqual(['Robert Q Public']);
  });
});

it('searches institutions by name words', async () => {
  const found = await plaid.institutionsSearch({ query: 'gingham', products: null, country_codes: [CountryCode.Us] });
  expect(found.data.institutions.map((i) => i.name)).toEqual(['First Gingham Credit Union']);
});

describe('credit card history', () => {
  // For a card Plaid's current is the amount owed: a charge (amount > 0) raises it, a payment (< 0) lowers it, so
  // owed(D) = current − Σ amounts posted after D.
  const cards = PERSONA_USERNAMES.flatMap((username) =>
    generateItemAccounts({
      itemId: `item-${username}`,
      persona: findPersona(username)!,
      reportDate: now,
      daysRequested: 731,
    })
      .filter((a) => a.spec.type === 'credit' && a.historical_balances.length > 0)
      .map((account) => ({ username, account })),
  );

  it('has cards with history to check', () => {
    expect(cards.map((c) => c.username)).toEqual(expect.arrayContaining(['user_good', 'user_heavy']));
  });

  it.each(cards.map((c) => [`${c.username} ${c.account.spec.name}`, c.account] as const))(
    '%s: owed falls back in time by each charge and rises by each payment',
    (_name, account) => {
      const netByDate = new Map<string, number>();
      for (const t of account.transactions) netByDate.set(t.date, (netByDate.get(t.date) ?? 0) + cents(t.amount));
      const history = account.historical_balances;
      const reportDay = now.toISOString().slice(0, 10);
      // Forwards: each day's owed is the previous day's plus that day's charges less its payments, up to current.
      const wrong: string[] = [];
      let newer = { date: reportDay, owed: cents(account.current) };
      for (const row of history) {
        if (newer.owed - cents(row.current) !== (netByDate.get(newer.date) ?? 0)) wrong.push(newer.date);
        newer = { date: row.date, owed: cents(row.current) };
      }
      expect(wrong).toEqual([]);
      // Backwards: undoing every later transaction from current gives the row (sampled: the sum is O(n) a day).
      const undo = (date: string) =>
        account.transactions.filter((t) => t.date > date).reduce((sum, t) => sum + cents(t.amount), 0);
      for (const row of history.filter((_, i) => i % 29 === 0))
        expect(cents(row.current), row.date).toBe(cents(account.current) - undo(row.date));
    },
  );

  it('user_good: the card never owes more than its limit nor holds a credit as large as it', () => {
    const card = cards.find((c) => c.username === 'user_good' && c.account.spec.mask === '3333')!.account;
    const limit = card.limit!;
    const owed = card.historical_balances.map((row) => row.current);
    expect(Math.max(...owed)).toBeLessThanOrEqual(limit);
    expect(Math.min(...owed)).toBeGreaterThanOrEqual(-limit / 2);
    // The monthly cycle includes the payment that clears its charges.
    expect(card.transactions.some((t) => t.amount < 0)).toBe(true);
  });
});

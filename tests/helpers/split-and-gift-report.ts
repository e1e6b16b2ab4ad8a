import type { AssetReport } from 'plaid';
import { buildAssetReport } from '../emulator/pdf-fixture';

/** The deposits below the $4,000 threshold (half of an $8,000 income) that the officer must still source. */
export const SPLIT_DEPOSITS = [
  { id: 'txn-cash-deposit-1', daysAgo: 10, amount: 1500 },
  { id: 'txn-cash-deposit-2', daysAgo: 9, amount: 1500 },
  { id: 'txn-cash-deposit-3', daysAgo: 8, amount: 1500 },
] as const;
export const SMALL_GIFT = { id: 'txn-zelle-gift-1', daysAgo: 5, amount: 900 } as const;

const DAY = 86_400_000;

/**
 * A report generated `now` (so its documents are young) with one checking account of Alberta Bobbeth Charleson:
 * 6,000 for months with weekly groceries, then three cash deposits of $1,500 on three days in a row (together above
 * $4,000: one large deposit split up), and a $900 Zelle "birthday gift" five days ago. 11,400 now: far above the
 * 60-day average, so the balance jump needs the same deposits documented.
 */
export function splitAndGiftReport(now: Date): AssetReport {
  const report = buildAssetReport({ accounts: 1, transactionsPerAccount: 0, days: 90 });
  const dayOf = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString().slice(0, 10);
  const account = report.items[0]!.accounts[0]!;
  const deposit = (id: string, daysAgo: number, amount: number, description: string) => ({
    account_id: account.account_id,
    transaction_id: id,
    amount: -amount,
    date: dayOf(daysAgo),
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    original_description: description,
    pending: false,
  });
  const groceries = Array.from({ length: 12 }, (_, week) => ({
    ...deposit(`txn-grocery-${week}`, 3 + week * 7, -80, 'GROCERY OUTLET #114'),
  }));
  account.transactions = [
    ...SPLIT_DEPOSITS.map((d) => deposit(d.id, d.daysAgo, d.amount, 'CASH DEPOSIT')),
    deposit(SMALL_GIFT.id, SMALL_GIFT.daysAgo, SMALL_GIFT.amount, 'ZELLE FROM MOM BIRTHDAY GIFT'),
    ...groceries,
  ] as never;
  const spent = groceries.reduce((sum, t) => sum + t.amount, 0);
  const current = 6000 + 4500 + 900 - spent;
  account.balances = { ...account.balances, current, available: current };
  // The balance at the end of a day is today's less the money that came in after it (plus what went out).
  account.historical_balances = Array.from({ length: 90 }, (_, i) => {
    const date = dayOf(i + 1);
    const later = account.transactions.filter((t) => t.date > date).reduce((sum, t) => sum + t.amount, 0);
    return {
      date,
      current: Math.round((current + later) * 100) / 100,
      iso_currency_code: 'USD',
      unofficial_currency_code: null,
    };
  });
  const generated = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  report.date_generated = generated;
  report.items[0]!.date_last_updated = generated;
  return report;
}

import type { AssetReport, AssetReportAccount } from '../asset-report';
import type { ReportAccount } from './accounts';
import { balanceOf, cents, currencyOf, describeAccount, formatMoney, isDepository, toCents } from './accounts';
import { addDays, dayNumber, daysBetween } from './dates';
import { othersAccountsSentence } from './ownership';
import { CITATIONS } from './types';
import type {
  AccountAverages,
  AverageBalanceResult,
  AverageBalances,
  BalanceJump,
  Finding,
  LargeDeposit,
  NewAccount,
  OwnershipResult,
  UnderwritingSettings,
} from './types';

type BalanceHistory = Pick<AssetReportAccount, 'historical_balances'> &
  Partial<Pick<AssetReportAccount, 'transactions' | 'balances'>>;

/**
 * The end-of-day balance for each of the `days` days before the report date, newest first, or null when the
 * history does not reach back that far. A day without a row is rebuilt from the next (newer) day: the balance
 * at the end of day D is the balance at the end of D+1 plus what D+1's transactions took out, less what they put in
 * (Plaid's sign: amount > 0 leaves the account). The day before the report date rebuilds from the current balance.
 * Deposit accounts only (every caller checks isDepository): a card's balance is owed and moves the other way.
 */
export function dailyBalances(account: BalanceHistory, reportDate: string, days: number): number[] | null {
  const rows = new Map(account.historical_balances.map((row) => [dayNumber(row.date), row.current]));
  if (rows.size === 0) return null;
  const earliest = Math.min(...rows.keys());
  const anchor = dayNumber(reportDate);
  // Built only when a day is missing: most histories have every row.
  let netByDay: Map<number, number> | null = null;
  const netOn = (day: number): number => {
    if (!netByDay) {
      netByDay = new Map();
      for (const t of account.transactions ?? []) {
        if (t.pending) continue;
        const d = dayNumber(t.date);
        netByDay.set(d, (netByDay.get(d) ?? 0) + toCents(t.amount));
      }
    }
    return netByDay.get(day) ?? 0;
  };
  const current = account.balances?.current ?? null;
  // Balances in cents while rebuilding, so a chain of missing days adds no rounding.
  let newer: number | null = current === null ? null : toCents(current);
  const balances: number[] = [];
  for (let d = 1; d <= days; d += 1) {
    const day = anchor - d;
    if (day < earliest) return null;
    const row = rows.get(day);
    let balance: number | null;
    if (row !== undefined) balance = toCents(row);
    else if (newer !== null) balance = newer + netOn(day + 1);
    else balance = null;
    if (balance === null) {
      // No newer day to rebuild from (no current balance): the nearest older row is the best there is.
      let older = day - 1;
      while (older >= earliest && !rows.has(older)) older -= 1;
      balance = toCents(rows.get(older) ?? 0);
    }
    balances.push(balance / 100);
    newer = balance;
  }
  return balances;
}

/**
 * Average end-of-day balance over the `days` days before the report date, to the cent, a half cent away from zero;
 * null without that much history. Summed in integer cents: 90 days adding to 4,725,839.25 average 52,509.325, so
 * 52,509.33 (summing dollars drifted to 52,509.3249… and gave 52,509.32).
 */
export function averageDailyBalance(account: BalanceHistory, reportDate: string, days: number): number | null {
  const balances = dailyBalances(account, reportDate, days);
  if (!balances || balances.length === 0) return null;
  const total = balances.reduce((sum, balance) => sum + toCents(balance), 0);
  // An integer over a small integer: the quotient of an exact half is exactly representable, so Math.round is exact.
  const average = Math.round(Math.abs(total) / balances.length);
  return (total < 0 ? -average : average) / 100;
}

/** Days of daily history before the report date. */
export function historyDays(account: Pick<AssetReportAccount, 'historical_balances'>, reportDate: string): number {
  if (account.historical_balances.length === 0) return 0;
  const earliest = account.historical_balances.reduce((min, row) => (row.date < min ? row.date : min), reportDate);
  return Math.max(0, daysBetween(earliest, reportDate));
}

/**
 * Each deposit account's 30/60/90-day averages, and their totals over the borrowers' US-dollar accounts: an account
 * owned by someone not on the loan (`othersAccounts`) keeps its own figures but is left out of the totals, and named.
 */
export function checkAverageBalances(
  accounts: ReportAccount[],
  reportDate: string,
  othersAccounts: readonly OwnershipResult[] = [],
): { averageBalances: AverageBalanceResult; findings: Finding[] } {
  const result: AccountAverages[] = [];
  const findings: Finding[] = [];
  for (const { account, label } of accounts) {
    if (!isDepository(account)) continue;
    result.push({
      ...label,
      current: balanceOf(account),
      historyDays: historyDays(account, reportDate),
      days30: averageDailyBalance(account, reportDate, 30),
      days60: averageDailyBalance(account, reportDate, 60),
      days90: averageDailyBalance(account, reportDate, 90),
    });
  }
  // Amounts are never added across currencies: the totals are US-dollar accounts only, and the borrowers' own.
  const others = othersAccounts.filter((o) => o.type === 'depository');
  const usdIds = new Set(
    accounts
      .filter(({ account }) => currencyOf(account) === 'USD' && !others.some((o) => o.accountId === account.account_id))
      .map(({ account }) => account.account_id),
  );
  const sum = (key: keyof AverageBalances): number | null => {
    const values = result
      .filter((entry) => usdIds.has(entry.accountId))
      .map((entry) => entry[key])
      .filter((value): value is number => value !== null);
    return values.length > 0 ? cents(values.reduce((total, value) => total + value, 0)) : null;
  };
  const totals: AverageBalances = { days30: sum('days30'), days60: sum('days60'), days90: sum('days90') };
  const withoutHistory = result.filter((entry) => entry.historyDays === 0);

  for (const entry of withoutHistory) {
    findings.push({
      id: `average-balance:${entry.accountId}`,
      rule: 'average_balance',
      severity: 'info',
      title: `${describeAccount(entry)}: no daily balance history`,
      detail:
        'Plaid returned no historical balances for this account, so its average balances cannot be computed. Use a statement if the average is needed.',
      citation: CITATIONS.average_balance,
      accountId: entry.accountId,
      transactionIds: [],
      dates: [],
    });
  }
  const show = (value: number | null): string => (value === null ? 'n/a' : formatMoney(value));
  findings.push({
    id: 'average-balance',
    rule: 'average_balance',
    severity: 'ok',
    title: `Average daily balance ${show(totals.days60)} over 60 days`,
    detail: `US-dollar deposit accounts, before the report date: 30 days ${show(totals.days30)}, 60 days ${show(totals.days60)}, 90 days ${show(totals.days90)}. An account is left out of a window its history does not cover.${othersAccountsSentence(others)}`,
    citation: CITATIONS.average_balance,
    transactionIds: [],
    dates: [addDays(reportDate, -90), addDays(reportDate, -1)],
  });
  return {
    averageBalances: {
      accounts: result,
      totals,
      accountsWithoutHistory: withoutHistory.map((entry) => entry.accountId),
    },
    findings,
  };
}

/**
 * Deposit accounts with less history than `newAccountDays` and less than the report asked for: Plaid's
 * days_available is capped at days_requested, so only a shortfall against the request shows a young account.
 */
export function checkNewAccounts(
  accounts: ReportAccount[],
  report: Pick<AssetReport, 'days_requested'>,
  settings: Pick<UnderwritingSettings, 'newAccountDays'>,
): { newAccounts: NewAccount[]; findings: Finding[] } {
  const newAccounts: NewAccount[] = [];
  const findings: Finding[] = [];
  for (const { account, label } of accounts) {
    if (!isDepository(account)) continue;
    const days = account.days_available;
    if (!(days < settings.newAccountDays && days < report.days_requested)) continue;
    const dates = [...account.transactions.map((t) => t.date), ...account.historical_balances.map((row) => row.date)];
    const earliestDate = dates.length > 0 ? dates.reduce((min, date) => (date < min ? date : min)) : null;
    newAccounts.push({ ...label, daysAvailable: days, earliestDate });
    // The first money in is what opened the account: the deposits whose source the officer must document.
    const deposits = account.transactions.filter((t) => t.amount < 0);
    const firstDay = deposits.reduce<string | null>((min, t) => (min === null || t.date < min ? t.date : min), null);
    const opening = deposits.filter((t) => t.date === firstDay);
    findings.push({
      id: `new-account:${account.account_id}`,
      rule: 'new_account',
      severity: 'attention',
      title: `${describeAccount(label)}: only ${days} days of history`,
      detail: `The report asked for ${report.days_requested} days; an account with under ${settings.newAccountDays} days may be newly opened. Document where its opening funds came from.`,
      citation: CITATIONS.new_account,
      accountId: account.account_id,
      transactionIds: opening.map((t) => t.transaction_id),
      dates: earliestDate ? [earliestDate] : [],
    });
  }
  return { newAccounts, findings };
}

/**
 * A deposit of the last 60 days that the large-deposit rule has settled: documented by the officer (sourced), shown
 * in the report to be the borrower's own money (a transfer from another of their accounts, payroll), or unsourced
 * but subtracted from verified funds on a purchase that does not need it to close.
 */
export interface SettledDeposit extends Pick<LargeDeposit, 'accountId' | 'transactionId' | 'date' | 'amount'> {
  how: 'sourced' | 'own_transfer' | 'payroll' | 'subtracted';
}

const SETTLED_WORDS: Record<SettledDeposit['how'], [one: string, several: string, why: string]> = {
  sourced: ['a sourced deposit', 'sourced deposits', ''],
  own_transfer: ['a transfer', 'transfers', " from the borrower's own accounts"],
  payroll: ['a payroll deposit', 'payroll deposits', ''],
  subtracted: [
    'an unsourced large deposit',
    'unsourced large deposits',
    ', subtracted from verified funds and not needed to close',
  ],
};

/** "an unsourced large deposit of $30,000.00, subtracted from …" / "sourced deposits of $5,400.00", one per kind. */
function settledWords(deposits: SettledDeposit[], withAmounts: boolean): string {
  const kinds = (Object.keys(SETTLED_WORDS) as SettledDeposit['how'][]).flatMap((how) => {
    const of = deposits.filter((d) => d.how === how);
    if (of.length === 0) return [];
    const [one, several, why] = SETTLED_WORDS[how];
    const total = cents(of.reduce((sum, d) => sum + d.amount, 0));
    return [`${of.length === 1 ? one : several}${withAmounts ? ` of ${formatMoney(total)}` : ''}${why}`];
  });
  return kinds.length <= 1 ? (kinds[0] ?? '') : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1) ?? ''}`;
}

/**
 * A current balance far above the account's 60-day average: its source needs documenting, unless deposits of the
 * period the large-deposit rule has settled (`settled`) add up to the increase. Settled by a subtraction, the jump
 * is worth knowing (as the deposit's own finding is); by sourcing, a transfer or payroll, it is fine.
 */
export function checkBalanceJumps(
  accounts: ReportAccount[],
  averages: AccountAverages[],
  settings: Pick<UnderwritingSettings, 'jumpFactor' | 'jumpMinimumIncrease'>,
  reportDate: string,
  settled: SettledDeposit[] = [],
): { balanceJumps: BalanceJump[]; findings: Finding[] } {
  const balanceJumps: BalanceJump[] = [];
  const findings: Finding[] = [];
  for (const entry of averages) {
    const { current, days60: average60 } = entry;
    if (current === null || average60 === null) continue;
    const aboveFactor = average60 > 0 ? current > average60 * settings.jumpFactor : current > 0;
    if (!aboveFactor || current - average60 < settings.jumpMinimumIncrease) continue;
    const factor = average60 > 0 ? Math.round((current / average60) * 100) / 100 : Number.POSITIVE_INFINITY;
    const { current: _current, historyDays: _historyDays, days30: _d30, days60: _d60, days90: _d90, ...label } = entry;
    const increaseCents = toCents(current) - toCents(average60);
    // Settled deposits of the period that add up to the increase explain it.
    const ofPeriod = settled.filter(
      (d) =>
        d.accountId === entry.accountId &&
        daysBetween(d.date, reportDate) <= 60 &&
        daysBetween(d.date, reportDate) >= 0,
    );
    const totalCents = (list: SettledDeposit[]) => list.reduce((sum, d) => sum + toCents(d.amount), 0);
    const sourced = ofPeriod.filter((d) => d.how === 'sourced');
    const settledCents = totalCents(ofPeriod);
    const explained = ofPeriod.length > 0 && settledCents >= increaseCents;
    const explainedBySourcedDeposits = sourced.length > 0 && totalCents(sourced) >= increaseCents;
    balanceJumps.push({ ...label, current, average60, factor, explainedBySourcedDeposits, explained });
    // The biggest deposits of the period are what the officer will be asked about.
    const inflows = (accounts.find((a) => a.account.account_id === entry.accountId)?.account.transactions ?? [])
      .filter((t) => t.amount < 0 && daysBetween(t.date, reportDate) <= 60 && daysBetween(t.date, reportDate) >= 0)
      .sort((a, b) => a.amount - b.amount)
      .slice(0, 5);
    let next: string;
    if (explained)
      next = `Explained by ${settledWords(ofPeriod, true)}${ofPeriod.every((d) => d.how === 'sourced') ? '.' : ': nothing to document.'}`;
    else if (ofPeriod.length > 0)
      next = `${formatMoney(settledCents / 100)} of the increase is explained by ${settledWords(ofPeriod, false)}. Document the source of the rest (${formatMoney((increaseCents - settledCents) / 100)}).`;
    else next = 'Document the source of the increase.';
    findings.push({
      id: `balance-jump:${entry.accountId}`,
      rule: 'balance_jump',
      severity: !explained ? 'attention' : ofPeriod.some((d) => d.how === 'subtracted') ? 'info' : 'ok',
      title: `${describeAccount(entry)}: balance ${formatMoney(current)} vs ${formatMoney(average60)} 60-day average`,
      detail: `The current balance is ${Number.isFinite(factor) ? `${factor}×` : 'far above'} the 60-day average (flagged above ${settings.jumpFactor}×). ${next}`,
      citation: CITATIONS.balance_jump,
      accountId: entry.accountId,
      transactionIds: [...new Set([...ofPeriod.map((d) => d.transactionId), ...inflows.map((t) => t.transaction_id)])],
      dates: inflows.length > 0 ? inflows.map((t) => t.date) : [addDays(reportDate, -60), addDays(reportDate, -1)],
      amount: increaseCents / 100,
    });
  }
  return { balanceJumps, findings };
}

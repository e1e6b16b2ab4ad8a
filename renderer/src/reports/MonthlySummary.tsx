import { memo, useEffect, useState } from 'react';
import type { AccountMonths, MonthSummary, MonthlySummaryResult } from '../../../shared/underwriting/monthly';
import { ErrorState, Skeleton } from '../ui';
import { formatDate, formatMoney, formatMonth } from './format';
import { accountFullLabel } from './transactions';

const plainAmount = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Money in the account's own currency; without one, the bare figure (the bank did not say which currency). */
function money(amount: number, currency: string | null): string {
  return currency === null ? plainAmount.format(amount) : formatMoney(amount, currency);
}

type Computed = { summary: MonthlySummaryResult; error: null } | { summary: null; error: unknown };

/**
 * The month-by-month summary a verification of assets shows: per account and calendar month, money in, money out,
 * the month-end balance and the number of transactions. Added up where the report is held (the analysis worker,
 * after the findings), once per report.
 */
export const MonthlySummary = memo(function MonthlySummary({
  months,
}: {
  months: () => Promise<MonthlySummaryResult>;
}) {
  const [computed, setComputed] = useState<Computed | null>(null);
  useEffect(() => {
    let current = true;
    months().then(
      (summary) => current && setComputed({ summary, error: null }),
      (error: unknown) => current && setComputed({ summary: null, error }),
    );
    return () => {
      current = false;
    };
  }, [months]);

  return (
    <section className="panel rp-monthly" aria-labelledby="rp-monthly-title" data-testid="monthly-summary">
      <h2 id="rp-monthly-title">Month by month</h2>
      {computed === null && <Skeleton lines={4} label="Adding up each month" />}
      {computed?.error != null && (
        <ErrorState error={computed.error} title="The months could not be added up from this report" />
      )}
      {computed?.summary && <MonthlyTables summary={computed.summary} />}
    </section>
  );
});

function MonthlyTables({ summary }: { summary: MonthlySummaryResult }) {
  const withMonths = summary.accounts.filter((a) => a.months.length > 0);
  const without = summary.accounts.filter((a) => a.months.length === 0);
  if (withMonths.length === 0) {
    return (
      <p className="muted" data-testid="monthly-empty">
        No account in this report has transaction history to add up by month.
      </p>
    );
  }
  return (
    <>
      <p className="muted">
        Money in and out of each account per calendar month and its balance at the month’s end. Pending transactions are
        left out; a partial month is one the report’s history covers only part of.
      </p>
      {withMonths.map((account) => (
        <AccountMonthsTable key={account.accountId} account={account} />
      ))}
      {without.length > 0 && (
        <p className="muted" data-testid="monthly-no-history">
          No transaction history from the bank for{' '}
          {without.map((a) => accountFullLabel(a.institutionName, a)).join(', ')}.
        </p>
      )}
    </>
  );
}

function AccountMonthsTable({ account }: { account: AccountMonths }) {
  const label = accountFullLabel(account.institutionName, account);
  const { currency, debt } = account;
  const rebuilt = account.months.some((m) => m.endingBalanceFrom === 'rebuilt');
  const otherCurrency = account.months.reduce((n, m) => n + m.otherCurrencyCount, 0);
  return (
    <div className="rp-monthly-account">
      <table className="data-table rp-monthly-table" data-testid="monthly-table" data-account-id={account.accountId}>
        <caption>
          {label}
          <span className="muted">
            {' · '}
            {formatDate(account.from)} to {formatDate(account.to)}
            {currency === null
              ? ' · currency not given by the bank'
              : currency !== 'USD'
                ? ` · amounts in ${currency}`
                : ''}
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col" className="num">
              {debt ? 'Payments and credits' : 'Deposits'}
            </th>
            <th scope="col" className="num">
              {debt ? 'Charges' : 'Withdrawals'}
            </th>
            <th scope="col" className="num">
              {debt ? 'Owed at month end' : 'Ending balance'}
            </th>
            <th scope="col" className="num">
              Transactions
            </th>
          </tr>
        </thead>
        <tbody>
          {account.months.map((month) => (
            <MonthRow key={month.month} month={month} currency={currency} />
          ))}
        </tbody>
      </table>
      <AccountNotes account={account} rebuilt={rebuilt} otherCurrency={otherCurrency} />
    </div>
  );
}

function MonthRow({ month, currency }: { month: MonthSummary; currency: string | null }) {
  return (
    <tr data-testid="monthly-row" data-month={month.month} data-partial={month.partial}>
      <th scope="row">
        {formatMonth(month.month)}
        {month.partial && (
          <span className="rp-month-partial" data-testid="monthly-partial">
            Partial: {formatDate(month.from)} to {formatDate(month.to)}
          </span>
        )}
      </th>
      <td className="num" data-testid="monthly-deposits">
        {money(month.deposits, currency)}
      </td>
      <td className="num" data-testid="monthly-withdrawals">
        {money(month.withdrawals, currency)}
      </td>
      <td className="num" data-testid="monthly-ending" data-from={month.endingBalanceFrom ?? 'none'}>
        {month.endingBalance === null ? (
          <span className="muted">Not known</span>
        ) : (
          <>
            {money(month.endingBalance, currency)}
            {month.endingBalanceFrom === 'rebuilt' && (
              <>
                <span aria-hidden="true">*</span>
                <span className="visually-hidden"> (worked out from the transactions)</span>
              </>
            )}
          </>
        )}
      </td>
      <td className="num" data-testid="monthly-count">
        {month.transactionCount.toLocaleString('en-US')}
        {month.otherCurrencyCount > 0 && (
          <span className="muted"> + {month.otherCurrencyCount.toLocaleString('en-US')} not added</span>
        )}
      </td>
    </tr>
  );
}

function AccountNotes({
  account,
  rebuilt,
  otherCurrency,
}: {
  account: AccountMonths;
  rebuilt: boolean;
  otherCurrency: number;
}) {
  const notes: string[] = [];
  if (rebuilt)
    notes.push(
      '* The bank sent no balance for that day: worked out from its next balance and the transactions posted between.',
    );
  if (otherCurrency > 0)
    notes.push(
      `${otherCurrency} transaction${otherCurrency === 1 ? ' is' : 's are'} in another currency than the account’s: counted apart, not added to its figures.`,
    );
  if (account.balanceGap === 'no_balance')
    notes.push('The bank sent no balance for this account, so its month-end balances are not known.');
  if (account.balanceGap === 'no_current_balance')
    notes.push('The bank sent no current balance: month ends after its last daily balance are not known.');
  if (account.balanceGap === 'other_currency')
    notes.push(
      'Some month-end balances are not known: they would have to be worked back across a transaction in another currency.',
    );
  if (account.pendingLeftOut > 0)
    notes.push(
      `${account.pendingLeftOut} pending transaction${account.pendingLeftOut === 1 ? '' : 's'} left out until posted.`,
    );
  if (notes.length === 0) return null;
  return (
    <ul className="rp-monthly-notes muted" data-testid="monthly-notes">
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}

import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { AssetReport, AssetReportAccount, AssetReportItem } from '../../../shared/asset-report';
import { balanceHistorySpan } from '../../../shared/report-view-balances';
import type { UnderwritingAnalysis } from '../../../shared/underwriting/types';
import { Chip, usePainted } from '../ui';
import { BADGE_LABEL } from './FindingsPanel';
import { calendarDay, formatDate, formatMoney } from './format';
import { accountFullLabel } from './transactions';
import type { ChartDeposit } from './BalanceChart';

const BalanceChart = lazy(() => import('./BalanceChart'));

const DEBT_TYPES = new Set(['credit', 'loan']);
const TYPE_LABEL: Record<string, string> = {
  depository: 'Bank accounts',
  investment: 'Investments and retirement',
  brokerage: 'Brokerage',
  credit: 'Credit cards (owed)',
  loan: 'Loans (owed)',
  other: 'Other',
};

export interface TypeTotal {
  type: string;
  label: string;
  total: number;
  accounts: number;
  debt: boolean;
}

/**
 * US-dollar current balances summed by account type; credit and loan balances are debts, shown apart. Accounts in
 * another currency are never added in: they are counted apart, shown in their own currency on their cards.
 */
export function totalsByType(report: AssetReport): {
  totals: TypeTotal[];
  assets: number;
  debts: number;
  otherCurrencyAccounts: number;
} {
  const map = new Map<string, TypeTotal>();
  let assets = 0;
  let debts = 0;
  let otherCurrencyAccounts = 0;
  for (const item of report.items) {
    for (const account of item.accounts) {
      if ((account.balances.iso_currency_code ?? account.balances.unofficial_currency_code) !== 'USD') {
        otherCurrencyAccounts += 1;
        continue;
      }
      const value = account.balances.current ?? 0;
      const debt = DEBT_TYPES.has(account.type);
      const entry = map.get(account.type) ?? {
        type: account.type,
        label: TYPE_LABEL[account.type] ?? account.type,
        total: 0,
        accounts: 0,
        debt,
      };
      entry.total += value;
      entry.accounts += 1;
      map.set(account.type, entry);
      if (debt) debts += value;
      else assets += value;
    }
  }
  const totals = [...map.values()].sort((a, b) => Number(a.debt) - Number(b.debt) || b.total - a.total);
  return { totals, assets, debts, otherCurrencyAccounts };
}

/** Account cards in the report's first frame; the others (below the fold on any screen) follow that frame. */
const FIRST_FRAME_CARDS = 3;

export function AccountsSection({
  report,
  analysis,
  shown,
}: {
  report: AssetReport;
  analysis: UnderwritingAnalysis | null;
  /** The report's first frame on screen: the other cards wait for it (see usePainted). */
  shown?: Promise<void>;
}) {
  const { totals, assets, debts, otherCurrencyAccounts } = totalsByType(report);
  const painted = usePainted(shown);
  let cards = 0;
  return (
    <>
      <section className="panel" aria-labelledby="rp-totals-title" data-testid="asset-totals">
        <h2 id="rp-totals-title">Total assets by account type</h2>
        <dl className="rp-figures">
          {totals.map((t) => (
            <div key={t.type} data-testid={`total-${t.type}`}>
              <dt>
                {t.label} <span className="muted">({t.accounts})</span>
              </dt>
              <dd className={t.debt ? 'rp-debt' : undefined}>{formatMoney(t.total)}</dd>
            </div>
          ))}
          <div className="rp-figure-strong">
            <dt>Total assets</dt>
            <dd>
              <span data-testid="total-assets">{formatMoney(assets)}</span>
              <span className="muted rp-figure-note" data-testid="total-assets-explained">
                Every asset account at its full balance; Verified liquid assets, with the findings, counts what can
                close the loan.
              </span>
            </dd>
          </div>
          {debts !== 0 && (
            <div>
              <dt>Debts (not assets)</dt>
              <dd className="rp-debt">{formatMoney(debts)}</dd>
            </div>
          )}
          {otherCurrencyAccounts > 0 && (
            <div data-testid="other-currency-accounts">
              <dt>Not in US dollars (not added)</dt>
              <dd>
                {otherCurrencyAccounts} account{otherCurrencyAccounts === 1 ? '' : 's'}
              </dd>
            </div>
          )}
        </dl>
      </section>
      <section aria-labelledby="rp-accounts-title" className="rp-accounts">
        <h2 id="rp-accounts-title">Accounts</h2>
        {report.items.length === 0 && <p className="muted">This report has no accounts.</p>}
        {report.items.map((item) =>
          item.accounts.map((account) =>
            painted || cards++ < FIRST_FRAME_CARDS ? (
              <AccountCard key={account.account_id} item={item} account={account} analysis={analysis} />
            ) : null,
          ),
        )}
      </section>
    </>
  );
}

function AccountCard({
  item,
  account,
  analysis,
}: {
  item: AssetReportItem;
  account: AssetReportAccount;
  analysis: UnderwritingAnalysis | null;
}) {
  const ownership = analysis?.ownership.find((o) => o.accountId === account.account_id);
  const averages = analysis?.averageBalances.accounts.find((a) => a.accountId === account.account_id);
  const coverage = analysis?.coverage.find((c) => c.accountId === account.account_id);
  const debt = DEBT_TYPES.has(account.type);
  const b = account.balances;
  const currency = b.iso_currency_code ?? b.unofficial_currency_code;
  const title = `${account.name}${account.mask ? ` ••${account.mask}` : ''}`;
  const ownerNames = account.owners.flatMap((o) => o.names);

  return (
    <article
      className="panel rp-account"
      aria-label={`${item.institution_name} ${title}`}
      data-testid="account-card"
      data-account-id={account.account_id}
    >
      <header className="rp-account-head">
        <div>
          <p className="muted rp-institution">{item.institution_name}</p>
          <h3>{title}</h3>
          <p className="muted">
            {account.type}
            {account.subtype ? ` · ${account.subtype}` : ''}
            {account.official_name && account.official_name !== account.name ? ` · ${account.official_name}` : ''}
          </p>
        </div>
        <div className="rp-badges" data-testid="account-badges">
          {ownership?.badges.map((badge) => {
            const [text, tone] = BADGE_LABEL[badge];
            return (
              <Chip key={badge} tone={tone} testId={`badge-${badge}`}>
                {text}
              </Chip>
            );
          })}
          {coverage?.status === 'short' && (
            <Chip
              tone="danger"
              testId="badge-short-history"
            >{`${coverage.daysAvailable} of ${coverage.daysRequired} days`}</Chip>
          )}
        </div>
      </header>
      <dl className="rp-figures rp-figures-compact">
        <div>
          <dt>{debt ? 'Owed' : 'Current balance'}</dt>
          <dd className={debt ? 'rp-debt' : undefined}>{formatMoney(b.current, currency)}</dd>
        </div>
        <div>
          <dt>Available</dt>
          <dd>{formatMoney(b.available, currency)}</dd>
        </div>
        {b.limit !== null && (
          <div>
            <dt>Limit</dt>
            <dd>{formatMoney(b.limit, currency)}</dd>
          </div>
        )}
        <div>
          <dt>Days available</dt>
          <dd data-testid="days-available">{account.days_available}</dd>
        </div>
        {averages && (averages.days30 !== null || averages.days60 !== null) && (
          <div>
            <dt>Average daily balance 30 / 60 / 90 days</dt>
            <dd>
              {formatMoney(averages.days30)} / {formatMoney(averages.days60)} / {formatMoney(averages.days90)}
            </dd>
          </div>
        )}
        <div className="rp-owners">
          <dt>Owners{account.ownership_type ? ` (${account.ownership_type})` : ''}</dt>
          <dd data-testid="owners">{ownerNames.length > 0 ? ownerNames.join(', ') : 'Not provided by the bank'}</dd>
        </div>
      </dl>
      <BalanceHistory
        account={account}
        label={accountFullLabel(item.institution_name, account)}
        currentDate={calendarDay(item.date_last_updated)}
        deposits={analysis?.largeDeposits.deposits.filter((d) => d.accountId === account.account_id)}
      />
    </article>
  );
}

/** The chart is mounted only once its card scrolls into view: a report with many accounts opens fast. */
function BalanceHistory({
  account,
  label,
  currentDate,
  deposits,
}: {
  account: AssetReportAccount;
  label: string;
  currentDate: string;
  deposits: readonly ChartDeposit[] | undefined;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  // The words need only the span, read from the block's columns: the rows become objects once the chart needs them.
  const span = balanceHistorySpan(account);
  useEffect(() => {
    const host = hostRef.current;
    if (!host || visible) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setVisible(true);
        observer.disconnect();
      }
    });
    observer.observe(host);
    return () => observer.disconnect();
  }, [visible]);

  if (span === null) {
    const why =
      account.type === 'investment' || account.type === 'brokerage'
        ? 'Plaid does not provide daily balance history for investment accounts.'
        : account.type === 'loan'
          ? 'Plaid does not provide daily balance history for loan accounts.'
          : 'The bank provided no daily balance history for this account.';
    return (
      <p className="muted rp-chart-empty" data-testid="no-history">
        {why}
      </p>
    );
  }
  const { oldest, newest, lowest, highest, latest } = span;
  const summary = `Daily balance of ${label} from ${formatDate(oldest)} to ${formatDate(newest)}: lowest ${formatMoney(
    lowest,
  )}, highest ${formatMoney(highest)}, latest ${formatMoney(latest)}.`;
  return (
    <figure className="rp-chart" ref={hostRef}>
      <figcaption>
        <span className="rp-chart-title">Daily balance history</span> <span className="muted">{summary}</span>
      </figcaption>
      {visible ? (
        <Suspense fallback={<div className="rp-chart-placeholder">Loading chart…</div>}>
          <BalanceChart
            history={account.historical_balances}
            label={label}
            current={account.balances.current}
            currentDate={currentDate}
            deposits={deposits}
          />
        </Suspense>
      ) : (
        <div className="rp-chart-placeholder" />
      )}
    </figure>
  );
}

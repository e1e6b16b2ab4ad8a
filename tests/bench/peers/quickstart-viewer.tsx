import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { AssetReport } from 'plaid';

/**
 * Peer for the report viewer: a report shown the way Plaid's quickstart shows product data, every row of
 * every table rendered at once (one accounts table, then each account's transactions in full), same React.
 */

interface ReportJson {
  report: AssetReport;
}

const money = (n: number | null | undefined) => (n == null ? '' : n.toFixed(2));

function Report({ report }: { report: AssetReport }) {
  const accounts = report.items.flatMap((item) => item.accounts.map((account) => ({ item, account })));
  return (
    <div>
      <h1>Asset Report {report.asset_report_id}</h1>
      <table>
        <thead>
          <tr>
            <th>Institution</th>
            <th>Account</th>
            <th>Type</th>
            <th>Current balance</th>
            <th>Available</th>
            <th>Days available</th>
            <th>Transactions</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map(({ item, account }) => (
            <tr key={account.account_id}>
              <td>{item.institution_name}</td>
              <td>
                {account.name} {account.mask}
              </td>
              <td>{account.subtype ?? account.type}</td>
              <td>{money(account.balances.current)}</td>
              <td>{money(account.balances.available)}</td>
              <td>{account.days_available}</td>
              <td>{account.transactions.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {accounts.map(({ account }) => (
        <section key={account.account_id}>
          <h2>
            {account.name} {account.mask}
          </h2>
          <table>
            <thead>
              <tr>
                <th>Date</th>
                <th>Description</th>
                <th>Amount</th>
                <th>Currency</th>
                <th>Pending</th>
              </tr>
            </thead>
            <tbody>
              {account.transactions.map((t) => (
                <tr key={t.transaction_id}>
                  <td>{t.date}</td>
                  <td>{t.original_description}</td>
                  <td>{money(t.amount)}</td>
                  <td>{t.iso_currency_code}</td>
                  <td>{t.pending ? 'yes' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

declare global {
  interface Window {
    /** Fetches the report JSON, renders it whole and resolves with the milliseconds to the frame painted. */
    benchOpenReport(url: string): Promise<number>;
    benchCloseReport(): void;
  }
}

let root: Root | null = null;
window.benchOpenReport = async (url) => {
  const started = performance.now();
  const { report } = JSON.parse(await (await fetch(url)).text()) as ReportJson;
  root = createRoot(document.getElementById('root')!);
  flushSync(() => root!.render(<Report report={report} />));
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - started;
};
window.benchCloseReport = () => {
  root?.unmount();
  root = null;
};

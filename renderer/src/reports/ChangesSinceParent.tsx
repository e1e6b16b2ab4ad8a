import { useId } from 'react';
import { api } from '../api';
import type { ReportDiff } from '../../../shared/underwriting';
import { ErrorState, Skeleton, useLoad } from '../ui';
import { formatDate, formatMoney } from './format';

/**
 * For a refreshed report: what changed since the report it refreshes. The comparison runs where this report is
 * held (the analysis worker), given the parent's text: the page holds neither report whole.
 */
export function ChangesSinceParent({
  parentId,
  diffWith,
}: {
  parentId: string;
  diffWith(parentJson: string): Promise<ReportDiff | null>;
}) {
  const parent = useLoad(
    () => api.reportsGet({ reportId: parentId }).then(async (got) => ({ diff: await diffWith(got.contentJson) })),
    [parentId],
  );
  const diff = parent.data?.diff ?? null;
  const ids = useId();

  return (
    <section className="panel" aria-labelledby="rp-diff-title" data-testid="changes-since-parent">
      <h2 id="rp-diff-title">Changes since the parent report</h2>
      {parent.status === 'loading' && !parent.data && <Skeleton lines={3} label="Comparing with the parent report" />}
      {parent.status === 'error' && (
        <ErrorState error={parent.error} title="The parent report could not be read" onRetry={parent.reload} />
      )}
      {parent.data && !diff && (
        <p className="muted">The parent report is not available any more (it may have been removed).</p>
      )}
      {diff && (
        <>
          <p className="muted">
            Parent generated {formatDate(diff.parentDate)}; this report {formatDate(diff.childDate)}.
          </p>
          {(diff.accountsAdded.length > 0 || diff.accountsRemoved.length > 0) && (
            <ul className="rp-diff-accounts">
              {diff.accountsAdded.map((a) => (
                <li key={`add-${a.accountId}`} data-testid="diff-added">
                  Added: {a.institutionName} · {a.name}
                  {a.mask ? ` ••${a.mask}` : ''}
                </li>
              ))}
              {diff.accountsRemoved.map((a) => (
                <li key={`rm-${a.accountId}`} data-testid="diff-removed">
                  Removed: {a.institutionName} · {a.name}
                  {a.mask ? ` ••${a.mask}` : ''}
                </li>
              ))}
            </ul>
          )}
          <h3 id={`${ids}-balances`}>Balance changes</h3>
          <table className="data-table" aria-labelledby={`${ids}-balances`}>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col" className="num">
                  Before
                </th>
                <th scope="col" className="num">
                  Now
                </th>
                <th scope="col" className="num">
                  Change
                </th>
              </tr>
            </thead>
            <tbody>
              {diff.balanceChanges.map((c) => (
                <tr key={c.accountId} data-testid="diff-balance">
                  <td>
                    {c.institutionName} · {c.name}
                    {c.mask ? ` ••${c.mask}` : ''}
                  </td>
                  <td className="num">{formatMoney(c.before)}</td>
                  <td className="num">{formatMoney(c.after)}</td>
                  <td className={`num ${c.change !== null && c.change < 0 ? 'rp-bad' : ''}`}>
                    {c.change === null ? '—' : `${c.change > 0 ? '+' : ''}${formatMoney(c.change)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 id={`${ids}-deposits`}>
            New deposits{' '}
            <span className="muted">
              ({diff.newDeposits.length}, {formatMoney(diff.newDepositsTotal)})
            </span>
          </h3>
          {diff.newDeposits.length === 0 ? (
            <p className="muted">No money came in since the parent report.</p>
          ) : (
            <table className="data-table" aria-labelledby={`${ids}-deposits`}>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Account</th>
                  <th scope="col">Description</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {diff.newDeposits.slice(0, 50).map((d) => (
                  <tr key={d.transactionId} data-testid="diff-deposit">
                    <td>{formatDate(d.date)}</td>
                    <td>
                      {d.name}
                      {d.mask ? ` ••${d.mask}` : ''}
                    </td>
                    <td>{d.description}</td>
                    <td className="num">{formatMoney(d.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {diff.newDeposits.length > 50 && (
            <p className="muted">Showing the 50 newest of {diff.newDeposits.length} new deposits.</p>
          )}
        </>
      )}
    </section>
  );
}

import { api } from '../api';
import { href } from '../shell/router';
import { EmptyState, ErrorState, Skeleton, formatDate, formatMoney, useLoad } from '../ui';

/**
 * The loan's funds to close over its current ready reports together, each account once: the figure each report's
 * screen shows as the loan's, here without opening a report. The main process counts it (loans:fundsToClose).
 */
export function LoanFundsPanel({ loanId, refreshKey }: { loanId: string; refreshKey: string }) {
  const counted = useLoad(() => api.loansFundsToClose({ loanId }), [loanId, refreshKey]);

  let body;
  if (counted.status === 'error') {
    body = (
      <ErrorState
        error={counted.error}
        onRetry={counted.reload}
        title="The loan’s funds to close could not be counted"
        level={3}
      />
    );
  } else if (!counted.data) {
    body = <Skeleton lines={2} label="Counting the loan’s funds to close" />;
  } else if (!counted.data.funds) {
    body = (
      <EmptyState title="No ready report yet" level={3}>
        The loan’s funds to close are counted here once a report is ready.
      </EmptyState>
    );
  } else {
    const { funds, reports } = counted.data;
    const short = funds.shortfall > 0;
    const together = reports.length > 1;
    body = (
      <>
        <p className={short ? 'loan-funds-verdict is-short' : 'loan-funds-verdict'} data-testid="loan-funds-verdict">
          {short ? `Short ${formatMoney(funds.shortfall)}` : `Covered, ${formatMoney(funds.surplus)} to spare`}
          {together ? ' with the loan’s reports together' : ''}
        </p>
        <p data-testid="loan-funds-figures">
          {formatMoney(funds.availableFunds)} available
          {funds.unsourcedDeducted > 0
            ? ` (after ${formatMoney(funds.unsourcedDeducted)} of unsourced large deposits)`
            : ''}{' '}
          against {formatMoney(funds.required)} needed for funds to close and reserves.
        </p>
        <p className="muted" data-testid="loan-funds-counts">
          {together
            ? `Counts the loan’s ${reports.length} current reports, each account once${
                funds.sharedAccounts > 0
                  ? ` (${funds.sharedAccounts} account${funds.sharedAccounts === 1 ? '' : 's'} in more than one report, counted from the newest)`
                  : ''
              }:`
            : 'Counts the loan’s one current report:'}
        </p>
        <ul className="loan-funds-reports" data-testid="loan-funds-reports">
          {reports.map((report) => (
            <li key={report.reportId}>
              <a href={href.report(report.reportId)}>{report.applicantName}</a>, report of{' '}
              {formatDate(report.reportDate)}
            </li>
          ))}
        </ul>
        {short && (
          <p className="muted">
            Open a report to see what is not counted, or create a report from another borrower’s banks.
          </p>
        )}
      </>
    );
  }

  return (
    <section className="panel" aria-labelledby="loan-funds-heading" data-testid="loan-funds">
      <div className="panel-header">
        <h2 id="loan-funds-heading">Funds to close</h2>
      </div>
      {body}
    </section>
  );
}

import {
  memo,
  Suspense,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { api } from '../api';
import type { Loan, ReportSummary, Settings } from '../../../shared/domain';
import type { AssetReportWarning } from '../../../shared/asset-report';
import { accountKey } from '../../../shared/underwriting';
import type { LargeDeposit, SourcedDeposit, UnderwritingAnalysis } from '../../../shared/underwriting';
import type { AssetClassSettings, StoredAccountConfirmation } from '../../../shared/domain';
import { useAccountConfirmations } from './useAccountConfirmations';
import { Button, EmptyState, ErrorState, ReportStatusChip, Skeleton, useLoad } from '../ui';
import { href, navigate } from '../shell/router';
import { useReportProgress } from './use-report-progress';
import { useCan } from '../team/TeamContext';
import { concernsReportsOf, useTeamChanges } from '../team/useTeamChanges';
import { FindingsPanel, type FindingFocus } from './FindingsPanel';
import { AccountsSection } from './AccountsSection';
import { MonthlySummary } from './MonthlySummary';
import { TransactionsTable } from './TransactionsTable';
import { ActionsPanel, ExportsPanel } from './ActionsPanel';
import { ChangesSinceParent } from './ChangesSinceParent';
import { InsightsNotice } from './InsightsNotice';
import { accountFullLabel, type TransactionColumns } from './transactions';
import {
  analysisWorker,
  openReport,
  type AnalysisInput,
  type ReportAnalysis,
  type ReportView,
} from './report-analysis';
import { reportOrSummary } from './report-or-summary';
import { preloadPdfWhenIdle, readPdfWhenIdle } from './pdf-preload';
import { PdfTab } from './PdfTab';
import { environmentLabel, formatDateTime, formatDays, formatElapsed } from './format';
import './reports.css';

// The summary's panels hold every finding and account (thousands of elements on a large report):
// switching tabs must not render them again, so they re-render only when their own inputs change.
const MemoFindingsPanel = memo(FindingsPanel);
const MemoAccountsSection = memo(AccountsSection);

/** A callback whose identity never changes but that always runs the latest `fn` (for memoized panels). */
function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const ref = useRef(fn);
  useLayoutEffect(() => {
    ref.current = fn;
  });
  return useCallback((...args: A) => ref.current(...args), []);
}

export interface ReportScreenProps {
  reportId: string;
  onBack(): void;
}

interface LoadedReport {
  summary: ReportSummary;
  /** The report without its transactions, and the transactions as columns (see ./report-analysis); null: not available. */
  view: ReportView | null;
  /** The loan with every borrower: ownership and funds to close count them all. */
  loan: Loan | null;
  settings: Settings | null;
  sourced: { transactionId: string; note: string; markedAt: string }[];
  confirmations: StoredAccountConfirmation[];
  assetClasses: AssetClassSettings | null;
  /** The underwriting analysis, run off the page's main thread (see ./report-analysis). */
  analysis: ReportAnalysis | null;
}

/** The loan's other reports (accounts and withdrawals only), as text: only the analysis reads them. */
async function loadOtherReportsJson(reportId: string): Promise<string> {
  return (await api.underwritingOtherReports({ reportId })).reportsJson;
}

/** The loan and its confirmations: asked for as soon as the summary names the loan, not after the report. */
async function loadLoanSide(loanId: string) {
  return Promise.all([
    api
      .loansGet({ loanId })
      .then((r) => r.loan)
      .catch(() => null),
    api.underwritingListConfirmations({ loanId }).catch(() => []),
  ]);
}

async function loadReport(reportId: string): Promise<LoadedReport> {
  analysisWorker(); // starts while the report travels
  const report = reportOrSummary(reportId);
  // The small summary comes back long before a large report: the loan's records load meanwhile.
  const loanSide = api
    .reportsSummary({ reportId })
    .catch(() => report.then((r) => r.summary))
    .then(
      (s) => loadLoanSide(s.loanId),
      (): [null, StoredAccountConfirmation[]] => [null, []], // the report's own error is the one shown
    );
  const [{ summary, contentJson }, settings, sourced, assetClasses, otherReportsJson] = await Promise.all([
    report,
    api.settingsGet({}).catch(() => null),
    api.depositsListSourced({ reportId }).catch(() => []),
    api.underwritingGetSettings({}).catch(() => null),
    // Without them a transfer from another bank reads as unsourced: stricter, never more lenient.
    loadOtherReportsJson(reportId).catch(() => '[]'),
  ]);
  // The worker parses the text and keeps the report; the page gets it without transactions, plus their columns.
  const opened = contentJson
    ? await openReport(summary.id, contentJson, otherReportsJson, () =>
        api.reportsGet({ reportId }).then((r) => r.contentJson),
      )
    : null;
  const [loan, confirmations] = await loanSide;
  return {
    summary,
    view: opened?.view ?? null,
    loan,
    settings,
    sourced,
    confirmations,
    assetClasses,
    analysis: opened?.analysis ?? null,
  };
}

type Tab = 'summary' | 'transactions' | 'pdf' | 'actions';
const TABS: { id: Tab; label: string }[] = [
  { id: 'summary', label: 'Summary' },
  { id: 'transactions', label: 'Transactions' },
  { id: 'pdf', label: 'PDF' },
  { id: 'actions', label: 'Export and actions' },
];

/** The report viewer: findings first, then assets and accounts; transactions, PDF and actions on tabs. */
export function ReportScreen({ reportId, onBack }: ReportScreenProps) {
  const loaded = useLoad(() => loadReport(reportId), [reportId]);
  // Another desk of the team changed a report of this loan (finished, refreshed, removed, shared): load it again.
  const loanId = loaded.data?.summary.loanId;
  useTeamChanges(loaded.reload, { concerns: (changes) => (loanId ? concernsReportsOf(loanId)(changes) : false) });

  if (loaded.status === 'error' && !loaded.data) {
    return (
      <div className="page" data-testid="report-screen">
        <BackLink onBack={onBack} />
        <ErrorState error={loaded.error} title="The report could not be opened" onRetry={loaded.reload} />
      </div>
    );
  }
  if (!loaded.data || loaded.data.summary.id !== reportId) {
    return (
      <div className="page" data-testid="report-screen">
        <BackLink onBack={onBack} />
        <Skeleton lines={8} label="Opening the report" />
      </div>
    );
  }
  const data = loaded.data;
  if (data.summary.status !== 'ready' || !data.view) {
    return <ReportNotReady summary={data.summary} onBack={onBack} onReady={loaded.reload} />;
  }
  return <ReportViewer key={data.summary.id} data={data} view={data.view} onBack={onBack} />;
}

function BackLink({ onBack }: { onBack(): void }) {
  return (
    <Button variant="ghost" size="small" onClick={onBack} data-testid="report-back">
      ← Back
    </Button>
  );
}

function ReportNotReady({ summary, onBack, onReady }: { summary: ReportSummary; onBack(): void; onReady(): void }) {
  const { status, message, elapsedMs, latest } = useReportProgress(summary);
  useEffect(() => {
    if (status === 'ready' || (status !== summary.status && status !== 'pending')) onReady();
  }, [status, summary.status, onReady]);
  const failure = latest?.failure ?? summary.failure;
  return (
    <div className="page" data-testid="report-screen" data-status={status}>
      <BackLink onBack={onBack} />
      <header className="page-header">
        {/* The same name as the ready screen's: the summary names every borrower the report covers. */}
        <h1 data-testid="report-title">Asset Report · {summary.applicantName}</h1>
        <ReportStatusChip status={status} />
      </header>
      {status === 'pending' && (
        <div className="state" role="status" aria-live="polite" data-testid="report-pending">
          <h2>Plaid is generating the report</h2>
          <p>
            Elapsed: <span data-testid="report-elapsed">{formatElapsed(elapsedMs)}</span>. Reports usually take under a
            minute; larger ones take longer.
          </p>
          {message && <p className="muted">{message}</p>}
          <p className="muted">You will be notified when it is ready; you can keep working meanwhile.</p>
        </div>
      )}
      {status === 'failed' && (
        <div className="state state-error" role="alert" data-testid="report-failed">
          <h2>Plaid could not generate the report</h2>
          <p>{failure?.message ?? message ?? 'Plaid reported a failure without a reason.'}</p>
          {failure && (
            <p className="code">
              {failure.code}
              {failure.requestId ? ` · request ${failure.requestId}` : ''}
            </p>
          )}
          <p>Check the borrowers’ linked banks, then create a new report.</p>
        </div>
      )}
      {status === 'removed' && (
        <EmptyState title="This report was removed">
          <p>It was deleted at Plaid; the activity log keeps the record.</p>
        </EmptyState>
      )}
    </div>
  );
}

const WARNING_TEXT: Record<string, string> = {
  OWNERS_UNAVAILABLE:
    'The bank did not provide account owners: confirm a borrower owns these accounts from statements.',
  INVESTMENTS_UNAVAILABLE: 'Investment holdings could not be retrieved for an Item.',
  TRANSACTIONS_UNAVAILABLE: 'Transactions could not be retrieved for an Item: the history may be incomplete.',
  BANK_INCOME_INSIGHTS_INSUFFICIENT_DATA: 'Not enough data for income insights.',
  BANK_INCOME_INSIGHTS_INCOMPLETE: 'Income insights are incomplete.',
  BANK_INCOME_INSIGHTS_STATUS_IN_PROGRESS: 'Income insights were still being computed.',
  BANK_INCOME_INSIGHTS_INTERNAL_ERROR: 'Plaid could not compute income insights.',
  BANK_INCOME_INSIGHTS_MISMATCHED_DAYS_REQUESTED: 'Income insights cover a different number of days than requested.',
};

function warningText(warning: AssetReportWarning): string {
  return (
    WARNING_TEXT[warning.warning_code] ??
    warning.cause?.display_message ??
    warning.cause?.error_message ??
    warning.warning_code
  );
}

function ReportViewer({ data, view, onBack }: { data: LoadedReport; view: ReportView; onBack(): void }) {
  const { summary, loan, settings } = data;
  const { head: content } = view;
  const columns = useColumns(view.columns);
  const report = content.report;
  const [tab, setTab] = useState<Tab>('summary');
  const [visited, setVisited] = useState<Set<Tab>>(() => new Set(['summary']));
  const [focus, setFocus] = useState<FindingFocus | null>(null);
  const [sourced, setSourced] = useState<SourcedDeposit[]>(() =>
    data.sourced.map(({ transactionId, note }) => ({ transactionId, note })),
  );
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());

  const { transactionCount } = view;
  const accounts = useMemo(
    () =>
      report.items.flatMap((item) =>
        item.accounts.map((a) => ({ id: a.account_id, label: accountFullLabel(item.institution_name, a) })),
      ),
    [report],
  );

  const accountConfirmations = useAccountConfirmations(loan?.id ?? null, data.confirmations);
  const { confirmations } = accountConfirmations;
  const confirm = useStableCallback(accountConfirmations.confirm);
  const withdraw = useStableCallback(accountConfirmations.withdraw);
  const [noteDate, setNoteDate] = useState<string | null>(data.loan?.expectedNoteDate ?? null);
  const canEditLoan = useCan('loans:update').allowed;
  const saveNoteDate = useStableCallback(async (date: string | null) => {
    if (!loan) return;
    // The note date is the loan's: the same field as on the loan screen.
    await api.loansUpdate({ loanId: loan.id, changes: { expectedNoteDate: date } });
    setNoteDate(date);
  });
  const analysisInput = useMemo(() => {
    if (!loan) return null;
    const stored = settings
      ? {
          ...data.assetClasses,
          largeDepositShare: settings.largeDepositShare,
          documentAgeRule: settings.documentAgeRule,
        }
      : data.assetClasses;
    return {
      loan: { ...loan, expectedNoteDate: noteDate },
      settings: stored,
      sourcedDeposits: sourced,
      accountConfirmations: confirmations,
      now: new Date(),
    };
  }, [loan, settings, sourced, confirmations, data.assetClasses, noteDate]);
  const analyzed = useAnalysis(data.analysis, analysisInput);
  const analysis = analyzed.analysis;
  // Whether the report came without insights is worked out with its head, where the report is parsed.
  const insightsNotice = useMemo(() => <InsightsNotice withoutInsights={view.withoutInsights} />, [view]);
  const accountNames = useMemo(
    () =>
      new Map(
        report.items.flatMap((item) =>
          item.accounts.map((a) => [accountKey(item, a), accountFullLabel(item.institution_name, a)] as const),
        ),
      ),
    [report],
  );

  const openTab = useStableCallback((next: Tab) => {
    setTab(next);
    setVisited((v) => (v.has(next) ? v : new Set(v).add(next)));
  });
  // The PDF is read as the report opens, and opened in pdf.js once the findings are shown (before, pdf.js's parsing
  // would compete with their analysis for the processor).
  useEffect(() => readPdfWhenIdle(summary.id), [summary.id]);
  const findingsSettled = analysis !== null || analyzed.error !== null || !analysisInput || !data.analysis;
  useEffect(() => (findingsSettled ? preloadPdfWhenIdle(summary.id) : undefined), [summary.id, findingsSettled]);

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    const index = TABS.findIndex((t) => t.id === tab);
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (index + 1) % TABS.length;
    if (event.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length;
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = TABS.length - 1;
    if (next === null) return;
    event.preventDefault();
    const target = TABS[next]!.id;
    openTab(target);
    tabRefs.current.get(target)?.focus();
  }

  const showTransactions = useStableCallback((f: FindingFocus) => {
    setFocus(f);
    openTab('transactions');
  });

  const markSourced = useStableCallback(async (deposit: LargeDeposit, note: string) => {
    await api.depositsMarkSourced({ reportId: summary.id, transactionId: deposit.transactionId, note });
    setSourced((list) => [
      ...list.filter((s) => s.transactionId !== deposit.transactionId),
      { transactionId: deposit.transactionId, note },
    ]);
  });
  const unmarkSourced = useStableCallback(async (deposit: LargeDeposit) => {
    await api.depositsUnmarkSourced({ reportId: summary.id, transactionId: deposit.transactionId });
    setSourced((list) => list.filter((s) => s.transactionId !== deposit.transactionId));
  });

  const openReport = (id: string) => navigate(href.report(id));
  // The same name as the pending screen's: the summary names every borrower the report covers.
  const title = summary.applicantName;

  return (
    <div className="page rp-viewer" data-testid="report-screen" data-status="ready">
      <BackLink onBack={onBack} />
      <header className="rp-header" data-testid="report-header">
        <div className="rp-header-title">
          <h1 data-testid="report-title">Asset Report · {title}</h1>
          <ReportStatusChip status={summary.status} />
          {summary.kind !== 'create' && (
            <span className="chip chip-neutral" data-testid="report-kind">
              {summary.kind === 'refresh' ? 'Refresh' : 'Filtered'}
            </span>
          )}
        </div>
        <dl className="rp-meta">
          <div>
            <dt>Report id</dt>
            <dd className="mono" data-testid="report-id">
              {report.asset_report_id}
            </dd>
          </div>
          <div>
            <dt>Generated</dt>
            <dd data-testid="report-generated">{formatDateTime(report.date_generated)}</dd>
          </div>
          <div>
            <dt>Days requested</dt>
            <dd data-testid="report-days">{formatDays(report.days_requested)}</dd>
          </div>
          <div>
            <dt>Environment</dt>
            <dd>
              <span className="env-badge" data-environment={summary.environment}>
                {environmentLabel[summary.environment]}
              </span>
            </dd>
          </div>
          <div>
            <dt>Loan</dt>
            <dd>
              <a href={href.loan(summary.loanId)} data-testid="report-loan">
                {summary.loanNumber}
              </a>
            </dd>
          </div>
          {summary.parentId && (
            <div>
              <dt>Parent report</dt>
              <dd>
                <a href={href.report(summary.parentId)}>
                  Open the {summary.kind === 'refresh' ? 'report it refreshes' : 'unfiltered report'}
                </a>
              </dd>
            </div>
          )}
        </dl>
        {content.warnings.length > 0 && (
          <ul className="rp-warnings" aria-label="Plaid’s warnings" data-testid="report-warnings">
            {content.warnings.map((w, i) => {
              const institution =
                report.items.find((item) => item.item_id === w.cause?.item_id)?.institution_name ??
                w.cause?.institution_name;
              return (
                <li key={i} className="alert alert-info" data-code={w.warning_code}>
                  <strong>{w.warning_code.replace(/_/g, ' ').toLowerCase()}</strong>
                  {institution ? ` (${institution})` : ''}: {warningText(w)}
                </li>
              );
            })}
          </ul>
        )}
        {insightsNotice}
      </header>

      <div role="tablist" aria-label="Report sections" className="rp-tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`rp-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`rp-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            ref={(el) => {
              if (el) tabRefs.current.set(t.id, el);
            }}
            onClick={() => openTab(t.id)}
            onKeyDown={onTabKey}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
            {t.id === 'transactions' && (
              <span className="rp-tab-count"> ({transactionCount.toLocaleString('en-US')})</span>
            )}
          </button>
        ))}
      </div>

      <div
        role="tabpanel"
        id="rp-panel-summary"
        aria-labelledby="rp-tab-summary"
        hidden={tab !== 'summary'}
        className="rp-panel"
        data-analysis-ran-in={analysis ? (data.analysis?.ranIn() ?? undefined) : undefined}
      >
        {analysis ? (
          <MemoFindingsPanel
            analysis={analysis}
            onShowTransactions={showTransactions}
            onMarkSourced={markSourced}
            onUnmarkSourced={unmarkSourced}
            confirmations={confirmations}
            accountNames={accountNames}
            onConfirmAccount={confirm}
            onWithdrawConfirmation={withdraw}
            noteDate={noteDate}
            onSaveNoteDate={canEditLoan ? saveNoteDate : undefined}
          />
        ) : analyzed.error ? (
          <ErrorState error={analyzed.error} title="The underwriting findings could not be worked out" />
        ) : analysisInput ? (
          <div className="panel" data-testid="findings-loading">
            <Skeleton lines={4} label="Checking the report against the underwriting rules" />
          </div>
        ) : (
          <p className="alert alert-info">
            The loan’s details could not be loaded, so the underwriting findings are not shown.
          </p>
        )}
        {summary.kind === 'refresh' && summary.parentId && (
          <ChangesSinceParent parentId={summary.parentId} diffWith={data.analysis?.diff ?? noDiff} />
        )}
        <MemoAccountsSection report={report} analysis={analysis} />
        <MonthlySummary months={data.analysis?.months ?? noMonths} />
      </div>

      <div
        role="tabpanel"
        id="rp-panel-transactions"
        aria-labelledby="rp-tab-transactions"
        hidden={tab !== 'transactions'}
        className="rp-panel"
      >
        {visited.has('transactions') &&
          (columns.columns ? (
            <TransactionsTable
              columns={columns.columns}
              accounts={accounts}
              focus={focus}
              onClearFocus={() => setFocus(null)}
            />
          ) : columns.error ? (
            <ErrorState error={columns.error} title="The transactions could not be read from this report" />
          ) : (
            <Skeleton lines={6} label="Preparing the transactions" />
          ))}
      </div>

      <div role="tabpanel" id="rp-panel-pdf" aria-labelledby="rp-tab-pdf" hidden={tab !== 'pdf'} className="rp-panel">
        {visited.has('pdf') && (
          <Suspense fallback={<Skeleton lines={6} label="Loading the PDF viewer" />}>
            <PdfTab reportId={summary.id} />
          </Suspense>
        )}
      </div>

      <div
        role="tabpanel"
        id="rp-panel-actions"
        aria-labelledby="rp-tab-actions"
        hidden={tab !== 'actions'}
        className="rp-panel"
      >
        {visited.has('actions') && (
          <>
            <ExportsPanel summary={summary} />
            <ActionsPanel summary={summary} report={report} onOpenReport={openReport} onRemoved={onBack} />
          </>
        )}
      </div>
    </div>
  );
}

// Only a screen whose report could not be opened lacks its analysis session; it never shows these panels.
const noDiff = () => Promise.resolve(null);
const noMonths = () => Promise.reject(new Error('the report is not open'));

/** The transactions' columns, which arrive from the worker just after the report's head. */
function useColumns(pending: Promise<TransactionColumns>) {
  const [state, setState] = useState<{ columns: TransactionColumns | null; error: unknown }>({
    columns: null,
    error: null,
  });
  useEffect(() => {
    let current = true;
    pending.then(
      (columns) => current && setState({ columns, error: null }),
      (error: unknown) => current && setState({ columns: null, error }),
    );
    return () => {
      current = false;
    };
  }, [pending]);
  return state;
}

/**
 * The analysis for the current inputs, kept while a newer one is worked out (a saved note re-runs it);
 * an answer for older inputs is dropped.
 */
function useAnalysis(session: ReportAnalysis | null, input: AnalysisInput | null) {
  const [state, setState] = useState<{ analysis: UnderwritingAnalysis | null; error: unknown }>({
    analysis: null,
    error: null,
  });
  useEffect(() => {
    if (!session || !input) return;
    let current = true;
    session.analyze(input).then(
      (analysis) => current && setState({ analysis, error: null }),
      (error: unknown) => current && setState((s) => ({ analysis: s.analysis, error })),
    );
    return () => {
      current = false;
    };
  }, [session, input]);
  useEffect(() => () => session?.close(), [session]);
  return state;
}

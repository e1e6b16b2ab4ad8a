import { memo, Suspense, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { api } from '../api';
import { accountKey } from '../../../shared/underwriting';
import type { LargeDeposit, SourcedDeposit } from '../../../shared/underwriting';
import { useAccountConfirmations } from './useAccountConfirmations';
import { ErrorState, ReportStatusChip, Skeleton, useDocumentTitle, useLoad } from '../ui';
import { href, navigate } from '../shell/router';
import { useCan } from '../team/TeamContext';
import { concernsReportsOf, useTeamChanges } from '../team/useTeamChanges';
import { FindingsPanel, type FindingFocus } from './FindingsPanel';
import type { SourcedTogether } from '../../../shared/ipc/contract';
import { AccountsSection } from './AccountsSection';
import { MonthlySummary } from './MonthlySummary';
import { TransactionsTable } from './TransactionsTable';
import { ActionsPanel, ExportsPanel } from './ActionsPanel';
import { ChangesSinceParent } from './ChangesSinceParent';
import { InsightsNotice } from './InsightsNotice';
import { accountFullLabel } from './transactions';
import type { ReportView } from './report-analysis';
import { arrivedOpening, releaseOpening } from './report-or-summary';
import { REPORT_SHOWN, loadReport, prepareReport, type LoadedReport } from './report-loading';
import { BackLink, ReportNotReady } from './ReportNotReady';
import { useWholeColumns } from './use-whole-view';
import { preloadPdfWhenIdle, readPdfWhenIdle } from './pdf-preload';
import { PdfTab } from './PdfTab';
import { useAnalysis, useSettled, useStableCallback } from './report-screen-hooks';
import { warningText } from './report-warnings';
import { environmentLabel, formatDateTime, formatDays } from './format';
import './reports.css';

// The summary's panels hold every finding and account (thousands of elements on a large report):
// switching tabs must not render them again, so they re-render only when their own inputs change.
const MemoFindingsPanel = memo(FindingsPanel);
const MemoAccountsSection = memo(AccountsSection);

export interface ReportScreenProps {
  reportId: string;
  onBack(): void;
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
  // Opened from a navigation, the first screen is usually here already (the router waits for it a moment): the
  // screen's first render is then the report itself, without a loading frame before it.
  const loaded = useLoad(
    () => loadReport(reportId),
    [reportId],
    () => arrivedOpening(reportId, prepareReport),
  );
  useEffect(() => releaseOpening(reportId), [reportId]);
  const applicantName = loaded.data?.summary.id === reportId ? loaded.data.summary.applicantName : null;
  useDocumentTitle(applicantName ? `Asset Report · ${applicantName}` : 'Asset Report');
  // Another desk of the team changed a report of this loan (finished, refreshed, removed, shared): load it again.
  const loanId = loaded.data?.summary.loanId;
  useTeamChanges(loaded.reload, { concerns: (changes) => (loanId ? concernsReportsOf(loanId)(changes) : false) });

  if (loaded.status === 'error' && !loaded.data) {
    return (
      <div className="page" data-testid="report-screen">
        <BackLink onBack={onBack} />
        <ErrorState error={loaded.error} title="The report could not be opened" onRetry={loaded.reload} level={1} />
      </div>
    );
  }
  if (!loaded.data || loaded.data.summary.id !== reportId) {
    return (
      <div className="page" data-testid="report-screen">
        <BackLink onBack={onBack} />
        <Skeleton lines={8} label="Opening the report" heading="Asset Report" />
      </div>
    );
  }
  const data = loaded.data;
  if (data.summary.status !== 'ready' || !data.view) {
    return <ReportNotReady summary={data.summary} onBack={onBack} onReady={loaded.reload} />;
  }
  return <ReportViewer key={data.summary.id} data={data} view={data.view} onBack={onBack} />;
}

function ReportViewer({ data, view, onBack }: { data: LoadedReport; view: ReportView; onBack(): void }) {
  const { summary } = data;
  const inputs = useSettled(data.findingsInputs);
  const loan = inputs?.loan ?? null;
  const { head: content } = view;
  const whole = useWholeColumns(summary.id, view, data.shown);
  const report = content.report;
  const [tab, setTab] = useState<Tab>('summary');
  const [visited, setVisited] = useState<Set<Tab>>(() => new Set(['summary']));
  const [focus, setFocus] = useState<FindingFocus | null>(null);
  // The deposits sourced so far: as stored once the inputs arrive, then as the officer marks them here.
  const [markedHere, setSourced] = useState<SourcedDeposit[] | null>(null);
  const sourced = markedHere ?? inputs?.sourced ?? null;
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());

  const { transactionCount } = view;
  const accounts = useMemo(
    () =>
      report.items.flatMap((item) =>
        item.accounts.map((a) => ({ id: a.account_id, label: accountFullLabel(item.institution_name, a) })),
      ),
    [report],
  );

  const accountConfirmations = useAccountConfirmations(loan?.id ?? null, inputs?.confirmations ?? null);
  const { confirmations } = accountConfirmations;
  const confirm = useStableCallback(accountConfirmations.confirm);
  const withdraw = useStableCallback(accountConfirmations.withdraw);
  // The loan's note date until the officer saves another here (undefined: not changed on this screen).
  const [savedNoteDate, setNoteDate] = useState<string | null | undefined>(undefined);
  const noteDate = savedNoteDate !== undefined ? savedNoteDate : (loan?.expectedNoteDate ?? null);
  const canEditLoan = useCan('loans:update').allowed;
  const saveNoteDate = useStableCallback(async (date: string | null) => {
    if (!loan) return;
    // The note date is the loan's: the same field as on the loan screen.
    await api.loansUpdate({ loanId: loan.id, changes: { expectedNoteDate: date } });
    setNoteDate(date);
  });
  const analysisInput = useMemo(() => {
    if (!inputs || !loan || !sourced) return null;
    const { settings, assetClasses } = inputs;
    const stored = settings
      ? { ...assetClasses, largeDepositShare: settings.largeDepositShare, documentAgeRule: settings.documentAgeRule }
      : assetClasses;
    return {
      loan: { ...loan, expectedNoteDate: noteDate },
      settings: stored,
      sourcedDeposits: sourced,
      accountConfirmations: confirmations,
      now: new Date(),
    };
  }, [inputs, loan, sourced, confirmations, noteDate]);
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
  // The PDF is read once the report is on screen, and opened in pdf.js once the findings are shown (before, pdf.js's
  // parsing would compete with their analysis for the processor).
  // The first open's frame: a reload (another desk's change) brings a new promise, not a new PDF to read.
  const [firstShown] = useState(data.shown);
  useEffect(() => readPdfWhenIdle(summary.id, firstShown), [summary.id, firstShown]);
  // The findings are done, failed, or cannot be worked out (no loan): the PDF may be opened now.
  const findingsSettled =
    analysis !== null || analyzed.error !== null || (inputs !== null && !analysisInput) || !data.analysis;
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
    setSourced([
      ...(sourced ?? []).filter((s) => s.transactionId !== deposit.transactionId),
      { transactionId: deposit.transactionId, note },
    ]);
  });
  const unmarkSourced = useStableCallback(async (deposit: LargeDeposit) => {
    // A note made while the deposit was pending is recorded under its pending id.
    const transactionId = deposit.noteTransactionId ?? deposit.transactionId;
    await api.depositsUnmarkSourced({ reportId: summary.id, transactionId });
    setSourced((sourced ?? []).filter((s) => s.transactionId !== transactionId));
  });

  // A split group's deposits (or a gift) are noted and undone in one step: a group half marked needs attention.
  const markSourcedTogether = useStableCallback(
    async (what: SourcedTogether, transactionIds: string[], note: string) => {
      await api.depositsMarkSourcedTogether({ reportId: summary.id, what, transactionIds, note });
      const marked = new Set(transactionIds);
      setSourced([
        ...(sourced ?? []).filter((s) => !marked.has(s.transactionId)),
        ...transactionIds.map((transactionId) => ({ transactionId, note })),
      ]);
    },
  );
  const unmarkSourcedTogether = useStableCallback(async (what: SourcedTogether, transactionIds: string[]) => {
    await api.depositsUnmarkSourcedTogether({ reportId: summary.id, what, transactionIds });
    const withdrawn = new Set(transactionIds);
    setSourced((sourced ?? []).filter((s) => !withdrawn.has(s.transactionId)));
  });

  const openReport = (id: string) => navigate(href.report(id));
  // The same name as the pending screen's: the summary names every borrower the report covers.
  const title = summary.applicantName;

  return (
    <div className="page rp-viewer" data-testid="report-screen" data-status="ready">
      <BackLink onBack={onBack} />
      <header className="rp-header" data-testid="report-header">
        <div className="rp-header-title">
          <h1 data-testid="report-title" elementtiming={REPORT_SHOWN}>
            Asset Report · {title}
          </h1>
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
              const item = report.items.find((candidate) => candidate.item_id === w.cause?.item_id);
              const institution = item?.institution_name ?? w.cause?.institution_name;
              // Plaid's code says what it could not fetch; a bank absent altogether is what the officer must read.
              const leftOut = Boolean(w.cause?.item_id) && !item;
              return (
                <li key={i} className="alert alert-info" data-code={w.warning_code}>
                  <strong>{leftOut ? 'bank left out' : w.warning_code.replace(/_/g, ' ').toLowerCase()}</strong>
                  {institution ? ` (${institution})` : ''}: {warningText(w, report.items)}
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
            onMarkSourcedTogether={markSourcedTogether}
            onUnmarkSourcedTogether={unmarkSourcedTogether}
            confirmations={confirmations}
            accountNames={accountNames}
            onConfirmAccount={confirm}
            onWithdrawConfirmation={withdraw}
            noteDate={noteDate}
            onSaveNoteDate={canEditLoan ? saveNoteDate : undefined}
          />
        ) : analyzed.error ? (
          <ErrorState error={analyzed.error} title="The underwriting findings could not be worked out" />
        ) : analysisInput || !inputs ? (
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
        <MemoAccountsSection report={report} analysis={analysis} shown={data.shown} />
        <MonthlySummary months={data.analysis?.months ?? noMonths} />
      </div>

      <div
        role="tabpanel"
        id="rp-panel-transactions"
        aria-labelledby="rp-tab-transactions"
        hidden={tab !== 'transactions'}
        className="rp-panel"
      >
        {visited.has('transactions') && (
          <TransactionsTable
            columns={whole.columns}
            total={transactionCount}
            failure={whole.failure}
            accounts={accounts}
            focus={focus}
            onClearFocus={() => setFocus(null)}
            shown={data.shown}
          />
        )}
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

import { Suspense, lazy, useEffect, useEffectEvent } from 'react';
import type { ReportProgress } from '../../shared/domain';
import { api } from './api';
import { LoanScreen } from './loans/LoanScreen';
import { PipelineScreen } from './loans/PipelineScreen';
import { forgetOpening, startOpeningReport } from './reports/report-or-summary';
import type * as ReportsModule from './reports';
import { SettingsScreen } from './settings/SettingsScreen';
import { AppInfoProvider, useAppInfo } from './shell/AppInfo';
import { ErrorBoundary } from './shell/ErrorBoundary';
import { HandoffGate } from './shell/HandoffGate';
import { ReportsSearchScreen } from './shell/ReportsSearchScreen';
import { Shell } from './shell/Shell';
import { href, navigate, parseRoute, useRoute, type Route } from './shell/router';
import { ConfirmProvider, EmptyState, Skeleton, ToastProvider, useDocumentTitle, useToast, whenIdle } from './ui';

// The report viewer brings charts, the virtualized table and pdf.js: not in the first load, but
// fetched in the desk's first idle moment so that opening the first report does not wait for it.
let reportsModule: Promise<typeof ReportsModule> | null = null;
/** The viewer's module, imported once (a failed import is tried again on the next call). */
const loadReports = () =>
  (reportsModule ??= import('./reports').catch((error: unknown) => {
    reportsModule = null;
    throw error;
  }));
const ReportScreen = lazy(() => loadReports().then((m) => ({ default: m.ReportScreen })));
function preloadReportsWhenIdle(): () => void {
  return whenIdle(() => void loadReports().catch(() => {}), 5000); // a failure shows when the screen itself loads
}

function goBackFromReport() {
  if (history.length > 1) history.back();
  else navigate(href.reports());
}

function OpeningReport() {
  useDocumentTitle('Asset Report');
  return (
    <div className="page">
      <Skeleton lines={10} label="Opening the report" heading="Asset Report" />
    </div>
  );
}

function NotFound() {
  useDocumentTitle('Page not found');
  return (
    <div className="page">
      <EmptyState title="This page does not exist" level={1} action={<a href={href.loans()}>Go to the loans</a>} />
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'loans':
      return <PipelineScreen creating={route.creating} />;
    case 'loan':
      return <LoanScreen key={route.loanId} loanId={route.loanId} />;
    case 'reports':
      return <ReportsSearchScreen />;
    case 'report':
      return (
        <Suspense fallback={<OpeningReport />}>
          <ReportScreen key={route.reportId} reportId={route.reportId} onBack={goBackFromReport} />
        </Suspense>
      );
    case 'settings':
      return <SettingsScreen />;
    case 'link':
      return null;
    case 'notFound':
      return <NotFound />;
  }
}

/** Report progress refreshes the lists and, on the officer's desk only, raises a notice. */
function useReportProgress(route: Route) {
  const toast = useToast();
  const { bumpDataVersion } = useAppInfo();
  const onProgress = useEffectEvent((progress: ReportProgress) => {
    bumpDataVersion();
    // Never show anything about a report while a borrower holds the computer.
    if (route.name === 'link') return;
    // The report already on screen updates itself; a notice inviting to open it would be noise.
    if (route.name === 'report' && route.reportId === progress.reportId) return;
    if (progress.status === 'ready') {
      toast.show({
        message: 'An Asset Report is ready.',
        action: { label: 'Open it', href: href.report(progress.reportId) },
      });
    } else if (progress.status === 'failed') {
      toast.show({
        message: progress.message ?? 'An Asset Report could not be generated.',
        tone: 'error',
        action: { label: 'See why', href: href.report(progress.reportId) },
      });
    }
  });
  useEffect(() => api.on('report:progress', (progress) => onProgress(progress)), []);
  useEffect(() => {
    if (route.name === 'link') toast.clear();
  }, [route.name, toast]);
  // A notice inviting to open the report the officer has just opened another way has nothing left to offer.
  const openReportId = route.name === 'report' ? route.reportId : null;
  useEffect(() => {
    if (openReportId !== null) toast.dismissLinkingTo(href.report(openReportId));
  }, [openReportId, toast]);
}

/**
 * Back at the desk after a hand-off: the main process held back other loans' events while the borrower had the
 * computer, so the lists are read again (as a report's progress does).
 */
function useRefreshAfterHandoff() {
  const { bumpDataVersion } = useAppInfo();
  useEffect(() => api.on('handoff:ended', () => bumpDataVersion()), [bumpDataVersion]);
}

/**
 * What a screen needs first, started as the address changes (see useRoute): a report's first screen and the
 * viewer's code, so the report opens whole rather than through a loading frame.
 */
function startRouteWork(route: Route): Promise<unknown> | undefined {
  if (route.name !== 'report') {
    forgetOpening();
    return undefined;
  }
  return Promise.all([startOpeningReport(route.reportId), loadReports().catch(() => {})]);
}

/**
 * A press on a link (mouse, pen or touch: the button goes down some 100 ms before the click) starts what its
 * screen needs first; the navigation that follows takes that work rather than starting it again.
 */
function startRouteWorkOnPress(event: PointerEvent): void {
  if (event.button !== 0 || !(event.target instanceof Element)) return;
  const link = event.target.closest('a[href^="#/"]');
  if (link) void startRouteWork(parseRoute(link.getAttribute('href')!));
}

function Desk() {
  const route = useRoute(startRouteWork);
  useEffect(() => {
    document.addEventListener('pointerdown', startRouteWorkOnPress, { capture: true, passive: true });
    return () => document.removeEventListener('pointerdown', startRouteWorkOnPress, { capture: true });
  }, []);
  useReportProgress(route);
  useRefreshAfterHandoff();
  useEffect(() => preloadReportsWhenIdle(), []);
  const resetKey = JSON.stringify(route);
  // The borrower's mode (and its PIN lock) replaces the whole desk: no navigation, no lists, no other loan.
  return (
    <HandoffGate route={route}>
      <Shell route={route}>
        <ErrorBoundary resetKey={resetKey}>
          <Screen route={route} />
        </ErrorBoundary>
      </Shell>
    </HandoffGate>
  );
}

export function App() {
  return (
    <AppInfoProvider>
      <ToastProvider>
        <ConfirmProvider>
          <Desk />
        </ConfirmProvider>
      </ToastProvider>
    </AppInfoProvider>
  );
}

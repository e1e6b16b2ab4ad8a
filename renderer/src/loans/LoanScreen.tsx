import { Suspense, lazy, useState } from 'react';
import { MAX_BORROWERS, type Applicant, type ReportSummary } from '../../../shared/domain';
import { api } from '../api';
import { HostedLinkDialog, createHostedLink, type HostedLinkCreation } from '../link/HostedLinkDialog';
import { NoteDateField } from '../reports/NoteDateField';
import { useAppInfo } from '../shell/AppInfo';
import { href, navigate } from '../shell/router';
import {
  Button,
  Chip,
  EmptyState,
  ErrorState,
  Skeleton,
  Spinner,
  applicantFullName,
  borrowerNames,
  formatDate,
  formatMoney,
  loanPurposeLabel,
  loanStatusLabel,
  toAppError,
  useConfirm,
  useDocumentTitle,
  useLoad,
  useToast,
} from '../ui';
import { RoleNote } from '../team/RoleLocked';
import { useCan } from '../team/TeamContext';
import { concernsLoan, useTeamChanges } from '../team/useTeamChanges';
import { ActivitySection } from './ActivitySection';
import { BorrowerSection } from './BorrowerSection';
import { LoanFundsPanel } from './LoanFundsPanel';
import { LoanStatusControl, STATUS_TONE } from './LoanStatusControl';
import { BorrowerDialog, LoanTermsDialog } from './LoanForm';
import { ReportHistory } from './ReportHistory';
import './loans.css';

// The report screens are heavy (charts, PDF viewer); they load only when asked for.
const CreateReportDialog = lazy(() => import('../reports').then((m) => ({ default: m.CreateReportDialog })));

type OpenDialog =
  | { name: 'terms' }
  | { name: 'addBorrower' }
  | { name: 'editBorrower'; borrower: Applicant }
  | { name: 'hosted'; borrower: Applicant; creation: HostedLinkCreation }
  | { name: 'createReport' }
  | null;

export function LoanScreen({ loanId }: { loanId: string }) {
  const { dataVersion } = useAppInfo();
  const confirm = useConfirm();
  const toast = useToast();
  const detail = useLoad(() => api.loansGet({ loanId }), [loanId, dataVersion]);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [busy, setBusy] = useState<'export' | 'delete' | null>(null);
  const [hostedKey, setHostedKey] = useState(0);
  useDocumentTitle(
    detail.data ? `Loan ${detail.data.loan.loanNumber} · ${borrowerNames(detail.data.loan.borrowers)}` : 'Loan file',
  );
  // Another desk of the team changed this loan file: show it without the officer asking.
  useTeamChanges(detail.reload, { concerns: concernsLoan(loanId) });
  const can = {
    edit: useCan('loans:update').allowed,
    setStatus: useCan('loans:setStatus').allowed,
    addBorrower: useCan('borrowers:add').allowed,
    createReport: useCan('reports:create').allowed,
    exportFile: useCan('loans:export').allowed,
    delete: useCan('loans:delete').allowed,
  };

  if (detail.status === 'error' && !detail.data) {
    return (
      <div className="page">
        <p className="breadcrumb">
          <a href={href.loans()}>Loans</a>
        </p>
        <ErrorState error={detail.error} onRetry={detail.reload} title="This loan could not be loaded" level={1} />
      </div>
    );
  }
  if (!detail.data) {
    return (
      <div className="page">
        <Skeleton lines={10} label="Loading the loan" heading="Loan file" />
      </div>
    );
  }

  const { loan, items, reports } = detail.data;
  const names = borrowerNames(loan.borrowers);
  const usableItems = items.filter((i) => i.status === 'ok');
  const itemsOf = (borrower: Applicant) => items.filter((i) => i.applicantId === borrower.id);

  const exportFile = async () => {
    setBusy('export');
    try {
      const result = await api.loansExport({ loanId });
      if (result.saved) {
        const { receipt } = result;
        toast.show({
          message: `Loan file saved: ${result.files.length} file${result.files.length === 1 ? '' : 's'} in ${result.folder}`,
          action: {
            label: 'Show in folder',
            onSelect: () =>
              void api
                .filesShowInFolder({ receipt })
                .catch((error: unknown) => toast.show({ message: toAppError(error).message, tone: 'error' })),
          },
        });
      }
    } catch (error) {
      toast.show({ message: toAppError(error).message, tone: 'error' });
    } finally {
      setBusy(null);
    }
  };

  const deleteLoan = async () => {
    const yes = await confirm({
      title: `Delete loan ${loan.loanNumber}?`,
      message: (
        <>
          <p>
            This deletes the loan file, its borrowers and everything AssetDesk holds for them. Its Asset Reports and
            audit copies are removed at Plaid, and the borrowers’ linked banks (Items) are removed too, so auditors can
            no longer open shared copies.
          </p>
          <p>This cannot be undone.</p>
        </>
      ),
      confirmLabel: 'Delete loan file',
      danger: true,
    });
    if (!yes) return;
    setBusy('delete');
    try {
      await api.loansDelete({ loanId });
      toast.show({ message: `Loan ${loan.loanNumber} deleted.` });
      navigate(href.loans(), { replace: true });
    } catch (error) {
      toast.show({ message: toAppError(error).message, tone: 'error' });
      setBusy(null);
    }
  };

  const saveNoteDate = async (date: string | null) => {
    await api.loansUpdate({ loanId, changes: { expectedNoteDate: date } });
    detail.reload();
  };

  return (
    <div className="page" data-testid="loan-screen">
      <p className="breadcrumb">
        <a href={href.loans()}>Loans</a>
      </p>
      <div className="page-header loan-header">
        <div className="loan-title">
          <h1 data-testid="loan-heading">
            <span className="mono loan-number" data-testid="loan-number">
              {loan.loanNumber}
            </span>{' '}
            <span className="loan-borrowers" data-testid="loan-borrowers">
              {names}
            </span>
          </h1>
          <Chip tone={STATUS_TONE[loan.status]} testId="loan-status">
            {loanStatusLabel[loan.status]}
          </Chip>
          {detail.status === 'loading' && <Spinner label="Refreshing" />}
        </div>
        {/* The title's box takes the free width itself (no spacer sharing it), so a long title wraps only at the
            actions and its status chip stays beside it. */}
        {can.setStatus && <LoanStatusControl loan={loan} onChanged={detail.reload} />}
      </div>
      <RoleNote channel="reports:create" what="changing this loan file, linking banks, creating reports or deleting" />
      {detail.status === 'error' && (
        <ErrorState error={detail.error} onRetry={detail.reload} title="Showing the last loaded data" />
      )}

      <section className="panel" aria-labelledby="terms-heading">
        <div className="panel-header">
          <h2 id="terms-heading">Loan terms</h2>
          <span className="spacer" />
          {can.edit && (
            <Button
              size="small"
              onClick={() => setDialog({ name: 'terms' })}
              aria-label="Edit loan terms"
              data-testid="edit-loan"
            >
              Edit
            </Button>
          )}
        </div>
        {loan.loanNumberShared && (
          <p className="alert alert-warning">
            Another loan file has the same loan number (from before numbers had to be unique). Edit the number so each
            file has its own.
          </p>
        )}
        <dl className="facts">
          <div>
            <dt>Loan purpose</dt>
            <dd>{loanPurposeLabel[loan.loanPurpose]}</dd>
          </div>
          <div>
            <dt>Application date</dt>
            <dd>{formatDate(loan.applicationDate)}</dd>
          </div>
          <div>
            <dt>Property</dt>
            <dd data-testid="loan-property">
              {loan.property
                ? `${loan.property.street}${loan.property.unit ? `, ${loan.property.unit}` : ''}, ${loan.property.city}, ${loan.property.state} ${loan.property.zip}`
                : 'not entered'}
            </dd>
          </div>
          <div>
            <dt>Qualifying monthly income</dt>
            <dd>{formatMoney(loan.qualifyingMonthlyIncome)}</dd>
          </div>
          <div>
            <dt>Funds to close</dt>
            <dd data-testid="loan-funds-to-close">{formatMoney(loan.fundsToClose)}</dd>
          </div>
          <div>
            <dt>Reserves needed</dt>
            <dd>{formatMoney(loan.reservesNeeded)}</dd>
          </div>
        </dl>
        {can.edit ? (
          <NoteDateField key={loan.expectedNoteDate ?? ''} value={loan.expectedNoteDate} onSave={saveNoteDate} />
        ) : (
          <p data-testid="note-date">
            Expected note date: {loan.expectedNoteDate ? formatDate(loan.expectedNoteDate) : 'not known yet'}
          </p>
        )}
      </section>

      <LoanFundsPanel
        loanId={loan.id}
        // Counted again when the terms, the reports or anything the desk was told of changed.
        refreshKey={[
          dataVersion,
          loan.updatedAt,
          loan.fundsToClose,
          loan.reservesNeeded,
          ...reports.map((r) => `${r.id}:${r.status}:${r.findingCounts?.attention ?? ''}`),
        ].join('|')}
      />

      {loan.borrowers.map((borrower, index) => (
        <BorrowerSection
          key={borrower.id}
          loan={loan}
          borrower={borrower}
          index={index}
          items={itemsOf(borrower)}
          // The next step is the primary one: linking until a bank is linked, then the report.
          handIsPrimary={usableItems.length === 0}
          hostedKey={hostedKey}
          onEdit={() => setDialog({ name: 'editBorrower', borrower })}
          onSendHosted={() => setDialog({ name: 'hosted', borrower, creation: createHostedLink(borrower.id) })}
          onChanged={detail.reload}
        />
      ))}
      {loan.borrowers.length < MAX_BORROWERS && can.addBorrower && (
        <p>
          <Button onClick={() => setDialog({ name: 'addBorrower' })} data-testid="add-co-borrower">
            Add co-borrower
          </Button>
        </p>
      )}

      <section className="panel" aria-labelledby="reports-heading">
        <div className="panel-header">
          <h2 id="reports-heading">Reports</h2>
          <span className="spacer" />
          {can.createReport && (
            <Button
              variant={usableItems.length > 0 && loan.status === 'open' ? 'primary' : 'secondary'}
              onClick={() => setDialog({ name: 'createReport' })}
              disabled={usableItems.length === 0 || loan.status !== 'open'}
              title={usableItems.length === 0 ? 'Link at least one bank first' : undefined}
              aria-describedby={loan.status !== 'open' ? 'reports-closed-note' : undefined}
              data-testid="create-report"
            >
              Create report
            </Button>
          )}
        </div>
        {loan.status !== 'open' && (
          <p className="muted" id="reports-closed-note" data-testid="reports-closed-note">
            This loan is {loan.status}: reopen it to create a new report.
          </p>
        )}
        {reports.length === 0 ? (
          <EmptyState title="No reports yet" level={3}>
            {usableItems.length === 0
              ? 'Link a bank first, then create a report.'
              : 'Create the first Asset Report from the linked banks.'}
          </EmptyState>
        ) : reports.every((r) => r.status === 'removed') ? (
          <>
            <p className="muted" data-testid="reports-all-removed">
              Every report on this loan was removed. Create a new one from the linked banks.
            </p>
            <ReportHistory reports={reports} onRemoved={detail.reload} />
          </>
        ) : (
          <ReportHistory reports={reports} onRemoved={detail.reload} />
        )}
      </section>

      <ActivitySection
        loan={loan}
        reports={reports}
        // Whatever changed on the file (terms, borrowers, banks, reports) has a new entry in the log.
        refreshKey={[
          dataVersion,
          loan.updatedAt,
          ...loan.borrowers.map((b) => [b.id, b.updatedAt].join('@')),
          ...items.map((i) => `${i.id}:${i.status}`),
          ...reports.map((r) => `${r.id}:${r.status}`),
        ].join('|')}
      />

      <section className="panel" aria-labelledby="file-heading">
        <div className="panel-header">
          <h2 id="file-heading">Loan file</h2>
        </div>
        <div className="detail-actions">
          {can.exportFile && (
            <Button onClick={exportFile} busy={busy === 'export'} data-testid="export-loan">
              Export loan file
            </Button>
          )}
          {can.delete && (
            <Button variant="danger" onClick={deleteLoan} busy={busy === 'delete'} data-testid="delete-loan">
              Delete loan file
            </Button>
          )}
        </div>
      </section>

      {dialog?.name === 'terms' && (
        <LoanTermsDialog
          loan={loan}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            toast.show({ message: 'Loan terms saved.' });
            detail.reload();
          }}
        />
      )}
      {(dialog?.name === 'addBorrower' || dialog?.name === 'editBorrower') && (
        <BorrowerDialog
          loan={loan}
          borrower={dialog.name === 'editBorrower' ? dialog.borrower : undefined}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            toast.show({ message: dialog.name === 'addBorrower' ? 'Co-borrower added.' : 'Borrower saved.' });
            detail.reload();
          }}
        />
      )}
      {dialog?.name === 'hosted' && (
        <HostedLinkDialog
          applicantId={dialog.borrower.id}
          applicantName={applicantFullName(dialog.borrower)}
          creation={dialog.creation}
          onClose={() => {
            setDialog(null);
            setHostedKey((k) => k + 1);
          }}
          onLinked={detail.reload}
        />
      )}
      {dialog?.name === 'createReport' && (
        <Suspense fallback={<Spinner label="Opening" />}>
          <CreateReportDialog
            loan={loan}
            items={items}
            onClose={() => setDialog(null)}
            onCreated={(report: ReportSummary) => {
              setDialog(null);
              detail.reload();
              navigate(href.report(report.id));
            }}
          />
        </Suspense>
      )}
    </div>
  );
}

import { Suspense, lazy, useState } from 'react';
import {
  MAX_BORROWERS,
  formatPhone,
  type Applicant,
  type Item,
  type Loan,
  type LoanStatus,
  type ReportSummary,
} from '../../../shared/domain';
import { api } from '../api';
import { HostedLinkDialog } from '../link/HostedLinkDialog';
import { HostedLinkSessions } from '../link/HostedLinkSessions';
import { NoteDateField } from '../reports/NoteDateField';
import { useAppInfo } from '../shell/AppInfo';
import { href, navigate } from '../shell/router';
import {
  Button,
  Chip,
  EmptyState,
  ErrorState,
  ItemStatusChip,
  Skeleton,
  Spinner,
  applicantFullName,
  borrowerNames,
  environmentLabel,
  formatDate,
  formatMoney,
  loanPurposeLabel,
  loanStatusLabel,
  toAppError,
  useConfirm,
  useLoad,
  useToast,
} from '../ui';
import { ActivitySection } from './ActivitySection';
import { BorrowerDialog, LoanTermsDialog } from './LoanForm';
import { ReportHistory } from './ReportHistory';
import './loans.css';

// The report screens are heavy (charts, PDF viewer); they load only when asked for.
const CreateReportDialog = lazy(() => import('../reports').then((m) => ({ default: m.CreateReportDialog })));

type OpenDialog =
  | { name: 'terms' }
  | { name: 'addBorrower' }
  | { name: 'editBorrower'; borrower: Applicant }
  | { name: 'hosted'; borrower: Applicant }
  | { name: 'createReport' }
  | null;

/** A bank named as people say it: the bank, then each account with its full mask. */
export function accountsText(item: Item): string {
  return item.accounts.map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`).join(', ') || 'No accounts';
}

function ItemRow({ item, loanId, onRemoved }: { item: Item; loanId: string; onRemoved(): void }) {
  const confirm = useConfirm();
  const toast = useToast();
  const [removing, setRemoving] = useState(false);
  const remove = async () => {
    const yes = await confirm({
      title: `Remove ${item.institutionName}?`,
      message:
        'AssetDesk stops using this bank connection and asks Plaid to remove it. Existing reports stay. The borrower would have to link the bank again for new reports.',
      confirmLabel: 'Remove bank',
      danger: true,
    });
    if (!yes) return;
    setRemoving(true);
    try {
      await api.itemsRemove({ itemId: item.id });
      toast.show({ message: `${item.institutionName} removed.` });
      onRemoved();
    } catch (error) {
      toast.show({ message: toAppError(error).message, tone: 'error' });
    } finally {
      setRemoving(false);
    }
  };
  return (
    <li data-testid="item-row" data-item-id={item.id}>
      <span className="item-name">{item.institutionName}</span>
      <ItemStatusChip status={item.status} />
      <span className="item-accounts">
        {accountsText(item)}
        {' · linked '}
        {formatDate(item.linkedAt)}
        {item.consentExpiresAt && ` · consent ends ${formatDate(item.consentExpiresAt)}`}
        {item.environment !== 'production' && ` · ${environmentLabel[item.environment]}`}
        {item.lastError && <span className="error"> · {item.lastError.message}</span>}
      </span>
      {item.status === 'needs_relink' && (
        <Button
          size="small"
          variant="primary"
          onClick={() => navigate(href.link(item.applicantId, loanId, item.id))}
          data-testid="relink-item"
        >
          Re-link
        </Button>
      )}
      {item.status !== 'removed' && (
        <Button
          size="small"
          onClick={remove}
          busy={removing}
          data-testid="remove-item"
          aria-label={`Remove ${item.institutionName}`}
        >
          Remove
        </Button>
      )}
    </li>
  );
}

function BorrowerSection({
  loan,
  borrower,
  index,
  items,
  handIsPrimary,
  hostedKey,
  onEdit,
  onSendHosted,
  onChanged,
}: {
  loan: Loan;
  borrower: Applicant;
  index: number;
  items: Item[];
  handIsPrimary: boolean;
  hostedKey: number;
  onEdit(): void;
  onSendHosted(): void;
  onChanged(): void;
}) {
  const confirm = useConfirm();
  const toast = useToast();
  const [removing, setRemoving] = useState(false);
  const name = applicantFullName(borrower);
  const headingId = `borrower-heading-${borrower.id}`;
  const activeItems = items.filter((i) => i.status !== 'removed');

  const removeBorrower = async () => {
    const yes = await confirm({
      title: `Remove ${name} from this loan?`,
      message:
        'Their linked banks are removed at Plaid too. Reports that cover their banks must be removed first; AssetDesk says so if any do.',
      confirmLabel: 'Remove co-borrower',
      danger: true,
    });
    if (!yes) return;
    setRemoving(true);
    try {
      await api.borrowersRemove({ applicantId: borrower.id });
      toast.show({ message: `${name} removed from the loan.` });
      onChanged();
    } catch (error) {
      // The main side refuses while reports cover their banks: its message says what to do.
      toast.show({ message: toAppError(error).message, tone: 'error' });
    } finally {
      setRemoving(false);
    }
  };

  return (
    <section className="panel borrower-panel" aria-labelledby={headingId} data-testid={`borrower-section-${index}`}>
      <div className="panel-header">
        <h2 id={headingId} className="wrap-anywhere">
          {name}
        </h2>
        <span className="muted nowrap">{index === 0 ? 'Primary borrower' : `Co-borrower ${index}`}</span>
        <span className="spacer" />
        <Button size="small" onClick={onEdit} data-testid="edit-borrower">
          Edit
        </Button>
        {index > 0 && (
          <Button size="small" variant="danger" onClick={removeBorrower} busy={removing} data-testid="remove-borrower">
            Remove co-borrower
          </Button>
        )}
      </div>
      <dl className="facts">
        <div>
          <dt>E-mail</dt>
          <dd className="wrap-anywhere">{borrower.email}</dd>
        </div>
        <div>
          <dt>Phone</dt>
          <dd>{formatPhone(borrower.phone)}</dd>
        </div>
        <div>
          <dt>SSN</dt>
          <dd className="mono" data-testid="ssn-masked">
            {borrower.ssnUnreadable ? (
              <span className="warning-text">damaged — edit the borrower to re-enter it</span>
            ) : (
              (borrower.ssnMasked ?? 'not provided')
            )}
          </dd>
        </div>
      </dl>
      <h3 className="subheading">{borrower.firstName}’s banks</h3>
      {activeItems.length === 0 ? (
        <p className="muted" data-testid="no-banks">
          No banks linked yet. Use “Hand to {borrower.firstName}” while they are with you, or send a Hosted Link.
        </p>
      ) : (
        <ul className="items-list" data-testid="items-list">
          {activeItems.map((item) => (
            <ItemRow key={item.id} item={item} loanId={loan.id} onRemoved={onChanged} />
          ))}
        </ul>
      )}
      <div className="detail-actions">
        <Button
          variant={handIsPrimary ? 'primary' : 'secondary'}
          onClick={() => navigate(href.link(borrower.id, loan.id))}
          data-testid="hand-to-applicant"
        >
          Hand to {borrower.firstName}
        </Button>
        <Button onClick={onSendHosted} data-testid="send-hosted-link">
          Send Hosted Link to {borrower.firstName}
        </Button>
      </div>
      <HostedLinkSessions applicant={borrower} refreshKey={hostedKey} onLinked={onChanged} />
    </section>
  );
}

const STATUS_TONE: Record<LoanStatus, 'success' | 'neutral' | 'warning'> = {
  open: 'success',
  closed: 'neutral',
  withdrawn: 'warning',
};

/** Close loan / Withdraw / Reopen, each confirmed: closing or withdrawing starts the retention clock. */
function LoanStatusControl({ loan, onChanged }: { loan: Loan; onChanged(loan: Loan): void }) {
  const confirm = useConfirm();
  const toast = useToast();
  const [busy, setBusy] = useState<LoanStatus | null>(null);
  const change = async (status: LoanStatus) => {
    const texts: Record<LoanStatus, { title: string; message: string; label: string }> = {
      closed: {
        title: `Close loan ${loan.loanNumber}?`,
        message:
          'Closing the loan (it funded) starts its retention clock: once the retention period set in Settings has passed, AssetDesk removes its reports and bank links at Plaid. Reopen it to stop the clock.',
        label: 'Close loan',
      },
      withdrawn: {
        title: `Withdraw loan ${loan.loanNumber}?`,
        message:
          'Withdrawing the loan starts its retention clock: once the retention period set in Settings has passed, AssetDesk removes its reports and bank links at Plaid. Reopen it to stop the clock.',
        label: 'Withdraw',
      },
      open: {
        title: `Reopen loan ${loan.loanNumber}?`,
        message: 'The loan is worked again and its retention clock stops.',
        label: 'Reopen',
      },
    };
    const text = texts[status];
    if (!(await confirm({ title: text.title, message: text.message, confirmLabel: text.label }))) return;
    setBusy(status);
    try {
      const updated = await api.loansSetStatus({ loanId: loan.id, status });
      toast.show({ message: `Loan ${updated.loanNumber} is ${loanStatusLabel[updated.status].toLowerCase()}.` });
      onChanged(updated);
    } catch (error) {
      toast.show({ message: toAppError(error).message, tone: 'error' });
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="detail-actions" data-testid="loan-status-control">
      {loan.status === 'open' ? (
        <>
          <Button onClick={() => void change('closed')} busy={busy === 'closed'} data-testid="close-loan">
            Close loan
          </Button>
          <Button onClick={() => void change('withdrawn')} busy={busy === 'withdrawn'} data-testid="withdraw-loan">
            Withdraw
          </Button>
        </>
      ) : (
        <Button onClick={() => void change('open')} busy={busy === 'open'} data-testid="reopen-loan">
          Reopen
        </Button>
      )}
    </div>
  );
}

export function LoanScreen({ loanId }: { loanId: string }) {
  const { dataVersion } = useAppInfo();
  const confirm = useConfirm();
  const toast = useToast();
  const detail = useLoad(() => api.loansGet({ loanId }), [loanId, dataVersion]);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [busy, setBusy] = useState<'export' | 'delete' | null>(null);
  const [hostedKey, setHostedKey] = useState(0);

  if (detail.status === 'error' && !detail.data) {
    return (
      <div className="page">
        <p className="breadcrumb">
          <a href={href.loans()}>Loans</a>
        </p>
        <ErrorState error={detail.error} onRetry={detail.reload} title="This loan could not be loaded" />
      </div>
    );
  }
  if (!detail.data) {
    return (
      <div className="page">
        <Skeleton lines={10} label="Loading the loan" />
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
        <span className="spacer" />
        <LoanStatusControl loan={loan} onChanged={detail.reload} />
      </div>
      {detail.status === 'error' && (
        <ErrorState error={detail.error} onRetry={detail.reload} title="Showing the last loaded data" />
      )}

      <section className="panel" aria-labelledby="terms-heading">
        <div className="panel-header">
          <h2 id="terms-heading">Loan terms</h2>
          <span className="spacer" />
          <Button size="small" onClick={() => setDialog({ name: 'terms' })} data-testid="edit-loan">
            Edit
          </Button>
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
        <NoteDateField key={loan.expectedNoteDate ?? ''} value={loan.expectedNoteDate} onSave={saveNoteDate} />
      </section>

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
          onSendHosted={() => setDialog({ name: 'hosted', borrower })}
          onChanged={detail.reload}
        />
      ))}
      {loan.borrowers.length < MAX_BORROWERS && (
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
        </div>
        {loan.status !== 'open' && (
          <p className="muted" id="reports-closed-note" data-testid="reports-closed-note">
            This loan is {loan.status}: reopen it to create a new report.
          </p>
        )}
        {reports.length === 0 ? (
          <EmptyState title="No reports yet">
            {usableItems.length === 0
              ? 'Link a bank first, then create a report.'
              : 'Create the first Asset Report from the linked banks.'}
          </EmptyState>
        ) : reports.every((r) => r.status === 'removed') ? (
          <>
            <p className="muted" data-testid="reports-all-removed">
              Every report on this loan was removed. Create a new one from the linked banks.
            </p>
            <ReportHistory reports={reports} />
          </>
        ) : (
          <ReportHistory reports={reports} />
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
          <Button onClick={exportFile} busy={busy === 'export'} data-testid="export-loan">
            Export loan file
          </Button>
          <Button variant="danger" onClick={deleteLoan} busy={busy === 'delete'} data-testid="delete-loan">
            Delete loan file
          </Button>
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

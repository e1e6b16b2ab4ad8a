import { Suspense, lazy, useState } from 'react';
import { formatPhone, type Item, type ReportSummary } from '../../../shared/domain';
import { api } from '../api';
import { HostedLinkDialog } from '../link/HostedLinkDialog';
import { HostedLinkSessions } from '../link/HostedLinkSessions';
import { useAppInfo } from '../shell/AppInfo';
import { href, navigate } from '../shell/router';
import {
  Button,
  EmptyState,
  ErrorState,
  ItemStatusChip,
  Skeleton,
  Spinner,
  applicantFullName,
  environmentLabel,
  formatDate,
  formatMoney,
  loanPurposeLabel,
  toAppError,
  useConfirm,
  useLoad,
  useToast,
} from '../ui';
import { ApplicantForm } from './ApplicantForm';
import { ReportHistory } from './ReportHistory';
import './applicants.css';

// The report screens are heavy (charts, PDF viewer); they load only when asked for.
const CreateReportDialog = lazy(() => import('../reports').then((m) => ({ default: m.CreateReportDialog })));

type OpenDialog = 'edit' | 'hosted' | 'createReport' | null;

function ItemRow({ item, applicantId, onRemoved }: { item: Item; applicantId: string; onRemoved(): void }) {
  const confirm = useConfirm();
  const toast = useToast();
  const [removing, setRemoving] = useState(false);
  const remove = async () => {
    const yes = await confirm({
      title: `Remove ${item.institutionName}?`,
      message:
        'AssetDesk stops using this bank connection and asks Plaid to remove it. Existing reports stay. The applicant would have to link the bank again for new reports.',
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
        {item.accounts.map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`).join(', ') || 'No accounts'}
        {' · linked '}
        {formatDate(item.linkedAt)}
        {item.environment !== 'production' && ` · ${environmentLabel[item.environment]}`}
        {item.lastError && <span className="error"> · {item.lastError.message}</span>}
      </span>
      {item.status === 'needs_relink' && (
        <Button
          size="small"
          variant="primary"
          onClick={() => navigate(href.link(applicantId, item.id))}
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

export function ApplicantDetail({ applicantId }: { applicantId: string }) {
  const { dataVersion } = useAppInfo();
  const confirm = useConfirm();
  const toast = useToast();
  const detail = useLoad(() => api.applicantsGet({ applicantId }), [applicantId, dataVersion]);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [busy, setBusy] = useState<'export' | 'delete' | null>(null);

  if (detail.status === 'error' && !detail.data) {
    return (
      <div className="page">
        <p className="breadcrumb">
          <a href={href.applicants()}>Applicants</a>
        </p>
        <ErrorState error={detail.error} onRetry={detail.reload} title="This applicant could not be loaded" />
      </div>
    );
  }
  if (!detail.data) {
    return (
      <div className="page">
        <Skeleton lines={10} label="Loading applicant" />
      </div>
    );
  }

  const { applicant, items, reports } = detail.data;
  const name = applicantFullName(applicant);
  const activeItems = items.filter((i) => i.status !== 'removed');
  const usableItems = items.filter((i) => i.status === 'ok');

  const exportFile = async () => {
    setBusy('export');
    try {
      const result = await api.applicantsExport({ applicantId });
      if (result.saved)
        toast.show({
          message: `Applicant file saved: ${result.files.length} file${result.files.length === 1 ? '' : 's'} in ${result.folder}`,
        });
    } catch (error) {
      toast.show({ message: toAppError(error).message, tone: 'error' });
    } finally {
      setBusy(null);
    }
  };

  const deleteApplicant = async () => {
    const yes = await confirm({
      title: `Delete ${name}?`,
      message: (
        <>
          <p>
            This deletes the applicant and everything AssetDesk holds for them. Their Asset Reports and audit copies are
            removed at Plaid, and their linked banks (Items) are removed too, so auditors can no longer open shared
            copies.
          </p>
          <p>This cannot be undone.</p>
        </>
      ),
      confirmLabel: 'Delete applicant',
      danger: true,
    });
    if (!yes) return;
    setBusy('delete');
    try {
      await api.applicantsDelete({ applicantId });
      toast.show({ message: `${name} deleted.` });
      navigate(href.applicants(), { replace: true });
    } catch (error) {
      toast.show({ message: toAppError(error).message, tone: 'error' });
      setBusy(null);
    }
  };

  return (
    <div className="page" data-testid="applicant-detail">
      <p className="breadcrumb">
        <a href={href.applicants()}>Applicants</a>
      </p>
      <div className="page-header">
        <h1 data-testid="applicant-name">{name}</h1>
        {detail.status === 'loading' && <Spinner label="Refreshing" />}
        <span className="spacer" />
        <div className="detail-actions">
          {/* The next step is the primary one: linking until a bank is linked, then the report. */}
          <Button
            variant={usableItems.length === 0 ? 'primary' : 'secondary'}
            onClick={() => navigate(href.link(applicantId))}
            data-testid="hand-to-applicant"
          >
            Hand to applicant
          </Button>
          <Button onClick={() => setDialog('hosted')} data-testid="send-hosted-link">
            Send Hosted Link
          </Button>
          <Button
            variant={usableItems.length > 0 ? 'primary' : 'secondary'}
            onClick={() => setDialog('createReport')}
            disabled={usableItems.length === 0}
            title={usableItems.length === 0 ? 'Link at least one bank first' : undefined}
            data-testid="create-report"
          >
            Create report
          </Button>
        </div>
      </div>
      {detail.status === 'error' && (
        <ErrorState error={detail.error} onRetry={detail.reload} title="Showing the last loaded data" />
      )}

      <section className="panel" aria-labelledby="profile-heading">
        <div className="panel-header">
          <h2 id="profile-heading">Profile</h2>
          <span className="spacer" />
          <Button size="small" onClick={() => setDialog('edit')} data-testid="edit-applicant">
            Edit
          </Button>
        </div>
        <dl className="facts">
          <div>
            <dt>Loan number</dt>
            <dd className="mono">{applicant.loanNumber}</dd>
          </div>
          <div>
            <dt>Loan purpose</dt>
            <dd>{loanPurposeLabel[applicant.loanPurpose]}</dd>
          </div>
          <div>
            <dt>Application date</dt>
            <dd>{formatDate(applicant.applicationDate)}</dd>
          </div>
          <div>
            <dt>Qualifying monthly income</dt>
            <dd>{formatMoney(applicant.qualifyingMonthlyIncome)}</dd>
          </div>
          <div>
            <dt>Funds to close</dt>
            <dd>{formatMoney(applicant.fundsToClose)}</dd>
          </div>
          <div>
            <dt>Reserves needed</dt>
            <dd>{formatMoney(applicant.reservesNeeded)}</dd>
          </div>
          <div>
            <dt>E-mail</dt>
            <dd>{applicant.email}</dd>
          </div>
          <div>
            <dt>Phone</dt>
            <dd>{formatPhone(applicant.phone)}</dd>
          </div>
          <div>
            <dt>SSN</dt>
            <dd className="mono" data-testid="ssn-masked">
              {applicant.ssnUnreadable ? (
                <span className="warning-text">damaged — edit the applicant to re-enter it</span>
              ) : (
                (applicant.ssnMasked ?? 'not provided')
              )}
            </dd>
          </div>
        </dl>
      </section>

      <section className="panel" aria-labelledby="banks-heading">
        <div className="panel-header">
          <h2 id="banks-heading">Linked banks</h2>
        </div>
        {activeItems.length === 0 ? (
          <EmptyState title="No banks linked yet">
            Use “Hand to applicant” while they are with you, or “Send Hosted Link” for them to connect from home.
          </EmptyState>
        ) : (
          <ul className="items-list" data-testid="items-list">
            {activeItems.map((item) => (
              <ItemRow key={item.id} item={item} applicantId={applicantId} onRemoved={detail.reload} />
            ))}
          </ul>
        )}
      </section>

      <HostedLinkSessions applicant={applicant} refreshKey={dialog === 'hosted' ? 1 : 0} onLinked={detail.reload} />

      <section className="panel" aria-labelledby="history-heading">
        <div className="panel-header">
          <h2 id="history-heading">Report history</h2>
        </div>
        {reports.length === 0 ? (
          <EmptyState title="No reports yet">
            {usableItems.length === 0
              ? 'Link a bank first, then create a report.'
              : 'Create the first Asset Report from the linked banks.'}
          </EmptyState>
        ) : (
          <ReportHistory reports={reports} />
        )}
      </section>

      <section className="panel" aria-labelledby="file-heading">
        <div className="panel-header">
          <h2 id="file-heading">Applicant file</h2>
        </div>
        <div className="detail-actions">
          <Button onClick={exportFile} busy={busy === 'export'} data-testid="export-applicant">
            Export applicant file
          </Button>
          <Button variant="danger" onClick={deleteApplicant} busy={busy === 'delete'} data-testid="delete-applicant">
            Delete applicant
          </Button>
        </div>
      </section>

      {dialog === 'edit' && (
        <ApplicantForm
          applicant={applicant}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            toast.show({ message: 'Applicant saved.' });
            detail.reload();
          }}
        />
      )}
      {dialog === 'hosted' && (
        <HostedLinkDialog
          applicantId={applicantId}
          applicantName={name}
          onClose={() => setDialog(null)}
          onLinked={detail.reload}
        />
      )}
      {dialog === 'createReport' && (
        <Suspense fallback={<Spinner label="Opening" />}>
          <CreateReportDialog
            applicant={applicant}
            items={usableItems}
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

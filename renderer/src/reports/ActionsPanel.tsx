import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../api';
import type { AuditCopy, ReportSummary } from '../../../shared/domain';
import type { AssetReport } from '../../../shared/asset-report';
import { AGENCY_AUDITORS, DAYS_REQUESTED_PRESETS, agencyName } from '../../../shared/domain';
import { Button, Dialog, ErrorAlert, Skeleton, useConfirm, useLoad } from '../ui';
import { formatDateTime, formatDays } from './format';
import { accountLabel } from './transactions';
import { RoleNote } from '../team/RoleLocked';
import { useCan } from '../team/TeamContext';
import { useTeamChanges } from '../team/useTeamChanges';

type ExportFormat = 'pdf' | 'json' | 'csv';

/** Exports through the OS save dialog (the main process shows it and records the export). */
export function ExportsPanel({ summary }: { summary: ReportSummary }) {
  const [withCover, setWithCover] = useState(true);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [saved, setSaved] = useState<{ format: ExportFormat; path: string | null; receipt?: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const coverId = useId();

  async function exportAs(format: ExportFormat) {
    setBusy(format);
    setError(null);
    setSaved(null);
    try {
      const result = await api.reportsExport({
        reportId: summary.id,
        format,
        ...(format === 'pdf' ? { withCoverPage: withCover } : {}),
      });
      setSaved(result.saved ? { format, path: result.path, receipt: result.receipt } : { format, path: null });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="rp-export-title" data-testid="exports-panel">
      <h2 id="rp-export-title">Export</h2>
      <div className="rp-export-row">
        <Button variant="primary" busy={busy === 'pdf'} onClick={() => exportAs('pdf')} data-testid="export-pdf">
          Save PDF…
        </Button>
        <label className="checkbox" htmlFor={coverId}>
          <input
            id={coverId}
            type="checkbox"
            checked={withCover}
            onChange={(e) => setWithCover(e.target.checked)}
            data-testid="export-cover"
          />
          Add AssetDesk underwriting cover page
        </label>
      </div>
      <p className="muted">
        The cover page summarises the findings and is marked as AssetDesk’s analysis, not Plaid’s.
      </p>
      <div className="rp-export-row">
        <Button busy={busy === 'json'} onClick={() => exportAs('json')} data-testid="export-json">
          Save JSON…
        </Button>
        <Button busy={busy === 'csv'} onClick={() => exportAs('csv')} data-testid="export-csv">
          Save transactions as CSV…
        </Button>
      </div>
      <div aria-live="polite">
        {saved && saved.path && (
          <p className="alert alert-success" data-testid="export-saved">
            Saved to{' '}
            <span className="mono" data-testid="export-path">
              {saved.path}
            </span>{' '}
            {saved.receipt && <ShowInFolderButton receipt={saved.receipt} onError={setError} />}
          </p>
        )}
        {saved && !saved.path && <p className="muted">Export cancelled.</p>}
      </div>
      <ErrorAlert error={error} />
    </section>
  );
}

/** Reveals a file this session saved in the OS file manager; the main process knows it by its receipt only. */
export function ShowInFolderButton({ receipt, onError }: { receipt: string; onError: (error: unknown) => void }) {
  const [busy, setBusy] = useState(false);
  async function show() {
    setBusy(true);
    onError(null);
    try {
      await api.filesShowInFolder({ receipt });
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button variant="ghost" size="small" busy={busy} onClick={() => void show()} data-testid="show-in-folder">
      Show in folder
    </Button>
  );
}

/** Refresh, filter, audit copies and removal. Each destructive action asks first; the main process logs all. */
export function ActionsPanel({
  summary,
  report,
  onOpenReport,
  onRemoved,
}: {
  summary: ReportSummary;
  report: AssetReport;
  onOpenReport(reportId: string): void;
  onRemoved(): void;
}) {
  const confirm = useConfirm();
  const [dialog, setDialog] = useState<'refresh' | 'filter' | null>(null);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const can = {
    refresh: useCan('reports:refresh').allowed,
    filter: useCan('reports:filter').allowed,
    remove: useCan('reports:remove').allowed,
  };

  async function remove() {
    const ok = await confirm({
      title: 'Remove this report?',
      message: (
        <>
          <p>Plaid will delete the report and its audit copies; AssetDesk keeps only the activity-log entry.</p>
          <p>Auditors holding an audit copy will lose access. This cannot be undone.</p>
        </>
      ),
      confirmLabel: 'Remove report',
      danger: true,
    });
    if (!ok) return;
    setRemoving(true);
    setError(null);
    try {
      await api.reportsRemove({ reportId: summary.id });
      onRemoved();
    } catch (err) {
      setError(err);
      setRemoving(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="rp-actions-title" data-testid="actions-panel">
      <h2 id="rp-actions-title">Report actions</h2>
      <RoleNote channel="reports:refresh" what="refreshing, filtering, sharing or removing reports" />
      <div className="rp-action-list">
        {can.refresh && (
          <div className="rp-action">
            <div>
              <h3>Refresh</h3>
              <p className="muted">
                Ask Plaid for a new report over the same banks with up-to-date transactions. This report stays as its
                parent.
              </p>
            </div>
            <Button onClick={() => setDialog('refresh')} data-testid="action-refresh">
              Refresh…
            </Button>
          </div>
        )}
        {can.filter && (
          <div className="rp-action">
            <div>
              <h3>Filter</h3>
              <p className="muted">
                Make a copy of this report without some accounts (e.g. accounts not used for the loan).
              </p>
            </div>
            <Button onClick={() => setDialog('filter')} data-testid="action-filter">
              Filter accounts…
            </Button>
          </div>
        )}
        {can.remove && (
          <div className="rp-action">
            <div>
              <h3>Remove</h3>
              <p className="muted">Delete the report at Plaid and here.</p>
            </div>
            <Button variant="danger" busy={removing} onClick={remove} data-testid="action-remove">
              Remove report…
            </Button>
          </div>
        )}
      </div>
      <ErrorAlert error={error} />
      <AuditCopies reportId={summary.id} />
      {dialog === 'refresh' && (
        <RefreshDialog summary={summary} onClose={() => setDialog(null)} onDone={(next) => onOpenReport(next.id)} />
      )}
      {dialog === 'filter' && (
        <FilterDialog
          summary={summary}
          report={report}
          onClose={() => setDialog(null)}
          onDone={(next) => onOpenReport(next.id)}
        />
      )}
    </section>
  );
}

function RefreshDialog({
  summary,
  onClose,
  onDone,
}: {
  summary: ReportSummary;
  onClose(): void;
  onDone(next: ReportSummary): void;
}) {
  const [days, setDays] = useState(summary.daysRequested);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldId = useId();
  const options = [...new Set<number>([...DAYS_REQUESTED_PRESETS, summary.daysRequested])].sort((a, b) => a - b);
  return (
    <Dialog
      title="Refresh the report"
      onClose={onClose}
      size="small"
      testId="refresh-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            busy={busy}
            data-testid="refresh-submit"
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                onDone(await api.reportsRefresh({ reportId: summary.id, daysRequested: days }));
              } catch (err) {
                setError(err);
                setBusy(false);
              }
            }}
          >
            Refresh report
          </Button>
        </>
      }
    >
      <div className="field">
        <label htmlFor={fieldId}>Days of history requested</label>
        <select id={fieldId} value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="refresh-days">
          {options.map((d) => (
            <option key={d} value={d}>
              {formatDays(d)}
            </option>
          ))}
        </select>
      </div>
      <p className="muted">
        Plaid generates the refreshed report in the background; it opens here with the changes since this one.
      </p>
      <ErrorAlert error={error} />
    </Dialog>
  );
}

function FilterDialog({
  summary,
  report,
  onClose,
  onDone,
}: {
  summary: ReportSummary;
  report: AssetReport;
  onClose(): void;
  onDone(next: ReportSummary): void;
}) {
  const accounts = report.items.flatMap((item) => item.accounts.map((account) => ({ item, account })));
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const allExcluded = excluded.size === accounts.length;
  return (
    <Dialog
      title="Filter accounts out of the report"
      onClose={onClose}
      testId="filter-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            busy={busy}
            disabled={excluded.size === 0 || allExcluded}
            data-testid="filter-submit"
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                onDone(await api.reportsFilter({ reportId: summary.id, accountIdsToExclude: [...excluded] }));
              } catch (err) {
                setError(err);
                setBusy(false);
              }
            }}
          >
            Create filtered report
          </Button>
        </>
      }
    >
      <fieldset className="rp-fieldset">
        <legend>Accounts to exclude</legend>
        {accounts.map(({ item, account }) => (
          <label key={account.account_id} className="checkbox">
            <input
              type="checkbox"
              checked={excluded.has(account.account_id)}
              data-testid={`exclude-${account.account_id}`}
              onChange={(e) => {
                const next = new Set(excluded);
                if (e.target.checked) next.add(account.account_id);
                else next.delete(account.account_id);
                setExcluded(next);
              }}
            />
            {item.institution_name} · {accountLabel(account)}{' '}
            <span className="muted">({account.subtype ?? account.type})</span>
          </label>
        ))}
      </fieldset>
      {allExcluded && <p className="alert alert-error">Keep at least one account in the report.</p>}
      <ErrorAlert error={error} />
    </Dialog>
  );
}

function AuditCopies({ reportId }: { reportId: string }) {
  const confirm = useConfirm();
  const copies = useLoad(() => api.auditCopiesList({ reportId }), [reportId]);
  // Another desk shared or revoked a copy.
  useTeamChanges(copies.reload, { concerns: (changes) => changes.tables.includes('audit_copies') });
  const [auditor, setAuditor] = useState('fannie_mae');
  const [otherId, setOtherId] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const selectId = useId();
  const otherFieldId = useId();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // A revoked copy's row goes, and its Revoke button with the keyboard focus: the focus goes to the section instead.
  const revokedRef = useRef<string | null>(null);
  useEffect(() => {
    const revoked = revokedRef.current;
    if (!revoked || copies.data?.some((c) => c.id === revoked && c.removedAt === null)) return;
    revokedRef.current = null;
    if (document.activeElement === document.body || !document.activeElement) headingRef.current?.focus();
  }, [copies.data]);
  const can = {
    create: useCan('auditCopies:create').allowed,
    copyToken: useCan('auditCopies:copyToken').allowed,
    revoke: useCan('auditCopies:remove').allowed,
  };

  async function run(key: string, action: () => Promise<string | null>) {
    setBusy(key);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  const auditorId = auditor === 'other' ? otherId.trim() : auditor;
  const active = (copies.data ?? []).filter((c: AuditCopy) => c.removedAt === null);
  const nameOf = (id: string) => agencyName(id) ?? id;

  return (
    <div className="rp-audit" data-testid="audit-copies">
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        Audit copies
      </h3>
      <p className="muted">
        An audit copy lets an auditor such as Fannie Mae read this report with its own token. The token is never shown:
        “Copy token” on a copy puts it on the clipboard, to give to the auditor.
      </p>
      {can.create && (
        <div className="rp-export-row">
          <div className="field">
            <label htmlFor={selectId}>Auditor</label>
            <select
              id={selectId}
              value={auditor}
              onChange={(e) => setAuditor(e.target.value)}
              data-testid="auditor-select"
            >
              {AGENCY_AUDITORS.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
              <option value="other">Other auditor…</option>
            </select>
          </div>
          {auditor === 'other' && (
            <div className="field">
              <label htmlFor={otherFieldId}>Auditor id</label>
              <input
                id={otherFieldId}
                value={otherId}
                onChange={(e) => setOtherId(e.target.value)}
                placeholder="e.g. acme_audit"
              />
            </div>
          )}
          <Button
            busy={busy === 'create'}
            disabled={auditorId === ''}
            data-testid="audit-create"
            onClick={() =>
              run('create', async () => {
                await api.auditCopiesCreate({ reportId, auditorId });
                copies.reload();
                return `Audit copy for ${nameOf(auditorId)} created. Use “Copy token” to give its token to the auditor.`;
              })
            }
          >
            Create audit copy
          </Button>
        </div>
      )}
      {copies.status === 'loading' && !copies.data && <Skeleton lines={2} label="Loading audit copies" />}
      {copies.status === 'error' && <ErrorAlert error={copies.error} />}
      {copies.data && active.length === 0 && <p className="muted">No audit copies.</p>}
      {active.length > 0 && (
        <table className="data-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Auditor</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {active.map((copy) => (
              <tr key={copy.id} data-testid="audit-copy">
                <td>{nameOf(copy.auditorId)}</td>
                <td>{formatDateTime(copy.createdAt)}</td>
                <td className="rp-row-actions">
                  {can.copyToken && (
                    <Button
                      size="small"
                      busy={busy === `copy:${copy.id}`}
                      data-testid="audit-copy-token"
                      onClick={() =>
                        run(`copy:${copy.id}`, async () => {
                          await api.auditCopiesCopyToken({ auditCopyId: copy.id });
                          return `The audit copy token for ${nameOf(copy.auditorId)} is on the clipboard.`;
                        })
                      }
                    >
                      Copy token
                    </Button>
                  )}
                  {can.revoke && (
                    <Button
                      size="small"
                      variant="danger"
                      busy={busy === `revoke:${copy.id}`}
                      data-testid="audit-revoke"
                      onClick={async () => {
                        const ok = await confirm({
                          title: 'Revoke this audit copy?',
                          message: `${nameOf(copy.auditorId)} will no longer be able to read this report with its token.`,
                          confirmLabel: 'Revoke',
                          danger: true,
                        });
                        if (!ok) return;
                        await run(`revoke:${copy.id}`, async () => {
                          await api.auditCopiesRemove({ auditCopyId: copy.id });
                          revokedRef.current = copy.id;
                          copies.reload();
                          return `Audit copy for ${nameOf(copy.auditorId)} revoked.`;
                        });
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p aria-live="polite" className="muted" data-testid="audit-notice">
        {notice}
      </p>
      <ErrorAlert error={error} />
    </div>
  );
}

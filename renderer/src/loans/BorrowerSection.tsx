import { useState } from 'react';
import { formatPhone, type Applicant, type Item, type Loan } from '../../../shared/domain';
import { api } from '../api';
import { HostedLinkSessions } from '../link/HostedLinkSessions';
import { href, navigate } from '../shell/router';
import {
  Button,
  ItemStatusChip,
  applicantFullName,
  environmentLabel,
  formatDate,
  toAppError,
  useConfirm,
  useToast,
} from '../ui';
import { useCan } from '../team/TeamContext';

/** A bank named as people say it: the bank, then each account with its full mask. */
function accountsText(item: Item): string {
  return item.accounts.map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`).join(', ') || 'No accounts';
}

function ItemRow({ item, loanId, onRemoved }: { item: Item; loanId: string; onRemoved(): void }) {
  const confirm = useConfirm();
  const toast = useToast();
  const [removing, setRemoving] = useState(false);
  const canRelink = useCan('link:createToken').allowed;
  const canRemove = useCan('items:remove').allowed;
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
      {item.status === 'needs_relink' && canRelink && (
        <Button
          size="small"
          variant="primary"
          onClick={() => navigate(href.link(item.applicantId, loanId, item.id))}
          data-testid="relink-item"
        >
          Re-link
        </Button>
      )}
      {item.status !== 'removed' && canRemove && (
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

export function BorrowerSection({
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
  const canEdit = useCan('borrowers:update').allowed;
  const canRemoveBorrower = useCan('borrowers:remove').allowed;
  // Handing over starts Link, and a Hosted Link is made at Plaid: both are loan work that calls Plaid.
  const canLink = useCan('link:createToken').allowed;
  const canSendHosted = useCan('link:createHosted').allowed;

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
        {canEdit && (
          <Button size="small" onClick={onEdit} aria-label={`Edit ${name}`} data-testid="edit-borrower">
            Edit
          </Button>
        )}
        {index > 0 && canRemoveBorrower && (
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
      {(canLink || canSendHosted) && (
        <div className="detail-actions">
          {canLink && (
            <Button
              variant={handIsPrimary ? 'primary' : 'secondary'}
              onClick={() => navigate(href.link(borrower.id, loan.id))}
              data-testid="hand-to-applicant"
            >
              Hand to {borrower.firstName}
            </Button>
          )}
          {canSendHosted && (
            <Button onClick={onSendHosted} data-testid="send-hosted-link">
              Send Hosted Link to {borrower.firstName}
            </Button>
          )}
        </div>
      )}
      <HostedLinkSessions applicant={borrower} refreshKey={hostedKey} onLinked={onChanged} />
    </section>
  );
}

import { agencyName, type ActivityEntry } from '../../../shared/domain';

/** What an activity entry's detail may hold, read defensively: old entries and other versions wrote less. */
function text(detail: Record<string, unknown>, key: string): string | null {
  const value = detail[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

const LOAN_STATUS: Record<string, string> = { open: 'open', closed: 'closed', withdrawn: 'withdrawn' };
const CONFIRMATION: Record<string, string> = {
  ownership: 'ownership',
  business_review: 'business funds review',
  conversion: 'currency conversion',
};

/** What a sourcing entry was about: one large deposit (entries without `what`), a split group or a possible gift. */
function sourcedWhat(detail: Record<string, unknown>): string {
  const count = Array.isArray(detail.transactionIds) ? detail.transactionIds.length : 0;
  if (detail.what === 'split_deposit') return `Split deposit (${count} deposit${count === 1 ? '' : 's'})`;
  if (detail.what === 'possible_gift') return count > 1 ? `${count} possible gifts` : 'Possible gift';
  return 'Large deposit';
}

/** The activity log's codes in the officer's words; an unknown code still reads as words. */
export function describeActivity(entry: ActivityEntry): string {
  const d = entry.detail;
  const bank = text(d, 'institution');
  const atBank = bank ? ` at ${bank}` : '';
  switch (entry.action) {
    case 'loan_created':
      return `Loan file opened${text(d, 'borrowers') ? ` with ${text(d, 'borrowers')} borrower${d.borrowers === 1 ? '' : 's'}` : ''}`;
    case 'loan_updated':
      return 'Loan terms changed';
    case 'loan_status_changed':
      return `Loan ${LOAN_STATUS[text(d, 'to') ?? ''] ?? 'status changed'}${text(d, 'from') ? ` (was ${LOAN_STATUS[text(d, 'from')!] ?? text(d, 'from')})` : ''}`;
    case 'borrower_added':
      return 'Co-borrower added';
    case 'borrower_updated':
      return 'Borrower details changed';
    case 'borrower_removed':
      return `Co-borrower removed${text(d, 'name') ? `: ${text(d, 'name')}` : ''}`;
    case 'item_linked':
      return `Bank linked${atBank}`;
    case 'item_relinked':
      return `Bank re-linked${atBank}`;
    case 'item_needs_relink':
      return `Bank needs re-linking${atBank}`;
    case 'item_removed':
    case 'item_deleted':
      return `Bank link removed${atBank}`;
    case 'item_link_outcome_unknown':
      return 'A bank link may not have finished; check the banks';
    case 'hosted_link_created':
      return 'Hosted Link sent';
    case 'hosted_link_revoked':
      return 'Hosted Link withdrawn';
    case 'report_requested':
    case 'report_created':
      return d.kind === 'refresh'
        ? 'Report refresh requested'
        : d.kind === 'filter'
          ? 'Filtered report requested'
          : 'Asset Report requested';
    case 'report_sent':
      return d.kind === 'refresh'
        ? 'Refresh request sent to Plaid'
        : d.kind === 'filter'
          ? 'Filter request sent to Plaid'
          : 'Report request sent to Plaid';
    case 'report_request_not_sent':
      return 'Request not sent: AssetDesk stopped before it reached Plaid';
    case 'report_removal_sent':
      return 'Removal request sent to Plaid';
    case 'report_refreshed':
      return 'Report refreshed';
    case 'report_filtered':
      return 'Filtered report made';
    case 'report_fast_ready':
      return 'First look (Fast Assets) ready';
    case 'report_ready':
      return d.kind === 'refresh'
        ? 'Refreshed report ready'
        : d.kind === 'filter'
          ? 'Filtered report ready'
          : 'Asset Report ready';
    case 'report_failed':
      return `Report failed${text(d, 'code') ? ` (${text(d, 'code')})` : ''}`;
    case 'report_fetched_without_insights':
      return 'Report read without Plaid’s insights';
    case 'report_not_made':
      return `Report not made: Plaid refused the request${text(d, 'code') ? ` (${text(d, 'code')})` : ''}`;
    case 'report_removed':
      // A failed report AssetDesk never had Plaid's token for is removed here only.
      return d.removedAtPlaid === false
        ? `${d.status === 'failed' ? 'Failed report' : 'Report'} removed from AssetDesk (not at Plaid)`
        : `${d.status === 'failed' ? 'Failed report' : 'Report'} removed at Plaid`;
    case 'report_deleted':
      return 'Report removed at Plaid';
    case 'report_exported':
      return `Report exported${text(d, 'format') ? ` as ${text(d, 'format')!.toUpperCase()}` : ''}`;
    case 'exported':
      return 'Loan file exported';
    case 'deposit_sourced':
      return `${sourcedWhat(d)} marked as sourced`;
    case 'deposit_unsourced':
      return `${sourcedWhat(d)} no longer marked as sourced`;
    case 'account_confirmed':
      return `Account confirmed (${CONFIRMATION[text(d, 'kind') ?? ''] ?? 'checked'})`;
    case 'account_unconfirmed':
      return 'Account confirmation withdrawn';
    case 'audit_copy_created':
      return `Audit copy shared with ${agencyName(text(d, 'auditorId') ?? '') ?? 'an auditor'}`;
    case 'audit_copy_removed':
    case 'audit_copy_deleted':
      return `Audit copy for ${agencyName(text(d, 'auditorId') ?? '') ?? 'an auditor'} removed`;
    case 'audit_copy_token_copied':
      return `Audit copy token copied for ${agencyName(text(d, 'auditorId') ?? '') ?? 'an auditor'}`;
    case 'handoff_started':
      return 'Computer handed to the borrower';
    case 'handoff_ended':
      return 'Officer returned to the desk';
    case 'loan_deleted':
      return 'Loan file deleted';
    default: {
      const words = entry.action.replace(/_/g, ' ');
      return words.charAt(0).toUpperCase() + words.slice(1);
    }
  }
}

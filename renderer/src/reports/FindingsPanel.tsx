import { useId, useState } from 'react';
import type { StoredAccountConfirmation } from '../../../shared/domain';
import {
  PURPOSE_WORDS,
  type AccountConfirmation,
  type Finding,
  type FindingSeverity,
  type FundsToCloseResult,
  type LargeDeposit,
  type OwnershipBadge,
  type UnderwritingAnalysis,
} from '../../../shared/underwriting/types';
import { formatShare } from '../../../shared/underwriting/accounts';
import { withOthers } from '../../../shared/underwriting/loan-funds';
import { Button, Chip } from '../ui';
import { formatDate, formatMoney } from './format';
import { LargeDepositsTable } from './LargeDepositsTable';
import { NoteDateField } from './NoteDateField';
import { NotCountedAccounts } from './NotCountedAccounts';
import type { SourcedTogether } from '../../../shared/ipc/contract';
import { SplitDepositsAndGifts } from './SplitDepositsAndGifts';

export interface FindingFocus {
  label: string;
  ids?: ReadonlySet<string>;
  accountId?: string;
  from?: string;
  to?: string;
}

interface Props {
  analysis: UnderwritingAnalysis;
  onShowTransactions(focus: FindingFocus): void;
  onMarkSourced(deposit: LargeDeposit, note: string): Promise<void>;
  onUnmarkSourced(deposit: LargeDeposit): Promise<void>;
  /** A split group's deposits or a possible gift, sourced with one note (and undone) together. */
  onMarkSourcedTogether(what: SourcedTogether, transactionIds: string[], note: string): Promise<void>;
  onUnmarkSourcedTogether(what: SourcedTogether, transactionIds: string[]): Promise<void>;
  confirmations?: StoredAccountConfirmation[];
  /** "Institution · Account ••mask" by account key, for the accounts in this report. */
  accountNames?: Map<string, string>;
  onConfirmAccount?(confirmation: AccountConfirmation): Promise<void>;
  onWithdrawConfirmation?(confirmation: Pick<AccountConfirmation, 'accountKey' | 'kind'>): Promise<void>;
  /** The loan's expected note date and how to change it; without onSaveNoteDate the field is not shown. */
  noteDate?: string | null;
  onSaveNoteDate?(date: string | null): Promise<void>;
}

const AGENCY: Record<'fannie_mae' | 'freddie_mac', string> = {
  fannie_mae: 'Fannie Mae, 4 months',
  freddie_mac: 'Freddie Mac, 120 days',
};

const SEVERITY_ORDER: Record<FindingSeverity, number> = { attention: 0, info: 1, ok: 2 };
const SEVERITY_LABEL: Record<FindingSeverity, [string, 'danger' | 'info' | 'success']> = {
  attention: ['Needs attention', 'danger'],
  info: ['Worth knowing', 'info'],
  ok: ['Checked', 'success'],
};

export const BADGE_LABEL: Record<OwnershipBadge, [string, 'warning' | 'info' | 'danger' | 'neutral']> = {
  joint: ['Joint', 'info'],
  trust: ['Trust', 'warning'],
  business: ['Business', 'warning'],
  owners_unavailable: ['Owners unavailable', 'warning'],
  name_mismatch: ['Name mismatch', 'danger'],
  possible_match: ['Possible match — confirm', 'warning'],
  confirmed: ['Ownership confirmed', 'info'],
};

/** What a finding's link opens: its transactions, or the days behind it on its account. */
export function focusOf(finding: Finding): FindingFocus | null {
  if (finding.transactionIds.length > 0) return { label: finding.title, ids: new Set(finding.transactionIds) };
  if (finding.dates.length > 0) {
    const sorted = [...finding.dates].sort();
    const focus: FindingFocus = { label: finding.title, from: sorted[0]!, to: sorted[sorted.length - 1]! };
    if (finding.accountId) focus.accountId = finding.accountId;
    return focus;
  }
  return null;
}

/**
 * The underwriter's lens, first in the viewer: what needs the officer before the file goes to
 * underwriting, each finding with its rule's citation and a link to the transactions behind it.
 */
export function FindingsPanel({
  analysis,
  onShowTransactions,
  onMarkSourced,
  onUnmarkSourced,
  onMarkSourcedTogether,
  onUnmarkSourcedTogether,
  confirmations = [],
  accountNames = new Map(),
  onConfirmAccount = async () => undefined,
  onWithdrawConfirmation = async () => undefined,
  noteDate = null,
  onSaveNoteDate,
}: Props) {
  const headingId = useId();
  const [showChecked, setShowChecked] = useState(false);
  const findings = [...analysis.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const open = findings.filter((f) => f.severity !== 'ok');
  const checked = findings.filter((f) => f.severity === 'ok');
  const ftc = analysis.fundsToClose;
  const deposits = analysis.largeDeposits;

  return (
    <section className="panel rp-findings" aria-labelledby={headingId} data-testid="findings-panel">
      <div className="panel-header">
        <h2 id={headingId}>Underwriting findings</h2>
        <span className="spacer" />
        <span data-testid="findings-counts">
          <Chip
            tone={analysis.counts.attention > 0 ? 'danger' : 'success'}
          >{`${analysis.counts.attention} ${analysis.counts.attention === 1 ? 'needs' : 'need'} attention`}</Chip>{' '}
          <Chip tone="info">{`${analysis.counts.info} worth knowing`}</Chip>
        </span>
      </div>
      <p className="muted rp-disclaimer">
        AssetDesk’s analysis of Plaid’s report against the agencies’ guides — not part of Plaid’s report.
      </p>

      <dl className="rp-figures" data-testid="funds-to-close">
        <div>
          <dt>Verified liquid assets</dt>
          <dd>
            {formatMoney(ftc.verifiedLiquidAssets)}
            <span className="muted rp-figure-note" data-testid="verified-explained">
              {verifiedExplained(ftc)}
            </span>
          </dd>
        </div>
        <div>
          <dt>Unsourced large deposits</dt>
          <dd>
            <span data-testid="unsourced-total">{formatMoney(deposits.totalUnsourced)}</span>
            {deposits.totalUnsourced > ftc.unsourcedDeducted && (
              // A refinance needs no sourcing: the total is shown for the record, and nothing comes off.
              <span className="muted rp-figure-note" data-testid="unsourced-not-deducted">
                Not deducted on a {PURPOSE_WORDS[analysis.purpose]}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Available for closing</dt>
          <dd data-testid="available-funds">{formatMoney(ftc.availableFunds)}</dd>
        </div>
        <div>
          <dt>Funds to close + reserves</dt>
          <dd>{formatMoney(ftc.required)}</dd>
        </div>
        <div>
          <dt>
            {ftc.shortfall > 0 ? 'Shortfall' : 'Surplus'}
            {ftc.loan ? ', this report alone' : ''}
          </dt>
          <dd className={ftc.shortfall > 0 ? 'rp-bad' : 'rp-good'} data-testid="funds-surplus">
            {formatMoney(ftc.shortfall > 0 ? ftc.shortfall : ftc.surplus)}
          </dd>
        </div>
        {ftc.loan && (
          // A co-borrower's report may hold what this one lacks: the loan's figure adds its current reports.
          <div>
            <dt>{ftc.loan.shortfall > 0 ? 'Loan shortfall' : 'Loan surplus'}</dt>
            <dd className={ftc.loan.shortfall > 0 ? 'rp-bad' : 'rp-good'} data-testid="loan-funds-surplus">
              {formatMoney(ftc.loan.shortfall > 0 ? ftc.loan.shortfall : ftc.loan.surplus)}
              <span className="muted rp-figure-note" data-testid="loan-funds-explained">
                {/* The figure is after every report's unsourced deposits: say so, or it does not add up by hand. */}
                {`${formatMoney(ftc.loan.availableFunds)} available in ${withOthers(ftc.loan).replace('This report', 'this report')}, each account once${ftc.loan.unsourcedDeducted > 0 ? `, after ${formatMoney(ftc.loan.unsourcedDeducted)} of unsourced large deposits` : ''}`}
              </span>
            </dd>
          </div>
        )}
        <div>
          <dt>Refresh by</dt>
          <dd className={analysis.documentAge.refreshDue ? 'rp-bad' : undefined} data-testid="refresh-by">
            {formatDate(analysis.documentAge.refreshBy)}
            {analysis.documentAge.refreshDue ? ' (due)' : ''}
            <span className="muted rp-figure-note" data-testid="refresh-rule">
              {analysis.documentAge.limits.length > 1 &&
              analysis.documentAge.limits.every((l) => l.lastNoteDate === analysis.documentAge.refreshBy)
                ? 'Fannie Mae and Freddie Mac agree'
                : AGENCY[analysis.documentAge.bindingAgency]}
              {analysis.documentAge.du
                ? analysis.documentAge.du.met
                  ? '; DU 45 days met'
                  : '; DU 45 days NOT met'
                : ''}
              {analysis.documentAge.noteDateKnown ? `, note date ${formatDate(analysis.documentAge.measuredOn)}` : ''}
            </span>
          </dd>
        </div>
        {ftc.notCounted.length > 0 && (
          <div>
            <dt>Not counted</dt>
            <dd className="rp-bad" data-testid="not-counted-count">
              {ftc.notCounted.length} account{ftc.notCounted.length === 1 ? '' : 's'}
            </dd>
          </div>
        )}
      </dl>

      {onSaveNoteDate && <NoteDateField key={noteDate ?? ''} value={noteDate} onSave={onSaveNoteDate} />}

      <NotCountedAccounts
        notCounted={ftc.notCounted}
        confirmations={confirmations}
        accountNames={accountNames}
        onConfirm={onConfirmAccount}
        onWithdraw={onWithdrawConfirmation}
      />

      {open.length === 0 ? (
        <p className="alert alert-success" data-testid="no-findings">
          Nothing needs attention in this report.
        </p>
      ) : (
        <ul className="rp-finding-list">
          {open.map((finding) => (
            <FindingRow key={finding.id} finding={finding} onShowTransactions={onShowTransactions} />
          ))}
        </ul>
      )}

      {deposits.deposits.length > 0 && (
        <LargeDepositsTable
          deposits={deposits.deposits}
          threshold={deposits.threshold}
          onShowTransactions={onShowTransactions}
          onMarkSourced={onMarkSourced}
          onUnmarkSourced={onUnmarkSourced}
        />
      )}

      <SplitDepositsAndGifts
        deposits={deposits}
        onMarkSourced={onMarkSourcedTogether}
        onUnmarkSourced={onUnmarkSourcedTogether}
      />

      {checked.length > 0 && (
        <div className="rp-checked">
          <Button variant="ghost" size="small" aria-expanded={showChecked} onClick={() => setShowChecked((v) => !v)}>
            {showChecked ? 'Hide' : 'Show'} {checked.length} check{checked.length === 1 ? '' : 's'} that passed
          </Button>
          {showChecked && (
            <ul className="rp-finding-list">
              {checked.map((finding) => (
                <FindingRow key={finding.id} finding={finding} onShowTransactions={onShowTransactions} />
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** What the verified figure adds up, and why it is not the Total assets shown with the accounts. */
export function verifiedExplained(ftc: FundsToCloseResult): string {
  const parts: string[] = [];
  // An overdrawn account can take the cash below zero: it is still part of the sum.
  if (ftc.depositoryAssets !== 0) parts.push(`cash ${formatMoney(ftc.depositoryAssets)}`);
  if (ftc.retirementAssetsGross > 0)
    parts.push(
      `retirement ${formatMoney(ftc.retirementAssets)} (${formatShare(ftc.retirementDiscount)} of ${formatMoney(ftc.retirementAssetsGross)})`,
    );
  if (ftc.brokerageAssets > 0) parts.push(`brokerage ${formatMoney(ftc.brokerageAssets)}`);
  if (ftc.hsaAssets > 0) parts.push(`HSA ${formatMoney(ftc.hsaAssets)}`);
  const left = ftc.notCounted.length;
  const leftOut =
    left > 0 ? `; ${left} account${left === 1 ? ' is' : 's are'} not counted until confirmed (see below)` : '';
  return (
    `${parts.length > 0 ? `Counted: ${parts.join(' + ')}.` : 'No account counted yet.'} ` +
    `Total assets adds every asset account at its full balance; this counts only accounts the borrowers own and can use, each kind at the lender’s share${leftOut}.`
  );
}

// A finding for a whole cause lists every deposit: over a thousand on a heavy report, too long to lay out at open.
const SHORT_DETAIL = 480;

/** The finding's text, shortened when long, with the rest one click away. */
function FindingDetail({ detail }: { detail: string }) {
  const [full, setFull] = useState(false);
  if (detail.length <= SHORT_DETAIL) return <p className="rp-finding-detail">{detail}</p>;
  return (
    <p className="rp-finding-detail">
      {full ? detail : `${detail.slice(0, detail.lastIndexOf(' ', SHORT_DETAIL))} …`}{' '}
      <button
        type="button"
        className="rp-link-button"
        aria-expanded={full}
        onClick={() => setFull((v) => !v)}
        data-testid="finding-detail-toggle"
      >
        {/* Not always a list: a co-borrower's funds finding is a few sentences, the loan's figure last. */}
        {full ? 'Show less' : 'Show the rest'}
      </button>
    </p>
  );
}

function FindingRow({
  finding,
  onShowTransactions,
}: {
  finding: Finding;
  onShowTransactions(focus: FindingFocus): void;
}) {
  const [label, tone] = SEVERITY_LABEL[finding.severity];
  const focus = focusOf(finding);
  return (
    <li
      className={`rp-finding rp-finding-${finding.severity}`}
      data-testid="finding"
      data-rule={finding.rule}
      data-severity={finding.severity}
    >
      <div className="rp-finding-head">
        <Chip tone={tone}>{label}</Chip>
        <strong className="rp-finding-title">{finding.title}</strong>
        {finding.amount !== undefined && <span className="num">{formatMoney(finding.amount)}</span>}
      </div>
      <FindingDetail detail={finding.detail} />
      <p className="rp-finding-foot">
        <cite className="muted">{finding.citation}</cite>
        {focus && (
          <button
            type="button"
            className="rp-link-button"
            onClick={() => onShowTransactions(focus)}
            data-testid="finding-show"
          >
            {focus.ids
              ? `Show ${focus.ids.size} transaction${focus.ids.size === 1 ? '' : 's'}`
              : `Show the days (${formatDate(focus.from)} – ${formatDate(focus.to)})`}
          </button>
        )}
      </p>
    </li>
  );
}

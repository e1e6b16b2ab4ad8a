import type { AssetReportGetResult } from '../asset-report';
import type { ReportAccount } from './accounts';
import { balanceOf, cents, describeTransaction, reportAccounts } from './accounts';
import { addDays, toIsoDate } from './dates';
import type { AccountLabel } from './types';

export interface DiffDeposit extends AccountLabel {
  transactionId: string;
  date: string;
  /** Positive: money in. */
  amount: number;
  description: string;
}

export interface BalanceChange extends AccountLabel {
  before: number | null;
  after: number | null;
  /** after - before; null when either is missing. */
  change: number | null;
}

export interface ReportDiff {
  parentReportId: string;
  childReportId: string;
  parentDate: string;
  childDate: string;
  /** Money in that the parent did not have, newest first. */
  newDeposits: DiffDeposit[];
  newDepositsTotal: number;
  /** Every account in both reports, in the child's order. */
  balanceChanges: BalanceChange[];
  accountsAdded: AccountLabel[];
  accountsRemoved: AccountLabel[];
}

/** account_id first; institution + mask when a bank re-issued ids (re-linked Item). */
function accountKeys(entry: ReportAccount): string[] {
  const keys = [`id:${entry.account.account_id}`];
  if (entry.account.mask) keys.push(`mask:${entry.item.institution_id}:${entry.account.type}:${entry.account.mask}`);
  return keys;
}

/** A refreshed (or filtered) report against its parent: new deposits, balance changes, accounts added or removed. */
export function diffReports(parent: AssetReportGetResult, child: AssetReportGetResult): ReportDiff {
  const parentAccounts = reportAccounts(parent);
  const childAccounts = reportAccounts(child);
  const parentByKey = new Map<string, ReportAccount>();
  for (const entry of parentAccounts)
    for (const key of accountKeys(entry)) if (!parentByKey.has(key)) parentByKey.set(key, entry);

  const matched = new Set<ReportAccount>();
  const balanceChanges: BalanceChange[] = [];
  const accountsAdded: AccountLabel[] = [];
  const pairs: [ReportAccount, ReportAccount | null][] = [];
  for (const entry of childAccounts) {
    const keys = accountKeys(entry);
    const before =
      keys.map((key) => parentByKey.get(key)).find((candidate) => candidate && !matched.has(candidate)) ?? null;
    pairs.push([entry, before]);
    if (!before) {
      accountsAdded.push(entry.label);
      continue;
    }
    matched.add(before);
    const was = balanceOf(before.account);
    const now = balanceOf(entry.account);
    balanceChanges.push({
      ...entry.label,
      before: was,
      after: now,
      change: was !== null && now !== null ? cents(now - was) : null,
    });
  }
  const accountsRemoved = parentAccounts.filter((entry) => !matched.has(entry)).map((entry) => entry.label);

  const parentTransactionIds = new Set(
    parentAccounts.flatMap((entry) => entry.account.transactions.map((t) => t.transaction_id)),
  );
  // A refresh may ask for more days than its parent: deposits older than the parent's window are history the parent
  // did not ask for, not money that came in since.
  const parentStart = addDays(toIsoDate(parent.report.date_generated), -parent.report.days_requested);
  const newDeposits: DiffDeposit[] = [];
  for (const [entry] of pairs) {
    for (const transaction of entry.account.transactions) {
      if (transaction.amount >= 0 || parentTransactionIds.has(transaction.transaction_id)) continue;
      if (transaction.date < parentStart) continue;
      // A deposit that was pending in the parent posts with a new id that points back at the pending one.
      if (transaction.pending_transaction_id && parentTransactionIds.has(transaction.pending_transaction_id)) continue;
      newDeposits.push({
        ...entry.label,
        transactionId: transaction.transaction_id,
        date: transaction.date,
        amount: cents(-transaction.amount),
        description: describeTransaction(transaction),
      });
    }
  }
  newDeposits.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.amount - a.amount));

  return {
    parentReportId: parent.report.asset_report_id,
    childReportId: child.report.asset_report_id,
    parentDate: parent.report.date_generated,
    childDate: child.report.date_generated,
    newDeposits,
    newDepositsTotal: cents(newDeposits.reduce((sum, deposit) => sum + deposit.amount, 0)),
    balanceChanges,
    accountsAdded,
    accountsRemoved,
  };
}

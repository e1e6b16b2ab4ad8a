import type { AssetReportTransaction } from '../asset-report';
import type { ReportAccount } from './accounts';
import {
  cents,
  describeAccount,
  describeAccountAt,
  describeTransaction,
  formatMoney,
  isDepository,
  transactionText,
} from './accounts';
import { dailyBalances, historyDays } from './balances';
import { daysBetween } from './dates';
import { othersAccountsSentence } from './ownership';
import { CITATIONS } from './types';
import type {
  Finding,
  NegativeBalanceDays,
  NsfEvent,
  NsfResult,
  NsfWindow,
  OwnershipResult,
  ReturnedDeposit,
} from './types';

// How banks and Plaid's categories name the fee: "NSF FEE", "OVERDRAFT ITEM FEE", "RETURNED ITEM FEE",
// category "Bank Fees, Overdraft" / "Bank Fees, Insufficient Funds", BANK_FEES_INSUFFICIENT_FUNDS.
const NSF = /\bNSF\b|NON-?SUFFICIENT|INSUFFICIENT[ _]FUNDS|OVERDRAFT|\bOD (?:ITEM )?FEE|RETURNED ITEM|UNPAID ITEM/;
const FEE = /FEE|CHARGE|\bCHG\b/;
const REVERSAL = /REVERS|REFUND|WAIVE|\bREV\b|CREDIT|RETURN OF/;
// "OVERDRAFT PROTECTION TRANSFER FROM SAVINGS" moves the applicant's own money; it is no fee.
const TRANSFER = /TRANSFER|XFER|TFR/;

function mentionsNsf(text: string): boolean {
  return NSF.test(text) && (!TRANSFER.test(text) || FEE.test(text));
}

const NSF_ANY_CASE = new RegExp(NSF.source, 'i');

/** A cheap first look, field by field, before building the full text. */
function mayMentionNsf(transaction: AssetReportTransaction): boolean {
  const { original_description, name, category, credit_category } = transaction;
  return (
    (original_description !== null && NSF_ANY_CASE.test(original_description)) ||
    (name !== undefined && NSF_ANY_CASE.test(name)) ||
    (category?.some((part) => NSF_ANY_CASE.test(part)) ?? false) ||
    (credit_category ? NSF_ANY_CASE.test(credit_category.detailed) : false)
  );
}

// A check the applicant deposited came back unpaid: the payer's NSF, not the applicant's ("DEPOSITED ITEM RETURNED",
// "RETURN DEPOSIT ITEM", "CHARGEBACK OF DEPOSITED CHECK").
const RETURNED_DEPOSIT =
  /DEPOSITED (?:ITEM|CHECK|CHK)|DEP(?:OSIT)?\.? (?:ITEM )?RET(?:URN(?:ED)?)?\b|RETURN(?:ED)? DEP(?:OSIT(?:ED)?)?\b|CHARGE ?BACK (?:OF )?DEP|RETURNED DEPOSIT/;

// A cheap first look at the bank's own text before the full text is built (tens of thousands of transactions).
const MAY_BE_RETURNED = /RET|CHARGE ?BACK|DEPOSITED/i;

/** A returned deposited item (or the bank's fee for it): money out because someone else's check bounced. */
export function isReturnedDeposit(transaction: AssetReportTransaction): boolean {
  if (transaction.amount <= 0) return false;
  const { original_description, name } = transaction;
  if (!(original_description && MAY_BE_RETURNED.test(original_description)) && !(name && MAY_BE_RETURNED.test(name)))
    return false;
  return RETURNED_DEPOSIT.test(transactionText(transaction));
}

/** A fee charged for insufficient funds or an overdraft (money out). */
export function isNsfFee(transaction: AssetReportTransaction): boolean {
  return transaction.amount > 0 && !isReturnedDeposit(transaction) && mentionsNsf(transactionText(transaction));
}

/** The bank giving such a fee back (money in). */
export function isNsfReversal(transaction: AssetReportTransaction): boolean {
  const text = transactionText(transaction);
  return (
    transaction.amount < 0 &&
    mentionsNsf(text) &&
    !RETURNED_DEPOSIT.test(text) &&
    (REVERSAL.test(text) || FEE.test(text))
  );
}

const WINDOWS = [30, 60, 90] as const;

/**
 * Pairs each reversal with the fee it gives back, whatever the listing order or day: the same amount first,
 * then the fee nearest in time, a fee on or before the reversal before one after it.
 */
function pairReversals(fees: NsfEvent[], reversals: AssetReportTransaction[]): void {
  const byDate = [...reversals].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const reversal of byDate) {
    const refund = cents(-reversal.amount);
    const open = fees.filter((fee) => fee.reversedBy === null);
    const pool = open.some((fee) => fee.amount === refund) ? open.filter((fee) => fee.amount === refund) : open;
    const rank = (fee: NsfEvent) => {
      const gap = daysBetween(fee.date, reversal.date);
      return gap >= 0 ? gap : 100_000 - gap;
    };
    const fee = [...pool].sort((a, b) => rank(a) - rank(b))[0];
    if (fee) fee.reversedBy = reversal.transaction_id;
  }
}

/** Days with an end-of-day balance below zero, per deposit account, from the (rebuilt) daily balance history. */
function negativeDays(accounts: ReportAccount[], reportDate: string): NegativeBalanceDays[] {
  const result: NegativeBalanceDays[] = [];
  for (const { account, label } of accounts) {
    if (!isDepository(account) || account.historical_balances.length === 0) continue;
    // As far back as the history goes, up to 90 days; newest first.
    const balances = dailyBalances(account, reportDate, Math.min(90, historyDays(account, reportDate))) ?? [];
    const below = (days: number) => balances.slice(0, days).filter((balance) => balance < 0).length;
    const entry = { ...label, days30: below(30), days60: below(60), days90: below(90) };
    if (entry.days90 > 0) result.push(entry);
  }
  return result;
}

/**
 * NSF/overdraft fees on the borrowers' deposit accounts over the 30/60/90 days before the report date, net of
 * reversed fees; returned deposited items on their own; days below zero from the balance history (banks that charge
 * no fee). Accounts owned by someone not on the loan (`othersAccounts`) are left out, and named.
 */
export function checkNsf(
  allAccounts: ReportAccount[],
  reportDate: string,
  othersAccounts: readonly OwnershipResult[] = [],
): { nsf: NsfResult; findings: Finding[] } {
  const others = new Set(othersAccounts.map((o) => o.accountId));
  const accounts = allAccounts.filter(({ account }) => !others.has(account.account_id));
  // Only deposit accounts are read for fees: name those.
  const leftOut = othersAccountsSentence(othersAccounts.filter((o) => o.type === 'depository'));
  const events: NsfEvent[] = [];
  const returnedDeposits: ReturnedDeposit[] = [];
  for (const { account, label } of accounts) {
    if (!isDepository(account)) continue;
    // Only fee-like transactions are examined; a heavy report has tens of thousands of others.
    const fees: NsfEvent[] = [];
    const reversals: AssetReportTransaction[] = [];
    for (const transaction of account.transactions) {
      // A pending fee is not in the current balance yet and may still be dropped: read it once it posts.
      if (transaction.pending || transaction.amount === 0 || transaction.date > reportDate) continue;
      if (isReturnedDeposit(transaction)) {
        returnedDeposits.push({
          ...label,
          transactionId: transaction.transaction_id,
          date: transaction.date,
          amount: cents(transaction.amount),
          description: describeTransaction(transaction),
          kind: FEE.test(transactionText(transaction)) ? 'fee' : 'item',
        });
        continue;
      }
      if (!mayMentionNsf(transaction) || !mentionsNsf(transactionText(transaction))) continue;
      if (isNsfFee(transaction)) {
        fees.push({
          ...label,
          transactionId: transaction.transaction_id,
          date: transaction.date,
          amount: cents(transaction.amount),
          description: describeTransaction(transaction),
          reversedBy: null,
        });
      } else if (isNsfReversal(transaction)) reversals.push(transaction);
    }
    pairReversals(fees, reversals);
    events.push(...fees);
  }
  events.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  returnedDeposits.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));

  const windows = WINDOWS.map((days): NsfWindow => {
    const inWindow = events.filter((event) => daysBetween(event.date, reportDate) <= days);
    const reversed = inWindow.filter((event) => event.reversedBy !== null).length;
    return { days, fees: inWindow.length, reversed, net: inWindow.length - reversed };
  }) as NsfResult['windows'];
  const last = events.find((event) => event.reversedBy === null) ?? null;
  const negativeBalanceDays = negativeDays(accounts, reportDate);
  const nsf: NsfResult = {
    windows,
    events,
    returnedDeposits,
    negativeBalanceDays,
    daysSinceLast: last ? daysBetween(last.date, reportDate) : null,
    lastDate: last?.date ?? null,
  };

  const [w30, w60, w90] = windows;
  const unreversed = events.filter((event) => event.reversedBy === null);
  const counted = unreversed.filter((event) => daysBetween(event.date, reportDate) <= 90);
  const reversedIds = events.flatMap((event) => (event.reversedBy ? [event.transactionId, event.reversedBy] : []));
  const findings: Finding[] = [];
  if (w90.net > 0) {
    const total = cents(counted.reduce((sum, event) => sum + event.amount, 0));
    findings.push({
      id: 'nsf',
      rule: 'nsf',
      severity: 'attention',
      title: `${w90.net} NSF/overdraft fee${w90.net === 1 ? '' : 's'} in 90 days (${w30.net} in 30, ${w60.net} in 60)`,
      detail: `Last one ${nsf.daysSinceLast} day${nsf.daysSinceLast === 1 ? '' : 's'} before the report date, on ${nsf.lastDate}; ${formatMoney(total)} in fees${w90.reversed > 0 ? `, not counting ${w90.reversed} reversed` : ''}. Accounts: ${[...new Set(counted.map((e) => describeAccount(e)))].join(', ')}. Check the lender's overlay; an explanation may be needed.${leftOut}`,
      citation: CITATIONS.nsf,
      accountIds: [...new Set(counted.map((e) => e.accountId))],
      transactionIds: [...counted.map((event) => event.transactionId), ...reversedIds],
      dates: counted.map((event) => event.date),
    });
  } else {
    findings.push({
      id: 'nsf',
      rule: 'nsf',
      severity: 'ok',
      title: 'No NSF or overdraft fees in 90 days',
      detail: `${
        events.length > 0
          ? `${events.length} fee${events.length === 1 ? '' : 's'} in the report ${w90.reversed > 0 ? `(${w90.reversed} reversed) ` : ''}none counting in the last 90 days.`
          : 'No insufficient-funds or overdraft fees in the report.'
      }${leftOut}`,
      citation: CITATIONS.nsf,
      transactionIds: events.flatMap((event) => [event.transactionId, ...(event.reversedBy ? [event.reversedBy] : [])]),
      dates: events.map((event) => event.date),
    });
  }
  const recentReturned = returnedDeposits.filter((r) => daysBetween(r.date, reportDate) <= 90);
  if (recentReturned.length > 0) {
    const items = recentReturned.filter((r) => r.kind === 'item');
    findings.push({
      id: 'returned-deposit',
      rule: 'returned_deposit',
      severity: 'attention',
      title: `${items.length} returned deposited item${items.length === 1 ? '' : 's'} in 90 days`,
      detail: `${recentReturned.map((r) => `${formatMoney(r.amount)} on ${r.date} in ${describeAccount(r)} ("${r.description}")`).join('; ')}. A deposit that came back unpaid is not the borrower's NSF, but the money never arrived: ask what the deposit was and confirm it is not counted.`,
      citation: CITATIONS.returned_deposit,
      accountIds: [...new Set(recentReturned.map((r) => r.accountId))],
      transactionIds: recentReturned.map((r) => r.transactionId),
      dates: recentReturned.map((r) => r.date),
    });
  }
  if (negativeBalanceDays.length > 0) {
    // Days are counted per account: adding them across accounts would give more days than the window has.
    const most = (key: 'days30' | 'days60' | 'days90') => Math.max(...negativeBalanceDays.map((a) => a[key]));
    const counts = `${most('days90')} of the last 90 days (${most('days30')} of 30, ${most('days60')} of 60)`;
    findings.push({
      id: 'negative-balance',
      rule: 'negative_balance',
      severity: 'attention',
      title:
        negativeBalanceDays.length === 1
          ? `Overdrawn on ${counts}`
          : `${negativeBalanceDays.length} accounts overdrawn, on up to ${counts}`,
      // Two banks may both have a "Plaid Checking ••0000": the bank is part of the account's name here.
      detail: `From the daily balance history, overdrawn with or without a fee: ${negativeBalanceDays.map((a) => `${describeAccountAt(a)}: ${a.days30} of the last 30 days, ${a.days60} of 60, ${a.days90} of 90`).join('; ')}. Check the lender's overlay.`,
      citation: CITATIONS.negative_balance,
      accountIds: negativeBalanceDays.map((a) => a.accountId),
      transactionIds: [],
      dates: [],
    });
  }
  return { nsf, findings };
}

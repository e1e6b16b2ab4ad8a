import type { AssetReportTransaction } from '../asset-report';
import type { ReportAccount } from './accounts';
import { cents, describeAccount, describeTransaction, formatMoney, isDepository, transactionText } from './accounts';
import { daysBetween } from './dates';
import { CITATIONS } from './types';
import type { Finding, NsfEvent, NsfResult, NsfWindow } from './types';

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

/** A fee charged for insufficient funds or an overdraft (money out). */
export function isNsfFee(transaction: AssetReportTransaction): boolean {
  return transaction.amount > 0 && mentionsNsf(transactionText(transaction));
}

/** The bank giving such a fee back (money in). */
export function isNsfReversal(transaction: AssetReportTransaction): boolean {
  const text = transactionText(transaction);
  return transaction.amount < 0 && mentionsNsf(text) && (REVERSAL.test(text) || FEE.test(text));
}

const WINDOWS = [30, 60, 90] as const;

/**
 * NSF/overdraft fees on deposit accounts over the 30/60/90 days before the report date, net of fees reversed.
 * Each reversal cancels one earlier fee on the same account (same amount preferred, else the latest),
 * so a reversal never cancels a fee it could not belong to.
 */
export function checkNsf(accounts: ReportAccount[], reportDate: string): { nsf: NsfResult; findings: Finding[] } {
  const events: NsfEvent[] = [];
  for (const { account, label } of accounts) {
    if (!isDepository(account)) continue;
    // Only fee-like transactions are sorted and matched; a heavy report has tens of thousands of others.
    const feeLike = account.transactions
      .filter((t) => t.amount !== 0 && t.date <= reportDate && mayMentionNsf(t) && mentionsNsf(transactionText(t)))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const open: NsfEvent[] = [];
    for (const transaction of feeLike) {
      if (isNsfFee(transaction)) {
        const event: NsfEvent = {
          ...label,
          transactionId: transaction.transaction_id,
          date: transaction.date,
          amount: cents(transaction.amount),
          description: describeTransaction(transaction),
          reversedBy: null,
        };
        events.push(event);
        open.push(event);
      } else if (isNsfReversal(transaction)) {
        const refund = cents(-transaction.amount);
        const sameAmount = open.filter((fee) => fee.amount === refund);
        const fee = (sameAmount.length > 0 ? sameAmount : open).at(-1);
        if (fee) {
          fee.reversedBy = transaction.transaction_id;
          open.splice(open.indexOf(fee), 1);
        }
      }
    }
  }
  events.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));

  const windows = WINDOWS.map((days): NsfWindow => {
    const inWindow = events.filter((event) => daysBetween(event.date, reportDate) <= days);
    const reversed = inWindow.filter((event) => event.reversedBy !== null).length;
    return { days, fees: inWindow.length, reversed, net: inWindow.length - reversed };
  }) as NsfResult['windows'];
  const last = events.find((event) => event.reversedBy === null) ?? null;
  const nsf: NsfResult = {
    windows,
    events,
    daysSinceLast: last ? daysBetween(last.date, reportDate) : null,
    lastDate: last?.date ?? null,
  };

  const [w30, w60, w90] = windows;
  const unreversed = events.filter((event) => event.reversedBy === null);
  const counted = unreversed.filter((event) => daysBetween(event.date, reportDate) <= 90);
  const reversedIds = events.flatMap((event) => (event.reversedBy ? [event.transactionId, event.reversedBy] : []));
  let finding: Finding;
  if (w90.net > 0) {
    const total = cents(counted.reduce((sum, event) => sum + event.amount, 0));
    finding = {
      id: 'nsf',
      rule: 'nsf',
      severity: 'attention',
      title: `${w90.net} NSF/overdraft fee${w90.net === 1 ? '' : 's'} in 90 days (${w30.net} in 30, ${w60.net} in 60)`,
      detail: `Last one ${nsf.daysSinceLast} day${nsf.daysSinceLast === 1 ? '' : 's'} before the report date, on ${nsf.lastDate}; ${formatMoney(total)} in fees${w90.reversed > 0 ? `, not counting ${w90.reversed} reversed` : ''}. Accounts: ${[...new Set(counted.map((e) => describeAccount(e)))].join(', ')}. Check the lender's overlay; an explanation may be needed.`,
      citation: CITATIONS.nsf,
      transactionIds: [...counted.map((event) => event.transactionId), ...reversedIds],
      dates: counted.map((event) => event.date),
    };
  } else {
    finding = {
      id: 'nsf',
      rule: 'nsf',
      severity: 'ok',
      title: 'No NSF or overdraft fees in 90 days',
      detail:
        events.length > 0
          ? `${events.length} fee${events.length === 1 ? '' : 's'} in the report ${w90.reversed > 0 ? `(${w90.reversed} reversed) ` : ''}none counting in the last 90 days.`
          : 'No insufficient-funds or overdraft fees in the report.',
      citation: CITATIONS.nsf,
      transactionIds: events.flatMap((event) => [event.transactionId, ...(event.reversedBy ? [event.reversedBy] : [])]),
      dates: events.map((event) => event.date),
    };
  }
  return { nsf, findings: [finding] };
}

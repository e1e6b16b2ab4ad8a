import type { AssetReportTransaction } from '../asset-report';
import type { ReportAccount } from './accounts';
import { describeTransaction, transactionText } from './accounts';
import { daysBetween } from './dates';

/**
 * Payroll: a deposit above the large-deposit threshold needs no sourcing when it is wages. Wages need evidence of
 * wages: Plaid's income category (legacy "Payroll", or INCOME_WAGES), or pay words (payroll, direct deposit,
 * salary, a payroll processor) on deposits that recur from one payer at a wage interval. A rhythm alone proves
 * nothing (a parent can wire 5,000 every month), and one deposit saying "PAYROLL" can be a bonus or a one-off.
 * A gift, a wire or a person-to-person payment is never wages, whatever its words or category.
 */

// Person-to-person and wallet services: somebody's money, never wages, however regular.
const PERSON_TO_PERSON =
  /ZELLE|VENMO|CASH ?APP|SQUARE CASH|PAYPAL|APPLE ?(?:PAY|CASH)|GOOGLE ?(?:PAY|WALLET)|\bGPAY\b|POPMONEY|WESTERN UNION|MONEYGRAM|REMITLY|\bXOOM\b|\bWISE\b|REVOLUT|CHIME PAY/;
/** Text that reads like a gift. */
export const GIFT = /\bGIFTS?\b|\bGIFTED\b|BIRTHDAY|WEDDING/;
// Someone sends a wire on purpose, one at a time; employers pay wages by ACH. "_WIRE" is Plaid's category text.
const WIRE = /(?:^|[^A-Z])WIRE|FEDWIRE|\bWT FED/;
// What banks and payroll processors print on wages.
const PAY_WORDS =
  /PAYROLL|\bPAYRL\b|\bDIR(?:ECT)? ?DEP|\bSALARY\b|\bSALARIES\b|\bWAGES?\b|\bPAYCHECK\b|\bADP\b|PAYCHEX|GUSTO|\bTRINET\b|PAYLOCITY|\bPAYCOM\b|\bPAYCOR\b|JUSTWORKS|RIPPLING/;
// Deposits that name no payer (a check, cash, an ATM): a pattern of them proves nothing about wages.
const ANONYMOUS =
  /MOBILE (?:CHECK )?DEP|\bATM\b|CHECK DEP|CHK DEP|CASH DEP|BRANCH DEP|REMOTE DEP|^DEPOSIT\b|\bDEPOSIT$/;
const TRANSFER = /TRANSFER|XFER|\bTFR\b|TRNSFR/;
// Wage intervals in days: weekly, bi-weekly or semi-monthly (weekend shifts included), monthly.
const PAY_BANDS: [number, number][] = [
  [6, 8],
  [12, 18],
  [26, 33],
];

/** A gift, a wire or a P2P payment: never wages, whatever Plaid's category or the words say. */
function neverWages(transaction: AssetReportTransaction): boolean {
  const text = transactionText(transaction);
  return PERSON_TO_PERSON.test(text) || GIFT.test(text) || WIRE.test(text);
}

/** Plaid's insights say wages: category Payroll, or credit category INCOME_WAGES. Never a gift, wire or P2P. */
export function isPayrollByInsights(transaction: AssetReportTransaction): boolean {
  if (neverWages(transaction)) return false;
  return (
    transaction.credit_category?.detailed === 'INCOME_WAGES' ||
    (transaction.category ?? []).some((part) => part.toLowerCase() === 'payroll')
  );
}

/** The payer as the bank prints it, without references and numbers: "ACME CORP PAYROLL PPD 123" → "ACME CORP PAYROLL PPD". */
export function payerKey(transaction: AssetReportTransaction): string {
  return describeTransaction(transaction)
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((token) => token.length > 0 && !/\d/.test(token))
    .join(' ');
}

function regularDates(dates: string[]): boolean {
  const sorted = [...new Set(dates)].sort();
  if (sorted.length < 3) return false;
  const gaps = sorted.slice(1).map((date, i) => daysBetween(sorted[i] ?? date, date));
  return PAY_BANDS.some(([low, high]) => gaps.every((gap) => gap >= low && gap <= high));
}

/**
 * Is this deposit named as pay, from a payer whose deposits into the account recur at a wage interval: at least 3
 * deposits, every gap within one band (weekly, bi-/semi-monthly, monthly)? Gifts, wires, P2P, transfers and
 * anonymous deposits (checks, cash) never qualify. Payers are looked up only for the deposits asked about, once
 * per account and payer.
 */
export function payrollPattern(): (entry: ReportAccount, transaction: AssetReportTransaction) => boolean {
  const known = new Map<string, boolean>();
  return (entry, transaction) => {
    const key = payerKey(transaction);
    if (!key) return false;
    const description = describeTransaction(transaction).toUpperCase();
    if (
      !PAY_WORDS.test(`${description} ${(transaction.name ?? '').toUpperCase()}`) ||
      neverWages(transaction) ||
      TRANSFER.test(description) ||
      ANONYMOUS.test(description)
    )
      return false;
    const cacheKey = `${entry.account.account_id}|${key}`;
    let recurring = known.get(cacheKey);
    if (recurring === undefined) {
      // A cheap substring test first: a heavy account has thousands of deposits from other payers.
      const firstWord = key.split(' ')[0] ?? key;
      const dates = entry.account.transactions
        .filter((t) => t.amount < 0 && describeTransaction(t).toUpperCase().includes(firstWord) && payerKey(t) === key)
        .map((t) => t.date);
      recurring = regularDates(dates);
      known.set(cacheKey, recurring);
    }
    return recurring;
  };
}

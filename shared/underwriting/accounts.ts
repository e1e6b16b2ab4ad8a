import type {
  AssetReportAccount,
  AssetReportGetResult,
  AssetReportItem,
  AssetReportTransaction,
} from '../asset-report';
import type { AccountLabel, AssetClass, HsaTreatment, NotCountedReason } from './types';

/** An account with the Item it came from: what every rule walks over. */
export interface ReportAccount {
  item: AssetReportItem;
  account: AssetReportAccount;
  label: AccountLabel;
}

export function reportAccounts(result: AssetReportGetResult): ReportAccount[] {
  return result.report.items.flatMap((item) =>
    item.accounts.map((account) => ({ item, account, label: accountLabel(item, account) })),
  );
}

export function accountLabel(item: AssetReportItem, account: AssetReportAccount): AccountLabel {
  return {
    accountId: account.account_id,
    itemId: item.item_id,
    institutionName: item.institution_name,
    name: account.name,
    mask: account.mask,
    type: account.type,
    subtype: account.subtype,
  };
}

/** "Plaid Checking ••0000" for titles. */
export function describeAccount(label: Pick<AccountLabel, 'name' | 'mask'>): string {
  return label.mask ? `${label.name} ••${label.mask}` : label.name;
}

/** "Plaid Checking ••0000 at Tartan Bank": where two banks may hold accounts with the same name and mask. */
export function describeAccountAt(label: Pick<AccountLabel, 'name' | 'mask' | 'institutionName'>): string {
  return `${describeAccount(label)} at ${label.institutionName}`;
}

/** Checking, savings, money market, CD, cash management: money the applicant can spend. */
export function isDepository(account: AssetReportAccount): boolean {
  return account.type === 'depository';
}

/** Retirement and brokerage: assets without transaction history from Plaid. */
export function isInvestment(account: AssetReportAccount): boolean {
  return account.type === 'investment' || account.type === 'brokerage';
}

/** Credit and loan balances are amounts owed, never assets. */
export function isDebt(account: AssetReportAccount): boolean {
  return account.type === 'credit' || account.type === 'loan';
}

export function isAssetAccount(account: AssetReportAccount): boolean {
  return isDepository(account) || isInvestment(account);
}

/** current, or available when an institution leaves current empty. */
export function balanceOf(account: AssetReportAccount): number | null {
  return account.balances.current ?? account.balances.available ?? null;
}

/** The words a person would read for a transaction: raw bank text, else Plaid's cleaned name. */
export function describeTransaction(transaction: AssetReportTransaction): string {
  return (transaction.original_description ?? transaction.name ?? transaction.merchant_name ?? '').trim();
}

/** All searchable text of a transaction, upper-cased: raw description, cleaned name, categories. */
export function transactionText(transaction: AssetReportTransaction): string {
  return [
    transaction.original_description,
    transaction.name,
    transaction.merchant_name,
    ...(transaction.category ?? []),
    transaction.credit_category?.primary,
    transaction.credit_category?.detailed,
  ]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(' | ')
    .toUpperCase();
}

/** Money rounded to cents, so sums of floating amounts compare and print cleanly. */
export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

// One formatter for every call: toLocaleString with options builds a new one each time (thousands per report).
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A share as the percent it is, to four decimals: 0.675 → "67.5%" (rounding to whole percents showed 68%). */
export function formatShare(share: number): string {
  return `${Number((share * 100).toFixed(4))}%`;
}

export function formatMoney(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}$${twoDecimals.format(Math.abs(amount))}`;
}

/**
 * The identity of an account that survives a refresh, a filtered copy and a re-link of the same bank:
 * institution, mask (else Plaid's account id) and subtype. Officer confirmations are stored under it.
 */
export function accountKey(item: Pick<AssetReportItem, 'institution_id'>, account: AssetReportAccount): string {
  return `${item.institution_id}:${account.mask ?? account.account_id}:${account.subtype ?? account.type}`;
}

/** The account's currency code (ISO, else Plaid's unofficial code such as BTC); null when Plaid sent neither. */
export function currencyOf(account: AssetReportAccount): string | null {
  return account.balances.iso_currency_code ?? account.balances.unofficial_currency_code ?? null;
}

// Plaid's investment subtypes (AccountSubtype), by how they count. Retirement: at the lender's discount.
const RETIREMENT = new Set([
  '401a',
  '401k',
  '403b',
  '457b',
  'ira',
  'roth',
  'roth 401k',
  'roth 403b',
  'roth 457b',
  'roth pension',
  'roth profit sharing plan',
  'roth thrift savings plan',
  'sep ira',
  'simple ira',
  'sarsep',
  'keogh',
  'pension',
  'retirement',
  'thrift savings plan',
  'profit sharing plan',
  'lif',
  'lira',
  'lrif',
  'lrsp',
  'prif',
  'rlif',
  'rrif',
  'rrsp',
  'sipp',
  'tfsa',
]);
// Stocks, bonds and funds the borrower holds outright: at the brokerage share.
const BROKERAGE = new Set(['brokerage', 'non-taxable brokerage account', 'mutual fund']);
// Not the borrower's to spend without a review, whatever the balance: the money of a minor held by a custodian,
// savings whose withdrawals are for education, and policies worth only their documented surrender value.
const RESTRICTED = new Map<string, RestrictedReason>([
  ['ugma', 'custodial'],
  ['utma', 'custodial'],
  ['529', 'education'],
  ['education savings account', 'education'],
  ['resp', 'education'],
  ['fixed annuity', 'annuity_insurance'],
  ['variable annuity', 'annuity_insurance'],
  ['other annuity', 'annuity_insurance'],
  ['life insurance', 'annuity_insurance'],
  ['other insurance', 'annuity_insurance'],
]);
// Deposit accounts whose money cannot be brought to closing: food and cash benefits (EBT), and checking that
// rejects every payment but its one purpose (rent or mortgage).
const LIMITED_USE_DEPOSITORY = new Set(['ebt', 'limited purpose checking']);
const CRYPTO_SUBTYPES = new Set(['crypto exchange', 'non-custodial wallet']);
// Plaid's unofficial currency codes are crypto currencies (BTC, ETH, …).
const CRYPTO_NAME = /\bCRYPTO|\bBITCOIN|\bCOINBASE|\bBTC\b|\bETH(?:EREUM)?\b/i;

/** Why an investment account of the 'restricted' class is held back. */
export type RestrictedReason = Extract<
  NotCountedReason,
  'custodial' | 'education' | 'annuity_insurance' | 'needs_review' | 'limited_use'
>;

/** Which asset class an account is, deciding the share of it that counts. */
export function assetClassOf(account: AssetReportAccount): AssetClass {
  const subtype = (account.subtype ?? '').toLowerCase();
  if (isDebt(account)) return 'debt';
  if (
    CRYPTO_SUBTYPES.has(subtype) ||
    account.balances.unofficial_currency_code !== null ||
    (isInvestment(account) && CRYPTO_NAME.test(`${account.name} ${account.official_name ?? ''}`))
  )
    return 'crypto';
  if (subtype === 'hsa') return 'hsa';
  if (isDepository(account)) return LIMITED_USE_DEPOSITORY.has(subtype) ? 'restricted' : 'cash';
  if (!isInvestment(account)) return 'other';
  if (RETIREMENT.has(subtype)) return 'retirement';
  if (BROKERAGE.has(subtype)) return 'brokerage';
  return 'restricted';
}

/**
 * Why a 'restricted' account does not count: custodial, education, annuity or insurance, a deposit account of
 * limited use (EBT, limited-purpose checking), or an investment kind (stock plan, GIC, ISA, trust, none given, …)
 * whose withdrawable value only a statement shows.
 */
export function restrictedReason(account: Pick<AssetReportAccount, 'type' | 'subtype'>): RestrictedReason {
  if (account.type === 'depository') return 'limited_use';
  return RESTRICTED.get((account.subtype ?? '').toLowerCase()) ?? 'needs_review';
}

/** Money borrowed against an investment account (margin, a retirement-plan loan), as the institution reports it. */
export function borrowedAgainst(account: AssetReportAccount): number {
  const loan = isInvestment(account) ? (account.balances.margin_loan_amount ?? 0) : 0;
  return loan > 0 ? loan : 0;
}

/** The share of an asset class that counts towards funds to close under the lender's settings. */
export function classShare(
  assetClass: AssetClass,
  settings: { retirementDiscount: number; brokerageShare: number; hsaTreatment: HsaTreatment },
): number {
  switch (assetClass) {
    case 'cash':
      return 1;
    case 'crypto':
      // Counted only once converted to US dollars and documented (the conversion gate is in funds to close).
      return 1;
    case 'brokerage':
      return settings.brokerageShare;
    case 'retirement':
      return settings.retirementDiscount;
    case 'hsa':
      return settings.hsaTreatment === 'full'
        ? 1
        : settings.hsaTreatment === 'retirement'
          ? settings.retirementDiscount
          : 0;
    default:
      return 0;
  }
}

// Business accounts as banks name them ("Plaid Business Checking", "Small Business Savings", "Commercial Checking").
const BUSINESS_ACCOUNT = /\bBUSINESS\b|\bCOMMERCIAL\b|\bCORPORATE\b|\bMERCHANT\b/i;

/** The account's own name says it is a business account, whatever its owner names say. */
export function isBusinessAccountName(account: Pick<AssetReportAccount, 'name' | 'official_name'>): boolean {
  return BUSINESS_ACCOUNT.test(`${account.name} ${account.official_name ?? ''}`);
}

/** Money as integer cents: thresholds and totals compare and add exactly. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

// Shares (of income, of a class's balances) are read as decimals to 12 places: far finer than any setting, yet
// coarse enough that binary noise (0.7 - 0.4 = 0.29999999999999993) reads as the decimal that was meant.
const SHARE_SCALE = 10n ** 12n;

/**
 * A non-negative share of whole cents, exactly, in integers: the whole cents (rounded down) and what is left of a
 * cent, in 10^-12 cents (to compare remainders). 12.345% of 1,000,000 cents is 123,450 cents, remainder 0.
 */
export function shareOfCents(cents: number, share: number): { whole: number; remainder: bigint } {
  const product = BigInt(cents) * BigInt(share.toFixed(12).replace('.', ''));
  return { whole: Number(product / SHARE_SCALE), remainder: product % SHARE_SCALE };
}

/**
 * Cents in another currency at a US-dollar rate, to the nearest cent, a half cent away from zero, exactly: 4,001.00
 * CAD at 1.005 is 4,021.005, so 4,021.01 (the floating product 402100.49999999994 rounded to 4,021.00).
 */
export function convertCents(cents: number, usdRate: number): number {
  if (usdRate === 1) return cents;
  const { whole, remainder } = shareOfCents(Math.abs(cents), usdRate);
  const rounded = whole + (remainder * 2n >= SHARE_SCALE ? 1 : 0);
  return cents < 0 ? -rounded : rounded;
}

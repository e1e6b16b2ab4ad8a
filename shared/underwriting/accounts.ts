import type {
  AssetReportAccount,
  AssetReportGetResult,
  AssetReportItem,
  AssetReportTransaction,
} from '../asset-report';
import type { AccountLabel } from './types';

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

/** Checking, savings, money market, CD, cash management: money the applicant can spend. */
export function isDepository(account: AssetReportAccount): boolean {
  return account.type === 'depository';
}

/** Retirement and brokerage: assets, but counted at the lender's discount and without transaction history. */
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

export function formatMoney(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}$${twoDecimals.format(Math.abs(amount))}`;
}

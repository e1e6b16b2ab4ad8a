/**
 * Plaid's Asset Report JSON exactly as it arrives from `/asset_report/get` (API version 2020-09-14),
 * in Plaid's snake_case. Written from the spec schemas AssetReport, AssetReportItem, AccountAssets,
 * AssetReportTransaction, HistoricalBalance, Owner and Warning rather than imported from the `plaid`
 * package, because shared/ runs in the renderer too and must not pull the SDK (axios) in.
 *
 * Money signs follow Plaid: a transaction `amount` > 0 is money leaving the account, < 0 money coming in.
 * Credit and loan balances are amounts owed, not assets.
 */

/** `YYYY-MM-DD` */
export type IsoDate = string;
/** `YYYY-MM-DDTHH:MM:SSZ` */
export type IsoDateTime = string;

export type AccountType = 'investment' | 'credit' | 'depository' | 'loan' | 'brokerage' | 'other';

/** Null in Sandbox; `joint` and `trust` matter to underwriting. */
export type OwnershipType = 'individual' | 'joint' | 'association' | 'trust';

export type WarningCode =
  | 'OWNERS_UNAVAILABLE'
  | 'INVESTMENTS_UNAVAILABLE'
  | 'TRANSACTIONS_UNAVAILABLE'
  | 'BANK_INCOME_INSIGHTS_INSUFFICIENT_DATA'
  | 'BANK_INCOME_INSIGHTS_INCOMPLETE'
  | 'BANK_INCOME_INSIGHTS_STATUS_IN_PROGRESS'
  | 'BANK_INCOME_INSIGHTS_INTERNAL_ERROR'
  | 'BANK_INCOME_INSIGHTS_MISMATCHED_DAYS_REQUESTED';

/** `report.user`: the echo of `options.user` from create/refresh; every field null when nothing was sent. */
export interface AssetReportUser {
  client_user_id?: string | null;
  first_name?: string | null;
  middle_name?: string | null;
  last_name?: string | null;
  ssn?: string | null;
  phone_number?: string | null;
  email?: string | null;
}

export interface AssetReportBalances {
  available: number | null;
  current: number | null;
  limit: number | null;
  margin_loan_amount: number | null;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
  last_updated_datetime?: IsoDateTime | null;
}

/** One row per day, newest first, starting the day before `date_generated`; depository and credit only. */
export interface HistoricalBalance {
  date: IsoDate;
  current: number;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
}

export interface OwnerPhoneNumber {
  data: string;
  primary: boolean;
  type: 'home' | 'work' | 'office' | 'mobile' | 'mobile1' | 'other';
}

export interface OwnerEmail {
  data: string;
  primary: boolean;
  type: 'primary' | 'secondary' | 'other';
}

export interface OwnerAddress {
  data: {
    street: string;
    city: string | null;
    region: string | null;
    postal_code: string | null;
    country: string | null;
  };
  primary?: boolean;
}

/** Joint accounts come as several `names` inside ONE owner object. */
export interface AccountOwner {
  names: string[];
  phone_numbers: OwnerPhoneNumber[];
  emails: OwnerEmail[];
  addresses: OwnerAddress[];
}

export interface TransactionLocation {
  address: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
  store_number: string | null;
}

export interface TransactionPaymentMeta {
  reference_number: string | null;
  ppd_id: string | null;
  payee: string | null;
  by_order_of: string | null;
  payer: string | null;
  payment_method: string | null;
  payment_processor: string | null;
  reason: string | null;
}

/**
 * Fields after `transaction_id` are only present when the report was fetched with `include_insights: true`.
 */
export interface AssetReportTransaction {
  account_id: string;
  /** > 0 money out, < 0 money in. */
  amount: number;
  date: IsoDate;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
  /** The raw bank string; may be null. */
  original_description: string | null;
  pending: boolean;
  transaction_id: string;

  name?: string;
  merchant_name?: string | null;
  category?: string[] | null;
  category_id?: string | null;
  credit_category?: { primary: string; detailed: string } | null;
  location?: TransactionLocation;
  payment_meta?: TransactionPaymentMeta;
  transaction_type?: 'digital' | 'place' | 'special' | 'unresolved';
  pending_transaction_id?: string | null;
  account_owner?: string | null;
  date_transacted?: IsoDate | null;
  check_number?: string | null;
  income_source_id?: string;
}

export interface AssetReportInvestmentHolding {
  account_id: string;
  security_id: string;
  ticker_symbol: string | null;
  institution_price: number;
  institution_price_as_of?: IsoDate | null;
  institution_value: number;
  cost_basis: number | null;
  quantity: number;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
}

export interface AssetReportInvestmentSecurity {
  security_id: string;
  name: string | null;
  ticker_symbol: string | null;
  type: string | null;
}

export interface AssetReportInvestmentTransaction {
  investment_transaction_id: string;
  account_id: string;
  security_id: string | null;
  date: IsoDate;
  name: string;
  quantity: number;
  vested_quantity?: number;
  vested_value?: number;
  amount: number;
  price: number;
  fees: number | null;
  type: 'buy' | 'sell' | 'cancel' | 'cash' | 'fee' | 'transfer';
  subtype: string;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
}

/** Only with `add_ons: ["investments"]`. */
export interface AssetReportInvestments {
  holdings: AssetReportInvestmentHolding[];
  securities: AssetReportInvestmentSecurity[];
  transactions: AssetReportInvestmentTransaction[];
}

/** The spec's `AccountAssets`. */
export interface AssetReportAccount {
  account_id: string;
  balances: AssetReportBalances;
  /** History actually present; 0 for investment accounts. */
  days_available: number;
  historical_balances: HistoricalBalance[];
  mask: string | null;
  name: string;
  official_name: string | null;
  owners: AccountOwner[];
  ownership_type?: OwnershipType | null;
  type: AccountType;
  /** checking, savings, cd, money market, credit card, ira, 401k, student, mortgage, hsa, cash management, … */
  subtype: string | null;
  transactions: AssetReportTransaction[];
  investments?: AssetReportInvestments;
  persistent_account_id?: string;
}

export interface AssetReportItem {
  item_id: string;
  institution_id: string;
  institution_name: string;
  date_last_updated: IsoDateTime;
  accounts: AssetReportAccount[];
}

export interface AssetReport {
  asset_report_id: string;
  client_report_id: string | null;
  date_generated: IsoDateTime;
  days_requested: number;
  user: AssetReportUser;
  items: AssetReportItem[];
}

/** Why part of the data is missing; `item_id` says which Item. */
export interface AssetReportWarningCause {
  error_type: string;
  error_code: string;
  error_message: string | null;
  display_message: string | null;
  item_id?: string;
  /** Added by AssetDesk from its own Items: the bank the warning is about (Plaid sends only item_id). */
  institution_name?: string;
  error_code_reason?: string | null;
  request_id?: string;
}

export interface AssetReportWarning {
  warning_type: 'ASSET_REPORT_WARNING' | (string & {});
  warning_code: WarningCode | (string & {});
  cause: AssetReportWarningCause | null;
}

/** The useful part of a `/asset_report/get` response (its `request_id` is kept elsewhere). */
export interface AssetReportGetResult {
  report: AssetReport;
  warnings: AssetReportWarning[];
}

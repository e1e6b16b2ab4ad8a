import type {
  AccountType,
  AssetReportAccount,
  AssetReportGetResult,
  AssetReportTransaction,
  AssetReportWarning,
  HistoricalBalance,
  OwnershipType,
} from '../../shared/asset-report';
import { addDays } from '../../shared/underwriting/dates';
import type { LoanInputs } from '../../shared/underwriting/types';

/** Hand-built Asset Reports with known answers. The report is generated on REPORT_DATE; history starts the day before. */
export const REPORT_DATE = '2026-03-30';

export interface TransactionSpec {
  id: string;
  daysAgo: number;
  /** Plaid's sign: > 0 money out, < 0 money in. */
  amount: number;
  description: string;
  pending?: boolean;
  pendingTransactionId?: string;
  category?: string[];
}

export interface AccountSpec {
  id: string;
  name?: string;
  mask?: string | null;
  type?: AccountType;
  subtype?: string | null;
  current: number | null;
  available?: number | null;
  /** One inner array per owner object. */
  owners?: string[][];
  ownershipType?: OwnershipType | null;
  transactions?: TransactionSpec[];
  /** Days of daily history to build from the transactions (Plaid's rule); 0 = none. Defaults to daysAvailable. */
  historyDays?: number;
  daysAvailable?: number;
}

export interface ReportSpec {
  id?: string;
  date?: string;
  daysRequested?: number;
  items: { itemId: string; institutionId?: string; institutionName?: string; accounts: AccountSpec[] }[];
  warnings?: AssetReportWarning[];
}

export const ALBERTA = [['Alberta Bobbeth Charleson']];

function transaction(accountId: string, spec: TransactionSpec, reportDate: string): AssetReportTransaction {
  return {
    account_id: accountId,
    transaction_id: spec.id,
    amount: spec.amount,
    date: addDays(reportDate, -spec.daysAgo),
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    original_description: spec.description,
    pending: spec.pending ?? false,
    ...(spec.pendingTransactionId ? { pending_transaction_id: spec.pendingTransactionId } : {}),
    ...(spec.category ? { category: spec.category } : {}),
  };
}

/** current(D) = balances.current + Σ amount(t) for t posted after D: walking back from today undoes each later posting. */
function history(
  current: number,
  transactions: AssetReportTransaction[],
  reportDate: string,
  days: number,
): HistoricalBalance[] {
  const rows: HistoricalBalance[] = [];
  for (let d = 1; d <= days; d += 1) {
    const date = addDays(reportDate, -d);
    const later = transactions.filter((t) => t.date > date).reduce((sum, t) => sum + t.amount, 0);
    rows.push({
      date,
      current: Math.round((current + later) * 100) / 100,
      iso_currency_code: 'USD',
      unofficial_currency_code: null,
    });
  }
  return rows;
}

export function account(spec: AccountSpec, reportDate: string, daysRequested: number): AssetReportAccount {
  const type = spec.type ?? 'depository';
  const hasHistory = type === 'depository' || type === 'credit';
  const daysAvailable = spec.daysAvailable ?? (hasHistory ? daysRequested : 0);
  const transactions = hasHistory ? (spec.transactions ?? []).map((t) => transaction(spec.id, t, reportDate)) : [];
  const historyDays = spec.historyDays ?? (hasHistory ? daysAvailable : 0);
  return {
    account_id: spec.id,
    balances: {
      available: spec.available ?? spec.current,
      current: spec.current,
      limit: null,
      margin_loan_amount: null,
      iso_currency_code: 'USD',
      unofficial_currency_code: null,
    },
    days_available: daysAvailable,
    historical_balances: spec.current === null ? [] : history(spec.current, transactions, reportDate, historyDays),
    mask: spec.mask === undefined ? spec.id.slice(-4) : spec.mask,
    name: spec.name ?? `Account ${spec.id}`,
    official_name: null,
    owners: (spec.owners ?? ALBERTA).map((names) => ({ names, phone_numbers: [], emails: [], addresses: [] })),
    ownership_type: spec.ownershipType ?? null,
    type,
    subtype: spec.subtype ?? (type === 'depository' ? 'checking' : null),
    transactions,
  };
}

export function report(spec: ReportSpec): AssetReportGetResult {
  const date = spec.date ?? REPORT_DATE;
  const daysRequested = spec.daysRequested ?? 90;
  return {
    report: {
      asset_report_id: spec.id ?? '1f414183-220c-44f5-b0c8-bc0e6d4053bb',
      client_report_id: 'LN-1001',
      date_generated: `${date}T18:27:37Z`,
      days_requested: daysRequested,
      user: {
        client_user_id: null,
        first_name: null,
        middle_name: null,
        last_name: null,
        ssn: null,
        phone_number: null,
        email: null,
      },
      items: spec.items.map((item) => ({
        item_id: item.itemId,
        institution_id: item.institutionId ?? 'ins_109508',
        institution_name: item.institutionName ?? 'First Platypus Bank',
        date_last_updated: `${date}T18:25:00Z`,
        accounts: item.accounts.map((a) => account(a, date, daysRequested)),
      })),
    },
    warnings: spec.warnings ?? [],
  };
}

/** One Item with the given accounts. */
export function singleItem(accounts: AccountSpec[], extra: Omit<ReportSpec, 'items'> = {}): AssetReportGetResult {
  return report({ ...extra, items: [{ itemId: 'item-1', accounts }] });
}

export function loan(overrides: Partial<LoanInputs> = {}): LoanInputs {
  return {
    purpose: 'purchase',
    applicationDate: '2026-03-15',
    qualifyingMonthlyIncome: 8000,
    fundsToClose: 20000,
    reservesNeeded: 5000,
    applicantName: { first: 'Alberta', middle: 'B', last: 'Charleson' },
    ...overrides,
  };
}

import { findInstitution } from './data/institutions';
import { generateItemAccounts, type GeneratedAccount, type GeneratedTransaction } from './data/generator';
import { personaOfItem } from './data/item-persona';
import type { ItemRecord, ReportRecord } from './store';

/**
 * Builds the `report` object of /asset_report/get from a stored report: data is regenerated deterministically
 * from the Items and the report's date, so nothing large is stored; the last few results are cached.
 */
const USD = { iso_currency_code: 'USD', unofficial_currency_code: null } as const;
const inCurrency = (code: string | undefined) =>
  code === undefined ? USD : { iso_currency_code: code, unofficial_currency_code: null };
const USER_FIELDS = [
  'client_user_id',
  'first_name',
  'middle_name',
  'last_name',
  'ssn',
  'phone_number',
  'email',
] as const;

export interface ReportView {
  includeInsights: boolean;
  /** Trim history to the latest N days (options.days_to_include). */
  daysToInclude: number | null;
  /** The Fast Asset Report: balances and identity only. */
  fast: boolean;
}

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
  }
}

export class ReportBuilder {
  private readonly data = new Lru<Map<string, GeneratedAccount[]>>(4);
  private readonly json = new Lru<Buffer>(4);

  constructor(private readonly itemById: (itemId: string) => ItemRecord | null) {}

  /** Generated accounts per Item of the report (before account exclusions). */
  accountsOf(report: ReportRecord): Map<string, GeneratedAccount[]> {
    const key = `${report.item_ids.join(',')}|${report.date_generated}|${report.days_requested}`;
    let byItem = this.data.get(key);
    if (!byItem) {
      byItem = new Map();
      for (const itemId of report.item_ids) {
        const persona = personaOfItem(this.itemById(itemId));
        byItem.set(
          itemId,
          generateItemAccounts({
            itemId,
            persona,
            reportDate: new Date(report.date_generated),
            daysRequested: report.days_requested,
          }),
        );
      }
      this.data.set(key, byItem);
    }
    return byItem;
  }

  /**
   * The report as UTF-8 JSON bytes, cached: repeated polling of a large report stays cheap, and a
   * 35 MB response is encoded once rather than on every /asset_report/get.
   */
  reportJsonBytes(report: ReportRecord, view: ReportView): Buffer {
    const key = `${report.asset_report_id}|${view.includeInsights}|${view.daysToInclude}|${view.fast}`;
    let bytes = this.json.get(key);
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(this.build(report, view)), 'utf8');
      this.json.set(key, bytes);
    }
    return bytes;
  }

  /** The report object itself (a fresh copy the caller may keep), for the PDF renderer. */
  reportObject(report: ReportRecord, view: ReportView): Record<string, unknown> {
    return JSON.parse(this.reportJsonBytes(report, view).toString('utf8')) as Record<string, unknown>;
  }

  build(report: ReportRecord, view: ReportView): Record<string, unknown> {
    const excluded = new Set(report.account_ids_to_exclude);
    const byItem = this.accountsOf(report);
    const generated = new Date(report.date_generated);
    const lastUpdated = new Date(generated.getTime() - 2 * 60_000 - 17_000);
    const options = report.options;
    const user = (options.user ?? {}) as Record<string, unknown>;
    return {
      asset_report_id: report.asset_report_id,
      client_report_id: (options.client_report_id as string | null | undefined) ?? null,
      date_generated: isoSeconds(generated),
      days_requested: report.days_requested,
      user: Object.fromEntries(USER_FIELDS.map((f) => [f, (user[f] as string | null | undefined) ?? null])),
      // Items that failed during generation (require_all_items false) are left out; warnings say why.
      items: report.item_ids
        .filter((itemId) => !(report.dropped_item_ids ?? []).includes(itemId))
        .map((itemId) => {
          const item = this.itemById(itemId);
          const institution = findInstitution(item?.institution_id ?? '');
          const ownersHidden = personaOfItem(item).generation?.ownersUnavailable === true;
          return {
            item_id: itemId,
            institution_id: item?.institution_id ?? '',
            institution_name: institution?.name ?? '',
            date_last_updated: isoSeconds(lastUpdated),
            accounts: (byItem.get(itemId) ?? [])
              .filter((a) => !excluded.has(a.account_id))
              .map((a) => accountJson(ownersHidden ? { ...a, owners: [] } : a, view)),
          };
        }),
    };
  }
}

export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function accountJson(account: GeneratedAccount, view: ReportView): Record<string, unknown> {
  const limitDays = view.daysToInclude ?? Infinity;
  const history = view.fast
    ? []
    : account.historical_balances.slice(0, Math.min(account.historical_balances.length, limitDays));
  const transactions = view.fast ? [] : account.transactions.filter((t) => t.daysAgo <= limitDays);
  const { spec } = account;
  const currency = inCurrency(spec.currency);
  return {
    account_id: account.account_id,
    balances: {
      available: account.available,
      current: account.current,
      limit: account.limit,
      margin_loan_amount: null,
      ...currency,
    },
    days_available: Math.min(account.days_available, limitDays),
    historical_balances: history.map((h) => ({ current: h.current, date: h.date, ...currency })),
    mask: spec.mask,
    name: spec.name,
    official_name: spec.official_name,
    owners: account.owners,
    ownership_type: null,
    subtype: spec.subtype,
    type: spec.type,
    transactions: transactions.map((t) => (view.includeInsights ? insightTransaction(t) : plainTransaction(t))),
  };
}

function plainTransaction(t: GeneratedTransaction): Record<string, unknown> {
  return {
    account_id: t.account_id,
    amount: t.amount,
    date: t.date,
    ...inCurrency(t.currency),
    original_description: t.original_description,
    pending: false,
    transaction_id: t.transaction_id,
  };
}

function insightTransaction(t: GeneratedTransaction): Record<string, unknown> {
  const m = t.merchant;
  const storeNumber = /#\s*(\d+)\s*$/.exec(t.original_description)?.[1] ?? null;
  return {
    ...plainTransaction(t),
    account_owner: null,
    category: m.category,
    category_id: m.category_id,
    check_number: null,
    credit_category: { primary: m.credit.primary, detailed: m.credit.detailed },
    date_transacted: t.date_transacted ?? t.date,
    location: {
      address: m.location?.address ?? null,
      city: m.location?.city ?? null,
      region: m.location?.region ?? null,
      postal_code: m.location?.postal_code ?? null,
      country: m.location ? 'US' : null,
      lat: null,
      lon: null,
      store_number: m.transaction_type === 'place' ? storeNumber : null,
    },
    merchant_name: m.merchant_name,
    name: m.name,
    payment_meta: {
      by_order_of: null,
      payee: null,
      payer: null,
      payment_method: m.payment_method ?? null,
      payment_processor: null,
      ppd_id: null,
      reason: null,
      reference_number: null,
    },
    pending_transaction_id: null,
    transaction_type: m.transaction_type,
  };
}

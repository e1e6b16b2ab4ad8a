import { z } from 'zod';
import type { AssetReportGetResult } from '../asset-report';

/**
 * Reads an Asset Report as Plaid returns it from /asset_report/get (or as AssetDesk exports it): checks the parts
 * the lens reads and fills lists an institution may leave out, so a foreign or damaged file gets a clear error
 * instead of a wrong analysis. Unknown fields are kept.
 */
const money = z.number().finite();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date as YYYY-MM-DD');
const currency = {
  iso_currency_code: z.string().nullable().default(null),
  unofficial_currency_code: z.string().nullable().default(null),
};

const transaction = z.looseObject({
  transaction_id: z.string().min(1),
  account_id: z.string(),
  amount: money,
  date,
  original_description: z.string().nullable().default(null),
  pending: z.boolean().default(false),
  ...currency,
});

const account = z.looseObject({
  account_id: z.string().min(1),
  balances: z.looseObject({
    available: money.nullable().default(null),
    current: money.nullable().default(null),
    limit: money.nullable().default(null),
    margin_loan_amount: money.nullable().default(null),
    ...currency,
  }),
  days_available: z.number().int().min(0).default(0),
  historical_balances: z.array(z.looseObject({ date, current: money, ...currency })).default([]),
  mask: z.string().nullable().default(null),
  name: z.string(),
  official_name: z.string().nullable().default(null),
  owners: z.array(z.looseObject({ names: z.array(z.string()).default([]) })).default([]),
  type: z.string(),
  subtype: z.string().nullable().default(null),
  transactions: z.array(transaction).default([]),
});

const assetReportResult = z.looseObject({
  report: z.looseObject({
    asset_report_id: z.string().min(1),
    date_generated: date,
    days_requested: z.number().int().min(0),
    items: z.array(
      z.looseObject({
        item_id: z.string(),
        institution_id: z.string().default(''),
        institution_name: z.string().default(''),
        accounts: z.array(account),
      }),
    ),
  }),
  warnings: z.array(z.looseObject({ warning_code: z.string() })).default([]),
});

export type ReadReport = { ok: true; result: AssetReportGetResult } | { ok: false; problems: string[] };

/** A parsed JSON value checked as an Asset Report; problems name the path, e.g. "report.items.0.accounts.1.balances". */
export function readAssetReport(value: unknown): ReadReport {
  const parsed = assetReportResult.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`),
    };
  }
  return { ok: true, result: parsed.data as unknown as AssetReportGetResult };
}

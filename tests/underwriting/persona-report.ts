import { ReportBuilder } from '../../electron/emulator/report';
import type { ItemRecord, ReportRecord } from '../../electron/emulator/store';
import type { AssetReport, AssetReportGetResult } from '../../shared/asset-report';

/** A persona's Asset Report as the emulator's own report builder makes it (with insights), generated at GENERATED. */
export const GENERATED = '2026-03-30T18:27:37Z';

export function personaReport(username: string, daysRequested = 90): AssetReportGetResult {
  const item: ItemRecord = {
    item_id: `item-${username}`,
    access_token: 'access-sandbox-00000000-0000-4000-8000-000000000000',
    institution_id: 'ins_109508',
    username,
    products: ['assets'],
    webhook: null,
    error: null,
    created_at: GENERATED,
    removed: false,
  };
  const record: ReportRecord = {
    asset_report_id: `report-${username}`,
    asset_report_token: 'assets-sandbox-00000000-0000-4000-8000-000000000000',
    item_ids: [item.item_id],
    days_requested: daysRequested,
    options: {},
    account_ids_to_exclude: [],
    created_at: GENERATED,
    ready_at: GENERATED,
    date_generated: GENERATED,
    failure: null,
    removed: false,
    parent_report_id: null,
    webhook_sent: false,
  };
  const report = new ReportBuilder(() => item).build(record, {
    includeInsights: true,
    daysToInclude: null,
    fast: false,
  });
  return { report: report as unknown as AssetReport, warnings: [] };
}

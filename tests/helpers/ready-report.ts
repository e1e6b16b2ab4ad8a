import type { AssetDeskStore } from '../../electron/db';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { FAKE_ACCESS_TOKEN } from './fake-tokens';

type Environment = Parameters<AssetDeskStore['items']['add']>[0]['environment'];

let banks = 0;

/**
 * Stores Plaid's `content` as a ready report of the applicant, made from a bank of its own: a finished report as the
 * store holds it (the PDF a stand-in). The loan is the applicant's unless given; ready at 19:00 UTC on the report's
 * own date unless `readyAt` says otherwise; a refresh when `parentId` names the report it refreshes.
 */
export async function storeReadyContent(
  store: AssetDeskStore,
  options: {
    applicantId: string;
    content: AssetReportGetResult;
    loanId?: string;
    environment?: Environment;
    parentId?: string | null;
    readyAt?: string;
    plaidItemId?: string;
    institutionName?: string;
  },
): Promise<string> {
  const { applicantId, content, environment = 'sandbox', parentId = null } = options;
  banks += 1;
  const item = await store.items.add({
    applicantId,
    environment,
    plaidItemId: options.plaidItemId ?? `item-${banks}`,
    accessToken: FAKE_ACCESS_TOKEN,
    institutionId: 'ins_109508',
    institutionName: options.institutionName ?? 'First Platypus Bank',
    accounts: [],
  });
  const pending = await store.reports.createPending({
    loanId: options.loanId ?? (await store.applicants.get(applicantId))!.loanId,
    applicantId,
    environment,
    daysRequested: 90,
    itemIds: [item.id],
    kind: parentId ? 'refresh' : 'create',
    parentId,
    includeApplicantDetails: true,
  });
  await store.reports.markReady(pending.id, {
    reportJson: JSON.stringify(content),
    pdf: new Uint8Array([37, 80, 68, 70]),
    summary: { totalBalance: 0, accountCount: 1, earliestHistoryDate: null },
    readyAt: options.readyAt ?? `${content.report.date_generated.slice(0, 10)}T19:00:00.000Z`,
  });
  return pending.id;
}

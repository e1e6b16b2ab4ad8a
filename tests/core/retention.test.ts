import type { AxiosError } from 'axios';
import { requireKeychain } from '../helpers/keychain';
import { APPLICANT, linkBank, startHarness, until, type CoreHarness } from './harness';

/** Retention at end of life: Plaid first, then the local copies, every deletion in the activity log. */
async function plaidErrorCode(call: Promise<unknown>): Promise<string | null> {
  try {
    await call;
    return null;
  } catch (error) {
    return ((error as AxiosError).response?.data as { error_code?: string } | undefined)?.error_code ?? 'NO_RESPONSE';
  }
}

async function readyReport(h: CoreHarness, applicantId: string, itemId: string) {
  const report = await h.handlers['reports:create']({
    applicantId,
    itemIds: [itemId],
    daysRequested: 61,
    includeApplicantDetails: true,
  });
  await until(() => h.services.internals.store()!.reports.get(report.id)?.status === 'ready', 'report ready');
  return report;
}

describe('retention', () => {
  beforeAll(async () => {
    await requireKeychain();
  });

  it('deleting an applicant removes their reports at Plaid and locally, removes their Items, and logs each deletion', async () => {
    const h = await startHarness({ readyAfterMs: 0 });
    try {
      const applicant = await h.handlers['applicants:create']({ ...APPLICANT });
      const item = await linkBank(h, applicant.id);
      const report = await readyReport(h, applicant.id, item.id);
      const store = h.services.internals.store()!;
      const reportToken = String(store.reports.reportToken(report.id));
      const accessToken = String(store.items.accessToken(item.id));

      await h.handlers['applicants:delete']({ applicantId: applicant.id });

      expect(await plaidErrorCode(h.plaid.assetReportGet({ asset_report_token: reportToken }))).toBe(
        'INVALID_ASSET_REPORT_TOKEN',
      );
      expect(await plaidErrorCode(h.plaid.itemGet({ access_token: accessToken }))).toMatch(
        /INVALID_ACCESS_TOKEN|ITEM_NOT_FOUND/,
      );
      await expect(h.handlers['applicants:get']({ applicantId: applicant.id })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const log = await h.handlers['activity:list']({ applicantId: applicant.id });
      const actions = log.map((entry) => entry.action).join(' ');
      expect(actions).toMatch(/report/);
      expect(actions).toMatch(/applicant/);
      expect(JSON.stringify(log)).not.toContain(String(reportToken));
    } finally {
      await h.close();
    }
  });

  it('removes reports older than the retention setting, at Plaid and locally', async () => {
    let now = new Date();
    const h = await startHarness({ readyAfterMs: 0, services: { clock: () => now } });
    try {
      const applicant = await h.handlers['applicants:create']({ ...APPLICANT, loanNumber: 'LN-RET-1' });
      const item = await linkBank(h, applicant.id);
      const report = await readyReport(h, applicant.id, item.id);
      const reportToken = String(h.services.internals.store()!.reports.reportToken(report.id));
      await h.handlers['settings:update']({ retentionDays: 30 });

      expect(await h.services.internals.sweepRetention()).toEqual([]);
      now = new Date(now.getTime() + 31 * 24 * 60 * 60 * 1000);
      expect(await h.services.internals.sweepRetention()).toEqual([report.id]);

      expect(h.services.internals.store()!.reports.get(report.id)?.status).toBe('removed');
      expect(await plaidErrorCode(h.plaid.assetReportGet({ asset_report_token: reportToken }))).toBe(
        'INVALID_ASSET_REPORT_TOKEN',
      );
      const log = await h.handlers['activity:list']({ reportId: report.id });
      expect(log.some((entry) => /remov/i.test(entry.action))).toBe(true);
    } finally {
      await h.close();
    }
  });
});

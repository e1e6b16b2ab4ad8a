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
  // Retention by age is tested on the removal module itself: tests/core/feature-modules.test.ts.
});

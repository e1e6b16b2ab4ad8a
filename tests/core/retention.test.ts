import type { AxiosError } from 'axios';
import { requireKeychain } from '../helpers/keychain';
import { createApplicant, linkBank, startHarness, until, type CoreHarness } from './harness';

/** Retention at end of life: Plaid first, then the local copies, every deletion in the activity log. */
async function plaidErrorCode(call: Promise<unknown>): Promise<string | null> {
  try {
    await call;
    return null;
  } catch (error) {
    return ((error as AxiosError).response?.data as { error_code?: string } | undefined)?.error_code ?? 'NO_RESPONSE';
  }
}

async function readyReport(h: CoreHarness, loanId: string, itemId: string) {
  const report = await h.handlers['reports:create']({
    loanId,
    itemIds: [itemId],
    daysRequested: 61,
    includeApplicantDetails: true,
  });
  await until(
    async () => (await h.services.internals.store()!.reports.get(report.id))?.status === 'ready',
    'report ready',
  );
  return report;
}

describe('retention', () => {
  beforeAll(async () => {
    await requireKeychain();
  });

  it('deleting a loan file removes its reports at Plaid and locally, removes its Items, and logs each deletion', async () => {
    const h = await startHarness({ readyAfterMs: 0 });
    try {
      const applicant = await createApplicant(h.handlers);
      const item = await linkBank(h, applicant.id);
      const report = await readyReport(h, applicant.loanId, item.id);
      const store = h.services.internals.store()!;
      const reportToken = String(await store.reports.reportToken(report.id));
      const accessToken = String(await store.items.accessToken(item.id));

      await h.handlers['loans:delete']({ loanId: applicant.loanId });

      expect(await plaidErrorCode(h.plaid.assetReportGet({ asset_report_token: reportToken }))).toBe(
        'INVALID_ASSET_REPORT_TOKEN',
      );
      expect(await plaidErrorCode(h.plaid.itemGet({ access_token: accessToken }))).toMatch(
        /INVALID_ACCESS_TOKEN|ITEM_NOT_FOUND/,
      );
      await expect(h.handlers['loans:get']({ loanId: applicant.loanId })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const log = await h.handlers['activity:list']({ loanId: applicant.loanId });
      const actions = log.map((entry) => entry.action).join(' ');
      expect(actions).toMatch(/report/);
      expect(actions).toMatch(/loan_deleted/);
      expect(JSON.stringify(log)).not.toContain(String(reportToken));
    } finally {
      await h.close();
    }
  });
  // Retention by age is tested on the removal module itself: tests/core/feature-modules.test.ts.
});

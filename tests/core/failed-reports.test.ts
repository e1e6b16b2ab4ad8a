import type { ReportSummary } from '../../shared/domain';
import { requireKeychain } from '../helpers/keychain';
import { createApplicant, linkBank, startHarness, until, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();

/**
 * A failed create leaves a report row only when Plaid may hold a report (outcome unknown, or accepted and
 * failed later); when Plaid certainly made nothing the pending row goes in the same step. A failed report
 * can be removed by the officer: at Plaid when AssetDesk holds its token, locally otherwise; logged.
 */
describe.skipIf(!hasKeychain)('failed reports: none left for nothing made, removable otherwise (emulator)', () => {
  let h: CoreHarness;
  beforeAll(async () => {
    // A short per-call timeout so a slow create is an unknown outcome within the test.
    h = await startHarness({ services: { gatewayOptions: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 700 } } });
  });
  afterEach(() => h.emulator.faults.reset());
  afterAll(() => h?.close());

  async function loanWithBank(loanNumber: string) {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber });
    const itemId = (await linkBank(h, applicantId)).id;
    const create = () =>
      h.handlers['reports:create']({ loanId, itemIds: [itemId], daysRequested: 61, includeApplicantDetails: false });
    return { applicantId, loanId, itemId, create };
  }

  const reportsOf = async (loanId: string) => (await h.handlers['loans:get']({ loanId })).reports;
  /** The Reports screen's list (removed reports left out), this loan's rows. */
  const listedOnReportsScreen = async (loanId: string) =>
    (await h.handlers['reports:search']({})).rows.filter((r) => r.loanId === loanId);
  const activity = (applicantId: string) => h.handlers['activity:list']({ applicantId });

  test('429 after every retry: the create call fails with the rate-limit message and no report row remains', async () => {
    const { applicantId, loanId, create } = await loanWithBank('LN-FR-429');
    h.emulator.faults.failNext('/asset_report/create', 429, 6);
    const error = await create().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/RATE_LIMIT/), message: expect.any(String) });
    await h.services.internals.settled();
    expect(await reportsOf(loanId)).toEqual([]);
    expect(await listedOnReportsScreen(loanId)).toEqual([]);
    const log = await activity(applicantId);
    const notMade = log.find((a) => a.action === 'report_not_made');
    expect(notMade?.detail).toMatchObject({ code: expect.stringMatching(/RATE_LIMIT/) });
    expect(log.some((a) => a.action === 'report_failed')).toBe(false);
    // The screens hear the row is gone (they refresh their lists on it).
    const gone = h.events.find(
      (e) =>
        e.event === 'report:progress' &&
        (e.payload as { reportId: string }).reportId === notMade!.reportId &&
        (e.payload as { status: string }).status === 'removed',
    );
    expect(gone).toBeDefined();
  });

  test('a timeout on create leaves a failed row (outcome unknown); removing it is local only, and logged', async () => {
    const { applicantId, loanId, create } = await loanWithBank('LN-FR-TIMEOUT');
    h.emulator.faults.addLatency('/asset_report/create', 1500);
    await expect(create()).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await new Promise((resolve) => setTimeout(resolve, 1600)); // the emulator's late answer is ignored
    const [failed] = await reportsOf(loanId);
    expect(failed).toMatchObject({ status: 'failed', plaidReportId: null, failure: { code: 'OUTCOME_UNKNOWN' } });

    await h.handlers['reports:remove']({ reportId: failed!.id });
    expect((await h.services.internals.store()!.reports.get(failed!.id))!.status).toBe('removed');
    expect(await listedOnReportsScreen(loanId)).toEqual([]);
    const removed = (await activity(applicantId)).find((a) => a.action === 'report_removed');
    expect(removed).toMatchObject({ reportId: failed!.id, detail: { removedAtPlaid: false } });
  });

  test('a report Plaid accepted and then failed to generate stays failed; removing it removes it at Plaid too', async () => {
    const { applicantId, loanId, create } = await loanWithBank('LN-FR-GEN');
    h.emulator.faults.failReportGeneration();
    const report = await create();
    const settled = await until(
      async () => (await reportsOf(loanId)).find((r: ReportSummary) => r.id === report.id && r.status === 'failed'),
      'the report to fail',
    );
    expect(settled.plaidReportId).toEqual(expect.any(String));
    const store = h.services.internals.store()!;
    const token = (await store.reports.reportToken(report.id))!;
    expect(token).toEqual(expect.any(String));

    await h.handlers['reports:remove']({ reportId: report.id });
    expect((await store.reports.get(report.id))!.status).toBe('removed');
    expect(await store.reports.reportToken(report.id)).toBeNull();
    await expect(h.plaid.assetReportGet({ asset_report_token: token })).rejects.toMatchObject({
      response: { status: 400 },
    });
    const removed = (await activity(applicantId)).find((a) => a.action === 'report_removed');
    expect(removed).toMatchObject({ reportId: report.id, detail: { removedAtPlaid: true } });
  });
});

import { CallWindow } from '../../electron/services/reports/poller';
import { requireKeychain } from '../helpers/keychain';
import { createApplicant, linkBank, startHarness, until, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();

test('the per-report window never allows more than 15 calls in any 60 s', () => {
  const window = new CallWindow(15, 60_000);
  let now = 0;
  for (let i = 0; i < 100; i++) {
    now += window.waitBefore('r', now);
    window.record('r', now);
    now += 500; // a poller asking every half second
  }
  expect(window.maxInAnyWindow('r')).toBe(15);
  expect(window.waitBefore('other', now)).toBe(0);
});

test('a clock set back an hour while a report is polled holds the next get a minute at most, not an hour', () => {
  const window = new CallWindow(15, 60_000);
  const hourAhead = 3_600_000;
  for (let i = 0; i < 15; i++) window.record('r', hourAhead + i * 2_000); // a full window, on a clock an hour fast
  const now = hourAhead + 30_000 - 3_600_000; // the officer puts the clock right
  expect(window.waitBefore('r', now)).toBeLessThanOrEqual(60_000); // before: 3,630,000 ms
  window.record('r', now + window.waitBefore('r', now));
  expect(window.waitBefore('r', now + 120_000)).toBe(0); // and it goes on as usual
});

describe.skipIf(!hasKeychain)('readiness by polling, faults and failures (emulator, real keychain)', () => {
  let h: CoreHarness;
  let applicantId = '';
  let loanId = '';
  let itemId = '';
  beforeAll(async () => {
    h = await startHarness();
    ({ id: applicantId, loanId } = await createApplicant(h.handlers));
    itemId = (await linkBank(h, applicantId)).id;
  });
  afterAll(() => h?.close());

  const finished = (reportId: string) =>
    until(
      () =>
        h.events.find(
          (e) =>
            e.event === 'report:progress' &&
            (e.payload as { reportId: string }).reportId === reportId &&
            (e.payload as { status: string }).status !== 'pending',
        )?.payload as { status: string } | undefined,
      `report ${reportId}`,
    );

  test('with the webhook receiver off, polling alone brings the report to ready', async () => {
    await h.handlers['settings:update']({ webhook: { enabled: false, publicUrl: null } });
    expect(h.services.internals.webhookUrl()).toBeNull();
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 90,
      includeApplicantDetails: false,
    });
    expect(await finished(report.id)).toMatchObject({ status: 'ready' });
    expect(h.logger.lines.some((l) => l.includes('webhook accepted'))).toBe(false);
    const summary = (await h.handlers['reports:get']({ reportId: report.id })).summary;
    expect(summary.status).toBe('ready');
    expect(
      Buffer.from((await h.handlers['reports:pdf']({ reportId: report.id })).pdf)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  test('injected 429s, 500s and slow responses end in success with no duplicate report', async () => {
    const before = (await h.handlers['reports:search']({})).total;
    h.emulator.faults.failNext('/asset_report/create', 429, 2);
    h.emulator.faults.failNext('/asset_report/get', 500, 2);
    h.emulator.faults.failNext('/asset_report/pdf/get', 503, 1);
    h.emulator.faults.addLatency('/asset_report/pdf/get', 1500);
    try {
      const report = await h.handlers['reports:create']({
        loanId,
        itemIds: [itemId],
        daysRequested: 61,
        includeApplicantDetails: false,
      });
      expect(await finished(report.id)).toMatchObject({ status: 'ready' });
      expect((await h.handlers['reports:search']({})).total).toBe(before + 1);
      const retried = h.logger.lines.filter((l) => l.includes('plaid call failed'));
      expect(
        retried.some(
          (l) => l.includes('/asset_report/create') && l.includes('"status":429') && l.includes('"willRetry":true'),
        ),
      ).toBe(true);
      expect(retried.some((l) => l.includes('/asset_report/get') && l.includes('"status":500'))).toBe(true);
      expect(retried.some((l) => l.includes('/asset_report/pdf/get') && l.includes('"status":503'))).toBe(true);
      const readies = (await h.handlers['activity:list']({ reportId: report.id })).filter(
        (a) => a.action === 'report_ready',
      );
      expect(readies).toHaveLength(1);
    } finally {
      h.emulator.faults.reset();
    }
  });

  test("a generation failure reaches the officer with Plaid's reason", async () => {
    await h.handlers['settings:update']({ webhook: { enabled: true, publicUrl: null } });
    h.emulator.faults.failReportGeneration();
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    const outcome = (await finished(report.id)) as { status: string; message?: string };
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/Asset Report|generate/i);
    const summary = (await h.handlers['loans:get']({ loanId })).reports.find((r) => r.id === report.id)!;
    expect(summary.failure).toMatchObject({ code: 'ASSET_REPORT_GENERATION_FAILED', message: expect.any(String) });
    expect(h.notifications.some((n) => n.title === 'Asset Report failed')).toBe(true);
  });

  test('an Item needing login is marked needs_relink and gets an update-mode link token', async () => {
    const accessToken = await h.services.internals.store()!.items.accessToken(itemId);
    await h.plaid.sandboxItemResetLogin({ access_token: accessToken });
    await expect(
      h.handlers['reports:create']({
        loanId,
        itemIds: [itemId],
        daysRequested: 61,
        includeApplicantDetails: false,
      }),
    ).rejects.toMatchObject({ code: 'ITEM_LOGIN_REQUIRED' });
    await h.services.internals.settled();
    const item = (await h.handlers['loans:get']({ loanId })).items.find((i) => i.id === itemId)!;
    expect(item.status).toBe('needs_relink');
    expect(item.lastError?.code).toBe('ITEM_LOGIN_REQUIRED');
    const update = await h.handlers['link:createToken']({ applicantId, itemId });
    expect(update.updateMode).toBe(true);
  });
});

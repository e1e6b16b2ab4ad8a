import { requireKeychain } from '../helpers/keychain';
import { readyContent } from '../../electron/services/reports/ready-content';
import { readyReport, startHarness, until, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();

/**
 * The decrypted reports the main process keeps between opens (ready-content) live no longer than the report and the
 * history they come from: a removal drops its report at once, and stopping the app drops them all.
 */
describe.skipIf(!hasKeychain)('reports kept in memory between opens', () => {
  let h: CoreHarness | undefined;
  afterEach(async () => {
    await h?.close();
    readyContent.clear();
  });

  test('a removed report leaves memory with its removal, and none stays once the app stops', async () => {
    h = await startHarness();
    const { report } = await readyReport(h, 'LN-KEPT-1');
    const refresh = await h.handlers['reports:refresh']({ reportId: report.id, daysRequested: 90 });
    await until(
      async () => (await h!.handlers['reports:summary']({ reportId: refresh.id })).status === 'ready',
      'the refresh to be ready',
    );
    // Opening the refresh reads the original, the loan's other ready report, as transfer evidence.
    const opened = await h.handlers['underwriting:otherReports']({ reportId: refresh.id });
    expect(JSON.parse(opened.reportsJson)).toHaveLength(1);
    expect(readyContent.holds(report.id)).toBe(true);

    await h.handlers['reports:remove']({ reportId: report.id });
    expect(readyContent.holds(report.id)).toBe(false);
    expect((await h.handlers['underwriting:otherReports']({ reportId: refresh.id })).reportsJson).toBe('[]');

    // Kept again through another open, then the app stops (quit, a switch to a team's history): nothing is kept.
    const { report: another } = await readyReport(h, 'LN-KEPT-2');
    const anotherRefresh = await h.handlers['reports:refresh']({ reportId: another.id, daysRequested: 90 });
    await until(
      async () => (await h!.handlers['reports:summary']({ reportId: anotherRefresh.id })).status === 'ready',
      'the second refresh to be ready',
    );
    await h.handlers['underwriting:otherReports']({ reportId: anotherRefresh.id });
    expect(readyContent.holds(another.id)).toBe(true);
    await h.close();
    h = undefined;
    expect(readyContent.size.reports).toBe(0);
  });
});

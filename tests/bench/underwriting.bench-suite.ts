import { buildCoverPage, prependCoverPage } from '../../electron/services/cover-page';
import { renderAssetReportPdf } from '../../electron/emulator/pdf';
import { analyzeReport, diffReports, summarizeReport, underwritingSettings } from '../../shared/underwriting';
import { buildAssetReport } from '../emulator/pdf-fixture';
import { coverInput } from '../underwriting/cover-fixture';
import { personaReport } from '../underwriting/persona-report';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { underwritingConfirmationHandlers } from '../../electron/services/features/underwriting';
import { readyContent } from '../../electron/services/reports/ready-content';
import { memoryKeytar, openSeedStore, seedApplicant, storeReadyReport } from './renderer-seed';
import type { BenchSuite } from './types';

function median(timings: number[]): number {
  const sorted = [...timings].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
}

async function time(runs: number, work: () => unknown): Promise<number> {
  await work(); // warm-up
  const timings: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    timings.push(performance.now() - started);
  }
  return median(timings);
}

/** The longest stretch of `work` with no turn of the event loop (when no IPC call or timer could run). */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const turn = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  await work();
  running = false;
  longest = Math.max(longest, performance.now() - last);
  await new Promise((resolve) => setImmediate(resolve));
  return longest;
}

/** The lens on the heavy persona (8 accounts, 731 days, ~38,000 transactions), the cover page and the export merge. */
export const suite: BenchSuite = {
  name: 'underwriting',
  async run() {
    const heavy = personaReport('user_heavy', 731);
    const transactions = heavy.report.items.flatMap((i) => i.accounts).reduce((n, a) => n + a.transactions.length, 0);
    const loan = {
      purpose: 'purchase' as const,
      applicationDate: '2026-03-20',
      qualifyingMonthlyIncome: 13600,
      fundsToClose: 90000,
      reservesNeeded: 20000,
      applicantName: { first: 'Alberta', middle: null, last: 'Charleson' },
    };
    const analyze = await time(5, () => analyzeReport(heavy, loan, underwritingSettings(), '2026-03-31'));
    // every deposit over $400 is a candidate: the transfer matcher's worst case
    const analyzeLowIncome = await time(3, () =>
      analyzeReport(
        heavy,
        { ...loan, qualifyingMonthlyIncome: 800 },
        underwritingSettings({ largeDepositLookbackDays: null }),
        '2026-03-31',
      ),
    );
    const summary = await time(5, () => summarizeReport(heavy));
    const diff = await time(3, () => diffReports(heavy, heavy));

    const input = coverInput(); // the analysis stays outside the timed part
    const cover = await buildCoverPage(input);
    const coverMs = await time(5, () => buildCoverPage(input));
    const plaidPdf = new Uint8Array(
      await renderAssetReportPdf({
        report: buildAssetReport({ accounts: 8, transactionsPerAccount: 1000, days: 365 }),
        warnings: [],
      }),
    );
    const prependMs = await time(3, () => prependCoverPage(plaidPdf, cover));

    // A loan with two current heavy reports (a co-borrower's, say): opening one reads and analyses the other in the
    // main process, for the loan's funds to close (underwriting:otherReports).
    const workDir = mkdtempSync(join(tmpdir(), 'assetdesk-underwriting-bench-'));
    let otherReportsMs: number;
    let otherReportsAgainMs: number;
    let otherReportsBlockMs: number;
    try {
      const store = await openSeedStore(workDir, memoryKeytar());
      const seeded = await seedApplicant(store);
      // Our AssetReportGetResult is the JSON Plaid's SDK types as its own; the seeding helper takes the SDK's type.
      const content = heavy as unknown as Parameters<typeof storeReadyReport>[2];
      const opened = await storeReadyReport(store, seeded, content, plaidPdf, 'heavy-a');
      await storeReadyReport(store, seeded, content, plaidPdf, 'heavy-b');
      const handlers = underwritingConfirmationHandlers({ store: () => store, clock: () => new Date('2026-03-31') });
      const answer = await handlers['underwriting:otherReports']({ reportId: opened });
      if (answer.reportFunds.length !== 1) throw new Error('the other heavy report was not counted with the loan');
      // The first open reads, decrypts and analyses the other report; later opens use what the main process kept.
      otherReportsMs = await time(5, () => {
        readyContent.clear();
        return handlers['underwriting:otherReports']({ reportId: opened });
      });
      otherReportsAgainMs = await time(5, () => handlers['underwriting:otherReports']({ reportId: opened }));
      // How long the main process answers nothing else during a first open: the longest gap between turns of its loop.
      const gaps: number[] = [];
      for (let run = 0; run < 5; run += 1) {
        readyContent.clear();
        gaps.push(await longestBlock(() => handlers['underwriting:otherReports']({ reportId: opened })));
      }
      otherReportsBlockMs = median(gaps);
      readyContent.clear();
      await store.close();
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }

    return [
      {
        name: `analyzeReport, heavy persona (${transactions} transactions, 731 days), median of 5`,
        value: analyze,
        unit: 'ms',
      },
      {
        name: 'analyzeReport, heavy persona, every deposit a candidate, median of 3',
        value: analyzeLowIncome,
        unit: 'ms',
      },
      { name: 'summarizeReport, heavy persona, median of 5', value: summary, unit: 'ms' },
      { name: 'diffReports, heavy persona against itself, median of 3', value: diff, unit: 'ms' },
      { name: 'buildCoverPage, 18 findings, median of 5', value: coverMs, unit: 'ms' },
      {
        name: 'underwriting:otherReports with a second heavy report on the loan (read, decrypt, analyse it), median of 5',
        value: otherReportsMs,
        unit: 'ms',
      },
      {
        name: 'underwriting:otherReports with a second heavy report on the loan, opened again (kept), median of 5',
        value: otherReportsAgainMs,
        unit: 'ms',
      },
      {
        name: 'underwriting:otherReports, first open: longest time nothing else is answered, median of 5',
        value: otherReportsBlockMs,
        unit: 'ms',
      },
      {
        name: `prependCoverPage onto a ${Math.round(plaidPdf.length / 1024)} KiB Plaid PDF, median of 3`,
        value: prependMs,
        unit: 'ms',
      },
    ];
  },
};

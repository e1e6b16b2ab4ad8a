import { renderAssetReportPdf } from '../../electron/emulator/pdf';
import { buildAssetReport } from '../emulator/pdf-fixture';
import type { BenchSuite } from './types';

/** PDF rendering for a heavy-persona-sized report: 8 accounts, 731 days, 40,000 transactions. */
export const suite: BenchSuite = {
  name: 'emulator PDF renderer',
  async run() {
    const report = buildAssetReport({ accounts: 8, transactionsPerAccount: 5000, days: 731 });
    await renderAssetReportPdf({
      report: buildAssetReport({ accounts: 1, transactionsPerAccount: 50, days: 30 }),
      warnings: [],
    }); // warm-up
    const timings: number[] = [];
    let bytes = 0;
    for (let run = 0; run < 3; run += 1) {
      const started = performance.now();
      const pdf = await renderAssetReportPdf({ report, warnings: [] });
      timings.push(performance.now() - started);
      bytes = pdf.length;
    }
    timings.sort((a, b) => a - b);
    return [
      {
        name: 'Asset Report PDF, 40,000 transactions over 731 days (median of 3)',
        value: Math.round(timings[1] ?? 0),
        unit: 'ms',
        target: 5000,
      },
      { name: 'Asset Report PDF size, 40,000 transactions', value: Math.round(bytes / 1024), unit: 'KiB' },
    ];
  },
};

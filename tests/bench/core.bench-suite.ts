import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../electron/emulator';
import { createAppServices } from '../../electron/services/app-services';
import { createMemoryLogger } from '../../electron/log/logger';
import type { KeytarLike } from '../../electron/services/vault';
import type { BenchSuite } from './types';
import { emulatorPlaid, linkSandboxBank } from '../helpers/emulator-plaid';
import { newLoanInput } from '../helpers/applicant';
import { NewLoanInput } from '../../shared/domain';

/**
 * Report lifecycle overhead against the emulator with readiness at 0 ms: what AssetDesk itself adds
 * (pending row, create, webhook verification, JSON + PDF download, encrypted store). An in-memory
 * keytar stands in for the OS keychain so the figure does not depend on the Secret Service.
 */
export const suite: BenchSuite = {
  name: 'core report lifecycle',
  async run() {
    const entries = new Map<string, string>();
    const keytar: KeytarLike = {
      getPassword: async (s, a) => entries.get(`${s}/${a}`) ?? null,
      setPassword: async (s, a, p) => void entries.set(`${s}/${a}`, p),
      deletePassword: async (s, a) => entries.delete(`${s}/${a}`),
    };
    const emulator = await startEmulator({ readyAfterMs: 0, logger: createMemoryLogger({ level: 'error' }) });
    const userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-bench-'));
    const ready = new Map<string, () => void>();
    const services = createAppServices({
      userDataDir,
      keychain: keytar,
      desktop: {
        chooseSavePath: async () => null,
        chooseFolder: async () => null,
        chooseFile: async () => null,
        writeClipboard: () => undefined,
        notify: () => undefined,
      },
      events: {
        emit: (event, payload) =>
          event === 'report:progress' &&
          (payload as { status: string }).status === 'ready' &&
          ready.get((payload as { reportId: string }).reportId)?.(),
      },
      logger: createMemoryLogger({ level: 'error' }),
      startEmulator: async () => ({ ...emulator, close: async () => undefined }),
      pollIntervals: { initialMs: 60_000, factor: 1, maxMs: 60_000 },
    });
    try {
      await services.start();
      const h = services.handlers;
      const loan = await h['loans:create'](
        NewLoanInput.parse(
          newLoanInput({ firstName: 'Bench', lastName: 'Mark', loanNumber: 'LN-BENCH', reservesNeeded: 0 }),
        ),
      );
      const applicant = loan.borrowers[0]!;
      const plaid = emulatorPlaid(emulator);
      const item = await linkSandboxBank(plaid, h, applicant.id);
      const timings: number[] = [];
      for (let run = 0; run < 6; run++) {
        const started = performance.now();
        let done!: () => void;
        const finished = new Promise<void>((r) => (done = r));
        const report = await h['reports:create']({
          loanId: loan.id,
          itemIds: [item.id],
          daysRequested: 365,
          includeApplicantDetails: false,
        });
        ready.set(report.id, done);
        if ((await services.internals.store()!.reports.get(report.id))!.status !== 'ready') await finished;
        if (run > 0) timings.push(performance.now() - started); // first run warms up
      }
      timings.sort((a, b) => a - b);
      return [
        {
          name: 'report create → ready by webhook, 365 days, emulator ready at once (median of 5)',
          value: Math.round(timings[2] ?? 0),
          unit: 'ms',
        },
      ];
    } finally {
      await services.stop();
      await emulator.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  },
};

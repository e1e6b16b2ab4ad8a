import type { AssetDeskStore } from '../../electron/db';
import { createMemoryLogger } from '../../electron/log/logger';
import { createDepositHandlers } from '../../electron/services/features/deposits';
import { recountLoanFindings } from '../../electron/services/features/underwriting';
import type { ServiceContext } from '../../electron/services/service-context';
import { renderPdf, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { SMALL_GIFT, splitAndGiftReport } from '../helpers/split-and-gift-report';
import { tempStore } from '../store/helpers';

/**
 * The deposits handlers over a real store holding a ready report with a split deposit and a small gift (generated
 * today): notes recorded and withdrawn, the activity log, and the pipeline's finding counts kept true.
 */

let temp: Awaited<ReturnType<typeof tempStore>>;
let store: AssetDeskStore;
let handlers: ReturnType<typeof createDepositHandlers>;
let reportId: string;
let loanId: string;

beforeEach(async () => {
  const now = new Date();
  temp = await tempStore({ start: now.toISOString() });
  store = temp.store;
  const seeded = await seedApplicant(store, 0, { fundsToClose: 5000, reservesNeeded: 1000 });
  loanId = seeded.loanId;
  const report = splitAndGiftReport(now);
  reportId = await storeReadyReport(store, seeded, { report, warnings: [] }, await renderPdf(report));
  const refuse = () => {
    throw new Error('not used by the deposits handlers');
  };
  const ctx: ServiceContext = {
    desktop: {
      chooseSavePath: refuse,
      chooseFolder: refuse,
      chooseFile: refuse,
      writeClipboard: refuse,
      notify: refuse,
    },
    events: { emit: refuse },
    logger: createMemoryLogger(),
    clock: () => now,
    store: () => store,
    openStore: () => store,
    environment: () => 'emulator',
    session: refuse,
    gatewayFor: refuse,
  };
  handlers = createDepositHandlers(ctx);
  await recountLoanFindings(store, loanId, now);
});
afterEach(() => temp.cleanup());

const counts = async () => (await store.reports.summary(reportId))?.findingCounts;
describe('sourcing deposits', () => {
  test('the report starts with the split group, the gift and the balance jump needing attention', async () => {
    expect(await counts()).toEqual({ attention: 3, info: 0 });
  });

  test('marking or undoing one deposit re-counts the findings the pipeline shows', async () => {
    await handlers['deposits:markSourced']({ reportId, transactionId: SMALL_GIFT.id, note: 'Gift letter on file' });
    expect(await counts()).toEqual({ attention: 2, info: 0 });
    await handlers['deposits:unmarkSourced']({ reportId, transactionId: SMALL_GIFT.id });
    expect(await counts()).toEqual({ attention: 3, info: 0 });
  });
});

import type { AssetDeskStore } from '../../electron/db';
import { createMemoryLogger } from '../../electron/log/logger';
import { createDepositHandlers } from '../../electron/services/features/deposits';
import { recountLoanFindings } from '../../electron/services/features/underwriting';
import type { ServiceContext } from '../../electron/services/service-context';
import { renderPdf, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { SMALL_GIFT, SPLIT_DEPOSITS, splitAndGiftReport } from '../helpers/split-and-gift-report';
import { tempStore } from '../store/helpers';

/**
 * The deposits handlers over a real store holding a ready report with a split deposit and a small gift (generated
 * today): notes recorded and withdrawn, the activity log, and the pipeline's finding counts kept true.
 */

const split = SPLIT_DEPOSITS.map((d) => d.id);
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
const activity = async () =>
  (await handlers['activity:list']({ reportId })).map(({ action, detail }) => ({ action, detail }));

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

  test('a split group is sourced in one step: one note on each deposit, one activity entry, the finding settled', async () => {
    const note = 'Sale of a car, bill of sale on file';
    await handlers['deposits:markSourcedTogether']({ reportId, what: 'split_deposit', transactionIds: split, note });
    expect((await handlers['deposits:listSourced']({ reportId })).map((d) => [d.transactionId, d.note])).toEqual(
      split.map((id) => [id, note]),
    );
    // The group settled, and its 4,500 covers the rise above the 60-day average: the gift alone needs attention.
    expect(await counts()).toEqual({ attention: 1, info: 0 });
    await handlers['deposits:markSourcedTogether']({
      reportId,
      what: 'possible_gift',
      transactionIds: [SMALL_GIFT.id],
      note: 'Gift letter from her mother',
    });
    expect(await counts()).toEqual({ attention: 0, info: 0 });

    await handlers['deposits:unmarkSourcedTogether']({ reportId, what: 'split_deposit', transactionIds: split });
    expect((await handlers['deposits:listSourced']({ reportId })).map((d) => d.transactionId)).toEqual([SMALL_GIFT.id]);
    // The gift's 900 does not cover the rise: the group and the balance jump need attention again.
    expect(await counts()).toEqual({ attention: 2, info: 0 });
    expect(await activity()).toEqual([
      { action: 'deposit_unsourced', detail: { what: 'split_deposit', transactionIds: split } },
      { action: 'deposit_sourced', detail: { what: 'possible_gift', transactionIds: [SMALL_GIFT.id] } },
      { action: 'deposit_sourced', detail: { what: 'split_deposit', transactionIds: split } },
    ]);
  });

  test('a report that is gone records no note and no entry', async () => {
    await expect(
      handlers['deposits:markSourcedTogether']({
        reportId: 'no-such-report',
        what: 'split_deposit',
        transactionIds: split,
        note: 'x',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await handlers['deposits:listSourced']({ reportId })).toEqual([]);
    expect(await activity()).toEqual([]);
  });
});

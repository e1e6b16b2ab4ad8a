import { createMemoryLogger } from '../../electron/log/logger';
import { createIpcDispatcher } from '../../electron/services/ipc-dispatcher';
import { analysisContextFor } from '../../electron/services/features/underwriting';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { NewLoanInput } from '../../shared/domain';
import type { ResponseOf } from '../../shared/ipc/contract';
import { analyzeInContext } from '../../shared/underwriting';
import { borrowerInput, newLoanInput } from '../helpers/applicant';
import { storeReadyContent } from '../helpers/ready-report';
import { requireKeychain } from '../helpers/keychain';
import { albertasReport } from '../underwriting/couple-fixture';
import { report } from '../underwriting/fixtures';
import { startHarness, type CoreHarness } from './harness';

/**
 * The loan page's funds to close (loans:fundsToClose), through the IPC dispatcher to the real services over a real
 * SQLite store: a couple whose money is split between their reports, short each alone and covered together.
 */
describe("loans:fundsToClose: the loan's current reports together", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    await requireKeychain();
    h = await startHarness();
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });
  const store = () => h.services.internals.store()!;
  const now = new Date();

  // Alberta: checking 15,000 and the joint ••2222 at 4,000 = 19,000. Jane, a day later: the same joint account at
  // 4,000 and her savings 9,500 = 13,500. The joint account is counted once: 28,500, not 32,500.
  const albertas = albertasReport('plaid-alberta');
  const janes = report({
    id: 'plaid-jane',
    date: '2026-03-31',
    items: [
      {
        itemId: 'item-jane',
        accounts: [{ id: 'joint-j', mask: '2222', current: 4_000, owners: [['Jane Doe', 'Alberta Charleson']] }],
      },
      {
        itemId: 'item-jane-gingham',
        institutionId: 'ins_109509',
        institutionName: 'First Gingham Credit Union',
        accounts: [{ id: 'sav-1111', subtype: 'savings', current: 9_500, owners: [['Jane Doe']] }],
      },
    ],
  });

  const stored = (loanId: string, applicantId: string, content: AssetReportGetResult) =>
    storeReadyContent(store(), { loanId, applicantId, content, environment: h.services.internals.environment() });

  /** Through the dispatcher, as the renderer's call arrives: the request and the answer checked by the contract. */
  async function fundsToClose(loanId: unknown): Promise<ResponseOf<'loans:fundsToClose'>> {
    const answer = await createIpcDispatcher(h.services.handlers, createMemoryLogger()).dispatch('loans:fundsToClose', {
      loanId,
    });
    if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
    return answer.value as ResponseOf<'loans:fundsToClose'>;
  }

  it('reads nothing before a report is ready, one report alone, then both reports with the joint account once', async () => {
    const input = newLoanInput({
      loanNumber: 'LN-LOAN-FUNDS',
      firstName: 'Alberta',
      middleName: 'Bobbeth',
      lastName: 'Charleson',
      fundsToClose: 20_000,
      reservesNeeded: 5_000,
    });
    const loan = await h.handlers['loans:create'](
      NewLoanInput.parse({
        ...input,
        borrowers: [...input.borrowers, borrowerInput({ firstName: 'Jane', lastName: 'Doe' })],
      }),
    );
    const [alberta, jane] = loan.borrowers;

    expect(await fundsToClose(loan.id)).toEqual({ reports: [], funds: null });

    const albertaReport = await stored(loan.id, alberta!.id, albertas);
    const alone = await fundsToClose(loan.id);
    expect(alone.reports).toEqual([
      { reportId: albertaReport, applicantName: 'Alberta Bobbeth Charleson', reportDate: '2026-03-30' },
    ]);
    // One report: its own figure, as its screen shows it (19,000 against 25,000, short 6,000).
    const own = analyzeInContext(albertas, await analysisContextFor(store(), loan, albertaReport, now)).fundsToClose;
    expect(own).toMatchObject({ availableFunds: 19_000, shortfall: 6_000 });
    expect(alone.funds).toMatchObject({
      availableFunds: own.availableFunds,
      required: 25_000,
      shortfall: 6_000,
      surplus: -6_000,
      sharedAccounts: 0,
    });

    const janeReport = await stored(loan.id, jane!.id, janes);
    const together = await fundsToClose(loan.id);
    expect(together.reports.map((r) => r.reportId).sort()).toEqual([albertaReport, janeReport].sort());
    expect(together.reports.find((r) => r.reportId === janeReport)).toMatchObject({
      applicantName: 'Jane Doe',
      reportDate: '2026-03-31',
    });
    expect(together.funds).toEqual({
      verifiedLiquidAssets: 28_500,
      unsourcedDeducted: 0,
      availableFunds: 28_500,
      required: 25_000,
      surplus: 3_500,
      shortfall: 0,
      sharedAccounts: 1,
    });
    // The loan's figure each report's screen shows (Alberta's: 'Loan surplus'), from the same calculation.
    const onAlbertasScreen = analyzeInContext(albertas, await analysisContextFor(store(), loan, albertaReport, now));
    expect(onAlbertasScreen.fundsToClose.loan).toMatchObject({ ...together.funds, reportIds: expect.any(Array) });
  });

  it('refuses an unknown loan in its own words, and a malformed id before any handler runs', async () => {
    await expect(fundsToClose('no-such-loan')).rejects.toThrow(/NOT_FOUND/);
    await expect(fundsToClose('')).rejects.toThrow(/VALIDATION_FAILED/);
  });
});

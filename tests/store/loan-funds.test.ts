import { analyzeInContext } from '../../shared/underwriting';
import type { AssetReportGetResult } from '../../shared/asset-report';
import {
  analysisContextFor,
  recountLoanFindings,
  underwritingConfirmationHandlers,
} from '../../electron/services/features/underwriting';
import { applicantInput, tempStore } from './helpers';
import { addApplicant } from '../helpers/applicant';
import { storeReadyContent } from '../helpers/ready-report';
import { albertasReport, janesReport } from '../underwriting/couple-fixture';

/**
 * A couple whose assets are split between their reports: on the desk, each report's funds-to-close finding says its
 * figure is the report's alone and adds the loan's current reports together, each account once.
 */
describe("funds to close over the loan's current reports", () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());
  const now = new Date('2026-04-01T12:00:00');

  const albertas = albertasReport('plaid-alberta');
  const janes = (id: string, date: string, savings: number) => janesReport(id, { date, savings });

  async function loanFile() {
    const primary = await addApplicant(
      t.store,
      applicantInput({
        firstName: 'Alberta',
        lastName: 'Charleson',
        applicationDate: '2026-03-20',
        qualifyingMonthlyIncome: 8_000,
        fundsToClose: 20_000,
        reservesNeeded: 5_000,
      }),
    );
    const loan = await t.store.loans.addBorrower(primary.loanId, {
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane.doe@example.com',
      phone: '+1 415 555 0135',
    });
    return { loan, applicantId: primary.id };
  }

  const stored = (loanId: string, applicantId: string, content: AssetReportGetResult, parentId: string | null = null) =>
    storeReadyContent(t.store, { loanId, applicantId, content, parentId });

  it('adds the current reports, the joint account once, leaving out a report its refresh replaced', async () => {
    const { loan, applicantId } = await loanFile();
    const alberta = await stored(loan.id, applicantId, albertas);
    // Jane's first report (savings 50,000) was refreshed on the 31st (savings 14,000): only the refresh is current.
    const janeOld = await stored(loan.id, applicantId, janes('plaid-jane-old', '2026-03-20', 50_000));
    await stored(loan.id, applicantId, janes('plaid-jane', '2026-03-31', 14_000), janeOld);

    const analysis = analyzeInContext(albertas, await analysisContextFor(t.store, loan, alberta, now));
    // Alberta's alone: 15,000 + 4,000 = 19,000 against 20,000 + 5,000 = 25,000, short 6,000.
    expect(analysis.fundsToClose).toMatchObject({ availableFunds: 19_000, shortfall: 6_000 });
    // Together: 15,000 + 4,500 (joint once, the newer copy) + 14,000 - 5,000 = 28,500; 3,500 to spare. With the
    // replaced report too it would read 50,000 more; with the joint twice, 4,000 more.
    expect(analysis.fundsToClose.loan).toMatchObject({
      reportIds: ['plaid-alberta', 'plaid-jane'],
      availableFunds: 28_500,
      required: 25_000,
      surplus: 3_500,
      shortfall: 0,
      sharedAccounts: 1,
    });
    const finding = analysis.findings.find((f) => f.id === 'funds-to-close');
    expect(finding?.severity).toBe('info');
    expect(finding?.title).toContain('with this report alone; covered with the loan’s other reports');

    // The report screen gets the other current report's figures with the other reports.
    const handlers = underwritingConfirmationHandlers({ store: () => t.store, clock: () => now });
    const { reportFunds } = await handlers['underwriting:otherReports']({ reportId: alberta });
    expect(reportFunds).toEqual([
      {
        reportId: 'plaid-jane',
        reportDate: '2026-03-31',
        accounts: [
          { accountKey: 'ins_109508:2222:checking', counted: 4_500, unsourced: 0 },
          { accountKey: 'ins_109509:1111:savings', counted: 14_000, unsourced: 5_000 },
        ],
      },
    ]);

    // The lists count the finding as worth knowing, not as needing attention.
    await recountLoanFindings(t.store, loan.id, now);
    const counted = await t.store.reports.summary(alberta);
    expect(counted?.findingCounts?.attention).toBe(analysis.findings.filter((f) => f.severity === 'attention').length);
    expect(analysis.findings.some((f) => f.id === 'funds-to-close' && f.severity === 'attention')).toBe(false);
  });
});

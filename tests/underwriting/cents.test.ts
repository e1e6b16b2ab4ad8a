import type { AssetReportGetResult } from '../../shared/asset-report';
import { accountKey, analyzeReport, averageDailyBalance, underwritingSettings } from '../../shared/underwriting';
import type { UnderwritingSettings } from '../../shared/underwriting';
import { addDays } from '../../shared/underwriting/dates';
import { REPORT_DATE, loan, singleItem } from './fixtures';

/**
 * Figures a tester works out by hand, to the cent: a half cent rounds away from zero, computed exactly, never as
 * the floating-point product or sum happens to land.
 */
const analyze = (result: AssetReportGetResult, settings: Partial<UnderwritingSettings> = {}) =>
  analyzeReport(result, loan(), underwritingSettings(settings), REPORT_DATE);

describe('average daily balances at a half cent', () => {
  const history = (cents: number[]) => ({
    historical_balances: cents.map((c, i) => ({
      date: addDays(REPORT_DATE, -(i + 1)),
      current: c / 100,
      iso_currency_code: 'USD',
      unofficial_currency_code: null,
    })),
  });

  it('90 days adding to 4,725,839.25 average 52,509.325: 52,509.33 (summed in dollars it gave 52,509.32)', () => {
    const days = [...Array<number>(89).fill(5_250_932), 5_250_977];
    expect(days.reduce((a, b) => a + b, 0)).toBe(472_583_925);
    expect(averageDailyBalance(history(days), REPORT_DATE, 90)).toBe(52509.33);
  });

  it('just under and over the half: 52,509.3249… is 52,509.32, 52,509.3255… is 52,509.33', () => {
    expect(averageDailyBalance(history([...Array<number>(89).fill(5_250_932), 5_250_976]), REPORT_DATE, 90)).toBe(
      52509.32,
    );
    expect(averageDailyBalance(history([...Array<number>(89).fill(5_250_932), 5_250_978]), REPORT_DATE, 90)).toBe(
      52509.33,
    );
  });

  it('an overdrawn average at a half cent goes away from zero: -0.005 is -0.01', () => {
    expect(averageDailyBalance(history([-1, 0]), REPORT_DATE, 2)).toBe(-0.01);
  });
});

describe('a converted account at a half cent', () => {
  const build = () => {
    const result = singleItem([
      {
        id: 'cad-1111',
        current: 4001,
        transactions: [{ id: 'cad-big', daysAgo: 5, amount: -4001, description: 'VIREMENT' }],
      },
    ]);
    const item = result.report.items[0];
    const account = item?.accounts[0];
    if (!item || !account) throw new Error('no account');
    account.balances.iso_currency_code = 'CAD';
    for (const t of account.transactions) t.iso_currency_code = 'CAD';
    return { result, key: accountKey(item, account) };
  };

  it('4,001.00 CAD at 1.005 USD is 4,021.005: it counts 4,021.01 and its deposit is 4,021.01 (both were 4,021.00)', () => {
    const { result, key } = build();
    const analysis = analyze(result, {
      accountConfirmations: [{ accountKey: key, kind: 'conversion', note: 'Bank rate', usdRate: 1.005 }],
    });
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(4021.01);
    expect(analysis.fundsToClose.counted[0]?.counted).toBe(4021.01);
    expect(analysis.largeDeposits.deposits).toMatchObject([{ transactionId: 'cad-big', amount: 4021.01 }]);
  });
});

import type { AssetReportGetResult } from '../../shared/asset-report';
import {
  accountKey,
  accountOwnership,
  analyzeReport,
  borrowerNames,
  businessDaysBetween,
  largeDepositThreshold,
  matchName,
  summarizeReport,
  underwritingSettings,
} from '../../shared/underwriting';
import type { AccountConfirmation, LoanInputs, UnderwritingSettings } from '../../shared/underwriting';
import { reportAccounts } from '../../shared/underwriting/accounts';
import { checkLargeDeposits } from '../../shared/underwriting/large-deposits';
import { SettingsChanges } from '../../shared/domain';
import { REPORT_DATE, loan, report, singleItem } from './fixtures';
import type { AccountSpec } from './fixtures';

/**
 * The lens tells the truth about money: hand-built reports with known answers for every case of issue 13.
 * REPORT_DATE 2026-03-30 is a Monday; income 8,000 a month makes a large deposit one above 4,000.00.
 */
const analyze = (
  result: AssetReportGetResult,
  loanOverrides: Partial<LoanInputs> = {},
  settings: Partial<UnderwritingSettings> = {},
  otherReports: AssetReportGetResult[] = [],
) => analyzeReport(result, loan(loanOverrides), underwritingSettings(settings), REPORT_DATE, { otherReports });

const key = (result: AssetReportGetResult, accountId: string): string => {
  for (const item of result.report.items)
    for (const account of item.accounts) if (account.account_id === accountId) return accountKey(item, account);
  throw new Error(`no account ${accountId}`);
};

/** Plaid reports the currency on the balances, each history row and each transaction. */
function inCurrency(result: AssetReportGetResult, accountId: string, code: string): AssetReportGetResult {
  for (const item of result.report.items)
    for (const account of item.accounts) {
      if (account.account_id !== accountId) continue;
      account.balances.iso_currency_code = code;
      for (const row of account.historical_balances) row.iso_currency_code = code;
      for (const t of account.transactions) t.iso_currency_code = code;
    }
  return result;
}

describe('funds to close count only what the borrower owns and can use', () => {
  it("name_mismatch: Robert's 15,000 is not counted; 10,000 own vs 25,000 required is short 15,000, not covered", () => {
    const result = singleItem([
      { id: 'chk-0000', current: 10000 },
      { id: 'rob-1111', name: 'Robert Checking', current: 30000, owners: [['Robert Q Public']] },
    ]);
    const analysis = analyze(result);
    // counted 10,000 - (20,000 + 5,000) = -15,000
    expect(analysis.fundsToClose).toMatchObject({ verifiedLiquidAssets: 10000, required: 25000, shortfall: 15000 });
    expect(analysis.fundsToClose.notCounted).toMatchObject([
      {
        accountId: 'rob-1111',
        balance: 30000,
        reasons: ['name_mismatch'],
        actions: ['Confirm ownership with a note (a statement naming the borrower).'],
      },
    ]);
    expect(analysis.findings.find((f) => f.id === 'funds-to-close')?.title).toBe(
      'Short $15,000.00 for funds to close and reserves',
    );
    expect(analysis.findings.find((f) => f.id === 'funds-not-counted:name_mismatch')).toMatchObject({
      severity: 'attention',
      accountIds: ['rob-1111'],
    });

    // Confirmed with a note: 10,000 + 30,000 = 40,000 - 25,000 = 15,000 to spare.
    const confirmed = analyze(
      result,
      {},
      {
        accountConfirmations: [{ accountKey: key(result, 'rob-1111'), kind: 'ownership', note: 'Statement names her' }],
      },
    );
    expect(confirmed.fundsToClose).toMatchObject({ verifiedLiquidAssets: 40000, surplus: 15000, notCounted: [] });
    expect(confirmed.ownership.find((o) => o.accountId === 'rob-1111')?.badges).toEqual(['confirmed']);
  });

  it('unknown owners and possible matches are held back until confirmed', () => {
    const result = singleItem([
      { id: 'chk-0000', current: 30000 },
      { id: 'none-1111', current: 1000, owners: [] },
      { id: 'jr-2222', current: 2000, owners: [['Alberta B Charleson Jr']] },
      { id: 'mary-3333', current: 4000, owners: [['Mary Alberta Charleson']] },
    ]);
    const analysis = analyze(result);
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(30000);
    expect(analysis.fundsToClose.notCounted.map((a) => [a.accountId, a.reasons])).toEqual([
      ['none-1111', ['owners_unavailable']],
      ['jr-2222', ['possible_match']],
      ['mary-3333', ['possible_match']],
    ]);
    expect(analysis.findings.find((f) => f.id === 'ownership:possible_match')).toMatchObject({
      severity: 'attention',
      accountIds: ['jr-2222', 'mary-3333'],
    });
  });

  it("business accounts (by the account's name, as user_heavy's) count only after the business-asset review", () => {
    const result = singleItem([
      { id: 'chk-0000', current: 30000 },
      { id: 'biz-7070', name: 'Plaid Business Checking', current: 41877.09 },
    ]);
    const analysis = analyze(result);
    expect(analysis.ownership.find((o) => o.accountId === 'biz-7070')?.badges).toEqual(['business']);
    expect(analysis.fundsToClose.notCounted).toMatchObject([{ accountId: 'biz-7070', reasons: ['business'] }]);
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(30000);
    const reviewed = analyze(
      result,
      {},
      {
        accountConfirmations: [{ accountKey: key(result, 'biz-7070'), kind: 'business_review', note: 'Cash flow ok' }],
      },
    );
    // 30,000 + 41,877.09 = 71,877.09
    expect(reviewed.fundsToClose.verifiedLiquidAssets).toBe(71877.09);
  });

  it("a co-borrower's account counts like the applicant's (borrowers are a list)", () => {
    const result = singleItem([
      { id: 'chk-0000', current: 10000 },
      { id: 'rob-1111', current: 20000, owners: [['Robert Q Public']] },
    ]);
    const both = analyze(result, { coBorrowerNames: [{ first: 'Robert', middle: 'Q', last: 'Public' }] });
    expect(both.fundsToClose).toMatchObject({ verifiedLiquidAssets: 30000, notCounted: [] });
  });

  it('asset classes: cash and brokerage in full, retirement at 60%, crypto excluded, HSA per setting', () => {
    const result = singleItem([
      { id: 'chk-0000', current: 1000 },
      { id: 'cd-2222', subtype: 'cd', current: 2000 },
      { id: 'brk-3333', type: 'investment', subtype: 'brokerage', current: 10000 },
      { id: 'mf-4444', type: 'investment', subtype: 'mutual fund', current: 5000 },
      { id: 'ira-5555', type: 'investment', subtype: 'ira', current: 20000 },
      { id: 'cry-6666', type: 'investment', subtype: 'crypto exchange', current: 7000 },
      { id: 'hsa-9001', subtype: 'hsa', current: 3000 },
    ]);
    const byDefault = analyze(result);
    // cash 1,000 + 2,000 = 3,000; brokerage 10,000 + 5,000 = 15,000; retirement 60% of 20,000 = 12,000 → 30,000
    expect(byDefault.fundsToClose).toMatchObject({
      depositoryAssets: 3000,
      brokerageAssets: 15000,
      retirementAssetsGross: 20000,
      retirementAssets: 12000,
      hsaAssets: 0,
      verifiedLiquidAssets: 30000,
    });
    expect(byDefault.fundsToClose.notCounted.map((a) => [a.accountId, a.reasons])).toEqual([
      ['cry-6666', ['crypto']],
      ['hsa-9001', ['hsa_excluded']],
    ]);
    // HSA in full: 30,000 + 3,000; as retirement: 30,000 + 60% of 3,000 = 31,800; brokerage at 70%: 15,000 → 10,500
    expect(analyze(result, {}, { hsaTreatment: 'full' }).fundsToClose.verifiedLiquidAssets).toBe(33000);
    expect(analyze(result, {}, { hsaTreatment: 'retirement' }).fundsToClose.verifiedLiquidAssets).toBe(31800);
    expect(analyze(result, {}, { brokerageShare: 0.7 }).fundsToClose.brokerageAssets).toBe(10500);
    // Crypto converted and documented at 1.0 USD per unit: + 7,000
    const crypto = analyze(
      result,
      {},
      {
        accountConfirmations: [{ accountKey: key(result, 'cry-6666'), kind: 'conversion', note: 'Sold', usdRate: 1 }],
      },
    );
    expect(crypto.fundsToClose.verifiedLiquidAssets).toBe(37000);
  });
});

describe("investment subtypes: only what is the borrower's to use counts", () => {
  const investment = (id: string, subtype: string | null) => ({
    id,
    type: 'investment' as const,
    subtype,
    current: 10000,
  });
  const result = singleItem([
    investment('lif-0001', 'lif'),
    investment('roth-0002', 'roth 403B'),
    investment('utma-0003', 'utma'),
    investment('ugma-0004', 'ugma'),
    investment('529-0005', '529'),
    investment('esa-0006', 'education savings account'),
    investment('resp-0007', 'resp'),
    investment('ann-0008', 'fixed annuity'),
    investment('ins-0009', 'life insurance'),
    investment('gic-0010', 'gic'),
    investment('none-0011', null),
    investment('brk-0012', 'brokerage'),
  ]);
  const analysis = analyze(result, { fundsToClose: 0, reservesNeeded: 0 });

  it('a LIF and a Roth 403(b) are retirement at 60%; a brokerage account in full; nothing else counts', () => {
    expect(analysis.fundsToClose.counted.map((a) => [a.accountId, a.assetClass, a.counted])).toEqual([
      ['lif-0001', 'retirement', 6000],
      ['roth-0002', 'retirement', 6000],
      ['brk-0012', 'brokerage', 10000],
    ]);
    // 6,000 + 6,000 + 10,000 = 22,000 (all twelve counted in full as brokerage made it 120,000)
    expect(analysis.fundsToClose).toMatchObject({ retirementAssets: 12000, brokerageAssets: 10000 });
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(22000);
  });

  it('custodial, education, annuity and insurance accounts are held back with their reason; an unknown kind needs review', () => {
    expect(analysis.fundsToClose.notCounted.map((a) => [a.accountId, a.reasons])).toEqual([
      ['utma-0003', ['custodial']],
      ['ugma-0004', ['custodial']],
      ['529-0005', ['education']],
      ['esa-0006', ['education']],
      ['resp-0007', ['education']],
      ['ann-0008', ['annuity_insurance']],
      ['ins-0009', ['annuity_insurance']],
      ['gic-0010', ['needs_review']],
      ['none-0011', ['needs_review']],
    ]);
    const held = (reason: string) => analysis.findings.find((f) => f.id === `funds-not-counted:${reason}`);
    expect(held('custodial')).toMatchObject({ severity: 'info', accountIds: ['utma-0003', 'ugma-0004'] });
    expect(held('custodial')?.title).toContain('held for a minor');
    expect(held('education')).toMatchObject({ severity: 'info', accountIds: ['529-0005', 'esa-0006', 'resp-0007'] });
    expect(held('annuity_insurance')).toMatchObject({ severity: 'attention', accountIds: ['ann-0008', 'ins-0009'] });
    expect(held('needs_review')).toMatchObject({ severity: 'attention', accountIds: ['gic-0010', 'none-0011'] });
  });
});

describe('a class counted at a share: the share of its total, to the cent and never above', () => {
  it('60% of two 1,000.01 retirement accounts is 1,200.01 (each rounded up made it 1,200.02), split 600.01 + 600.00', () => {
    const result = singleItem([
      { id: 'ira-0001', type: 'investment', subtype: 'ira', current: 1000.01 },
      { id: '401k-0002', type: 'investment', subtype: '401k', current: 1000.01 },
    ]);
    const analysis = analyze(result, { fundsToClose: 0, reservesNeeded: 0 });
    // 60% of 2,000.02 = 1,200.012
    expect(analysis.fundsToClose).toMatchObject({
      retirementAssetsGross: 2000.02,
      retirementAssets: 1200.01,
      verifiedLiquidAssets: 1200.01,
    });
    expect(analysis.fundsToClose.counted.map((a) => [a.accountId, a.counted])).toEqual([
      ['ira-0001', 600.01],
      ['401k-0002', 600],
    ]);
  });

  it('brokerage at 70%: three of 100.01 are 210.02, the two cents left going to the first accounts', () => {
    const result = singleItem(
      ['0001', '0002', '0003'].map((mask) => ({
        id: `brk-${mask}`,
        type: 'investment' as const,
        subtype: 'brokerage',
        current: 100.01,
      })),
    );
    const analysis = analyze(result, {}, { brokerageShare: 0.7 });
    // 70% of 300.03 = 210.021 (each 70.007 rounded made it 210.03)
    expect(analysis.fundsToClose.brokerageAssets).toBe(210.02);
    expect(analysis.fundsToClose.counted.map((a) => a.counted)).toEqual([70.01, 70.01, 70]);
  });
});

describe('currencies are never added together', () => {
  const build = () =>
    inCurrency(
      singleItem([
        {
          id: 'chk-0000',
          current: 10000,
          transactions: [{ id: 'usd-in', daysAgo: 3, amount: -100, description: 'X' }],
        },
        {
          id: 'cad-1111',
          name: 'Compte chèques',
          current: 10000,
          transactions: [{ id: 'cad-big', daysAgo: 5, amount: -6000, description: 'VIREMENT' }],
        },
      ]),
      'cad-1111',
      'CAD',
    );

  it('a CAD account is shown in CAD, not in USD totals, and its 6,000 CAD deposit is not judged against 4,000 USD', () => {
    const analysis = analyze(build());
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(10000);
    expect(analysis.fundsToClose.notCounted).toMatchObject([
      { accountId: 'cad-1111', currency: 'CAD', balance: 10000, reasons: ['foreign_currency'] },
    ]);
    expect(analysis.largeDeposits.deposits).toEqual([]);
    expect(analysis.largeDeposits.notJudgedAccountIds).toEqual(['cad-1111']);
    expect(analysis.findings.find((f) => f.id === 'funds-not-counted:foreign_currency')?.detail).toContain(
      '10000.00 CAD',
    );
    // Averages add US-dollar accounts only: the CAD account's average is not in the total.
    const usdOnly = analysis.averageBalances.accounts.find((a) => a.accountId === 'chk-0000')?.days30;
    expect(analysis.averageBalances.totals.days30).toBe(usdOnly);
    // The list's total balance is US dollars only: 10,000, not 20,000.
    expect(summarizeReport(build())).toMatchObject({ totalBalance: 10000, totalsByAccountType: { depository: 10000 } });
  });

  it('once converted (0.73 USD per CAD) it counts 7,300.00 and its deposit is 4,380.00 USD: large', () => {
    const result = build();
    const confirmation: AccountConfirmation = {
      accountKey: key(result, 'cad-1111'),
      kind: 'conversion',
      note: 'Bank of Canada rate',
      usdRate: 0.73,
    };
    const analysis = analyze(result, {}, { accountConfirmations: [confirmation] });
    // 10,000 + 10,000 × 0.73 = 17,300; 6,000 × 0.73 = 4,380 > 4,000
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(17300);
    expect(analysis.largeDeposits.deposits).toMatchObject([{ transactionId: 'cad-big', amount: 4380 }]);
  });
});

describe('large-deposit threshold in exact cents', () => {
  it('income 8,000.01: half is 4,000.005, so a 4,000.01 deposit is large (the old rounding made it 4,000.01 and missed it)', () => {
    expect(largeDepositThreshold(8000.01, 0.5)).toBe(4000);
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 20000,
        transactions: [
          { id: 'just-over', daysAgo: 3, amount: -4000.01, description: 'CHECK 1' },
          { id: 'equal-rounded', daysAgo: 4, amount: -4000, description: 'CHECK 2' },
        ],
      },
    ]);
    const analysis = analyze(result, { qualifyingMonthlyIncome: 8000.01 });
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['just-over']);
  });

  it('income 8,000.03: half is 4,000.015, so 4,000.01 is not large and 4,000.02 is', () => {
    expect(largeDepositThreshold(8000.03, 0.5)).toBe(4000.01);
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 20000,
        transactions: [
          { id: 'under', daysAgo: 3, amount: -4000.01, description: 'CHECK 1' },
          { id: 'over', daysAgo: 4, amount: -4000.02, description: 'CHECK 2' },
        ],
      },
    ]);
    expect(
      analyze(result, { qualifyingMonthlyIncome: 8000.03 }).largeDeposits.deposits.map((d) => d.transactionId),
    ).toEqual(['over']);
  });
});

describe('large-deposit share: exact however many decimals, and the officer enters at most two of a percent', () => {
  it('12.345% of 10,000 is 1,234.50: a 1,234.51 deposit is large (basis points made it 1,235.00 and missed it)', () => {
    expect(largeDepositThreshold(10000, 0.12345)).toBe(1234.5);
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 20000,
        transactions: [
          { id: 'over', daysAgo: 3, amount: -1234.51, description: 'CHECK 1' },
          { id: 'equal', daysAgo: 4, amount: -1234.5, description: 'CHECK 2' },
        ],
      },
    ]);
    const analysis = analyze(result, { qualifyingMonthlyIncome: 10000 }, { largeDepositShare: 0.12345 });
    expect(analysis.largeDeposits.threshold).toBe(1234.5);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['over']);
  });

  it('a share typed as a percent keeps its value despite binary fractions: 30% of 10,000 is 3,000.00', () => {
    // 0.7 - 0.4 is 0.29999999999999993 in binary: flooring its product with 1,000,000 cents gave 2,999.99.
    expect(largeDepositThreshold(10000, 0.7 - 0.4)).toBe(3000);
    expect(largeDepositThreshold(10000, Number('12.34') / 100)).toBe(1234);
    expect(largeDepositThreshold(8000.01, 0.5)).toBe(4000);
  });

  it('Settings refuses a share with more than two decimals of a percent, saying so', () => {
    const refused = SettingsChanges.safeParse({ largeDepositShare: 0.12345 });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['largeDepositShare', 'the large-deposit share takes at most two decimals of a percent (for example 12.35%)'],
    ]);
    for (const share of [0.5, 0.25, 0.1234, Number('12.34') / 100, Number('0.01') / 100, 5])
      expect(SettingsChanges.safeParse({ largeDepositShare: share }).success, String(share)).toBe(true);
  });
});

describe('sourcing by evidence, not by description', () => {
  it('business days: Wed → Mon is 3 (Thu, Fri, Mon), Tue → Mon is 4, Fri → Mon is 1', () => {
    expect(businessDaysBetween('2026-03-18', '2026-03-23')).toBe(3);
    expect(businessDaysBetween('2026-03-17', '2026-03-23')).toBe(4);
    expect(businessDaysBetween('2026-03-20', '2026-03-23')).toBe(1);
    expect(businessDaysBetween('2026-03-23', '2026-03-20')).toBe(1);
  });

  it('a matching withdrawal within 3 business days in an own account is an own transfer; 4 business days is not', () => {
    // Deposits on Mon 03-23 (7 days ago); withdrawals on Wed 03-18 (12 days ago) and Tue 03-17 (13 days ago).
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 30000,
        transactions: [
          { id: 'in-a', daysAgo: 7, amount: -5000, description: 'ONLINE TRANSFER FROM SAV XXXX1111' },
          { id: 'in-b', daysAgo: 7, amount: -6000, description: 'ONLINE TRANSFER FROM SAV XXXX1111' },
        ],
      },
      {
        id: 'sav-1111',
        subtype: 'savings',
        current: 1000,
        transactions: [
          { id: 'out-a', daysAgo: 12, amount: 5000, description: 'TRANSFER TO CHK' },
          { id: 'out-b', daysAgo: 13, amount: 6000, description: 'TRANSFER TO CHK' },
        ],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.excluded).toMatchObject([
      { transactionId: 'in-a', reason: 'own_transfer', matchedTransactionId: 'out-a' },
    ]);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['in-b']);
    // A window of 4 business days is a setting: then both match.
    expect(analyze(result, {}, { transferMatchBusinessDays: 4 }).largeDeposits.deposits).toEqual([]);
  });

  it('the withdrawal comes first: one made after the deposit explains it only within a business day of posting skew', () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 30000,
        transactions: [
          // Mon 03-23, Mon 03-23, Fri 03-20
          { id: 'in-a', daysAgo: 7, amount: -5000, description: 'DEPOSIT' },
          { id: 'in-b', daysAgo: 7, amount: -6000, description: 'DEPOSIT' },
          { id: 'in-c', daysAgo: 10, amount: -7000, description: 'DEPOSIT' },
        ],
      },
      {
        id: 'sav-1111',
        subtype: 'savings',
        current: 1000,
        transactions: [
          // Wed 03-25: 2 business days after in-a; Tue 03-24: 1 after in-b; Mon 03-23: 1 after Friday's in-c
          { id: 'out-a', daysAgo: 5, amount: 5000, description: 'WITHDRAWAL' },
          { id: 'out-b', daysAgo: 6, amount: 6000, description: 'WITHDRAWAL' },
          { id: 'out-c', daysAgo: 7, amount: 7000, description: 'WITHDRAWAL' },
        ],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.excluded.map((d) => [d.transactionId, d.matchedTransactionId])).toEqual([
      ['in-c', 'out-c'],
      ['in-b', 'out-b'],
    ]);
    // 5,000 to source (a withdrawal two business days later explained it: nothing to source).
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['in-a']);
    expect(analysis.largeDeposits.totalUnsourced).toBe(5000);
  });

  it("a matching withdrawal from someone else's account is third-party money, flagged as a possible gift", () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 30000,
        transactions: [{ id: 'in', daysAgo: 2, amount: -9000, description: 'TRANSFER FROM CHECKING XXXX1111' }],
      },
      {
        id: 'mom-1111',
        current: 50000,
        owners: [['Edith Charleson']],
        transactions: [{ id: 'mom-out', daysAgo: 3, amount: 9000, description: 'TRANSFER TO ALBERTA' }],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.deposits).toMatchObject([
      { transactionId: 'in', evidence: 'third_party', matchedTransactionId: 'mom-out', matchedAccountId: 'mom-1111' },
    ]);
    expect(analysis.findings.find((f) => f.id === 'gift')).toMatchObject({
      rule: 'gift',
      severity: 'attention',
      citation: 'Fannie Mae B3-4.3-04',
      transactionIds: ['in'],
    });
    expect(analysis.findings.find((f) => f.id === 'gift')?.detail).toContain('gift letter');
    // Purchase: 30,000 counted (mom's account is not) - 9,000 unsourced = 21,000 vs 25,000: short 4,000
    expect(analysis.fundsToClose).toMatchObject({
      verifiedLiquidAssets: 30000,
      unsourcedDeducted: 9000,
      shortfall: 4000,
    });
  });

  it('a matching withdrawal from a credit card is borrowed funds', () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 30000,
        transactions: [{ id: 'in', daysAgo: 2, amount: -5000, description: 'ONLINE TRANSFER' }],
      },
      {
        id: 'card-3333',
        type: 'credit',
        subtype: 'credit card',
        current: 5000,
        transactions: [{ id: 'advance', daysAgo: 2, amount: 5000, description: 'CASH ADVANCE' }],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.deposits).toMatchObject([{ transactionId: 'in', evidence: 'borrowed' }]);
    expect(analysis.findings.find((f) => f.id === 'borrowed-funds')).toMatchObject({
      rule: 'borrowed_funds',
      severity: 'attention',
      transactionIds: ['in', 'advance'],
    });
  });

  it("the other leg may be in another of the borrower's reports", () => {
    const main = singleItem([
      {
        id: 'chk-0000',
        current: 30000,
        transactions: [{ id: 'in', daysAgo: 2, amount: -7000, description: 'WIRE IN' }],
      },
    ]);
    const other = report({
      id: 'other-report',
      items: [
        {
          itemId: 'item-2',
          institutionId: 'ins_2',
          accounts: [
            {
              id: 'elsewhere-5555',
              current: 1000,
              transactions: [{ id: 'wire-out', daysAgo: 3, amount: 7000, description: 'WIRE OUT' }],
            },
          ],
        },
      ],
    });
    expect(analyze(main).largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['in']);
    expect(analyze(main, {}, {}, [other]).largeDeposits.excluded).toMatchObject([
      { transactionId: 'in', reason: 'own_transfer', matchedTransactionId: 'wire-out' },
    ]);
  });
});

describe('a transfer from an account that is not counted is not an own transfer', () => {
  // 20,000 moved from the borrower's business checking (held back until the business-asset review) into her
  // checking, which now holds 30,000.
  const result = singleItem([
    {
      id: 'chk-0001',
      current: 30000,
      transactions: [{ id: 'in', daysAgo: 5, amount: -20000, description: 'ONLINE TRANSFER FROM BUSINESS CHK' }],
    },
    {
      id: 'biz-0002',
      name: 'Plaid Business Checking',
      current: 500,
      transactions: [{ id: 'out', daysAgo: 5, amount: 20000, description: 'ONLINE TRANSFER TO CHK' }],
    },
  ]);
  const terms = { fundsToClose: 25000, reservesNeeded: 0 };

  it('the deposit stays large, to source, and says why its source does not count', () => {
    const analysis = analyze(result, terms);
    expect(analysis.largeDeposits.excluded).toEqual([]);
    expect(analysis.largeDeposits.deposits).toMatchObject([
      { transactionId: 'in', evidence: 'none', matchedTransactionId: 'out', matchedAccountId: 'biz-0002' },
    ]);
    // 30,000 counted - 20,000 unsourced = 10,000 against 25,000: short 15,000 (it read covered, 30,000 available).
    expect(analysis.fundsToClose).toMatchObject({ unsourcedDeducted: 20000, availableFunds: 10000, shortfall: 15000 });
    const finding = analysis.findings.find((f) => f.id === 'large-deposit:unsourced');
    expect(finding?.detail).toContain(
      "matches a withdrawal from the borrower's Plaid Business Checking ••0002 on 2026-03-25, an account not counted in funds to close (it is a business account)",
    );
    expect(finding?.transactionIds).toEqual(['in', 'out']);
  });

  it('once the business-asset review is recorded the account counts, and the transfer is its own', () => {
    const reviewed = analyze(result, terms, {
      accountConfirmations: [{ accountKey: key(result, 'biz-0002'), kind: 'business_review', note: 'Cash flow ok' }],
    });
    expect(reviewed.largeDeposits.excluded).toMatchObject([
      { transactionId: 'in', reason: 'own_transfer', matchedTransactionId: 'out' },
    ]);
    // 30,000 + 500 = 30,500, nothing deducted.
    expect(reviewed.fundsToClose).toMatchObject({ unsourcedDeducted: 0, availableFunds: 30500, shortfall: 0 });
  });

  it("the same holds for the borrower's accounts in another report", () => {
    const [checking, business] = result.report.items[0]!.accounts;
    const main = report({ items: [{ itemId: 'item-1', accounts: [] }] });
    main.report.items[0]!.accounts = [checking!];
    const other = report({ id: 'other-report', items: [{ itemId: 'item-2', institutionId: 'ins_2', accounts: [] }] });
    other.report.items[0]!.accounts = [business!];
    const analysis = analyze(main, terms, {}, [other]);
    expect(analysis.largeDeposits.excluded).toEqual([]);
    expect(analysis.largeDeposits.deposits).toMatchObject([{ transactionId: 'in', matchedAccountId: 'biz-0002' }]);
    expect(analysis.fundsToClose.unsourcedDeducted).toBe(20000);
  });
});

describe('an account re-linked in another report is the same account', () => {
  // The checking took a 9,000 wire and paid 9,000 earnest money out the next day. An older report holds the same
  // checking (same bank, mask and subtype) under the account id of an earlier link, with the same payment.
  const current = singleItem([
    {
      id: 'chk-new',
      mask: '0000',
      current: 30000,
      transactions: [
        { id: 'wire', daysAgo: 10, amount: -9000, description: 'WIRE IN FROM JOHN DOE' },
        { id: 'escrow', daysAgo: 9, amount: 9000, description: 'WIRE OUT TITLE CO EARNEST MONEY' },
      ],
    },
  ]);
  const older = report({
    id: 'older-report',
    items: [
      {
        itemId: 'item-old',
        accounts: [
          {
            id: 'chk-old',
            mask: '0000',
            current: 30000,
            transactions: [
              { id: 'escrow-old', daysAgo: 9, amount: 9000, description: 'WIRE OUT TITLE CO EARNEST MONEY' },
            ],
          },
        ],
      },
    ],
  });

  it('its own payment out is not the other leg of a transfer into it: the wire stays a large deposit', () => {
    const analysis = analyze(current, {}, {}, [older]);
    // It read as an own transfer from chk-old: nothing deducted; now 9,000 to source.
    expect(analysis.largeDeposits.excluded).toEqual([]);
    expect(analysis.largeDeposits.deposits.map((d) => [d.transactionId, d.evidence])).toEqual([['wire', 'none']]);
    expect(analysis.fundsToClose.unsourcedDeducted).toBe(9000);
  });

  it('checkLargeDeposits rules out the same account by its key, not its account id', () => {
    const accounts = reportAccounts(current);
    const others = reportAccounts(older);
    const ownership = [...accounts, ...others].map((entry) => accountOwnership(entry, [], borrowerNames(loan())));
    const { largeDeposits } = checkLargeDeposits({
      accounts,
      reportDate: REPORT_DATE,
      loan: loan(),
      settings: underwritingSettings(),
      ownership,
      countedAccountIds: new Set(['chk-new', 'chk-old']),
      usdRates: new Map(),
      otherAccounts: others,
    });
    expect(largeDeposits.excluded).toEqual([]);
    expect(largeDeposits.totalUnsourced).toBe(9000);
  });
});

describe('payroll by pattern, not by word', () => {
  // Semi-monthly ACME payroll on 03-27, 03-13, 02-27, 02-13 (14/14/14 days apart), 4,500 each.
  const payroll = (ids: string[], description: string, amount = -4500) =>
    ids.map((id, i) => ({ id, daysAgo: 3 + 14 * i, amount, description: `${description} ${1000 + i}` }));

  it('recurring deposits from one payer at a wage interval are payroll; one "PAYROLL" deposit alone is not', () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 40000,
        transactions: [
          ...payroll(['p1', 'p2', 'p3', 'p4'], 'ACME CORP PAYROLL PPD ID'),
          { id: 'one-off', daysAgo: 20, amount: -6000, description: 'PAYROLL BONUS GLOBEX' },
        ],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.excluded.map((d) => [d.transactionId, d.reason, d.payrollBy])).toEqual([
      ['p4', 'payroll', 'pattern'],
      ['p3', 'payroll', 'pattern'],
      ['p2', 'payroll', 'pattern'],
      ['p1', 'payroll', 'pattern'],
    ]);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['one-off']);
  });

  it("Plaid's income category is payroll; P2P and wallet services never are, however regular or categorised", () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 60000,
        transactions: [
          { id: 'cat', daysAgo: 5, amount: -4500, description: 'GLOBEX', category: ['Transfer', 'Payroll'] },
          {
            id: 'gpay',
            daysAgo: 6,
            amount: -4500,
            description: 'GOOGLE PAY TRANSFER FROM J DOE',
            category: ['Transfer', 'Payroll'],
          },
          ...payroll(['a1', 'a2', 'a3'], 'APPLE PAY CASH DEPOSIT'),
          ...payroll(['z1', 'z2', 'z3'], 'ZELLE PAYROLL FROM J DOE', -4600),
        ],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.excluded.map((d) => [d.transactionId, d.payrollBy])).toEqual([['cat', 'insights']]);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId).sort()).toEqual(
      ['a1', 'a2', 'a3', 'gpay', 'z1', 'z2', 'z3'].sort(),
    );
  });
});

describe('payroll needs wage evidence, not just a rhythm', () => {
  // 5,000 a month (30 days apart) from one payer: the rhythm of wages, but only words or Plaid's category say wages.
  const monthly = (prefix: string, description: string) =>
    [5, 35, 65].map((daysAgo, i) => ({ id: `${prefix}${i + 1}`, daysAgo, amount: -5000, description }));
  const result = singleItem([
    {
      id: 'chk-0000',
      current: 100_000,
      transactions: [
        ...monthly('wire', 'WIRE IN FROM JOHN DOE'),
        ...monthly('dad', 'DAD GIFT'),
        ...monthly('rent', 'ACH CREDIT SMITH PROPERTIES RENT'),
        ...monthly('pay', 'ACME CORP DIRECT DEP'),
        {
          id: 'wired-pay',
          daysAgo: 20,
          amount: -5000,
          description: 'INCOMING WIRE ACME CORP',
          category: ['Transfer', 'Payroll'],
        },
      ],
    },
  ]);
  const analysis = analyze(result, { fundsToClose: 0, reservesNeeded: 0 });

  it('monthly wires, gifts and rent from one payer are large deposits to source; a monthly direct deposit is payroll', () => {
    expect(analysis.largeDeposits.excluded.map((d) => [d.transactionId, d.payrollBy])).toEqual([
      ['pay3', 'pattern'],
      ['pay2', 'pattern'],
      ['pay1', 'pattern'],
    ]);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId).sort()).toEqual(
      ['dad1', 'dad2', 'dad3', 'rent1', 'rent2', 'rent3', 'wire1', 'wire2', 'wire3', 'wired-pay'].sort(),
    );
    // 9 × 5,000 + the wire Plaid calls payroll, 5,000 = 50,000 to source (it read 0: all were "payroll").
    expect(analysis.largeDeposits.totalUnsourced).toBe(50_000);
    expect(analysis.fundsToClose.unsourcedDeducted).toBe(50_000);
    expect(
      analysis.largeDeposits.deposits.filter((d) => d.evidence === 'gift_text').map((d) => d.transactionId),
    ).toEqual(['dad3', 'dad2', 'dad1']);
  });

  it('says what made the direct deposits payroll', () => {
    expect(analysis.findings.find((f) => f.id === 'large-deposit:payroll')?.detail).toContain(
      'named as pay (payroll, direct deposit, salary)',
    );
  });
});

describe('gifts', () => {
  it('a deposit whose text suggests a gift is flagged with what the guide requires, even under the threshold', () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 30000,
        transactions: [{ id: 'bday', daysAgo: 4, amount: -1500, description: 'ZELLE FROM GRANDMA BIRTHDAY GIFT' }],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.deposits).toEqual([]);
    expect(analysis.largeDeposits.possibleGifts).toMatchObject([
      { transactionId: 'bday', why: 'gift_text', amount: 1500 },
    ]);
    const gift = analysis.findings.find((f) => f.rule === 'gift');
    expect(gift).toMatchObject({ severity: 'attention', amount: 1500 });
    expect(gift?.detail).toMatch(/gift letter.*donor's ability.*transfer/);
    // Documented: the finding is ok.
    const sourced = analyze(result, {}, { sourcedDeposits: [{ transactionId: 'bday', note: 'Gift letter on file' }] });
    expect(sourced.findings.find((f) => f.rule === 'gift')?.severity).toBe('ok');
  });
});

describe('NSF counted by event', () => {
  const nsfAccount = (transactions: AccountSpec['transactions']): AssetReportGetResult =>
    singleItem([{ id: 'chk-0000', current: 500, transactions }]);

  it('a fee and its reversal pair whatever the listing order (Plaid lists newest first) and the day', () => {
    const result = nsfAccount([
      // Same day, reversal listed first.
      { id: 'rev-1', daysAgo: 10, amount: -35, description: 'NSF FEE REVERSAL' },
      { id: 'fee-1', daysAgo: 10, amount: 35, description: 'NSF FEE' },
      // Reversal posted the day before the fee it refunds.
      { id: 'rev-2', daysAgo: 21, amount: -34, description: 'OVERDRAFT FEE REFUND' },
      { id: 'fee-2', daysAgo: 20, amount: 34, description: 'OVERDRAFT ITEM FEE' },
      { id: 'fee-3', daysAgo: 40, amount: 36, description: 'NSF FEE' },
    ]);
    const analysis = analyze(result);
    expect(analysis.nsf.events.map((e) => [e.transactionId, e.reversedBy])).toEqual([
      ['fee-1', 'rev-1'],
      ['fee-2', 'rev-2'],
      ['fee-3', null],
    ]);
    // 30 days: 2 fees both reversed = 0; 60 and 90: 3 fees, 2 reversed = 1
    expect(analysis.nsf.windows.map((w) => w.net)).toEqual([0, 1, 1]);
    expect(analysis.nsf.daysSinceLast).toBe(40);
  });

  it("a returned deposited item is its own finding, not the borrower's NSF", () => {
    const result = nsfAccount([
      { id: 'dep', daysAgo: 12, amount: -800, description: 'MOBILE CHECK DEPOSIT' },
      { id: 'returned', daysAgo: 9, amount: 800, description: 'DEPOSITED ITEM RETURNED' },
      { id: 'ret-fee', daysAgo: 9, amount: 12, description: 'RETURN DEPOSIT ITEM FEE' },
    ]);
    const analysis = analyze(result);
    expect(analysis.nsf.events).toEqual([]);
    expect(analysis.nsf.returnedDeposits.map((r) => [r.transactionId, r.kind])).toEqual([
      ['returned', 'item'],
      ['ret-fee', 'fee'],
    ]);
    expect(analysis.findings.find((f) => f.rule === 'returned_deposit')).toMatchObject({
      severity: 'attention',
      title: '1 returned deposited item in 90 days',
    });
    expect(analysis.findings.find((f) => f.id === 'nsf')?.severity).toBe('ok');
  });

  it('days below zero per account over 30/60/90 days come from the balance history (no fee needed)', () => {
    // Current 500; 1,000 came in 5 days ago, so the 85 days before were at -500 (no fee was charged).
    // Days 1-5 before the report date: 500 (the deposit posted 5 days ago counts at its day's end).
    const result = nsfAccount([{ id: 'in', daysAgo: 5, amount: -1000, description: 'PAYROLL' }]);
    const analysis = analyze(result);
    // Day 5's end includes the deposit: below zero are days 6..90 = 85 days; 25 of them in 30, 55 in 60.
    expect(analysis.nsf.negativeBalanceDays).toMatchObject([
      { accountId: 'chk-0000', days30: 25, days60: 55, days90: 85 },
    ]);
    expect(analysis.findings.find((f) => f.rule === 'negative_balance')).toMatchObject({
      severity: 'attention',
      accountIds: ['chk-0000'],
    });
  });
});

describe('names: suffixes and extra given names need the officer', () => {
  const alberta = { first: 'Alberta', middle: 'B', last: 'Charleson' };
  it.each([
    ['Alberta B Charleson', alberta, 'match'],
    ['Alberta Bobbeth Charleson', { first: 'Alberta', last: 'Charleson' }, 'match'],
    ['John Smith Jr.', { first: 'John', last: 'Smith Sr.' }, 'possible'],
    ['John Smith Jr.', { first: 'John', last: 'Smith' }, 'possible'],
    ['John Smith Jr', { first: 'John', last: 'Smith Jr.' }, 'match'],
    ['Mary Alberta Charleson', { first: 'Alberta', last: 'Charleson' }, 'possible'],
    ['Alberta Bobbeth Mae Charleson', alberta, 'possible'],
    ['POD JOHN SMITH', { first: 'John', last: 'Smith' }, 'possible'],
    ['Roberta Charleson', alberta, 'none'],
  ] as const)('%s against %o: %s', (printed, applicant, verdict) => {
    expect(matchName(printed, applicant)).toBe(verdict);
  });
});

describe('one finding per rule and cause', () => {
  it('one name mismatch on seven accounts is one ownership finding and one not-counted finding, listing all seven', () => {
    const accounts: AccountSpec[] = Array.from({ length: 7 }, (_, i) => ({
      id: `rob-${i}000`,
      current: 1000,
      owners: [['Robert Q Public']],
    }));
    const analysis = analyze(singleItem(accounts));
    const ids = accounts.map((a) => a.id);
    expect(analysis.findings.filter((f) => f.rule === 'ownership')).toMatchObject([
      { id: 'ownership:name_mismatch', accountIds: ids },
    ]);
    expect(analysis.findings.filter((f) => f.id.startsWith('funds-not-counted'))).toMatchObject([
      { id: 'funds-not-counted:name_mismatch', accountIds: ids },
    ]);
    // 0 counted vs 25,000 required
    expect(analysis.fundsToClose.shortfall).toBe(25000);
  });
});

describe('confirmations survive a refresh: they are keyed by institution, mask and subtype, not by report', () => {
  it('the same account in a refreshed report (new account id) has the same key', () => {
    const before = report({ items: [{ itemId: 'item-1', accounts: [{ id: 'acc-old', mask: '1111', current: 1 }] }] });
    const after = report({ items: [{ itemId: 'item-9', accounts: [{ id: 'acc-new', mask: '1111', current: 1 }] }] });
    expect(key(before, 'acc-old')).toBe('ins_109508:1111:checking');
    expect(key(after, 'acc-new')).toBe(key(before, 'acc-old'));
  });
});

describe('same report, REPORT_DATE', () => {
  it('is the Monday the business-day arithmetic above assumes', () => {
    expect(new Date(`${REPORT_DATE}T12:00:00Z`).getUTCDay()).toBe(1);
  });
});

import type { AssetReportWarning } from '../../shared/asset-report';
import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import { REPORT_DATE, loan, report } from './fixtures';

function warning(code: string, itemId: string, institutionName?: string): AssetReportWarning {
  return {
    warning_type: 'ASSET_REPORT_WARNING',
    warning_code: code,
    cause: {
      error_type: 'ITEM_ERROR',
      error_code: 'ITEM_LOGIN_REQUIRED',
      error_message: 'the login details of this item have changed',
      display_message: null,
      item_id: itemId,
      ...(institutionName ? { institution_name: institutionName } : {}),
    },
  };
}

const houndstooth = {
  itemId: 'item-houndstooth',
  institutionName: 'Houndstooth Bank',
  accounts: [{ id: 'chk-1111', current: 30000 }],
};

function analyze(warnings: AssetReportWarning[], items = [houndstooth]) {
  return analyzeReport(
    report({ items, warnings }),
    loan({ purpose: 'refinance' }),
    underwritingSettings(),
    REPORT_DATE,
  );
}

describe('report warnings: a bank Plaid left out of the report', () => {
  it('an Item named by a warning but not in the report needs attention and names the bank', () => {
    const analysis = analyze([warning('TRANSACTIONS_UNAVAILABLE', 'item-tartan', 'Tartan Bank')]);
    const finding = analysis.findings.find((f) => f.id === 'missing-item:item-tartan');
    expect(finding).toMatchObject({ severity: 'attention', rule: 'missing_item' });
    expect(finding?.title).toBe('Tartan Bank is not in this report');
    expect(finding?.detail).toMatch(/accounts and balances/);
    expect(finding?.detail).toMatch(/understated/);
    expect(finding?.detail).toMatch(/refresh/i);
    expect(finding?.detail).toMatch(/without it/);
    expect(analysis.counts.attention).toBeGreaterThanOrEqual(1);
    expect(analysis.findings[0]?.severity).toBe('attention');
  });

  it('several warnings about the same missing Item make one finding', () => {
    const analysis = analyze([
      warning('TRANSACTIONS_UNAVAILABLE', 'item-tartan', 'Tartan Bank'),
      warning('OWNERS_UNAVAILABLE', 'item-tartan', 'Tartan Bank'),
    ]);
    expect(analysis.findings.filter((f) => f.rule === 'missing_item')).toHaveLength(1);
  });

  it('without a name in the warning, the bank is named from another report of the borrower, else by Item id', () => {
    const other = report({
      id: 'other',
      items: [{ itemId: 'item-tartan', institutionName: 'Tartan Bank', accounts: [{ id: 'chk-2222', current: 5 }] }],
    });
    const named = analyzeReport(
      report({ items: [houndstooth], warnings: [warning('TRANSACTIONS_UNAVAILABLE', 'item-tartan')] }),
      loan(),
      underwritingSettings(),
      REPORT_DATE,
      { otherReports: [other] },
    );
    expect(named.findings.find((f) => f.rule === 'missing_item')?.title).toBe('Tartan Bank is not in this report');
    const unnamed = analyze([warning('TRANSACTIONS_UNAVAILABLE', 'item-tartan')]);
    expect(unnamed.findings.find((f) => f.rule === 'missing_item')?.title).toBe(
      'A linked bank (Item item-tartan) is not in this report',
    );
  });

  it('an Item in the report whose transactions are missing stays info, worded as missing history', () => {
    const analysis = analyze([warning('TRANSACTIONS_UNAVAILABLE', 'item-houndstooth')]);
    expect(analysis.findings.some((f) => f.rule === 'missing_item' && f.severity === 'attention')).toBe(false);
    const finding = analysis.findings.find((f) => f.id === 'missing-transactions:item-houndstooth');
    expect(finding).toMatchObject({ severity: 'info', rule: 'missing_item', accountIds: ['chk-1111'] });
    expect(finding?.title).toBe('Houndstooth Bank: balances without transaction history');
  });

  it('no warnings, no finding', () => {
    expect(analyze([]).findings.some((f) => f.rule === 'missing_item')).toBe(false);
  });
});

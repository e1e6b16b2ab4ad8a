import type { AssetReportWarning } from '../../shared/asset-report';
import { warningText } from '../../renderer/src/reports/report-warnings';

function warning(code: string, itemId: string): AssetReportWarning {
  return {
    warning_type: 'ASSET_REPORT_WARNING',
    warning_code: code,
    cause: {
      error_type: 'INSTITUTION_ERROR',
      error_code: 'INSTITUTION_NOT_RESPONDING',
      error_message: 'this institution is not currently responding to this request. please try again soon',
      display_message: null,
      item_id: itemId,
      institution_name: 'Tartan Bank',
    },
  };
}

describe('report warnings in words', () => {
  it('a bank left out of the report is said to be absent, whatever the warning code', () => {
    const items = [{ item_id: 'item-present' }];
    for (const code of ['TRANSACTIONS_UNAVAILABLE', 'OWNERS_UNAVAILABLE', 'INVESTMENTS_UNAVAILABLE']) {
      const text = warningText(warning(code, 'item-left-out'), items);
      expect(text).toMatch(/not in this report/);
      expect(text).toMatch(/none of its accounts/);
    }
  });

  it('a bank in the report without transactions keeps its balances', () => {
    const text = warningText(warning('TRANSACTIONS_UNAVAILABLE', 'item-present'), [{ item_id: 'item-present' }]);
    expect(text).not.toMatch(/not in this report/);
    expect(text).toMatch(/balances are in the report/);
  });
});

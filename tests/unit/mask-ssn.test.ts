import { maskSsnInReportJson } from '../../electron/services/export/report-files';

/** The report text the renderer gets: Plaid's echo of the SSN masked, everything else byte for byte. */
describe('maskSsnInReportJson', () => {
  const report = (user: unknown, extra: unknown = []) =>
    JSON.stringify({ report: { user, items: [{ transactions: extra }] }, warnings: [] });

  it('masks report.user.ssn to its last four digits and leaves the rest untouched', () => {
    const text = report({ first_name: 'Alberta', ssn: '123-45-6789' }, [{ name: 'ssn: 123-45-6789 "ssn":"1"' }]);
    const masked = maskSsnInReportJson(text);
    const parsed = JSON.parse(masked) as {
      report: { user: { ssn: string }; items: { transactions: { name: string }[] }[] };
    };
    expect(parsed.report.user.ssn).toBe('***-**-6789');
    // Text inside other strings is not a member, so it is left as the bank sent it.
    expect(parsed.report.items[0]!.transactions[0]!.name).toBe('ssn: 123-45-6789 "ssn":"1"');
    expect(masked.replace('"***-**-6789"', '"123-45-6789"')).toBe(text);
  });

  it('handles pretty-printed JSON, and leaves a missing, empty or null SSN alone', () => {
    const pretty = JSON.stringify({ report: { user: { ssn: '987654321' } } }, null, 2);
    expect(JSON.parse(maskSsnInReportJson(pretty))).toEqual({ report: { user: { ssn: '***-**-4321' } } });
    for (const user of [{ first_name: 'A' }, { ssn: '' }, { ssn: null }]) {
      const text = report(user);
      expect(maskSsnInReportJson(text)).toBe(text);
    }
  });
});

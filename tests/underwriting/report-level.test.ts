import { analyzeReport, refreshByDate, underwritingSettings } from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';

describe('document age and refresh-by date', () => {
  it('Fannie Mae: 4 calendar months from the report date, clamped to the month end', () => {
    expect(refreshByDate('2026-03-30', '2026-03-15', 'fannie_4_months')).toBe('2026-07-30');
    expect(refreshByDate('2025-10-31', '2025-10-01', 'fannie_4_months')).toBe('2026-02-28');
    expect(refreshByDate('2023-10-31', '2023-10-01', 'fannie_4_months')).toBe('2024-02-29');
  });

  it('DU: 45 days from the application, or from a report pulled after it, never beyond 4 months', () => {
    expect(refreshByDate('2026-03-30', '2026-03-15', 'du_45_days')).toBe('2026-05-14');
    expect(refreshByDate('2026-03-01', '2026-03-15', 'du_45_days')).toBe('2026-04-29');
    expect(refreshByDate('2025-12-01', '2026-03-15', 'du_45_days')).toBe('2026-04-01');
  });

  it('refresh is due only once the refresh-by date has passed', () => {
    const result = singleItem([{ id: 'chk-0000', current: 100 }]);
    const on = analyzeReport(result, loan(), underwritingSettings(), '2026-07-30');
    const after = analyzeReport(result, loan(), underwritingSettings(), '2026-07-31');
    expect(on.documentAge).toEqual({
      reportDate: REPORT_DATE,
      rule: 'fannie_4_months',
      refreshBy: '2026-07-30',
      refreshDue: false,
      daysLeft: 0,
    });
    expect(after.documentAge).toMatchObject({ refreshDue: true, daysLeft: -1 });
    expect(after.findings[0]).toMatchObject({
      id: 'document-age',
      rule: 'document_age',
      severity: 'attention',
      citation: 'Fannie Mae B3-1-03',
    });
    const du = analyzeReport(result, loan(), underwritingSettings({ documentAgeRule: 'du_45_days' }), '2026-05-15');
    expect(du.documentAge).toMatchObject({ refreshBy: '2026-05-14', refreshDue: true });
    expect(du.findings.find((f) => f.rule === 'document_age')?.citation).toBe('Fannie Mae B3-1-03; DU 45-day rule');
    expect(
      analyzeReport(result, loan(), underwritingSettings(), '2026-04-01').findings.find(
        (f) => f.rule === 'document_age',
      )?.severity,
    ).toBe('ok');
  });
});

describe('coverage', () => {
  const result = singleItem(
    [
      { id: 'chk-0000', current: 100, daysAvailable: 61 },
      { id: 'sav-1111', current: 100, daysAvailable: 60 },
      { id: 'mm-4444', current: 100, daysAvailable: 45 },
      { id: 'cd-2222', current: 100, daysAvailable: 29 },
      { id: 'ira-5555', type: 'investment', subtype: 'ira', current: 320.76 },
      { id: 'card-3333', type: 'credit', subtype: 'credit card', current: 410, daysAvailable: 10 },
    ],
    { daysRequested: 61 },
  );

  it('purchase needs 60 days, exactly 60 is enough', () => {
    const analysis = analyzeReport(result, loan(), underwritingSettings(), REPORT_DATE);
    expect(analysis.coverage.map((c) => [c.accountId, c.daysAvailable, c.daysRequired, c.status])).toEqual([
      ['chk-0000', 61, 60, 'met'],
      ['sav-1111', 60, 60, 'met'],
      ['mm-4444', 45, 60, 'short'],
      ['cd-2222', 29, 60, 'short'],
      ['ira-5555', 0, 60, 'no_history'],
      ['card-3333', 10, 60, 'not_applicable'],
    ]);
    expect(analysis.findings.find((f) => f.id === 'coverage:mm-4444')).toMatchObject({
      severity: 'attention',
      citation: 'Fannie Mae B3-4.2-01',
    });
    expect(analysis.findings.find((f) => f.id === 'coverage:ira-5555')?.severity).toBe('info');
    expect(analysis.findings.some((f) => f.id === 'coverage:card-3333')).toBe(false);
  });

  it('refinance needs 30 days; both are settings', () => {
    const refinance = analyzeReport(result, loan({ purpose: 'refinance' }), underwritingSettings(), REPORT_DATE);
    expect(refinance.coverage.filter((c) => c.status === 'short').map((c) => c.accountId)).toEqual(['cd-2222']);
    const custom = analyzeReport(
      result,
      loan(),
      underwritingSettings({ coverageDays: { purchase: 45, refinance: 30 } }),
      REPORT_DATE,
    );
    expect(custom.coverage.filter((c) => c.status === 'short').map((c) => c.accountId)).toEqual(['cd-2222']);
  });
});

describe('funds to close', () => {
  const result = singleItem([
    {
      id: 'chk-0000',
      current: 10000,
      transactions: [{ id: 'big', daysAgo: 5, amount: -6000, description: 'CASH DEPOSIT' }],
    },
    { id: 'sav-1111', subtype: 'savings', current: 8000 },
    { id: 'od-9000', current: -250 },
    { id: '401k-6666', type: 'investment', subtype: '401k', current: 20000 },
    { id: 'card-3333', type: 'credit', subtype: 'credit card', current: 410 },
    { id: 'loan-7777', type: 'loan', subtype: 'student', current: 65262 },
    { id: 'mort-8888', type: 'loan', subtype: 'mortgage', current: 56302.06 },
  ]);

  it('counts deposits in full, retirement at the discount, never debts, less unsourced deposits on a purchase', () => {
    const analysis = analyzeReport(
      result,
      loan({ fundsToClose: 20000, reservesNeeded: 5000 }),
      underwritingSettings(),
      REPORT_DATE,
    );
    expect(analysis.fundsToClose).toEqual({
      depositoryAssets: 18000,
      retirementAssetsGross: 20000,
      retirementAssets: 12000,
      retirementDiscount: 0.6,
      verifiedLiquidAssets: 30000,
      unsourcedDeducted: 6000,
      availableFunds: 24000,
      fundsToClose: 20000,
      reservesNeeded: 5000,
      required: 25000,
      surplus: -1000,
      shortfall: 1000,
      debtsExcluded: 121974.06,
    });
    expect(analysis.findings.find((f) => f.rule === 'funds_to_close')).toMatchObject({
      id: 'funds-to-close',
      severity: 'attention',
      title: 'Short $1,000.00 for funds to close and reserves',
      transactionIds: ['big'],
      citation: 'Fannie Mae B3-4.1-01',
    });
  });

  it('sourcing the deposit, or a refinance, closes the gap', () => {
    const sourced = analyzeReport(
      result,
      loan(),
      underwritingSettings({ sourcedDeposits: [{ transactionId: 'big', note: 'Sale of car, bill of sale on file' }] }),
      REPORT_DATE,
    );
    expect(sourced.fundsToClose).toMatchObject({
      unsourcedDeducted: 0,
      availableFunds: 30000,
      surplus: 5000,
      shortfall: 0,
    });
    expect(sourced.findings.find((f) => f.rule === 'funds_to_close')?.severity).toBe('ok');
    const refinance = analyzeReport(result, loan({ purpose: 'refinance' }), underwritingSettings(), REPORT_DATE);
    expect(refinance.fundsToClose).toMatchObject({ unsourcedDeducted: 0, surplus: 5000 });
  });
});

describe('the analysis as a whole', () => {
  it('orders findings attention first, counts them, and keeps ids stable', () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 30000,
        transactions: [{ id: 'big', daysAgo: 5, amount: -12000, description: 'WIRE IN' }],
      },
    ]);
    const first = analyzeReport(result, loan(), underwritingSettings(), REPORT_DATE);
    const again = analyzeReport(structuredClone(result), loan(), underwritingSettings(), REPORT_DATE);
    expect(again.findings.map((f) => f.id)).toEqual(first.findings.map((f) => f.id));
    const severities = first.findings.map((f) => f.severity);
    expect(severities).toEqual(
      [...severities].sort((a, b) => ['attention', 'info', 'ok'].indexOf(a) - ['attention', 'info', 'ok'].indexOf(b)),
    );
    expect(first.counts).toEqual({
      attention: first.findings.filter((f) => f.severity === 'attention').length,
      info: first.findings.filter((f) => f.severity === 'info').length,
    });
    expect(first.findings.slice(0, 2).map((f) => f.id)).toEqual(['funds-to-close', 'large-deposit:big']);
    expect(new Set(first.findings.map((f) => f.id)).size).toBe(first.findings.length);
    for (const finding of first.findings) expect(finding.citation.length, finding.id).toBeGreaterThan(0);
  });
});

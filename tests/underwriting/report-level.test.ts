import {
  analyzeReport,
  duEarliestReportDate,
  fannieMaeLastNoteDate,
  freddieMacLastNoteDate,
  loanInputsFromLoan,
  refreshByDate,
  underwritingSettings,
} from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';

describe('document age: Fannie Mae 4 months, Freddie Mac 120 days, DU 45 days', () => {
  it('Fannie Mae: the last note date is 4 calendar months after the report date, clamped to the month end', () => {
    expect(fannieMaeLastNoteDate('2026-03-30')).toBe('2026-07-30');
    expect(fannieMaeLastNoteDate('2025-10-31')).toBe('2026-02-28');
    expect(fannieMaeLastNoteDate('2023-10-31')).toBe('2024-02-29');
  });

  it('Freddie Mac: 120 days, up to 3 days before Fannie Mae; never after it', () => {
    // 03-30 + 120: Mar 31 (1), Apr 30 (31), May 31 (62), Jun 30 (92), Jul 28 (120): 2 days before Jul 30.
    expect(freddieMacLastNoteDate('2026-03-30')).toBe('2026-07-28');
    // Jul 1 + 4 months = Nov 1 is 31+31+30+31 = 123 days; Jul 1 + 120 = Oct 29: 3 days earlier.
    expect(fannieMaeLastNoteDate('2026-07-01')).toBe('2026-11-01');
    expect(freddieMacLastNoteDate('2026-07-01')).toBe('2026-10-29');
    // Oct 31 + 4 months = Feb 28 = 30+31+31+28 = 120 days: the agencies agree.
    expect(freddieMacLastNoteDate('2026-10-31')).toBe(fannieMaeLastNoteDate('2026-10-31'));
    expect(refreshByDate('2026-03-30', 'both_agencies')).toBe('2026-07-28');
    expect(refreshByDate('2026-03-30', 'fannie_4_months')).toBe('2026-07-30');
    expect(refreshByDate('2026-03-30', 'freddie_120_days')).toBe('2026-07-28');
    expect(refreshByDate('2026-03-30', 'du_45_days')).toBe('2026-07-30');
  });

  it('DU: the report must be dated within 45 days of the initial application (03-15 − 45 days = 01-29)', () => {
    expect(duEarliestReportDate('2026-03-15')).toBe('2026-01-29');
    const du = underwritingSettings({ documentAgeRule: 'du_45_days' });
    const onTheDay = analyzeReport(
      singleItem([{ id: 'chk-0000', current: 100 }], { date: '2026-01-29' }),
      loan(),
      du,
      '2026-03-20',
    );
    const dayBefore = analyzeReport(
      singleItem([{ id: 'chk-0000', current: 100 }], { date: '2026-01-28' }),
      loan(),
      du,
      '2026-03-20',
    );
    expect(onTheDay.documentAge.du).toEqual({ earliestReportDate: '2026-01-29', met: true });
    expect(dayBefore.documentAge.du).toEqual({ earliestReportDate: '2026-01-29', met: false });
    expect(dayBefore.findings.find((f) => f.id === 'document-age:du')?.severity).toBe('attention');
    // A report pulled after the application is dated within 45 days of it too.
    const later = analyzeReport(singleItem([{ id: 'chk-0000', current: 100 }]), loan(), du, REPORT_DATE);
    expect(later.documentAge.du?.met).toBe(true);
    // Without DU there is no 45-day check.
    expect(
      analyzeReport(singleItem([{ id: 'chk-0000', current: 100 }]), loan(), underwritingSettings(), REPORT_DATE)
        .documentAge.du,
    ).toBeNull();
  });

  it('both agencies by default: Freddie Mac binds; refresh is due only once 07-28 has passed', () => {
    const result = singleItem([{ id: 'chk-0000', current: 100 }]);
    const on = analyzeReport(result, loan(), underwritingSettings(), '2026-07-28');
    const after = analyzeReport(result, loan(), underwritingSettings(), '2026-07-29');
    expect(on.documentAge).toEqual({
      reportDate: REPORT_DATE,
      rule: 'both_agencies',
      refreshBy: '2026-07-28',
      bindingAgency: 'freddie_mac',
      limits: [
        { agency: 'fannie_mae', lastNoteDate: '2026-07-30' },
        { agency: 'freddie_mac', lastNoteDate: '2026-07-28' },
      ],
      measuredOn: '2026-07-28',
      noteDateKnown: false,
      refreshDue: false,
      daysLeft: 0,
      du: null,
    });
    expect(after.documentAge).toMatchObject({ refreshDue: true, daysLeft: -1 });
    expect(after.findings[0]).toMatchObject({ id: 'document-age', rule: 'document_age', severity: 'attention' });
    expect(after.findings[0]?.detail).toContain('Freddie Mac');
    expect(
      analyzeReport(result, loan(), underwritingSettings(), '2026-04-01').findings.find((f) => f.id === 'document-age')
        ?.severity,
    ).toBe('ok');
  });

  it('measures against the expected note date when known: a 07-29 closing is too late for Freddie Mac (07-28), fine for Fannie Mae (07-30)', () => {
    const result = singleItem([{ id: 'chk-0000', current: 100 }]);
    const closing = loan({ expectedNoteDate: '2026-07-29' });
    const both = analyzeReport(result, closing, underwritingSettings(), '2026-04-01');
    expect(both.documentAge).toMatchObject({
      measuredOn: '2026-07-29',
      noteDateKnown: true,
      refreshDue: true,
      daysLeft: 118,
    });
    expect(both.findings.find((f) => f.id === 'document-age')?.severity).toBe('attention');
    const fannie = analyzeReport(
      result,
      closing,
      underwritingSettings({ documentAgeRule: 'fannie_4_months' }),
      '2026-04-01',
    );
    expect(fannie.documentAge).toMatchObject({
      refreshBy: '2026-07-30',
      refreshDue: false,
      bindingAgency: 'fannie_mae',
    });
  });

  it('a note date already past does not hide an expired report: due once today is after refresh-by, never "-1 days left"', () => {
    const result = singleItem([{ id: 'chk-0000', current: 100 }]);
    const documentAge = (asOf: string, expectedNoteDate: string | null) => {
      const analysis = analyzeReport(result, loan({ expectedNoteDate }), underwritingSettings(), asOf);
      return { ...analysis.documentAge, finding: analysis.findings.find((f) => f.id === 'document-age') };
    };
    // The note date 07-20 was fine for the 07-28 limit, but it is 07-29: the closing did not happen on it (or the
    // file would not be worked on), and any closing from today on is too late.
    const slipped = documentAge('2026-07-29', '2026-07-20');
    expect(slipped).toMatchObject({
      measuredOn: '2026-07-20',
      refreshBy: '2026-07-28',
      refreshDue: true,
      daysLeft: -1,
    });
    expect(slipped.finding).toMatchObject({
      severity: 'attention',
      title: 'Refresh due: the report expired on 2026-07-28',
    });
    expect(slipped.finding?.detail).toContain('The expected note date 2026-07-20 has passed');
    // On 07-28 itself the report is still young enough.
    expect(documentAge('2026-07-28', '2026-07-20')).toMatchObject({ refreshDue: false, daysLeft: 0 });
    expect(documentAge('2026-07-28', '2026-07-20').finding?.title).toBe('Refresh by 2026-07-28 (0 days left)');
    // Read long after, with or without a note date: due, and no negative days anywhere in the words.
    for (const note of ['2026-05-01', null]) {
      const late = documentAge('2029-11-30', note);
      expect(late).toMatchObject({ refreshDue: true, daysLeft: -1221 });
      expect(late.finding?.title).toBe('Refresh due: the report expired on 2026-07-28');
      expect(`${late.finding?.title} ${late.finding?.detail}`).not.toMatch(/-\d+ days?/);
    }
    // A closed (or withdrawn) loan's note date is the one that counted, however late the report is read: closed on
    // 05-01, 32 days after the 03-30 report, it was young enough. Without a note date there is only today to go by.
    for (const status of ['closed', 'withdrawn'] as const) {
      const closed = analyzeReport(
        result,
        { ...loan({ expectedNoteDate: '2026-05-01' }), status },
        underwritingSettings(),
        '2029-11-30',
      );
      expect(closed.documentAge).toMatchObject({ measuredOn: '2026-05-01', refreshDue: false, daysLeft: -1221 });
      const finding = closed.findings.find((f) => f.id === 'document-age');
      expect(finding).toMatchObject({
        severity: 'ok',
        title: 'Young enough on the note date 2026-05-01 (refresh-by was 2026-07-28)',
      });
      expect(`${finding?.title} ${finding?.detail}`).not.toMatch(/-\d+ days?/);
      const unknown = analyzeReport(result, { ...loan(), status }, underwritingSettings(), '2029-11-30');
      expect(unknown.documentAge.refreshDue).toBe(true);
    }
    // The loan file's status reaches the analysis with its terms.
    expect(
      analyzeReport(
        result,
        loanInputsFromLoan({
          loanPurpose: 'purchase',
          applicationDate: '2026-03-01',
          expectedNoteDate: '2026-05-01',
          qualifyingMonthlyIncome: 8000,
          fundsToClose: 20_000,
          reservesNeeded: 0,
          status: 'closed',
          borrowers: [{ firstName: 'Alberta', middleName: null, lastName: 'Charleson' }],
        }),
        underwritingSettings(),
        '2029-11-30',
      ).documentAge.refreshDue,
    ).toBe(false);
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
    // One finding per cause, listing its accounts.
    expect(analysis.findings.filter((f) => f.rule === 'coverage').map((f) => [f.id, f.severity, f.accountIds])).toEqual(
      [
        ['coverage:short', 'attention', ['mm-4444', 'cd-2222']],
        ['coverage:no-history', 'info', ['ira-5555']],
        ['coverage:met', 'ok', ['chk-0000', 'sav-1111']],
      ],
    );
    expect(analysis.findings.find((f) => f.id === 'coverage:short')?.citation).toBe('Fannie Mae B3-4.2-01');
  });

  it('refinance needs 30 days; both are settings', () => {
    const refinance = analyzeReport(result, loan({ purpose: 'refinance' }), underwritingSettings(), REPORT_DATE);
    expect(refinance.coverage.filter((c) => c.status === 'short').map((c) => c.accountId)).toEqual(['cd-2222']);
    const custom = analyzeReport(
      result,
      loan(),
      underwritingSettings({ coverageDays: { purchase: 45, refinance: 30, cash_out_refinance: 30 } }),
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

  it('counts deposits in full (an overdrawn one below zero), retirement at the discount, never debts, less unsourced deposits on a purchase', () => {
    const analysis = analyzeReport(
      result,
      loan({ fundsToClose: 20000, reservesNeeded: 5000 }),
      underwritingSettings(),
      REPORT_DATE,
    );
    expect(analysis.fundsToClose).toMatchObject({
      // 10,000 + 8,000 - 250 overdrawn
      depositoryAssets: 17750,
      retirementAssetsGross: 20000,
      retirementAssets: 12000,
      retirementDiscount: 0.6,
      verifiedLiquidAssets: 29750,
      unsourcedDeducted: 6000,
      availableFunds: 23750,
      fundsToClose: 20000,
      reservesNeeded: 5000,
      required: 25000,
      surplus: -1250,
      shortfall: 1250,
      debtsExcluded: 121974.06,
    });
    expect(analysis.findings.find((f) => f.rule === 'funds_to_close')).toMatchObject({
      id: 'funds-to-close',
      severity: 'attention',
      title: 'Short $1,250.00 for funds to close and reserves',
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
      availableFunds: 29750,
      surplus: 4750,
      shortfall: 0,
    });
    expect(sourced.findings.find((f) => f.id === 'funds-to-close')?.severity).toBe('ok');
    // 17,750 of cash for 20,000 to close: 2,250 must be withdrawn from the 401(k)
    expect(sourced.findings.find((f) => f.id === 'funds-to-close:from-other-assets')?.amount).toBe(2250);
    const refinance = analyzeReport(result, loan({ purpose: 'refinance' }), underwritingSettings(), REPORT_DATE);
    expect(refinance.fundsToClose).toMatchObject({ unsourcedDeducted: 0, surplus: 4750 });
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
    expect(first.findings.slice(0, 2).map((f) => f.id)).toEqual(['funds-to-close', 'large-deposit:unsourced']);
    expect(new Set(first.findings.map((f) => f.id)).size).toBe(first.findings.length);
    for (const finding of first.findings) expect(finding.citation.length, finding.id).toBeGreaterThan(0);
  });
});

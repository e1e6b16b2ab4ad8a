import { diffReports, summarizeReport } from '../../shared/underwriting';
import { report } from './fixtures';

describe('refresh diff', () => {
  const parent = report({
    id: 'parent-report',
    date: '2026-03-01',
    items: [
      {
        itemId: 'item-1',
        accounts: [
          {
            id: 'chk-0000',
            current: 1000,
            transactions: [
              { id: 'old-dep', daysAgo: 3, amount: -500, description: 'REFUND' },
              { id: 'pending-dep', daysAgo: 1, amount: -200, description: 'DEPOSIT', pending: true },
            ],
          },
          { id: 'sav-1111', subtype: 'savings', current: 5000 },
          { id: 'closed-2222', subtype: 'cd', current: 1000 },
        ],
      },
    ],
  });
  const child = report({
    id: 'child-report',
    date: '2026-03-30',
    items: [
      {
        itemId: 'item-1',
        accounts: [
          {
            id: 'chk-0000',
            current: 9000,
            transactions: [
              { id: 'old-dep', daysAgo: 32, amount: -500, description: 'REFUND' },
              {
                id: 'posted-dep',
                daysAgo: 29,
                amount: -200,
                description: 'DEPOSIT',
                pendingTransactionId: 'pending-dep',
              },
              { id: 'new-big', daysAgo: 4, amount: -8000, description: 'WIRE IN' },
              { id: 'new-small', daysAgo: 4, amount: -12.5, description: 'INTEREST' },
              { id: 'new-spend', daysAgo: 2, amount: 500, description: 'RENT' },
            ],
          },
          // re-linked: new account id, same institution and mask
          { id: 'relinked-id', mask: '1111', subtype: 'savings', current: 4800 },
          { id: 'mm-4444', subtype: 'money market', current: 43200 },
        ],
      },
    ],
  });

  it('finds new deposits, balance changes, accounts added and removed', () => {
    const diff = diffReports(parent, child);
    expect(diff).toMatchObject({ parentReportId: 'parent-report', childReportId: 'child-report' });
    expect(diff.newDeposits.map((d) => [d.transactionId, d.amount, d.date])).toEqual([
      ['new-big', 8000, '2026-03-26'],
      ['new-small', 12.5, '2026-03-26'],
    ]);
    expect(diff.newDepositsTotal).toBe(8012.5);
    expect(diff.balanceChanges.map((c) => [c.accountId, c.before, c.after, c.change])).toEqual([
      ['chk-0000', 1000, 9000, 8000],
      ['relinked-id', 5000, 4800, -200],
    ]);
    expect(diff.accountsAdded.map((a) => a.accountId)).toEqual(['mm-4444']);
    expect(diff.accountsRemoved.map((a) => a.accountId)).toEqual(['closed-2222']);
  });

  it('a refresh asking for more days than its parent: older history is not money that came in since (5,340 became 340)', () => {
    // The parent covers 61 days back from 03-01 (from 2025-12-30); the refresh 180 days back from 03-30.
    const short = report({
      id: 'parent-61',
      date: '2026-03-01',
      daysRequested: 61,
      items: [{ itemId: 'item-1', accounts: [{ id: 'chk-0000', current: 1000 }] }],
    });
    const long = report({
      id: 'refresh-180',
      date: '2026-03-30',
      daysRequested: 180,
      items: [
        {
          itemId: 'item-1',
          accounts: [
            {
              id: 'chk-0000',
              current: 1300,
              transactions: [
                { id: 'before-window', daysAgo: 91, amount: -5000, description: 'OLD DEPOSIT' },
                { id: 'window-start', daysAgo: 90, amount: -40, description: 'ON 2025-12-30' },
                { id: 'new', daysAgo: 2, amount: -300, description: 'NEW DEPOSIT' },
              ],
            },
          ],
        },
      ],
    });
    const diff = diffReports(short, long);
    // 2025-12-29 is before the parent's window; 2025-12-30 is its first day, so a deposit then not in it is new
    expect(diff.newDeposits.map((d) => [d.transactionId, d.date])).toEqual([
      ['new', '2026-03-28'],
      ['window-start', '2025-12-30'],
    ]);
    expect(diff.newDepositsTotal).toBe(340);
  });

  it('a report against itself has no changes', () => {
    const diff = diffReports(parent, parent);
    expect(diff.newDeposits).toEqual([]);
    expect(diff.accountsAdded).toEqual([]);
    expect(diff.accountsRemoved).toEqual([]);
    expect(diff.balanceChanges.every((c) => c.change === 0)).toBe(true);
  });
});

describe('list summary', () => {
  it('totals liquid assets from deposit accounts only, by type, with the earliest history date', () => {
    const result = report({
      daysRequested: 61,
      items: [
        {
          itemId: 'a',
          accounts: [
            { id: 'chk-0000', current: 110 },
            { id: 'card-3333', type: 'credit', current: 410 },
          ],
        },
        {
          itemId: 'b',
          accounts: [
            { id: 'mm-4444', subtype: 'money market', current: 43200 },
            { id: 'ira-5555', type: 'investment', current: 320.76 },
            { id: 'loan-7777', type: 'loan', current: 65262 },
          ],
        },
      ],
    });
    expect(summarizeReport(result)).toEqual({
      totalBalance: 43310,
      accountCount: 5,
      earliestHistoryDate: '2026-01-28',
      totalsByAccountType: { depository: 43310, credit: 410, investment: 320.76, loan: 65262 },
    });
    expect(summarizeReport(report({ items: [] }))).toEqual({
      totalBalance: 0,
      accountCount: 0,
      earliestHistoryDate: null,
      totalsByAccountType: {},
    });
  });
});

import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import type { SourcedDeposit } from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';
import type { TransactionSpec } from './fixtures';

/**
 * Deposits below the large-deposit threshold that still need the officer: a large deposit split into smaller ones
 * and a possible gift. Each is sourced with the same per-transaction notes as a large deposit. Income 8,000 makes
 * the threshold 4,000.00; REPORT_DATE 2026-03-30.
 */
const CAR = 'Sale of a car, bill of sale on file';
const GIFT_LETTER = 'Gift letter from her mother, donor statement on file';

// 2,000 before; three cash deposits of 1,500 and a 900 gift in the last ten days: 7,400 now.
const transactions: TransactionSpec[] = [
  { id: 'c1', daysAgo: 10, amount: -1500, description: 'CASH DEPOSIT' },
  { id: 'c2', daysAgo: 9, amount: -1500, description: 'CASH DEPOSIT' },
  { id: 'c3', daysAgo: 8, amount: -1500, description: 'CASH DEPOSIT' },
  { id: 'gift', daysAgo: 5, amount: -900, description: 'ZELLE FROM MOM BIRTHDAY GIFT' },
];
const result = singleItem([{ id: 'chk-0000', current: 7400, transactions }]);
const analyze = (sourcedDeposits: SourcedDeposit[]) =>
  analyzeReport(
    result,
    loan({ fundsToClose: 1000, reservesNeeded: 0 }),
    underwritingSettings({ sourcedDeposits }),
    REPORT_DATE,
  );
const byId = (analysis: ReturnType<typeof analyze>, id: string) => analysis.findings.find((f) => f.id === id);

describe('sourcing a split deposit and a possible gift', () => {
  it('a split group lists each deposit with its amount and note; it is sourced only when every deposit is', () => {
    const none = analyze([]);
    expect(none.largeDeposits.splitDeposits).toHaveLength(1);
    expect(none.largeDeposits.splitDeposits[0]).toMatchObject({
      payer: 'CASH DEPOSIT',
      total: 4500,
      sourced: false,
      deposits: [
        { transactionId: 'c1', date: '2026-03-20', amount: 1500, description: 'CASH DEPOSIT', note: null },
        { transactionId: 'c2', date: '2026-03-21', amount: 1500, note: null },
        { transactionId: 'c3', date: '2026-03-22', amount: 1500, note: null },
      ],
    });
    expect(byId(none, 'large-deposit:split')?.severity).toBe('attention');

    const half = analyze([
      { transactionId: 'c1', note: CAR },
      { transactionId: 'c2', note: CAR },
    ]);
    const group = half.largeDeposits.splitDeposits[0]!;
    expect(group.sourced).toBe(false);
    expect(group.deposits.map((d) => d.note)).toEqual([CAR, CAR, null]);
    expect(byId(half, 'large-deposit:split')).toMatchObject({ severity: 'attention' });
    expect(byId(half, 'large-deposit:split')?.detail).toContain('(2 of 3 deposits sourced)');

    const all = analyze(['c1', 'c2', 'c3'].map((transactionId) => ({ transactionId, note: CAR })));
    expect(all.largeDeposits.splitDeposits[0]?.sourced).toBe(true);
    expect(byId(all, 'large-deposit:split')).toMatchObject({ severity: 'ok' });
    expect(byId(all, 'large-deposit:split')?.title).toBe(
      '1 group of smaller deposits from one payer within a week, together above $4,000.00, sourced',
    );
    expect(byId(all, 'large-deposit:split')?.detail).toContain(`(sourced: ${CAR})`);
  });

  it('a possible gift carries its note, and the gift finding says it', () => {
    const none = analyze([]);
    expect(none.largeDeposits.possibleGifts).toMatchObject([
      { transactionId: 'gift', amount: 900, why: 'gift_text', sourced: false, note: null, noteTransactionId: null },
    ]);
    expect(byId(none, 'gift')?.severity).toBe('attention');
    const sourced = analyze([{ transactionId: 'gift', note: GIFT_LETTER }]);
    expect(sourced.largeDeposits.possibleGifts).toMatchObject([
      { transactionId: 'gift', sourced: true, note: GIFT_LETTER, noteTransactionId: 'gift' },
    ]);
    expect(byId(sourced, 'gift')).toMatchObject({ severity: 'ok' });
    expect(byId(sourced, 'gift')?.detail).toContain(`sourced: ${GIFT_LETTER}`);
  });

  it('the documented split deposits and gift explain the balance jump they made', () => {
    // 60-day average 2,000 × 50 days + 3,500/5,000/6,500/7,400 over the last ten: well below 7,400 ÷ 1.5.
    const none = analyze([]);
    expect(byId(none, 'balance-jump:chk-0000')?.severity).toBe('attention');
    const split = analyze(['c1', 'c2', 'c3'].map((transactionId) => ({ transactionId, note: CAR })));
    // 4,500 documented does not cover the rise above the average (over 4,900): the gift is still to document.
    expect(split.balanceJumps[0]?.explainedBySourcedDeposits).toBe(false);
    const both = analyze([
      ...['c1', 'c2', 'c3'].map((transactionId) => ({ transactionId, note: CAR })),
      { transactionId: 'gift', note: GIFT_LETTER },
    ]);
    expect(both.balanceJumps[0]?.explainedBySourcedDeposits).toBe(true);
    expect(byId(both, 'balance-jump:chk-0000')).toMatchObject({ severity: 'ok' });
    expect(byId(both, 'balance-jump:chk-0000')?.detail).toContain('Explained by sourced deposits of $5,400.00.');
    expect(both.counts.attention).toBe(0);
  });

  it('a deposit sourced while pending keeps its note under the pending id', () => {
    const pendingResult = singleItem([
      {
        id: 'chk-0000',
        current: 7400,
        transactions: [
          ...transactions.slice(0, 3),
          {
            id: 'gift-posted',
            daysAgo: 5,
            amount: -900,
            description: 'ZELLE FROM MOM GIFT',
            pendingTransactionId: 'gift-p',
          },
        ],
      },
    ]);
    const analysis = analyzeReport(
      pendingResult,
      loan(),
      underwritingSettings({ sourcedDeposits: [{ transactionId: 'gift-p', note: GIFT_LETTER }] }),
      REPORT_DATE,
    );
    expect(analysis.largeDeposits.possibleGifts).toMatchObject([
      { transactionId: 'gift-posted', sourced: true, note: GIFT_LETTER, noteTransactionId: 'gift-p' },
    ]);
  });
});

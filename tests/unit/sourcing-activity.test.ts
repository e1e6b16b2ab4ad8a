import type { ActivityEntry } from '../../shared/domain';
import { describeActivity } from '../../renderer/src/loans/activity-text';

const entry = (action: string, detail: Record<string, unknown>): ActivityEntry => ({
  id: 1,
  at: '2026-12-01T07:00:00.000Z',
  action,
  loanId: 'loan',
  applicantId: 'applicant',
  reportId: 'report',
  detail,
  actor: null,
});

describe("the activity log's words for sourced deposits", () => {
  test('a large deposit, as written before and by deposits:markSourced', () => {
    expect(describeActivity(entry('deposit_sourced', { transactionId: 't1' }))).toBe('Large deposit marked as sourced');
    expect(describeActivity(entry('deposit_unsourced', { transactionId: 't1' }))).toBe(
      'Large deposit no longer marked as sourced',
    );
  });

  test('a split group names how many deposits its note covers; a gift says it is one', () => {
    const split = { what: 'split_deposit', transactionIds: ['t1', 't2', 't3'] };
    expect(describeActivity(entry('deposit_sourced', split))).toBe('Split deposit (3 deposits) marked as sourced');
    expect(describeActivity(entry('deposit_unsourced', split))).toBe(
      'Split deposit (3 deposits) no longer marked as sourced',
    );
    const gift = { what: 'possible_gift', transactionIds: ['g1'] };
    expect(describeActivity(entry('deposit_sourced', gift))).toBe('Possible gift marked as sourced');
    expect(describeActivity(entry('deposit_unsourced', gift))).toBe('Possible gift no longer marked as sourced');
  });
});

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

describe("the activity log's words for refused and removed failed reports", () => {
  test('a create Plaid refused reads as not made, with its code', () => {
    expect(describeActivity(entry('report_not_made', { kind: 'create', code: 'RATE_LIMIT_EXCEEDED' }))).toBe(
      'Report not made: Plaid refused the request (RATE_LIMIT_EXCEEDED)',
    );
  });

  test('the moment a request left for Plaid reads as sent to Plaid, for each kind', () => {
    expect(describeActivity(entry('report_sent', { kind: 'create' }))).toBe('Report request sent to Plaid');
    expect(describeActivity(entry('report_sent', { kind: 'refresh' }))).toBe('Refresh request sent to Plaid');
    expect(describeActivity(entry('report_sent', { kind: 'filter' }))).toBe('Filter request sent to Plaid');
  });

  test('a request that never reached Plaid, and a removal on its way, read in words', () => {
    expect(describeActivity(entry('report_request_not_sent', { kind: 'create' }))).toBe(
      'Request not sent: AssetDesk stopped before it reached Plaid',
    );
    expect(describeActivity(entry('report_removal_sent', {}))).toBe('Removal request sent to Plaid');
  });

  test('a failed report removed here only says it was not removed at Plaid', () => {
    expect(describeActivity(entry('report_removed', { status: 'failed', removedAtPlaid: false }))).toBe(
      'Failed report removed from AssetDesk (not at Plaid)',
    );
    expect(describeActivity(entry('report_removed', { status: 'failed', removedAtPlaid: true }))).toBe(
      'Failed report removed at Plaid',
    );
  });

  test('a ready report, and entries written before the detail said where, read as removed at Plaid', () => {
    expect(describeActivity(entry('report_removed', { status: 'ready', removedAtPlaid: true }))).toBe(
      'Report removed at Plaid',
    );
    expect(describeActivity(entry('report_removed', { plaidReportId: 'x' }))).toBe('Report removed at Plaid');
  });
});

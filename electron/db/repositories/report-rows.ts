import type { PlaidEnvironment, ReportKind, ReportStatus, ReportSummary } from '../../../shared/domain';

/** A report row as the lists read it: its summary columns plus the loan and the borrowers it covers. */
export interface ReportRow {
  id: string;
  loan_id: string;
  applicant_id: string;
  environment: PlaidEnvironment;
  kind: ReportKind;
  parent_id: string | null;
  status: ReportStatus;
  days_requested: number;
  include_applicant_details: number;
  plaid_report_id: string | null;
  institutions: string;
  created_at: string;
  ready_at: string | null;
  failure_code: string | null;
  failure_message: string | null;
  failure_request_id: string | null;
  total_balance: number | null;
  account_count: number | null;
  earliest_history_date: string | null;
  findings_attention: number | null;
  findings_info: number | null;
  borrower_names: string | null;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  loan_number: string;
}

// Summary columns only (never the token or content blobs) plus what the list shows of the loan and the
// borrowers whose banks the report covers (in the loan's order). string_agg(… ORDER BY) is spelled the same
// on PostgreSQL and SQLite (3.44+).
export const SUMMARY_COLUMNS = `r.id, r.loan_id, r.applicant_id, r.environment, r.kind, r.parent_id, r.status, r.days_requested,
  r.include_applicant_details, r.plaid_report_id, r.institutions, r.created_at, r.ready_at, r.failure_code,
  r.failure_message, r.failure_request_id, r.total_balance, r.account_count, r.earliest_history_date,
  r.findings_attention, r.findings_info, a.first_name, a.middle_name, a.last_name, l.loan_number,
  (SELECT string_agg(name, ' & ' ORDER BY position) FROM (SELECT DISTINCT b.first_name || coalesce(' ' || nullif(b.middle_name, ''), '') || ' ' || b.last_name AS name, b.position
     FROM report_items ri JOIN items i ON i.id = ri.item_id JOIN applicants b ON b.id = i.applicant_id
     WHERE ri.report_id = r.id) AS covered) AS borrower_names`;
export const FROM = 'FROM reports r JOIN applicants a ON a.id = r.applicant_id JOIN loans l ON l.id = r.loan_id';

export function toSummary(row: ReportRow): ReportSummary {
  return {
    id: row.id,
    loanId: row.loan_id,
    applicantId: row.applicant_id,
    applicantName: row.borrower_names ?? [row.first_name, row.middle_name, row.last_name].filter(Boolean).join(' '),
    loanNumber: row.loan_number,
    environment: row.environment,
    status: row.status,
    kind: row.kind,
    parentId: row.parent_id,
    plaidReportId: row.plaid_report_id,
    daysRequested: row.days_requested,
    createdAt: row.created_at,
    readyAt: row.ready_at,
    failure:
      row.failure_code === null
        ? null
        : {
            code: row.failure_code,
            message: row.failure_message ?? '',
            ...(row.failure_request_id === null ? {} : { requestId: row.failure_request_id }),
          },
    institutions: JSON.parse(row.institutions) as string[],
    totalBalance: row.total_balance,
    accountCount: row.account_count,
    earliestHistoryDate: row.earliest_history_date,
    findingCounts:
      row.findings_attention === null || row.findings_info === null
        ? null
        : { attention: row.findings_attention, info: row.findings_info },
  };
}

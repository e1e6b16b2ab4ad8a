import type { AssetReport } from '../asset-report';
import { addDays, addMonths, daysBetween, maxDate, minDate, toIsoDate } from './dates';
import { CITATIONS } from './types';
import type { DocumentAgeResult, Finding, LoanInputs, UnderwritingSettings } from './types';

/**
 * The date after which the report is too old to underwrite on.
 * - fannie_4_months: 4 calendar months after the report date (Fannie Mae B3-1-03).
 * - du_45_days: also no later than 45 days after the application; a report pulled after the
 *   application starts its own 45 days, so a refresh is never born stale.
 */
export function refreshByDate(
  reportDate: string,
  applicationDate: string,
  rule: UnderwritingSettings['documentAgeRule'],
): string {
  const fourMonths = addMonths(reportDate, 4);
  if (rule === 'fannie_4_months') return fourMonths;
  return minDate(fourMonths, addDays(maxDate(reportDate, applicationDate), 45));
}

export function checkDocumentAge(
  report: Pick<AssetReport, 'date_generated'>,
  loan: Pick<LoanInputs, 'applicationDate'>,
  settings: Pick<UnderwritingSettings, 'documentAgeRule'>,
  asOf: string,
): { documentAge: DocumentAgeResult; findings: Finding[] } {
  const reportDate = toIsoDate(report.date_generated);
  const rule = settings.documentAgeRule;
  const refreshBy = refreshByDate(reportDate, loan.applicationDate, rule);
  const daysLeft = daysBetween(asOf, refreshBy);
  const refreshDue = daysLeft < 0;
  const ruleText =
    rule === 'fannie_4_months'
      ? 'Asset documents may be no older than 4 months.'
      : 'With DU, asset documents must be dated within 45 days of the application, and no older than 4 months.';
  const citation = rule === 'fannie_4_months' ? CITATIONS.document_age : `${CITATIONS.document_age}; DU 45-day rule`;
  const finding: Finding = {
    id: 'document-age',
    rule: 'document_age',
    severity: refreshDue ? 'attention' : daysLeft <= 14 ? 'info' : 'ok',
    title: refreshDue
      ? `Refresh due: the report expired on ${refreshBy}`
      : `Refresh by ${refreshBy} (${daysLeft} day${daysLeft === 1 ? '' : 's'} left)`,
    detail: `Report dated ${reportDate}. ${ruleText}${refreshDue ? ' Refresh the report before the file goes to underwriting.' : ''}`,
    citation,
    transactionIds: [],
    dates: [reportDate, refreshBy],
  };
  return { documentAge: { reportDate, rule, refreshBy, refreshDue, daysLeft }, findings: [finding] };
}

import type { AssetReport } from '../asset-report';
import { addDays, addMonths, daysBetween, toIsoDate } from './dates';
import { CITATIONS } from './types';
import type {
  DocumentAgeLimit,
  DocumentAgeResult,
  DocumentAgeRule,
  Finding,
  LoanInputs,
  UnderwritingSettings,
} from './types';

/** Fannie Mae: no older than 4 months on the note date, so the last note date is the report date + 4 calendar months. */
export function fannieMaeLastNoteDate(reportDate: string): string {
  return addMonths(reportDate, 4);
}

/** Freddie Mac: dated no more than 120 days before the note date, so the last note date is the report date + 120 days. */
export function freddieMacLastNoteDate(reportDate: string): string {
  return addDays(reportDate, 120);
}

/** DU: the statement must be dated within 45 days of the initial application, i.e. no earlier than application − 45 days. */
export function duEarliestReportDate(applicationDate: string): string {
  return addDays(applicationDate, -45);
}

function limitsFor(reportDate: string, rule: DocumentAgeRule): DocumentAgeLimit[] {
  const fannie: DocumentAgeLimit = { agency: 'fannie_mae', lastNoteDate: fannieMaeLastNoteDate(reportDate) };
  const freddie: DocumentAgeLimit = { agency: 'freddie_mac', lastNoteDate: freddieMacLastNoteDate(reportDate) };
  if (rule === 'freddie_120_days') return [freddie];
  if (rule === 'both_agencies') return [fannie, freddie];
  return [fannie];
}

/** The last note date the report is young enough for: the earliest of the agencies' limits that apply. */
export function refreshByDate(reportDate: string, rule: DocumentAgeRule): string {
  return limitsFor(reportDate, rule).reduce(
    (min, limit) => (limit.lastNoteDate < min ? limit.lastNoteDate : min),
    '9999-12-31',
  );
}

const AGENCY_TEXT: Record<DocumentAgeLimit['agency'], string> = {
  fannie_mae: 'Fannie Mae: no older than 4 months on the note date',
  freddie_mac: 'Freddie Mac: no more than 120 days old on the note date',
};

/**
 * How old the report will be on the expected note date (today when not known) for the agencies that apply; the
 * binding date is the earliest. With DU, also whether the report is dated within 45 days of the initial application.
 */
export function checkDocumentAge(
  report: Pick<AssetReport, 'date_generated'>,
  loan: Pick<LoanInputs, 'applicationDate' | 'expectedNoteDate' | 'status'>,
  settings: Pick<UnderwritingSettings, 'documentAgeRule'>,
  asOf: string,
): { documentAge: DocumentAgeResult; findings: Finding[] } {
  const reportDate = toIsoDate(report.date_generated);
  const rule = settings.documentAgeRule;
  const limits = limitsFor(reportDate, rule);
  const binding = limits.reduce((min, limit) => (limit.lastNoteDate < min.lastNoteDate ? limit : min));
  const refreshBy = binding.lastNoteDate;
  const noteDateKnown = Boolean(loan.expectedNoteDate);
  const measuredOn = loan.expectedNoteDate ? toIsoDate(loan.expectedNoteDate) : asOf;
  const daysLeft = daysBetween(asOf, refreshBy);
  // The agencies measure age on the note date. Once today is past refresh-by, no closing from now on can use the
  // report, whatever note date was entered: for a loan still open, a note date already past did not happen. A closed
  // (or withdrawn) loan's note date is the one that counted, read however late.
  const stillOpen = (loan.status ?? 'open') === 'open';
  const expired = asOf > refreshBy && (stillOpen || !noteDateKnown);
  const refreshDue = measuredOn > refreshBy || expired;
  const du =
    rule === 'du_45_days'
      ? {
          earliestReportDate: duEarliestReportDate(loan.applicationDate),
          met: reportDate >= duEarliestReportDate(loan.applicationDate),
        }
      : null;

  const bindingText = `${AGENCY_TEXT[binding.agency]} sets the date${limits.length > 1 ? ` (${limits.map((l) => `${l.agency === 'fannie_mae' ? 'Fannie Mae' : 'Freddie Mac'} ${l.lastNoteDate}`).join(', ')})` : ''}.`;
  let title: string;
  if (expired) title = `Refresh due: the report expired on ${refreshBy}`;
  else if (refreshDue)
    title = `Refresh before closing: the report is too old after ${refreshBy}, before the note date ${measuredOn}`;
  else if (daysLeft < 0) title = `Young enough on the note date ${measuredOn} (refresh-by was ${refreshBy})`;
  else title = `Refresh by ${refreshBy} (${daysLeft} day${daysLeft === 1 ? '' : 's'} left)`;
  const notePassed =
    expired && noteDateKnown && measuredOn <= refreshBy
      ? ` The expected note date ${measuredOn} has passed and the loan is still open: enter the new note date, or mark the loan closed if it closed then.`
      : '';
  const findings: Finding[] = [
    {
      id: 'document-age',
      rule: 'document_age',
      severity: refreshDue ? 'attention' : daysLeft >= 0 && daysLeft <= 14 ? 'info' : 'ok',
      title,
      detail: `Report dated ${reportDate}. ${bindingText} Measured on ${noteDateKnown ? `the expected note date ${measuredOn}` : `today, ${measuredOn} (no note date entered yet)`}.${notePassed}${refreshDue ? ' Refresh the report before the file goes to closing.' : ''}`,
      citation: CITATIONS.document_age,
      transactionIds: [],
      dates: [reportDate, refreshBy],
    },
  ];
  if (du) {
    findings.push({
      id: 'document-age:du',
      rule: 'document_age',
      severity: du.met ? 'ok' : 'attention',
      title: du.met
        ? `DU: report dated within 45 days of the application`
        : `DU: report dated ${reportDate}, more than 45 days before the application`,
      detail: `With DU validation the statement must be dated within 45 days of the initial application (${loan.applicationDate}): on or after ${du.earliestReportDate}.${du.met ? '' : ' Pull a newer report.'}`,
      citation: 'DU validation: statement within 45 days of the initial application',
      transactionIds: [],
      dates: [reportDate, du.earliestReportDate],
    });
  }
  return {
    documentAge: {
      reportDate,
      rule,
      refreshBy,
      bindingAgency: binding.agency,
      limits,
      measuredOn,
      noteDateKnown,
      refreshDue,
      daysLeft,
      du,
    },
    findings,
  };
}

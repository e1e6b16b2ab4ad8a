import type { AssetReportGetResult } from '../../../shared/asset-report';
import { analyzeInContext, buildAnalysisContext, diffReports } from '../../../shared/underwriting';
import type { AnalysisContextInput, ReportDiff, ReportFunds, UnderwritingAnalysis } from '../../../shared/underwriting';
import { summarizeMonths, type MonthlySummaryResult } from '../../../shared/underwriting/monthly';
import { withBankNames } from './analysis-names';
import { parseReportContent } from './report-content';

/** What the officer's side of an analysis is made of; the other reports travel once, with the report. */
export type AnalysisInput = Omit<AnalysisContextInput, 'otherReports' | 'otherReportFunds'>;

function parseOthers(json: string): AssetReportGetResult[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? (parsed as AssetReportGetResult[]) : [];
  } catch {
    // Without them a transfer from another bank reads as unsourced: stricter, never more lenient.
    return [];
  }
}

/**
 * The one place that holds a parsed report: in the analysis worker, or in the page when no worker can start.
 * It answers the analysis, the months and a parent comparison on request (the screen itself paints from the
 * report's prepared view, see shared/report-view).
 */
export class ReportHolder {
  private others: AssetReportGetResult[] | null = null;

  private constructor(
    readonly reportId: string,
    private readonly content: AssetReportGetResult,
    private readonly otherReportsJson: string,
    private readonly reportFunds: readonly ReportFunds[],
  ) {}

  /** Null for damaged or foreign content: the page shows "not available". */
  static open(
    reportId: string,
    contentJson: string,
    otherReportsJson: string,
    reportFunds: readonly ReportFunds[] = [],
  ): ReportHolder | null {
    const content = parseReportContent(contentJson);
    return content ? new ReportHolder(reportId, content, otherReportsJson, reportFunds) : null;
  }

  analyze(input: AnalysisInput): UnderwritingAnalysis {
    this.others ??= parseOthers(this.otherReportsJson);
    const context = buildAnalysisContext({
      ...input,
      otherReports: this.others,
      otherReportFunds: this.reportFunds,
    });
    return withBankNames(analyzeInContext(this.content, context), this.content.report);
  }

  months(): MonthlySummaryResult {
    return summarizeMonths(this.content.report);
  }

  /** What changed since the report this one refreshes; null when the parent's content cannot be read. */
  diff(parentJson: string): ReportDiff | null {
    const parent = parseReportContent(parentJson);
    return parent ? diffReports(parent, this.content) : null;
  }
}

import type { AssetReportGetResult } from '../../../shared/asset-report';
import { withBankNamesInTitles, type UnderwritingAnalysis } from '../../../shared/underwriting';
import { formatDatesInText } from '../ui/format';

/**
 * Each account a finding's title names is named with its bank too (as on the cover page), and the findings' dates
 * are shown as every other date on screen (the officer's and the bank's words quoted in them as written).
 */
export function withBankNames(
  analysis: UnderwritingAnalysis,
  report: AssetReportGetResult['report'],
): UnderwritingAnalysis {
  const named = withBankNamesInTitles(analysis, report);
  const findings = named.findings.map((finding) => ({
    ...finding,
    title: formatDatesInText(finding.title, finding.quoted),
    detail: formatDatesInText(finding.detail, finding.quoted),
  }));
  return { ...named, findings };
}

import type { AssetReportGetResult } from '../asset-report';
import type { UnderwritingAnalysis } from './types';

/**
 * Finding titles name an account as "Plaid Checking ••0000"; two banks can both have that one, so each account a
 * finding is about is named with its bank too ("First Platypus Bank · Plaid Checking ••0000"), in the order the
 * finding lists them. The report screen and the cover page name them alike.
 */
export function withBankNamesInTitles(
  analysis: UnderwritingAnalysis,
  report: AssetReportGetResult['report'],
): UnderwritingAnalysis {
  const byId = new Map<string, { bank: string; short: string }>();
  for (const item of report.items)
    for (const a of item.accounts)
      byId.set(a.account_id, { bank: item.institution_name, short: a.mask ? `${a.name} ••${a.mask}` : a.name });
  const findings = analysis.findings.map((finding) => {
    const ids = finding.accountIds ?? (finding.accountId ? [finding.accountId] : []);
    let title = finding.title;
    for (const id of ids) {
      const account = byId.get(id);
      if (!account) continue;
      // The first mention not yet named with a bank ("· " before it) is this account's.
      let at = title.indexOf(account.short);
      while (at >= 0 && title.slice(Math.max(0, at - 2), at) === '· ') at = title.indexOf(account.short, at + 1);
      if (at >= 0) title = `${title.slice(0, at)}${account.bank} · ${title.slice(at)}`;
    }
    return title === finding.title ? finding : { ...finding, title };
  });
  return { ...analysis, findings };
}

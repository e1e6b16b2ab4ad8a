import type { AssetReportGetResult } from '../asset-report';
import { describeTransaction } from './accounts';
import type { Finding, UnderwritingSettings } from './types';

const HAS_ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/;

/**
 * Marks on each finding the words it quotes as they were written — the officer's notes, the banks' descriptions,
 * account, bank and owner names — when they hold a YYYY-MM-DD date, so a screen that rewrites the lens's own dates
 * leaves those exactly as typed. Only such words are collected: a quote without a date has nothing to protect.
 */
export function markQuotedWords(
  findings: Finding[],
  reports: AssetReportGetResult[],
  settings: Pick<UnderwritingSettings, 'sourcedDeposits' | 'accountConfirmations'>,
): Finding[] {
  const words = new Set<string>();
  const add = (text: string | null | undefined) => {
    if (text && HAS_ISO_DAY.test(text)) words.add(text);
  };
  for (const sourced of settings.sourcedDeposits ?? []) add(sourced.note);
  for (const confirmation of settings.accountConfirmations ?? []) add(confirmation.note);
  for (const result of reports) {
    for (const warning of result.warnings) add(warning.cause?.institution_name);
    for (const item of result.report.items) {
      add(item.institution_name);
      for (const account of item.accounts) {
        add(account.name);
        add(account.official_name);
        for (const owner of account.owners) for (const name of owner.names) add(name);
        for (const transaction of account.transactions) add(describeTransaction(transaction));
      }
    }
  }
  if (words.size === 0) return findings;
  return findings.map((finding) => {
    const quoted = [...words].filter((word) => finding.title.includes(word) || finding.detail.includes(word));
    return quoted.length > 0 ? { ...finding, quoted } : finding;
  });
}

import type { AssetReportGetResult } from '../../../shared/asset-report';

/**
 * `reports:get` sends Plaid's report as JSON text (see the contract): one parse here, in the renderer.
 * Anything that is not a report object (damaged or foreign content) reads as null: "not available".
 */
export function parseReportContent(contentJson: string): AssetReportGetResult | null {
  let value: unknown;
  try {
    value = JSON.parse(contentJson);
  } catch {
    return null;
  }
  const v = value as { report?: { items?: unknown } } | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.report?.items) ? (value as AssetReportGetResult) : null;
}

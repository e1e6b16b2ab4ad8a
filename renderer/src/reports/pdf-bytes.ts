import { api } from '../api';

/**
 * Plaid's PDF of a report, read through the main process. Not kept here: the open pdf.js document
 * (./pdf-document) is what the report screen keeps while it is open, and it owns these bytes.
 */
export async function fetchPdfBytes(reportId: string): Promise<Uint8Array> {
  return (await api.reportsPdf({ reportId })).pdf;
}

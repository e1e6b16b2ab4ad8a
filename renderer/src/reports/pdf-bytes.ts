import { api } from '../api';

/**
 * Plaid's PDF of a report, read through the main process. Read once per opening: the open pdf.js document
 * (./pdf-document) owns the bytes after that, so nothing here outlives the report screen.
 */

// Read ahead while the report screen loads, waiting for the document to be opened (one report at a time).
const readAhead = new Map<string, Promise<Uint8Array>>();

/** Starts reading the report's PDF before it is opened; the returned function forgets it if it was never used. */
export function readPdfBytesAhead(reportId: string): () => void {
  const bytes = api.reportsPdf({ reportId }).then(({ pdf }) => pdf);
  bytes.catch(() => undefined); // the document's own read (below) reports the failure
  readAhead.set(reportId, bytes);
  return () => {
    if (readAhead.get(reportId) === bytes) readAhead.delete(reportId);
  };
}

/** The report's PDF: the bytes read ahead if there are some (each used once), else read now. */
export async function fetchPdfBytes(reportId: string): Promise<Uint8Array> {
  const ahead = readAhead.get(reportId);
  readAhead.delete(reportId);
  if (ahead) {
    const bytes = await ahead.catch(() => null);
    if (bytes) return bytes;
  }
  return (await api.reportsPdf({ reportId })).pdf;
}

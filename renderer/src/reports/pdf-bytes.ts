import { api } from '../api';

/**
 * Plaid's PDF of a report, asked for once per report id and kept for the few reports the officer
 * moves between (a PDF is megabytes: the oldest is dropped). The report screen starts the request when
 * the PDF tab opens; the viewer reads the same request.
 */
const KEEP = 3;
const cache = new Map<string, Promise<Uint8Array>>();

/** Starts (or joins) the request for a report's PDF; a failed request is forgotten so it can be retried. */
export function requestPdfBytes(reportId: string): Promise<Uint8Array> {
  const cached = cache.get(reportId);
  if (cached) {
    cache.delete(reportId); // most recently used last
    cache.set(reportId, cached);
    return cached;
  }
  const bytes = api.reportsPdf({ reportId }).then(({ pdf }) => pdf);
  bytes.catch(() => {
    if (cache.get(reportId) === bytes) cache.delete(reportId); // the viewer shows the error; retry asks again
  });
  cache.set(reportId, bytes);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value!);
  return bytes;
}

/**
 * A copy of the report's PDF bytes for pdf.js, which takes ownership of what it is given (it moves
 * the buffer to its worker), so the kept bytes stay usable for the next viewer.
 */
export async function pdfBytesForViewer(reportId: string): Promise<Uint8Array> {
  return (await requestPdfBytes(reportId)).slice();
}

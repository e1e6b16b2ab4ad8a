import { api } from '../api';

/**
 * Getting the PDF tab's first page on screen sooner: the viewer's code (pdf.js and its worker) loads
 * while the officer reads the summary, and the PDF's bytes are asked for the moment the tab is opened,
 * alongside the viewer's code rather than after it.
 */
export const loadPdfViewer = () => import('./PdfViewer');

let viewerPreload: Promise<unknown> | null = null;

/** Loads the viewer's code once the page is idle (it starts pdf.js's worker); never twice. */
export function preloadPdfViewerWhenIdle(): () => void {
  if (viewerPreload) return () => {};
  const start = () => {
    viewerPreload ??= loadPdfViewer().catch(() => {
      viewerPreload = null; // the PDF tab's own lazy load shows the error and retries
    });
  };
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(start, { timeout: 2000 });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(start, 300);
  return () => clearTimeout(timer);
}

let pending: { reportId: string; bytes: Promise<{ pdf: Uint8Array }> } | null = null;

/** Starts fetching a report's PDF (the tab was opened); the viewer picks it up with takePdfBytes. */
export function requestPdfBytes(reportId: string): void {
  if (pending?.reportId === reportId) return;
  const bytes = api.reportsPdf({ reportId });
  bytes.catch(() => {}); // the viewer awaits it and shows the error
  pending = { reportId, bytes };
}

/** The PDF requested by requestPdfBytes, or a fresh request; the bytes are not kept here afterwards. */
export function takePdfBytes(reportId: string): Promise<{ pdf: Uint8Array }> {
  if (pending?.reportId === reportId) {
    const { bytes } = pending;
    pending = null;
    return bytes;
  }
  return api.reportsPdf({ reportId });
}

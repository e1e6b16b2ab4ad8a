/**
 * Getting the PDF tab's first page on screen sooner: the viewer's code (pdf.js and its worker) loads
 * while the officer reads the summary (the PDF's bytes come from ./pdf-bytes, asked for when the tab opens).
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

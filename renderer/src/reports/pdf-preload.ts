import type PdfViewer from './PdfViewer';
import { whenIdle } from '../ui';
import { readPdfBytesAhead } from './pdf-bytes';

/**
 * Getting the PDF tab's first page on screen sooner: while the report screen loads, the viewer's code (pdf.js and
 * its worker) loads and the report's PDF is read; while the officer reads the findings, it is opened in pdf.js
 * (./pdf-document), so a click on the tab only draws page 1.
 */
export const loadPdfViewer = () =>
  import('./PdfViewer').then((module) => {
    loaded = module.default;
    return module;
  });
let loaded: typeof PdfViewer | null = null;

/** The viewer, if its code has loaded (so the tab can show it without suspending). */
export const loadedPdfViewer = () => loaded;

/** The PDF's reads start in the report screen's first idle moment, or after this long at the latest. */
const IDLE_WITHIN_MS = 2000;

/**
 * Once the report is on screen (`shown`) and the screen is idle: loads the viewer's code and reads the report's PDF.
 * Returns the cleanup for when the report screen closes (the bytes are dropped if they were never opened).
 */
export function readPdfWhenIdle(reportId: string, shown: Promise<void>): () => void {
  let forget: (() => void) | null = null;
  let cancelStart: (() => void) | null = null;
  let closed = false;
  void shown.then(() => {
    if (closed) return;
    cancelStart = whenIdle(() => {
      forget = readPdfBytesAhead(reportId);
      void loadPdfViewer().catch(() => undefined); // the PDF tab's own lazy load shows the error and retries
    }, IDLE_WITHIN_MS);
  });
  return () => {
    closed = true;
    cancelStart?.();
    forget?.();
  };
}

/**
 * Once the report screen is idle: opens the report's PDF in pdf.js (with the bytes read ahead). Returns the
 * cleanup for when the report screen closes: the document is let go (destroyed unless the PDF tab still holds it).
 */
export function preloadPdfWhenIdle(reportId: string): () => void {
  let closed = false;
  let release: (() => void) | null = null;
  const start = () => {
    void loadPdfViewer()
      .then(() => import('./pdf-document'))
      .then(({ holdPdfDocument }) => {
        if (closed) return;
        const held = holdPdfDocument(reportId);
        release = held.release;
        // A failed open is the PDF tab's to show (with Retry); the preload itself stays quiet.
        held.ready.catch(() => undefined);
      })
      .catch(() => undefined); // the PDF tab's own lazy load shows the error and retries
  };
  const cancelStart = whenIdle(start, IDLE_WITHIN_MS);
  return () => {
    closed = true;
    cancelStart();
    release?.();
  };
}

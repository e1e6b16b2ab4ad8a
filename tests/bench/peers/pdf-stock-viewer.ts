import * as pdfjsLib from 'pdfjs-dist';
import 'pdfjs-dist/web/pdf_viewer.css';

/**
 * Peer for the PDF tab: pdf.js's stock viewer component (`pdfjs-dist/web/pdf_viewer`) set up as its
 * documentation shows, opening the same PDF at page width. It gets the same warm worker as the app.
 */
(globalThis as unknown as { pdfjsLib: typeof pdfjsLib }).pdfjsLib = pdfjsLib;
pdfjsLib.GlobalWorkerOptions.workerSrc = './pdf.worker.min.mjs';
const worker = new pdfjsLib.PDFWorker();
const viewerModule = import('pdfjs-dist/web/pdf_viewer.mjs');

declare global {
  interface Window {
    benchReady: Promise<unknown>;
    /** Starts opening the PDF in a fresh viewer `cssWidth` pixels wide, inside `#viewer-<run>`. */
    benchOpen(url: string, cssWidth: number, run: number): void;
    benchClose(): Promise<void>;
  }
}

let current: { task: pdfjsLib.PDFDocumentLoadingTask | null; container: HTMLElement } | null = null;

window.benchReady = Promise.all([worker.promise, viewerModule]);
window.benchOpen = (url, cssWidth, run) => {
  void (async () => {
    const viewer = await viewerModule;
    const container = document.createElement('div');
    container.id = `viewer-${run}`;
    Object.assign(container.style, { position: 'absolute', inset: '0', width: `${cssWidth}px`, overflow: 'auto' });
    container.innerHTML = '<div class="pdfViewer"></div>';
    document.getElementById('root')!.replaceChildren(container);
    current = { task: null, container };
    const eventBus = new viewer.EventBus();
    const linkService = new viewer.PDFLinkService({ eventBus });
    const pdfViewer = new viewer.PDFViewer({ container, eventBus, linkService });
    linkService.setViewer(pdfViewer);
    eventBus.on('pagesinit', () => {
      pdfViewer.currentScaleValue = 'page-width';
    });
    const data = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const task = pdfjsLib.getDocument({ data, worker, enableXfa: false });
    current.task = task;
    const doc = await task.promise;
    pdfViewer.setDocument(doc);
    linkService.setDocument(doc, null);
  })();
};
window.benchClose = async () => {
  await current?.task?.destroy();
  current?.container.remove();
  current = null;
};

import * as pdfjsLib from 'pdfjs-dist';

/**
 * Floor for the PDF tab: pdf.js alone rendering page 1 of the same file onto one canvas, with nothing
 * else on the page (no viewer, no React). The worker starts at page load, as the app's does when idle.
 */
pdfjsLib.GlobalWorkerOptions.workerSrc = './pdf.worker.min.mjs';
const worker = new pdfjsLib.PDFWorker();

declare global {
  interface Window {
    benchReady: Promise<unknown>;
    /** Fetches the PDF, renders page 1 `cssWidth` pixels wide and resolves with the milliseconds it took. */
    benchRenderFirstPage(url: string, cssWidth: number): Promise<number>;
  }
}

window.benchReady = worker.promise;
window.benchRenderFirstPage = async (url, cssWidth) => {
  const started = performance.now();
  const data = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const task = pdfjsLib.getDocument({ data, worker, enableXfa: false });
  const doc = await task.promise;
  const page = await doc.getPage(1);
  const scale = cssWidth / page.getViewport({ scale: 1 }).width;
  const viewport = page.getViewport({ scale: scale * devicePixelRatio });
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${cssWidth}px`;
  document.getElementById('root')!.replaceChildren(canvas);
  await page.render({ canvas, viewport }).promise;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const elapsed = performance.now() - started;
  await task.destroy();
  return elapsed;
};

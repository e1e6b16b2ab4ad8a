import type { PDFDocumentProxy } from 'pdfjs-dist';

/**
 * Prints through a print-only container of page images: works under the app's CSP (no plugin,
 * no inline script) in Electron and in the browser.
 */
export async function printDocument(doc: PDFDocumentProxy): Promise<void> {
  const container = document.createElement('div');
  container.className = 'rp-print-container';
  const urls: string[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 150 / 72 });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      await page.render({ canvas, viewport, intent: 'print' }).promise;
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      if (!blob) continue;
      const url = URL.createObjectURL(blob);
      urls.push(url);
      const img = document.createElement('img');
      img.src = url;
      img.alt = `Page ${n}`;
      container.appendChild(img);
      page.cleanup();
    }
    document.body.appendChild(container);
    document.body.classList.add('rp-printing');
    await Promise.all([...container.querySelectorAll('img')].map((img) => img.decode().catch(() => undefined)));
    window.print();
  } finally {
    document.body.classList.remove('rp-printing');
    container.remove();
    for (const url of urls) URL.revokeObjectURL(url);
  }
}

import { fileURLToPath } from 'node:url';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * pdf.js under Node as the independent reader of the PDFs we produce (the emulator's, the cover page,
 * exports): if it opens them and finds the words, so will an underwriter's viewer.
 */

const standardFontDataUrl = fileURLToPath(new URL('../../node_modules/pdfjs-dist/standard_fonts/', import.meta.url));

/** Opens a PDF with the options we trust; the caller destroys the returned task when done. */
export function openPdf(pdf: Uint8Array) {
  // pdfjs 6 no longer evaluates font code (its types dropped the option); isEvalSupported: false still
  // guards older builds (CVE-2024-4367), so it stays, passed through a variable.
  const parameters = { data: new Uint8Array(pdf), isEvalSupported: false, standardFontDataUrl, verbosity: 0 };
  return getDocument(parameters);
}

/** Text of every page, its pieces joined by single spaces. */
export async function pdfPageTexts(pdf: Uint8Array): Promise<string[]> {
  const loadingTask = openPdf(pdf);
  try {
    const document = await loadingTask.promise;
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const content = await (await document.getPage(number)).getTextContent();
      pages.push(
        content.items
          .map((item) => ('str' in item ? item.str : ''))
          .join(' ')
          .replace(/\s+/g, ' '),
      );
    }
    return pages;
  } finally {
    await loadingTask.destroy();
  }
}

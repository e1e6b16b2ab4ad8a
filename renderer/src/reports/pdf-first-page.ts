import { AnnotationMode, OPS, PixelsPerInch, setLayerDimensions, type PDFPageProxy } from 'pdfjs-dist';

// pdf.js's viewer fits a page to the width of its container less this much room (its scrollbar padding).
const VIEWER_SIDE_ROOM = 40;

export interface FirstPage {
  /** Settles once page 1 is drawn and on screen (rejects if drawing failed; never if removed first). */
  readonly shown: Promise<void>;
  /** Takes the page away (once the viewer's own page 1 is drawn beneath it, or when the tab closes). */
  remove(): void;
}

/**
 * Page 1 drawn alone, with the page's own render call, where and as large as pdf.js's viewer will show it at
 * "Fit width": on screen before the viewer has laid out its hundreds of pages. It lies over the viewer's own
 * page 1 with the same markup and CSS, so when that one is drawn beneath it, taking it away shows no change.
 * It goes in only once fully drawn: a half-drawn page never shows.
 */
export function drawFirstPage(container: HTMLElement, page: PDFPageProxy): FirstPage {
  // The same arithmetic as pdf.js's viewer ("page-width" over a page first laid out at 100%), so both pages
  // come out the same size to the pixel.
  const atFullSize = page.getViewport({ scale: PixelsPerInch.PDF_TO_CSS_UNITS });
  const fitWidth = (container.clientWidth - VIEWER_SIDE_ROOM) / atFullSize.width;
  const viewport = page.getViewport({ scale: fitWidth * PixelsPerInch.PDF_TO_CSS_UNITS });
  const pixelRatio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'presentation');
  canvas.width = Math.floor(viewport.width * pixelRatio);
  canvas.height = Math.floor(viewport.height * pixelRatio);
  const scaleX = canvas.width / Math.floor(viewport.width);
  const scaleY = canvas.height / Math.floor(viewport.height);
  const wrapper = document.createElement('div');
  wrapper.className = 'canvasWrapper';
  wrapper.append(canvas);
  const pageBox = document.createElement('div');
  pageBox.className = 'page';
  pageBox.dataset.pageNumber = '1';
  setLayerDimensions(pageBox, viewport);
  pageBox.append(wrapper);
  const layer = document.createElement('div');
  layer.className = 'pdfViewer rp-pdf-first-page';
  layer.style.setProperty('--scale-factor', String(viewport.scale));
  layer.append(pageBox);

  let removed = false;
  const task = page.render({
    canvas,
    viewport,
    // As pdf.js's viewer asks for it: the viewer's own page 1 then reuses what the worker prepared for this one.
    annotationMode: AnnotationMode.ENABLE_FORMS,
    transform: scaleX === 1 && scaleY === 1 ? undefined : [scaleX, 0, 0, scaleY, 0, 0],
  });
  const shown = task.promise.then(
    () => {
      if (removed) return;
      container.append(layer);
      // Scrolled as pdf.js's viewer will scroll its page 1 into view (to the page's top edge), so nothing moves.
      container.scrollTop = pageBox.offsetTop + pageBox.clientTop;
    },
    (err: unknown) => {
      if (!removed) throw err;
      return new Promise<void>(() => {}); // cancelled because it was taken away: nothing to report
    },
  );
  return {
    shown,
    remove() {
      if (removed) return;
      removed = true;
      task.cancel();
      layer.remove();
      canvas.width = canvas.height = 0; // gives the bitmap back now rather than at the next collection
    },
  };
}

/**
 * Gets page 1 ready to draw without drawing it: the worker reads its content and fonts, the fonts load in the
 * page, and pdf.js keeps the result for the page's next render (the tab's). Only the waits on fonts and images
 * run; no drawing operation does, so it costs the page next to nothing while the officer reads the report.
 */
export async function prepareFirstPage(page: PDFPageProxy): Promise<void> {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  await page.render({
    canvas,
    viewport: page.getViewport({ scale: 1 / page.getViewport({ scale: 1 }).width }),
    annotationMode: AnnotationMode.ENABLE_FORMS,
    operationsFilter: (index, operatorList) => operatorList.fnArray[index] === OPS.dependency,
  }).promise;
}

import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { openPdf } from './pdf-text';

/**
 * Where things land on a PDF's pages, read by pdf.js (an independent reader): each piece of text with its box,
 * and each filled shape with its colour and bounding box, in PDF points with y upwards. Enough to find text
 * drawn over other text, outside the page's margins, or spilling out of the box it was meant to sit in.
 */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PlacedText extends Box {
  text: string;
  size: number;
}

export interface FilledShape extends Box {
  colour: string;
}

export interface PageLayout {
  width: number;
  height: number;
  texts: PlacedText[];
  fills: FilledShape[];
}

type Matrix = [number, number, number, number, number, number];

const multiply = (m: Matrix, n: Matrix): Matrix => [
  n[0] * m[0] + n[1] * m[2],
  n[0] * m[1] + n[1] * m[3],
  n[2] * m[0] + n[3] * m[2],
  n[2] * m[1] + n[3] * m[3],
  n[4] * m[0] + n[5] * m[2] + m[4],
  n[4] * m[1] + n[5] * m[3] + m[5],
];

const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
];

const FILLS: ReadonlySet<number> = new Set([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke]);

export async function pageLayouts(pdf: Uint8Array): Promise<PageLayout[]> {
  const task = openPdf(pdf);
  try {
    const document = await task.promise;
    const pages: PageLayout[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const [, , width, height] = page.view as [number, number, number, number];
      const texts: PlacedText[] = [];
      for (const item of (await page.getTextContent()).items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a, b, , , e, f] = item.transform as Matrix;
        const size = Math.hypot(a, b);
        // The glyphs' ink: a little below the baseline (descenders) to about the capitals' height.
        texts.push({ text: item.str, size, x0: e, x1: e + item.width, y0: f - 0.2 * size, y1: f + 0.72 * size });
      }
      const fills: FilledShape[] = [];
      const list = await page.getOperatorList();
      let ctm: Matrix = [1, 0, 0, 1, 0, 0];
      const saved: Matrix[] = [];
      let colour = '#000000';
      list.fnArray.forEach((fn, index) => {
        const args = list.argsArray[index] as unknown[];
        if (fn === OPS.save) saved.push(ctm);
        else if (fn === OPS.restore) ctm = saved.pop() ?? ctm;
        else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
        else if (fn === OPS.setFillRGBColor) colour = String(args[0]);
        else if (fn === OPS.constructPath && FILLS.has(args[0] as number)) {
          const [minX, minY, maxX, maxY] = Array.from(args[2] as ArrayLike<number>);
          const corners = [apply(ctm, minX!, minY!), apply(ctm, maxX!, maxY!)];
          fills.push({
            colour,
            x0: Math.min(corners[0]![0], corners[1]![0]),
            x1: Math.max(corners[0]![0], corners[1]![0]),
            y0: Math.min(corners[0]![1], corners[1]![1]),
            y1: Math.max(corners[0]![1], corners[1]![1]),
          });
        }
      });
      pages.push({ width, height, texts, fills });
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** Whether two boxes share more than `slack` points each way (touching is not overlapping). */
export function overlap(a: Box, b: Box, slack = 0.5): boolean {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > slack && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > slack;
}

export function inside(inner: Box, outer: Box, slack = 0.5): boolean {
  return (
    inner.x0 >= outer.x0 - slack &&
    inner.x1 <= outer.x1 + slack &&
    inner.y0 >= outer.y0 - slack &&
    inner.y1 <= outer.y1 + slack
  );
}

/** Pieces of text drawn over one another, as "first" × "second" on page N. */
export function collisions(pages: PageLayout[]): string[] {
  const found: string[] = [];
  pages.forEach((page, index) => {
    const { texts } = page;
    for (let i = 0; i < texts.length; i += 1)
      for (let j = i + 1; j < texts.length; j += 1)
        if (overlap(texts[i]!, texts[j]!)) found.push(`page ${index + 1}: "${texts[i]!.text}" × "${texts[j]!.text}"`);
  });
  return found;
}

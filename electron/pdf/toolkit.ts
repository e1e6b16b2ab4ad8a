import PDFDocument from 'pdfkit';
import { pdfFaces, STANDARD_ASCENDER, type PdfFace } from './fonts';
import { splitTextRuns, visualOrder } from './text-runs';

/**
 * The pdfkit helpers the emulator's Asset Report PDF and AssetDesk's cover page share: a Letter document rendered
 * to bytes, a label-over-value field, a ruled section title, right-aligned text and page footers. Each caller keeps
 * its own look (sizes, colours, margins) by passing a style; the drawing calls are the same.
 */
export type Doc = InstanceType<typeof PDFDocument>;

/** US Letter in points. */
export const LETTER = { width: 612, height: 792 } as const;
export const FONT = 'Helvetica';
export const FONT_BOLD = 'Helvetica-Bold';
export type FontName = typeof FONT | typeof FONT_BOLD;
type TextOptions = PDFKit.Mixins.TextOptions;

interface DrawRun {
  text: string;
  face: PdfFace;
}

/** The text in drawing order, each run with a face that has its letters ('?' where no bundled font has one). */
function drawRuns(text: string): DrawRun[] {
  const faces = pdfFaces();
  const standard = faces[0] as PdfFace;
  return visualOrder(splitTextRuns(text, faces), faces).map((run) => {
    const face = faces[run.face];
    return face ? { text: run.text, face } : { text: '?'.repeat([...run.text].length), face: standard };
  });
}

function useFace(doc: Doc, face: PdfFace, font: FontName): Doc {
  return doc.font(face.standard ? font : face.source[font === FONT_BOLD ? 'bold' : 'regular']);
}

// pdfkit keeps the current size privately; it is needed to put other faces on Helvetica's baseline.
const fontSizeOf = (doc: Doc): number => (doc as unknown as { _fontSize: number })._fontSize;

/** Where a run is drawn relative to the line's top: Helvetica's own placement, whatever the face. */
function baselineFor(doc: Doc, face: PdfFace): TextOptions['baseline'] {
  return face.standard ? 'top' : -(STANDARD_ASCENDER / 1000) * fontSizeOf(doc);
}

/** Width of `text` drawn by writeText in `font` at the current size. */
export function widthOfText(doc: Doc, font: FontName, text: string, options: TextOptions = {}): number {
  return drawRuns(text).reduce((sum, run) => sum + useFace(doc, run.face, font).widthOfString(run.text, options), 0);
}

/**
 * Height of `text` wrapped as writeText would. Mixed scripts are measured in the first face that is not Helvetica
 * (its glyphs are the wider ones), which is close enough to reserve room for a paragraph.
 */
export function heightOfText(doc: Doc, font: FontName, text: string, options: TextOptions = {}): number {
  const runs = drawRuns(text);
  const face = runs.find((run) => !run.face.standard)?.face ?? (pdfFaces()[0] as PdfFace);
  const height = useFace(doc, face, font).heightOfString(runs.map((run) => run.text).join(''), options);
  doc.font(font);
  return height;
}

/** Clips single-line runs to `width` with an ellipsis (pdfkit itself would wrap them). */
function clipRuns(doc: Doc, font: FontName, runs: DrawRun[], width: number, options: TextOptions): DrawRun[] {
  const widthOf = (list: DrawRun[]): number =>
    list.reduce((sum, run) => sum + useFace(doc, run.face, font).widthOfString(run.text, options), 0);
  if (widthOf(runs) <= width) return runs;
  const ellipsis: DrawRun = { text: '…', face: pdfFaces()[0] as PdfFace };
  const kept = runs.map((run) => ({ ...run }));
  while (kept.length > 0 && widthOf([...kept, ellipsis]) > width) {
    const last = kept[kept.length - 1] as DrawRun;
    last.text = [...last.text].slice(0, -1).join('');
    if (last.text.length === 0) kept.pop();
  }
  return [...kept, ellipsis];
}

/**
 * `doc.font(font).text(text, x, y, options)` for text in any script: runs Helvetica cannot print are drawn in a
 * bundled face that can, on the same baseline. Text Helvetica covers takes exactly pdfkit's own path.
 */
export function writeText(
  doc: Doc,
  font: FontName,
  text: string,
  x: number,
  y: number,
  options: TextOptions = {},
): Doc {
  const runs = drawRuns(text);
  const only = runs.length === 1 ? runs[0] : undefined;
  // pdfkit wraps a line given a width (its ellipsis works only with a height too): a clipped line is cut here.
  const clipped = options.lineBreak === false && options.width !== undefined && options.ellipsis;
  if (runs.length === 0 || (only?.face.standard === true && !clipped))
    return doc.font(font).text(only?.text ?? text, x, y, options);
  if (options.lineBreak === false) {
    const { width, ellipsis, align, ...rest } = options;
    const shown = width !== undefined && ellipsis ? clipRuns(doc, font, runs, width, rest) : runs;
    const total = shown.reduce((sum, run) => sum + useFace(doc, run.face, font).widthOfString(run.text, rest), 0);
    let left = x;
    if (width !== undefined && align === 'center') left += (width - total) / 2;
    if (width !== undefined && align === 'right') left += width - total;
    for (const run of shown) {
      useFace(doc, run.face, font);
      doc.text(run.text, left, y, { ...rest, lineBreak: false, baseline: baselineFor(doc, run.face) });
      left += doc.widthOfString(run.text, rest);
    }
    // Like pdfkit: a line given a width moves the cursor down one line, one without stays beside the text.
    doc.font(font);
    if (width !== undefined) {
      doc.x = x;
      doc.y = y + doc.currentLineHeight(true);
    }
    return doc;
  }
  // Wrapped text: pdfkit continues one paragraph across faces and wraps the whole.
  runs.forEach((run, index) => {
    useFace(doc, run.face, font);
    const runOptions = { ...options, continued: index < runs.length - 1, baseline: baselineFor(doc, run.face) };
    if (index === 0) doc.text(run.text, x, y, runOptions);
    else doc.text(run.text, runOptions);
  });
  return doc.font(font);
}

/** "2026-03-30 18:27 UTC" for an ISO date-time; the text itself when it is not one. */
export function formatDateTimeUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

/** Text whose right edge is at `right`, on one line, in the current font (figures and fixed labels). */
export function rightText(doc: Doc, text: string, right: number, y: number): void {
  doc.text(text, right - doc.widthOfString(text), y, { lineBreak: false });
}

export interface FieldStyle {
  labelSize: number;
  valueSize: number;
  labelColour: string;
  valueColour: string;
  /** Letter spacing of the upper-cased label (none when omitted). */
  labelSpacing?: number;
  /** Clip the value to one line of this width with an ellipsis (one unclipped line when omitted). */
  valueWidth?: number;
}

/** A label in small capitals above its value, 10 points lower. */
export function field(doc: Doc, label: string, value: string, x: number, y: number, style: FieldStyle): void {
  writeText(doc.fontSize(style.labelSize).fillColor(style.labelColour), FONT, label.toUpperCase(), x, y, {
    lineBreak: false,
    ...(style.labelSpacing !== undefined ? { characterSpacing: style.labelSpacing } : {}),
  });
  writeText(doc.fontSize(style.valueSize).fillColor(style.valueColour), FONT_BOLD, value, x, y + 10, {
    lineBreak: false,
    ...(style.valueWidth !== undefined ? { width: style.valueWidth, ellipsis: true } : {}),
  });
}

export interface SectionStyle {
  left: number;
  right: number;
  size: number;
  colour: string;
  rule: string;
}

/** A bold title with a thin rule under it; returns the y below it. */
export function sectionTitle(doc: Doc, title: string, y: number, style: SectionStyle): number {
  writeText(doc.fontSize(style.size).fillColor(style.colour), FONT_BOLD, title, style.left, y, { lineBreak: false });
  doc
    .moveTo(style.left, y + 15)
    .lineTo(style.right, y + 15)
    .lineWidth(0.6)
    .strokeColor(style.rule)
    .stroke();
  return y + 22;
}

export interface FooterStyle {
  left: number;
  right: number;
  /** Baseline of the footer text; the rule is 6 points above it. */
  y: number;
  size: number;
  colour: string;
  rule: string;
}

/** On every buffered page: a rule, `left(index, total)` at the left and `right(index, total)` at the right. */
export function stampFooters(
  doc: Doc,
  style: FooterStyle,
  left: (index: number, total: number) => string,
  right: (index: number, total: number) => string,
): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let index = 0; index < total; index += 1) {
    doc.switchToPage(range.start + index);
    doc
      .moveTo(style.left, style.y - 6)
      .lineTo(style.right, style.y - 6)
      .lineWidth(0.5)
      .strokeColor(style.rule)
      .stroke();
    doc.font(FONT).fontSize(style.size).fillColor(style.colour);
    writeText(doc, FONT, left(index, total), style.left, style.y, { lineBreak: false });
    rightText(doc, right(index, total), style.right, style.y);
  }
}

export interface LetterDocumentOptions {
  margin: number;
  info: { Title: string; Author: string; Subject: string; CreationDate: Date };
}

/**
 * A compressed Letter document with buffered pages (so footers can number them), drawn by `draw` and returned as
 * bytes; a throwing `draw` rejects instead of leaving the stream open.
 */
export function renderLetterPdf(options: LetterDocumentOptions, draw: (doc: Doc) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: options.margin,
    bufferPages: true,
    compress: true,
    autoFirstPage: true,
    info: options.info,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    draw(doc);
    doc.end();
  } catch (error) {
    doc.end();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return done;
}

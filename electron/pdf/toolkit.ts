import PDFDocument from 'pdfkit';

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

/** "2026-03-30 18:27 UTC" for an ISO date-time; the text itself when it is not one. */
export function formatDateTimeUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

/** Text whose right edge is at `right`, on one line. */
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
  /** Clip the value to this width with an ellipsis (one unclipped line when omitted). */
  valueWidth?: number;
}

/** A label in small capitals above its value, 10 points lower. */
export function field(doc: Doc, label: string, value: string, x: number, y: number, style: FieldStyle): void {
  doc
    .font(FONT)
    .fontSize(style.labelSize)
    .fillColor(style.labelColour)
    .text(label.toUpperCase(), x, y, {
      lineBreak: false,
      ...(style.labelSpacing !== undefined ? { characterSpacing: style.labelSpacing } : {}),
    });
  doc
    .font(FONT_BOLD)
    .fontSize(style.valueSize)
    .fillColor(style.valueColour)
    .text(value, x, y + 10, {
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
  doc.font(FONT_BOLD).fontSize(style.size).fillColor(style.colour).text(title, style.left, y, { lineBreak: false });
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
    doc.text(left(index, total), style.left, style.y, { lineBreak: false });
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

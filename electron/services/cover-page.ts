import { PDFDocument as PdfLibDocument } from 'pdf-lib';
import { formatDateTimeUtc, renderLetterPdf, stampFooters, type Doc } from '../pdf/toolkit';
import { header, identity, keyFigures, notice } from './cover/figures';
import { findingsSection, notCountedSection, type Pager } from './cover/findings';
import {
  BOTTOM,
  FOOTER_Y,
  MARGIN,
  MAX_PAGES,
  MUTED,
  printable,
  RIGHT,
  RULE,
  type CoverPageInput,
} from './cover/layout';

/**
 * The underwriter cover page: AssetDesk's findings on one or two Letter pages, put in front of Plaid's PDF on
 * export. It is drawn so nobody can mistake it for part of Plaid's report: its own colours, the heading on every
 * page, and a notice saying whose analysis it is (look and text helpers in ./cover/).
 */
export { COVER_PAGE_HEADING, type CoverPageInput } from './cover/layout';

function footers(doc: Doc, input: CoverPageInput): void {
  stampFooters(
    doc,
    { left: MARGIN, right: RIGHT, y: FOOTER_Y, size: 7, colour: MUTED, rule: RULE },
    () =>
      printable(
        `AssetDesk analysis, not part of Plaid's Asset Report  ·  Plaid report ${input.reportId}  ·  made ${formatDateTimeUtc(input.generatedAt)}`,
      ),
    (index, total) => `Cover page ${index + 1} of ${total}`,
  );
}

function render(doc: Doc, input: CoverPageInput): void {
  const { analysis } = input;
  let pages = 1;
  const at: Pager = {
    y: 0,
    room(height) {
      if (at.y + height <= BOTTOM) return true;
      if (pages >= MAX_PAGES) return false;
      doc.addPage();
      pages += 1;
      at.y = header(doc, input, true);
      return true;
    },
  };
  at.y = header(doc, input, false);
  at.y = notice(doc, at.y);
  at.y = identity(doc, input, at.y);
  at.y = keyFigures(doc, analysis, at.y);
  at.y += 6;
  // What does not fit is counted in a line saying where to read it, never drawn past the page's end.
  notCountedSection(doc, analysis.fundsToClose.notCounted, at);
  findingsSection(doc, analysis, at);
}
/** A one- or two-page PDF summarising the findings, headed as AssetDesk's analysis. */
export async function buildCoverPage(input: CoverPageInput): Promise<Uint8Array> {
  const bytes = await renderLetterPdf(
    {
      margin: MARGIN,
      info: {
        Title: `AssetDesk underwriting analysis - ${input.loanNumber}`,
        Author: 'AssetDesk',
        Subject: `Lender analysis of Plaid Asset Report ${input.reportId}`,
        CreationDate: new Date(input.generatedAt),
      },
    },
    (doc) => {
      render(doc, input);
      footers(doc, input);
    },
  );
  return new Uint8Array(bytes);
}

/** Plaid's PDF with the cover page(s) in front; Plaid's pages and metadata are copied unchanged. */
export async function prependCoverPage(plaidPdf: Uint8Array, cover: Uint8Array): Promise<Uint8Array> {
  const out = await PdfLibDocument.load(plaidPdf, { updateMetadata: false });
  const coverDoc = await PdfLibDocument.load(cover, { updateMetadata: false });
  const pages = await out.copyPages(coverDoc, coverDoc.getPageIndices());
  pages.forEach((page, index) => out.insertPage(index, page));
  return out.save();
}

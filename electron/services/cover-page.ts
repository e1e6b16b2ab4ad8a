import { PDFDocument as PdfLibDocument } from 'pdf-lib';
import { NOT_COUNTED } from '../../shared/underwriting/funds-to-close';
import type {
  Finding,
  FindingSeverity,
  NotCountedAccount,
  UnderwritingAnalysis,
} from '../../shared/underwriting/types';
import {
  FONT,
  FONT_BOLD as BOLD,
  LETTER,
  field as toolkitField,
  formatDateTimeUtc as formatDateTime,
  renderLetterPdf,
  sectionTitle as toolkitSectionTitle,
  stampFooters,
  type Doc,
} from '../pdf/toolkit';

/**
 * The underwriter cover page: AssetDesk's findings on one or two Letter pages, put in front of Plaid's PDF on
 * export. It is drawn so nobody can mistake it for part of Plaid's report: its own colours, the heading on every
 * page, and a notice saying whose analysis it is.
 */
export interface CoverPageInput {
  analysis: UnderwritingAnalysis;
  applicantName: string;
  loanNumber: string;
  reportId: string;
  /** ISO date-time the page is produced (the caller's clock). */
  generatedAt: string;
  asOf: string;
}

export const COVER_PAGE_HEADING = "AssetDesk underwriting analysis — not part of Plaid's Asset Report";

const PAGE = LETTER;
const MARGIN = 44;
const RIGHT = PAGE.width - MARGIN;
const WIDTH = PAGE.width - 2 * MARGIN;
const FOOTER_Y = PAGE.height - 32;
const BOTTOM = PAGE.height - 56;
const MAX_PAGES = 2;

const INK = '#1d2026';
const MUTED = '#5d6470';
const RULE = '#d9dce2';
const BAND = '#2b2540';
const BAND_TEXT = '#f4f1fb';
const STRIPE = '#e0a526';
const PANEL = '#f6f5f9';
const SEVERITY: Record<FindingSeverity, { label: string; colour: string; tint: string }> = {
  attention: { label: 'ATTENTION', colour: '#b4311f', tint: '#fbeae7' },
  info: { label: 'INFO', colour: '#2f5f9e', tint: '#e8eff9' },
  ok: { label: 'OK', colour: '#2c7a3f', tint: '#e6f3ea' },
};

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const money = (value: number | null): string => (value === null ? 'n/a' : usd.format(value));

// The standard PDF fonts only know WinAnsi; anything else would print as garbage.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function printable(text: string): string {
  return text
    .replace(/[≥]/g, '>=')
    .replace(/[≤]/g, '<=')
    .replace(/[\u2026]/g, '...')
    .split('')
    .map((char) => {
      const code = char.charCodeAt(0);
      return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char) ? char : '?';
    })
    .join('');
}

function header(doc: Doc, input: CoverPageInput, continued: boolean): number {
  doc.rect(0, 0, PAGE.width, 70).fill(BAND);
  doc.rect(0, 70, PAGE.width, 4).fill(STRIPE);
  doc
    .font(BOLD)
    .fontSize(8)
    .fillColor(STRIPE)
    .text('ASSETDESK  ·  LENDER ANALYSIS', MARGIN, 16, { lineBreak: false, characterSpacing: 1 });
  doc.font(BOLD).fontSize(14.5).fillColor(BAND_TEXT).text(COVER_PAGE_HEADING, MARGIN, 30, { lineBreak: false });
  const sub = printable(`${input.applicantName}  ·  Loan ${input.loanNumber}${continued ? '  ·  continued' : ''}`);
  doc.font(FONT).fontSize(9).fillColor('#cfc8e3').text(sub, MARGIN, 51, { lineBreak: false });
  return 90;
}

function notice(doc: Doc, y: number): number {
  const text =
    "Prepared by AssetDesk from the data in the Plaid Asset Report that follows. These findings are the lender's own analysis against agency guidelines; they are not produced, reviewed or endorsed by Plaid. Plaid's report follows unchanged.";
  doc.font(FONT).fontSize(8.5);
  const height = doc.heightOfString(text, { width: WIDTH - 24 }) + 14;
  doc.rect(MARGIN, y, WIDTH, height).fill('#fff7e3');
  doc.rect(MARGIN, y, 3, height).fill(STRIPE);
  doc.fillColor('#5a4507').text(text, MARGIN + 14, y + 7, { width: WIDTH - 24 });
  return y + height + 12;
}

function field(doc: Doc, label: string, value: string, x: number, y: number, width: number): void {
  toolkitField(doc, label, printable(value), x, y, {
    labelSize: 7,
    valueSize: 9.5,
    labelColour: MUTED,
    valueColour: INK,
    labelSpacing: 0.4,
    valueWidth: width,
  });
}

function identity(doc: Doc, input: CoverPageInput, y: number): number {
  const { analysis } = input;
  const col = WIDTH / 4;
  field(doc, 'Applicant', input.applicantName, MARGIN, y, col - 8);
  field(doc, 'Loan number', input.loanNumber, MARGIN + col, y, col - 8);
  field(doc, 'Loan purpose', analysis.purpose === 'purchase' ? 'Purchase' : 'Refinance', MARGIN + 2 * col, y, col - 8);
  field(doc, 'Analysis as of', input.asOf, MARGIN + 3 * col, y, col - 8);
  y += 28;
  field(doc, 'Plaid report id', input.reportId, MARGIN, y, 2 * col - 8);
  field(doc, 'Report date', analysis.documentAge.reportDate, MARGIN + 2 * col, y, col - 8);
  field(doc, 'Generated', formatDateTime(input.generatedAt), MARGIN + 3 * col, y, col - 8);
  return y + 34;
}

/** A row of figure tiles: label, big value, a small line under it. */
function tiles(
  doc: Doc,
  y: number,
  entries: { label: string; value: string; note: string; colour?: string }[],
): number {
  const gap = 8;
  const width = (WIDTH - gap * (entries.length - 1)) / entries.length;
  const height = 50;
  entries.forEach((entry, index) => {
    const x = MARGIN + index * (width + gap);
    doc.roundedRect(x, y, width, height, 4).fill(PANEL);
    doc
      .font(FONT)
      .fontSize(6.8)
      .fillColor(MUTED)
      .text(entry.label.toUpperCase(), x + 8, y + 7, { width: width - 16, lineBreak: false, characterSpacing: 0.3 });
    doc
      .font(BOLD)
      .fontSize(13)
      .fillColor(entry.colour ?? INK)
      .text(printable(entry.value), x + 8, y + 18, { width: width - 16, lineBreak: false });
    doc
      .font(FONT)
      .fontSize(7)
      .fillColor(MUTED)
      .text(printable(entry.note), x + 8, y + 36, { width: width - 16, lineBreak: false, ellipsis: true });
  });
  return y + height + 8;
}

function keyFigures(doc: Doc, analysis: UnderwritingAnalysis, y: number): number {
  const { fundsToClose: f, nsf, averageBalances, largeDeposits, documentAge, counts } = analysis;
  const [w30, w60, w90] = nsf.windows;
  y = tiles(doc, y, [
    {
      label: 'Needs attention',
      value: String(counts.attention),
      note: `${counts.info} for information`,
      colour: counts.attention > 0 ? SEVERITY.attention.colour : SEVERITY.ok.colour,
    },
    {
      label: 'Verified liquid assets',
      value: money(f.verifiedLiquidAssets),
      note: `Retirement at ${Math.round(f.retirementDiscount * 100)}%`,
    },
    {
      label: 'Needed to close',
      value: money(f.required),
      note: `${money(f.fundsToClose)} + ${money(f.reservesNeeded)} reserves`,
    },
    {
      label: f.shortfall > 0 ? 'Shortfall' : 'Surplus',
      value: money(f.shortfall > 0 ? f.shortfall : f.surplus),
      note: f.unsourcedDeducted > 0 ? `After ${money(f.unsourcedDeducted)} unsourced` : 'After deductions',
      colour: f.shortfall > 0 ? SEVERITY.attention.colour : SEVERITY.ok.colour,
    },
  ]);
  return tiles(doc, y, [
    {
      label: 'Refresh by',
      value: documentAge.refreshBy,
      note: `${documentAge.bindingAgency === 'fannie_mae' ? 'Fannie Mae 4 months' : 'Freddie Mac 120 days'} · ${
        documentAge.refreshDue ? 'refresh due' : `${documentAge.daysLeft} days left`
      }`,
      colour: documentAge.refreshDue ? SEVERITY.attention.colour : INK,
    },
    {
      label: 'Unsourced deposits',
      value: money(largeDeposits.totalUnsourced),
      note: largeDeposits.threshold === null ? 'No income entered' : `Above ${money(largeDeposits.threshold)} each`,
      colour: largeDeposits.totalUnsourced > 0 ? SEVERITY.attention.colour : INK,
    },
    {
      label: 'NSF / overdraft 30·60·90',
      value: `${w30.net} · ${w60.net} · ${w90.net}`,
      note: nsf.daysSinceLast === null ? 'None in the report' : `Last ${nsf.daysSinceLast} days before report`,
      colour: w90.net > 0 ? SEVERITY.attention.colour : INK,
    },
    {
      label: 'Avg daily balance 60 days',
      value: money(averageBalances.totals.days60),
      note: `30d ${money(averageBalances.totals.days30)} · 90d ${money(averageBalances.totals.days90)}`,
    },
  ]);
}

function balanceText(account: NotCountedAccount): string {
  if (account.balance === null) return 'no balance';
  return account.currency && account.currency !== 'USD'
    ? `${account.balance.toFixed(2)} ${account.currency}`
    : money(account.balance);
}

/** Which accounts are held out of funds to close, why, and what counts them: one line each. */
function notCountedSection(doc: Doc, accounts: NotCountedAccount[], y: number): number {
  if (accounts.length === 0) return y;
  y = sectionTitle(doc, `Not counted in funds to close (${accounts.length})`, y);
  for (const account of accounts) {
    const name = printable(`${account.name}${account.mask ? ` ••${account.mask}` : ''} · ${account.institutionName}`);
    const why = printable(
      `${balanceText(account)} — ${account.reasons.map((r) => NOT_COUNTED[r].why).join('; ')}. ${account.actions.join(' ')}`,
    );
    doc.font(BOLD).fontSize(8).fillColor(INK).text(name, MARGIN, y, { width: 170, lineBreak: false, ellipsis: true });
    doc.font(FONT).fontSize(7.5).fillColor(MUTED);
    const height = doc.heightOfString(why, { width: WIDTH - 176 });
    doc.text(why, MARGIN + 176, y, { width: WIDTH - 176 });
    y += Math.max(11, height) + 3;
  }
  return y + 6;
}

function sectionTitle(doc: Doc, title: string, y: number): number {
  return toolkitSectionTitle(doc, title, y, { left: MARGIN, right: RIGHT, size: 10.5, colour: BAND, rule: RULE });
}

const TITLE_X = MARGIN + 70;
const TEXT_WIDTH = RIGHT - TITLE_X;

function findingHeight(doc: Doc, finding: Finding): number {
  doc.font(BOLD).fontSize(9);
  const title = doc.heightOfString(printable(finding.title), { width: TEXT_WIDTH });
  doc.font(FONT).fontSize(8);
  const detail = doc.heightOfString(printable(finding.detail), { width: TEXT_WIDTH });
  return title + detail + 10 + 10;
}

function drawFinding(doc: Doc, finding: Finding, y: number): number {
  const style = SEVERITY[finding.severity];
  doc.roundedRect(MARGIN, y, 60, 13, 3).fill(style.tint);
  doc
    .font(BOLD)
    .fontSize(6.8)
    .fillColor(style.colour)
    .text(style.label, MARGIN, y + 3.5, { width: 60, align: 'center', lineBreak: false });
  doc
    .font(BOLD)
    .fontSize(9)
    .fillColor(INK)
    .text(printable(finding.title), TITLE_X, y + 1, { width: TEXT_WIDTH });
  doc
    .font(FONT)
    .fontSize(8)
    .fillColor(MUTED)
    .text(printable(finding.detail), TITLE_X, doc.y + 1, { width: TEXT_WIDTH });
  doc
    .font(BOLD)
    .fontSize(7)
    .fillColor(style.colour)
    .text(printable(`Rule: ${finding.citation}`), TITLE_X, doc.y + 2, { width: TEXT_WIDTH, lineBreak: false });
  const bottom = doc.y + 9;
  doc
    .moveTo(TITLE_X, bottom - 4)
    .lineTo(RIGHT, bottom - 4)
    .lineWidth(0.4)
    .strokeColor('#eceef2')
    .stroke();
  return bottom;
}

function footers(doc: Doc, input: CoverPageInput): void {
  stampFooters(
    doc,
    { left: MARGIN, right: RIGHT, y: FOOTER_Y, size: 7, colour: MUTED, rule: RULE },
    () => printable(`AssetDesk analysis, not part of Plaid's Asset Report  ·  Plaid report ${input.reportId}`),
    (index, total) => `Cover page ${index + 1} of ${total}`,
  );
}

function render(doc: Doc, input: CoverPageInput): void {
  const { analysis } = input;
  let y = header(doc, input, false);
  y = notice(doc, y);
  y = identity(doc, input, y);
  y = keyFigures(doc, analysis, y);
  y += 6;
  y = notCountedSection(doc, analysis.fundsToClose.notCounted, y);

  const needed = analysis.findings.filter((finding) => finding.severity !== 'ok');
  const fine = analysis.findings.filter((finding) => finding.severity === 'ok');
  let pages = 1;
  const room = (height: number): boolean => {
    if (y + height <= BOTTOM) return true;
    if (pages >= MAX_PAGES) return false;
    doc.addPage();
    pages += 1;
    y = header(doc, input, true);
    return true;
  };

  y = sectionTitle(
    doc,
    needed.length > 0 ? `Findings for the officer (${needed.length})` : 'Findings for the officer',
    y,
  );
  if (needed.length === 0) {
    doc.font(FONT).fontSize(9).fillColor(MUTED).text('Nothing needs attention.', MARGIN, y, { lineBreak: false });
    y += 18;
  }
  let left = 0;
  needed.forEach((finding, index) => {
    if (left > 0 || !room(findingHeight(doc, finding) + (index === needed.length - 1 ? 0 : 14))) {
      left += 1;
      return;
    }
    y = drawFinding(doc, finding, y);
  });

  if (fine.length > 0 && left === 0 && room(44)) {
    y += 6;
    y = sectionTitle(doc, `Checked and in order (${fine.length})`, y);
    for (const finding of fine) {
      if (!room(12)) {
        left += 1;
        continue;
      }
      doc
        .font(BOLD)
        .fontSize(7.5)
        .fillColor(SEVERITY.ok.colour)
        .text('OK', MARGIN + 4, y, { lineBreak: false });
      doc
        .font(FONT)
        .fontSize(8)
        .fillColor(INK)
        .text(printable(finding.title), MARGIN + 26, y, { width: WIDTH - 190, lineBreak: false, ellipsis: true });
      doc.fontSize(7).fillColor(MUTED);
      const citation = printable(finding.citation);
      doc.text(citation, RIGHT - doc.widthOfString(citation), y + 0.5, { lineBreak: false });
      y += 12;
    }
  }
  if (left > 0) {
    doc.font(BOLD).fontSize(8.5).fillColor(SEVERITY.attention.colour);
    doc.text(
      `${left} more finding${left === 1 ? '' : 's'} in AssetDesk's findings panel.`,
      MARGIN,
      Math.min(y + 4, BOTTOM + 6),
      { lineBreak: false },
    );
  }
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

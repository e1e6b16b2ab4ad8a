import { formatDateTimeUtc as formatDateTime, FONT, FONT_BOLD as BOLD, writeText, type Doc } from '../../pdf/toolkit';
import { PURPOSE_WORDS, type LoanPurpose, type UnderwritingAnalysis } from '../../../shared/underwriting/types';
import {
  BAND,
  BAND_TEXT,
  COVER_PAGE_HEADING,
  field,
  INK,
  MARGIN,
  money,
  MUTED,
  PAGE,
  PANEL,
  printable,
  SEVERITY,
  STRIPE,
  WIDTH,
  type CoverPageInput,
} from './layout';

/** The top of the cover page: band, whose-analysis notice, the loan's identity and the key figures. */

export function header(doc: Doc, input: CoverPageInput, continued: boolean): number {
  doc.rect(0, 0, PAGE.width, 70).fill(BAND);
  doc.rect(0, 70, PAGE.width, 4).fill(STRIPE);
  doc
    .font(BOLD)
    .fontSize(8)
    .fillColor(STRIPE)
    .text('ASSETDESK  ·  LENDER ANALYSIS', MARGIN, 16, { lineBreak: false, characterSpacing: 1 });
  doc.font(BOLD).fontSize(14.5).fillColor(BAND_TEXT).text(COVER_PAGE_HEADING, MARGIN, 30, { lineBreak: false });
  const sub = printable(`${input.applicantName}  ·  Loan ${input.loanNumber}${continued ? '  ·  continued' : ''}`);
  writeText(doc.fontSize(9).fillColor('#cfc8e3'), FONT, sub, MARGIN, 51, { lineBreak: false });
  return 90;
}

export function notice(doc: Doc, y: number): number {
  const text =
    "Prepared by AssetDesk from the data in the Plaid Asset Report that follows. These findings are the lender's own analysis against agency guidelines; they are not produced, reviewed or endorsed by Plaid. Plaid's report follows unchanged.";
  doc.font(FONT).fontSize(8.5);
  const height = doc.heightOfString(text, { width: WIDTH - 24 }) + 14;
  doc.rect(MARGIN, y, WIDTH, height).fill('#fff7e3');
  doc.rect(MARGIN, y, 3, height).fill(STRIPE);
  doc.fillColor('#5a4507').text(text, MARGIN + 14, y + 7, { width: WIDTH - 24 });
  return y + height + 12;
}

/** "Cash-out refinance": the purpose as the loan file names it (a cash-out loan has its own agency rules). */
function purposeLabel(purpose: LoanPurpose): string {
  const words = PURPOSE_WORDS[purpose];
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function identity(doc: Doc, input: CoverPageInput, y: number): number {
  const { analysis } = input;
  const col = WIDTH / 4;
  field(doc, 'Applicant', input.applicantName, MARGIN, y, col - 8);
  field(doc, 'Loan number', input.loanNumber, MARGIN + col, y, col - 8);
  field(doc, 'Loan purpose', purposeLabel(analysis.purpose), MARGIN + 2 * col, y, col - 8);
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

export function keyFigures(doc: Doc, analysis: UnderwritingAnalysis, y: number): number {
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
        documentAge.refreshDue
          ? 'refresh due'
          : documentAge.daysLeft < 0
            ? `young enough on ${documentAge.measuredOn}`
            : `${documentAge.daysLeft} days left`
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

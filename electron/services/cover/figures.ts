import { FONT, FONT_BOLD as BOLD, heightOfText, writeText, type Doc } from '../../pdf/toolkit';
import { formatShare } from '../../../shared/underwriting/accounts';
import { PURPOSE_WORDS, type LoanPurpose, type UnderwritingAnalysis } from '../../../shared/underwriting/types';
import {
  BAND,
  BAND_TEXT,
  COVER_PAGE_HEADING,
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
  wrappedField,
  type CoverPageInput,
  type MadeFrom,
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
  // One line in the band; the names in full are in the fields below it.
  writeText(doc.fontSize(9).fillColor('#cfc8e3'), FONT, sub, MARGIN, 51, {
    lineBreak: false,
    width: WIDTH,
    ellipsis: true,
  });
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

/** Fields side by side in four columns (a field may span several), each as tall as it needs; answers the y below. */
function fieldRow(doc: Doc, y: number, fields: { label: string; value: string; columns: number }[]): number {
  const col = WIDTH / 4;
  let x = MARGIN;
  let height = 0;
  for (const { label, value, columns } of fields) {
    height = Math.max(height, wrappedField(doc, label, value, x, y, columns * col - 8));
    x += columns * col;
  }
  return y + height + 7;
}

export function identity(doc: Doc, input: CoverPageInput, y: number): number {
  const { analysis } = input;
  y = fieldRow(doc, y, [
    { label: 'Applicant', value: input.applicantName, columns: 2 },
    { label: 'Loan number', value: input.loanNumber, columns: 1 },
    { label: 'Loan purpose', value: purposeLabel(analysis.purpose), columns: 1 },
  ]);
  y = fieldRow(doc, y, [
    { label: 'Plaid report id', value: input.reportId, columns: 2 },
    { label: 'Report date', value: analysis.documentAge.reportDate, columns: 1 },
    { label: 'Analysis as of', value: input.asOf, columns: 1 },
  ]);
  if (input.madeFrom) y = fieldRow(doc, y, [{ label: 'Report', value: madeFromText(input.madeFrom), columns: 4 }]);
  return y + 6;
}

/** What a refresh or a filtered copy is, so nobody takes it for the original report. */
function madeFromText(from: MadeFrom): string {
  if (from.kind === 'refresh') return `Refresh of Plaid report ${from.parentReportId}`;
  const left = from.accountsLeftOut;
  // A few names say enough; the rest are counted (the report screen lists them all).
  const named = left.length > 5 ? [...left.slice(0, 4), `${left.length - 4} more accounts`] : left;
  return `Filtered copy of Plaid report ${from.parentReportId}${named.length > 0 ? `, without ${named.join(', ')}` : ''}`;
}

/** A row of figure tiles: label, big value, a small line under it; a tile grows to hold a note on two lines. */
function tiles(doc: Doc, y: number, entries: Tile[]): number {
  const gap = 8;
  const width = (WIDTH - gap * (entries.length - 1)) / entries.length;
  doc.fontSize(7);
  const notes = Math.max(
    ...entries.map((entry) => heightOfText(doc, FONT, printable(entry.note), { width: width - 16 })),
  );
  const height = Math.max(50, 36 + notes + 6);
  entries.forEach((entry, index) => {
    const x = MARGIN + index * (width + gap);
    doc.roundedRect(x, y, width, height, 4).fill(PANEL);
    writeText(doc.fontSize(6.8).fillColor(MUTED), FONT, entry.label.toUpperCase(), x + 8, y + 7, {
      width: width - 16,
      lineBreak: false,
      ellipsis: true,
      characterSpacing: 0.3,
    });
    writeText(doc.fontSize(13).fillColor(entry.colour ?? INK), BOLD, printable(entry.value), x + 8, y + 18, {
      width: width - 16,
      lineBreak: false,
      ellipsis: true,
    });
    writeText(doc.fontSize(7).fillColor(MUTED), FONT, printable(entry.note), x + 8, y + 36, { width: width - 16 });
  });
  return y + height + 8;
}

type Tile = { label: string; value: string; note: string; colour?: string };

/**
 * This report's surplus or shortfall. With a co-borrower's report on the loan the figure is this report's alone and
 * its colour follows the loan's, which decides: red when the loan is short (even if this report alone covers it),
 * neutral when only this report is.
 */
export function fundsTile(f: UnderwritingAnalysis['fundsToClose']): Tile {
  const loanShort = f.loan ? f.loan.shortfall > 0 : null;
  return {
    label: f.shortfall > 0 ? 'Shortfall' : 'Surplus',
    value: money(f.shortfall > 0 ? f.shortfall : f.surplus),
    note: f.loan
      ? `This report alone; with the loan's other reports: ${f.loan.shortfall > 0 ? `short ${money(f.loan.shortfall)}` : `${money(f.loan.surplus)} to spare`}`
      : f.unsourcedDeducted > 0
        ? `After ${money(f.unsourcedDeducted)} unsourced`
        : 'After deductions',
    colour:
      loanShort === true || (loanShort === null && f.shortfall > 0)
        ? SEVERITY.attention.colour
        : f.shortfall > 0
          ? INK
          : SEVERITY.ok.colour,
  };
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
      // The discount is worth saying only where it applied.
      note: f.counted.some((account) => account.assetClass === 'retirement')
        ? `Retirement at ${formatShare(f.retirementDiscount)}`
        : 'No retirement accounts',
    },
    {
      label: 'Needed to close',
      value: money(f.required),
      note: `${money(f.fundsToClose)} + ${money(f.reservesNeeded)} reserves`,
    },
    fundsTile(f),
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
      note:
        largeDeposits.threshold === null
          ? 'No income entered'
          : largeDeposits.totalUnsourced > f.unsourcedDeducted
            ? `Not deducted on a ${PURPOSE_WORDS[analysis.purpose]}`
            : `Above ${money(largeDeposits.threshold)} each`,
      // Red only where it comes off the funds (a purchase); a refinance shows it for the record.
      colour: f.unsourcedDeducted > 0 ? SEVERITY.attention.colour : INK,
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

import { NOT_COUNTED } from '../../../shared/underwriting/funds-to-close';
import type { Finding, NotCountedAccount, UnderwritingAnalysis } from '../../../shared/underwriting/types';
import { FONT, FONT_BOLD as BOLD, heightOfText, widthOfText, writeText, type Doc } from '../../pdf/toolkit';
import { BOTTOM, INK, MARGIN, money, MUTED, printable, RIGHT, sectionTitle, SEVERITY, WIDTH } from './layout';

/** Where the next line goes; `room` answers false once the last allowed page is full (it may add a page). */
export interface Pager {
  y: number;
  room(height: number): boolean;
}

/** The lower part of the cover page: accounts held out of funds to close, then the findings, paged. */

function balanceText(account: NotCountedAccount): string {
  if (account.balance === null) return 'no balance';
  return account.currency && account.currency !== 'USD'
    ? `${account.balance.toFixed(2)} ${account.currency}`
    : money(account.balance);
}

/**
 * Which accounts are held out of funds to close, why, and what counts them: a row each, the account's name wrapped
 * beside the reason, on the first page only (the findings come next); the accounts that do not fit are counted.
 */
export function notCountedSection(doc: Doc, accounts: NotCountedAccount[], at: Pager): void {
  if (accounts.length === 0) return;
  const rows = accounts.map((account) => {
    const name = printable(`${account.name}${account.mask ? ` ••${account.mask}` : ''} · ${account.institutionName}`);
    const why = printable(
      `${balanceText(account)} — ${account.reasons.map((r) => NOT_COUNTED[r].why).join('; ')}. ${account.actions.join(' ')}`,
    );
    const nameHeight = heightOfText(doc.fontSize(8), BOLD, name, { width: NAME_WIDTH });
    const whyHeight = heightOfText(doc.fontSize(7.5), FONT, why, { width: WIDTH - NAME_WIDTH - 6 });
    return { name, why, height: Math.max(11, nameHeight, whyHeight) + 3 };
  });
  const fits = (height: number) => at.y + height <= BOTTOM;
  // The title stays with its first row and the line counting the others.
  if (!fits(22 + rows[0]!.height + MORE_LINE)) return;
  at.y = sectionTitle(doc, `Not counted in funds to close (${accounts.length})`, at.y);
  let shown = 0;
  for (const [index, row] of rows.entries()) {
    const last = index === rows.length - 1;
    if (!fits(row.height + (last ? 0 : MORE_LINE))) break;
    writeText(doc.fontSize(8).fillColor(INK), BOLD, row.name, MARGIN, at.y, { width: NAME_WIDTH });
    writeText(doc.fontSize(7.5).fillColor(MUTED), FONT, row.why, MARGIN + NAME_WIDTH + 6, at.y, {
      width: WIDTH - NAME_WIDTH - 6,
    });
    at.y += row.height;
    shown += 1;
  }
  const left = rows.length - shown;
  if (left > 0) {
    doc.font(BOLD).fontSize(8).fillColor(SEVERITY.attention.colour);
    doc.text(
      `${left} more account${left === 1 ? '' : 's'} not counted in funds to close in AssetDesk's findings panel.`,
      MARGIN,
      at.y + 2,
      { lineBreak: false },
    );
    at.y += MORE_LINE;
  }
  at.y += 6;
}

const MORE_LINE = 14;
const NAME_WIDTH = 170;
const TITLE_X = MARGIN + 70;
const TEXT_WIDTH = RIGHT - TITLE_X;

function findingHeight(doc: Doc, finding: Finding): number {
  doc.fontSize(9);
  const title = heightOfText(doc, BOLD, printable(finding.title), { width: TEXT_WIDTH });
  doc.fontSize(8);
  const detail = heightOfText(doc, FONT, printable(finding.detail), { width: TEXT_WIDTH });
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
  writeText(doc.fontSize(9).fillColor(INK), BOLD, printable(finding.title), TITLE_X, y + 1, { width: TEXT_WIDTH });
  writeText(doc.fontSize(8).fillColor(MUTED), FONT, printable(finding.detail), TITLE_X, doc.y + 1, {
    width: TEXT_WIDTH,
  });
  writeText(doc.fontSize(7).fillColor(style.colour), BOLD, printable(`Rule: ${finding.citation}`), TITLE_X, doc.y + 2, {
    width: TEXT_WIDTH,
    lineBreak: false,
  });
  const bottom = doc.y + 9;
  doc
    .moveTo(TITLE_X, bottom - 4)
    .lineTo(RIGHT, bottom - 4)
    .lineWidth(0.4)
    .strokeColor('#eceef2')
    .stroke();
  return bottom;
}

/** The findings that need the officer, then those in order; answers how many did not fit. */
export function findingsSection(doc: Doc, analysis: UnderwritingAnalysis, at: Pager): number {
  const needed = analysis.findings.filter((finding) => finding.severity !== 'ok');
  const fine = analysis.findings.filter((finding) => finding.severity === 'ok');
  // The title stays with the first finding (or the line saying there is none).
  at.room(22 + (needed[0] ? findingHeight(doc, needed[0]) : 18));
  at.y = sectionTitle(
    doc,
    needed.length > 0 ? `Findings for the officer (${needed.length})` : 'Findings for the officer',
    at.y,
  );
  if (needed.length === 0) {
    doc.font(FONT).fontSize(9).fillColor(MUTED).text('Nothing needs attention.', MARGIN, at.y, { lineBreak: false });
    at.y += 18;
  }
  let left = 0;
  needed.forEach((finding, index) => {
    if (left > 0 || !at.room(findingHeight(doc, finding) + (index === needed.length - 1 ? 0 : 14))) {
      left += 1;
      return;
    }
    at.y = drawFinding(doc, finding, at.y);
  });
  if (fine.length > 0 && left === 0 && at.room(44)) left += inOrderSection(doc, fine, at);
  else left += fine.length;
  if (left > 0) {
    doc.font(BOLD).fontSize(8.5).fillColor(SEVERITY.attention.colour);
    doc.text(
      `${left} more finding${left === 1 ? '' : 's'} in AssetDesk's findings panel.`,
      MARGIN,
      Math.min(at.y + 4, BOTTOM + 6),
      { lineBreak: false },
    );
  }
  return left;
}

/** The checks that came out fine, one short line each; answers how many did not fit. */
function inOrderSection(doc: Doc, fine: Finding[], at: Pager): number {
  at.y += 6;
  at.y = sectionTitle(doc, `Checked and in order (${fine.length})`, at.y);
  let left = 0;
  for (const finding of fine) {
    if (!at.room(12)) {
      left += 1;
      continue;
    }
    doc
      .font(BOLD)
      .fontSize(7.5)
      .fillColor(SEVERITY.ok.colour)
      .text('OK', MARGIN + 4, at.y, { lineBreak: false });
    writeText(doc.fontSize(8).fillColor(INK), FONT, printable(finding.title), MARGIN + 26, at.y, {
      width: WIDTH - 190,
      lineBreak: false,
      ellipsis: true,
    });
    doc.fontSize(7).fillColor(MUTED);
    const citation = printable(finding.citation);
    writeText(doc, FONT, citation, RIGHT - widthOfText(doc, FONT, citation), at.y + 0.5, { lineBreak: false });
    at.y += 12;
  }
  return left;
}

import PDFDocument from 'pdfkit';
import type { AssetReport, AssetReportItem, AccountAssets, AssetReportTransaction, Owner } from 'plaid';

/**
 * Renders an Asset Report (or an Audit Copy of one) as the multi-page PDF `/asset_report/pdf/get` returns.
 * Tables are drawn with direct, fixed-height `text(x, y)` calls and no per-cell layout measurement, so the
 * heavy persona (hundreds of pages, tens of thousands of transactions) stays well under Plaid's few seconds.
 */
export interface AssetReportPdfInput {
  report: AssetReport;
  warnings: unknown[];
  title?: 'Asset Report' | 'Audit Copy';
  auditorId?: string;
}

type Doc = InstanceType<typeof PDFDocument>;

const PAGE = { width: 612, height: 792 }; // US Letter, points
const MARGIN = 48;
const CONTENT_RIGHT = PAGE.width - MARGIN;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const FOOTER_Y = PAGE.height - 34;
const BODY_BOTTOM = PAGE.height - 58; // last y a table row may start at

const INK = '#1b2430';
const MUTED = '#5b6675';
const RULE = '#d5dae1';
const ZEBRA = '#f3f5f8';
const ACCENT = '#0b4f6c';
const NEGATIVE = '#a11d1d';
const POSITIVE = '#146c2e';

const ROW_HEIGHT = 12;
const FONT = 'Helvetica';
const FONT_BOLD = 'Helvetica-Bold';

// Transactions table columns (x positions); amounts are right-aligned against their column's right edge.
const TXN_COL = { date: MARGIN + 4, description: MARGIN + 70, amountRight: MARGIN + 420, balanceRight: CONTENT_RIGHT - 4 };
// Table cells are placed, never wrapped. `textWidth`/`wordCount` are only used by pdfkit for links and
// underlines; giving them spares a second text layout per cell (half the rendering time of a heavy report).
const CELL = { lineBreak: false, textWidth: 0, wordCount: 0 } as PDFKit.Mixins.TextOptions;
const DESCRIPTION_MAX_CHARS = 62; // fits the description column at 8pt Helvetica without measuring

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

function money(value: number | null | undefined, currency?: string | null): string {
  if (value === null || value === undefined) return '—';
  if (currency && currency !== 'USD') return `${value.toFixed(2)} ${currency}`;
  return usd.format(value);
}

function clip(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

function userName(report: AssetReport): string {
  const { first_name, middle_name, last_name } = report.user;
  const name = [first_name, middle_name, last_name].filter((part) => part && part.trim()).join(' ');
  return name || '—';
}

/** Draws a label above a value, the report's basic "field" element. */
function field(doc: Doc, label: string, value: string, x: number, y: number): void {
  doc.font(FONT).fontSize(7.5).fillColor(MUTED).text(label.toUpperCase(), x, y, { lineBreak: false });
  doc.font(FONT_BOLD).fontSize(10).fillColor(INK).text(value, x, y + 10, { lineBreak: false });
}

function sectionTitle(doc: Doc, title: string, y: number): number {
  doc.font(FONT_BOLD).fontSize(11).fillColor(ACCENT).text(title, MARGIN, y, { lineBreak: false });
  doc.moveTo(MARGIN, y + 15).lineTo(CONTENT_RIGHT, y + 15).lineWidth(0.6).strokeColor(RULE).stroke();
  return y + 22;
}

function pageHeader(doc: Doc, input: AssetReportPdfInput, subtitle: string): number {
  const title = input.title ?? 'Asset Report';
  doc.rect(0, 0, PAGE.width, 54).fill(ACCENT);
  doc.font(FONT_BOLD).fontSize(16).fillColor('#ffffff').text(title, MARGIN, 18, { lineBreak: false });
  doc.font(FONT).fontSize(9).fillColor('#d7e6ee').text(subtitle, MARGIN, 38, { lineBreak: false });
  const generated = `Generated ${formatDateTime(input.report.date_generated)}`;
  doc.text(generated, CONTENT_RIGHT - doc.widthOfString(generated), 22, { lineBreak: false });
  return 72;
}

function rightText(doc: Doc, text: string, right: number, y: number): void {
  doc.text(text, right - doc.widthOfString(text), y, { lineBreak: false });
}

function accountLabel(account: AccountAssets): string {
  return account.mask ? `${account.name} ••${account.mask}` : account.name;
}

function accountKind(account: AccountAssets): string {
  return account.subtype ? `${account.type} / ${account.subtype}` : `${account.type}`;
}

function summaryPage(doc: Doc, input: AssetReportPdfInput): void {
  const { report } = input;
  let y = pageHeader(doc, input, 'Verification of assets — summary');

  y = sectionTitle(doc, 'Report', y);
  field(doc, 'Asset report id', report.asset_report_id, MARGIN, y);
  field(doc, 'Client report id', report.client_report_id ?? '—', MARGIN + 300, y);
  y += 30;
  field(doc, 'Applicant', userName(report), MARGIN, y);
  field(doc, 'Client user id', report.user.client_user_id ?? '—', MARGIN + 300, y);
  y += 30;
  field(doc, 'Date generated', formatDateTime(report.date_generated), MARGIN, y);
  field(doc, 'Days requested', String(report.days_requested), MARGIN + 300, y);
  y += 30;
  if (input.title === 'Audit Copy') {
    field(doc, 'Auditor', input.auditorId ?? '—', MARGIN, y);
    y += 30;
  }
  const accounts = report.items.flatMap((item) => item.accounts);
  field(doc, 'Institutions', String(report.items.length), MARGIN, y);
  field(doc, 'Accounts', String(accounts.length), MARGIN + 300, y);
  y += 40;

  y = sectionTitle(doc, 'Totals by account type (current balance)', y);
  const totals = new Map<string, { count: number; current: number }>();
  for (const account of accounts) {
    const entry = totals.get(account.type) ?? { count: 0, current: 0 };
    entry.count += 1;
    entry.current += account.balances.current ?? 0;
    totals.set(account.type, entry);
  }
  doc.font(FONT_BOLD).fontSize(8).fillColor(MUTED);
  doc.text('ACCOUNT TYPE', MARGIN + 4, y, { lineBreak: false });
  doc.text('ACCOUNTS', MARGIN + 240, y, { lineBreak: false });
  rightText(doc, 'TOTAL CURRENT BALANCE', CONTENT_RIGHT - 4, y);
  y += 14;
  doc.font(FONT).fontSize(9.5).fillColor(INK);
  for (const [type, entry] of totals) {
    doc.text(type[0]?.toUpperCase() + type.slice(1), MARGIN + 4, y, { lineBreak: false });
    doc.text(String(entry.count), MARGIN + 240, y, { lineBreak: false });
    rightText(doc, money(entry.current), CONTENT_RIGHT - 4, y);
    y += 15;
  }
  y += 16;

  y = sectionTitle(doc, 'Accounts by institution', y);
  for (const item of report.items) {
    if (y > BODY_BOTTOM - 40) {
      doc.addPage();
      y = pageHeader(doc, input, 'Verification of assets — summary (continued)');
    }
    doc.font(FONT_BOLD).fontSize(10).fillColor(INK).text(item.institution_name, MARGIN + 4, y, { lineBreak: false });
    doc.font(FONT).fontSize(8).fillColor(MUTED);
    rightText(doc, `Item ${item.item_id} · updated ${formatDateTime(item.date_last_updated)}`, CONTENT_RIGHT - 4, y + 1);
    y += 16;
    doc.font(FONT_BOLD).fontSize(7.5).fillColor(MUTED);
    doc.text('ACCOUNT', MARGIN + 12, y, { lineBreak: false });
    doc.text('TYPE', MARGIN + 200, y, { lineBreak: false });
    doc.text('DAYS', MARGIN + 320, y, { lineBreak: false });
    rightText(doc, 'AVAILABLE', MARGIN + 420, y);
    rightText(doc, 'CURRENT', CONTENT_RIGHT - 4, y);
    y += 12;
    doc.font(FONT).fontSize(9).fillColor(INK);
    for (const account of item.accounts) {
      if (y > BODY_BOTTOM) {
        doc.addPage();
        y = pageHeader(doc, input, 'Verification of assets — summary (continued)');
        doc.font(FONT).fontSize(9).fillColor(INK);
      }
      const currency = account.balances.iso_currency_code ?? account.balances.unofficial_currency_code;
      doc.text(clip(accountLabel(account), 34), MARGIN + 12, y, { lineBreak: false });
      doc.text(clip(accountKind(account), 22), MARGIN + 200, y, { lineBreak: false });
      doc.text(String(account.days_available), MARGIN + 320, y, { lineBreak: false });
      rightText(doc, money(account.balances.available, currency), MARGIN + 420, y);
      rightText(doc, money(account.balances.current, currency), CONTENT_RIGHT - 4, y);
      y += 14;
    }
    y += 10;
  }

  if (input.warnings.length > 0) {
    if (y > BODY_BOTTOM - 40) {
      doc.addPage();
      y = pageHeader(doc, input, 'Verification of assets — summary (continued)');
    }
    y = sectionTitle(doc, 'Warnings', y);
    doc.font(FONT).fontSize(9).fillColor(NEGATIVE);
    for (const warning of input.warnings) {
      const w = warning as { warning_code?: string; cause?: { error_code?: string; item_id?: string } | null };
      const line = [w.warning_code ?? 'WARNING', w.cause?.error_code, w.cause?.item_id ? `Item ${w.cause.item_id}` : null]
        .filter(Boolean)
        .join(' · ');
      doc.text(clip(line, 110), MARGIN + 4, y, { lineBreak: false });
      y += 14;
      if (y > BODY_BOTTOM) break;
    }
  }
}

function ownersBlock(doc: Doc, owners: Owner[], y: number): number {
  if (owners.length === 0) {
    doc.font(FONT).fontSize(9).fillColor(MUTED).text('No owner information provided by the institution.', MARGIN + 4, y, {
      lineBreak: false,
    });
    return y + 16;
  }
  for (const owner of owners) {
    doc.font(FONT_BOLD).fontSize(9.5).fillColor(INK).text(clip(owner.names.join(' & ') || '—', 90), MARGIN + 4, y, {
      lineBreak: false,
    });
    y += 13;
    doc.font(FONT).fontSize(8.5).fillColor(INK);
    for (const address of owner.addresses.slice(0, 3)) {
      const a = address.data;
      const line = [a.street, a.city, [a.region, a.postal_code].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
      doc.text(clip(`${address.primary ? 'Primary address' : 'Address'}: ${line}`, 110), MARGIN + 12, y, { lineBreak: false });
      y += 11;
    }
    const contacts = [
      ...owner.emails.filter((email) => email.primary).map((email) => email.data),
      ...owner.phone_numbers.slice(0, 2).map((phone) => `${phone.data} (${phone.type})`),
    ];
    if (contacts.length > 0) {
      doc.fillColor(MUTED).text(clip(contacts.join(' · '), 110), MARGIN + 12, y, { lineBreak: false });
      y += 11;
    }
    y += 4;
  }
  return y;
}

/** A cheap vector line chart of the daily balance history (oldest on the left), with min/max/latest. */
function balanceHistoryBlock(doc: Doc, account: AccountAssets, y: number): number {
  const history = account.historical_balances;
  if (history.length === 0) {
    doc.font(FONT).fontSize(9).fillColor(MUTED).text('No daily balance history for this account type.', MARGIN + 4, y, {
      lineBreak: false,
    });
    return y + 16;
  }
  const oldestFirst = [...history].reverse();
  const values = oldestFirst.map((entry) => entry.current ?? 0);
  let min = Math.min(...values);
  let max = Math.max(...values);
  const currency = history[0]?.iso_currency_code ?? history[0]?.unofficial_currency_code;
  const average = values.reduce((sum, value) => sum + value, 0) / values.length;

  doc.font(FONT).fontSize(8.5).fillColor(INK);
  const stats = [
    `${history.length} days: ${oldestFirst[0]?.date} to ${history[0]?.date}`,
    `Lowest ${money(min, currency)}`,
    `Highest ${money(max, currency)}`,
    `Average ${money(average, currency)}`,
  ];
  doc.text(stats.join('    '), MARGIN + 4, y, { lineBreak: false });
  y += 14;

  const chart = { x: MARGIN + 56, y, width: CONTENT_WIDTH - 60, height: 84 };
  if (max === min) {
    max += 1;
    min -= 1;
  }
  doc.rect(chart.x, chart.y, chart.width, chart.height).lineWidth(0.5).strokeColor(RULE).stroke();
  doc.font(FONT).fontSize(7).fillColor(MUTED);
  rightText(doc, money(max, currency), chart.x - 4, chart.y - 2);
  rightText(doc, money(min, currency), chart.x - 4, chart.y + chart.height - 7);
  if (min < 0 && max > 0) {
    const zeroY = chart.y + chart.height - ((0 - min) / (max - min)) * chart.height;
    doc.moveTo(chart.x, zeroY).lineTo(chart.x + chart.width, zeroY).lineWidth(0.4).dash(2, { space: 2 }).strokeColor(NEGATIVE).stroke();
    doc.undash();
  }
  const step = values.length > 1 ? chart.width / (values.length - 1) : 0;
  values.forEach((value, index) => {
    const px = chart.x + index * step;
    const py = chart.y + chart.height - ((value - min) / (max - min)) * chart.height;
    if (index === 0) doc.moveTo(px, py);
    else doc.lineTo(px, py);
  });
  doc.lineWidth(0.9).strokeColor(ACCENT).stroke();
  doc.font(FONT).fontSize(7).fillColor(MUTED);
  doc.text(oldestFirst[0]?.date ?? '', chart.x, chart.y + chart.height + 3, { lineBreak: false });
  rightText(doc, history[0]?.date ?? '', chart.x + chart.width, chart.y + chart.height + 3);
  return chart.y + chart.height + 18;
}

function transactionsHeader(doc: Doc, y: number, withBalance: boolean): number {
  doc.rect(MARGIN, y - 3, CONTENT_WIDTH, 14).fill('#e6ebf1');
  doc.font(FONT_BOLD).fontSize(7.5).fillColor(MUTED);
  doc.text('DATE', TXN_COL.date, y, { lineBreak: false });
  doc.text('DESCRIPTION', TXN_COL.description, y, { lineBreak: false });
  rightText(doc, 'AMOUNT', TXN_COL.amountRight, y);
  if (withBalance) rightText(doc, 'BALANCE AFTER', TXN_COL.balanceRight, y);
  return y + 15;
}

function accountPages(doc: Doc, input: AssetReportPdfInput, item: AssetReportItem, account: AccountAssets): void {
  doc.addPage();
  const subtitle = `${item.institution_name} · ${accountLabel(account)}`;
  let y = pageHeader(doc, input, subtitle);
  const currency = account.balances.iso_currency_code ?? account.balances.unofficial_currency_code;

  doc.font(FONT_BOLD).fontSize(14).fillColor(INK).text(accountLabel(account), MARGIN, y, { lineBreak: false });
  y += 19;
  doc.font(FONT).fontSize(9).fillColor(MUTED);
  doc.text(
    clip([item.institution_name, accountKind(account), account.official_name].filter(Boolean).join(' · '), 110),
    MARGIN,
    y,
    { lineBreak: false },
  );
  y += 12;
  doc.text(`Account id ${account.account_id}`, MARGIN, y, { lineBreak: false });
  y += 20;

  y = sectionTitle(doc, 'Balances', y);
  field(doc, 'Current', money(account.balances.current, currency), MARGIN, y);
  field(doc, 'Available', money(account.balances.available, currency), MARGIN + 130, y);
  field(doc, 'Limit', money(account.balances.limit, currency), MARGIN + 260, y);
  field(doc, 'Days of history', String(account.days_available), MARGIN + 390, y);
  y += 38;

  y = sectionTitle(doc, 'Owners', y);
  y = ownersBlock(doc, account.owners, y);
  y += 8;

  y = sectionTitle(doc, 'Daily balance history', y);
  y = balanceHistoryBlock(doc, account, y);
  y += 6;

  // Newest first, like Plaid's own reports; "balance after" uses the same identity as historical_balances.
  const transactions: AssetReportTransaction[] = [...account.transactions].sort((a, b) =>
    a.date < b.date ? 1 : a.date > b.date ? -1 : 0,
  );
  y = sectionTitle(doc, `Transactions (${transactions.length})`, y);
  if (transactions.length === 0) {
    doc.font(FONT).fontSize(9).fillColor(MUTED).text('No transactions in the requested period.', MARGIN + 4, y, {
      lineBreak: false,
    });
    return;
  }
  const withBalance = account.balances.current !== null && (account.type === 'depository' || account.type === 'credit');
  let balanceAfter = account.balances.current ?? 0;
  y = transactionsHeader(doc, y, withBalance);
  let row = 0;
  let fill = '';
  const setFill = (color: string) => {
    if (color !== fill) {
      doc.fillColor(color);
      fill = color;
    }
  };
  doc.font(FONT).fontSize(8);
  for (const transaction of transactions) {
    if (y > BODY_BOTTOM) {
      doc.addPage();
      y = pageHeader(doc, input, `${subtitle} · transactions (continued)`);
      y = transactionsHeader(doc, y, withBalance);
      doc.font(FONT).fontSize(8);
      fill = '';
      row = 0;
    }
    if (row % 2 === 1) {
      doc.rect(MARGIN, y - 2.5, CONTENT_WIDTH, ROW_HEIGHT).fill(ZEBRA);
      fill = ZEBRA;
    }
    setFill(INK);
    doc.text(transaction.date, TXN_COL.date, y, CELL);
    const description = transaction.original_description ?? transaction.name ?? '—';
    doc.text(clip(transaction.pending ? `${description} (pending)` : description, DESCRIPTION_MAX_CHARS), TXN_COL.description, y, CELL);
    // Plaid's sign: positive = money out. Show inflows as +, outflows as -, like a bank statement.
    const amountText = `${transaction.amount > 0 ? '-' : '+'}${money(Math.abs(transaction.amount), transaction.iso_currency_code)}`;
    setFill(transaction.amount > 0 ? INK : POSITIVE);
    doc.text(amountText, TXN_COL.amountRight - numberWidth(doc, amountText), y, CELL);
    if (withBalance) {
      const balanceText = money(balanceAfter, currency);
      setFill(balanceAfter < 0 ? NEGATIVE : INK);
      doc.text(balanceText, TXN_COL.balanceRight - numberWidth(doc, balanceText), y, CELL);
      balanceAfter = Math.round((balanceAfter + transaction.amount) * 100) / 100;
    }
    y += ROW_HEIGHT;
    row += 1;
  }
}

/**
 * Width of a money string in the table font (Helvetica 8pt, already selected by the caller): the standard
 * fonts have no kerning between digits and currency punctuation, so summing cached per-character widths is
 * exact and avoids a full text layout per cell.
 */
const tableCharacterWidths = new Map<string, number>();
function numberWidth(doc: Doc, text: string): number {
  let width = 0;
  for (const character of text) {
    let characterWidth = tableCharacterWidths.get(character);
    if (characterWidth === undefined) {
      characterWidth = doc.widthOfString(character);
      tableCharacterWidths.set(character, characterWidth);
    }
    width += characterWidth;
  }
  return width;
}

function footers(doc: Doc, report: AssetReport, title: string): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let index = 0; index < total; index += 1) {
    doc.switchToPage(range.start + index);
    doc.moveTo(MARGIN, FOOTER_Y - 6).lineTo(CONTENT_RIGHT, FOOTER_Y - 6).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font(FONT).fontSize(7.5).fillColor(MUTED);
    doc.text(`${title} · Report ${report.asset_report_id}`, MARGIN, FOOTER_Y, { lineBreak: false });
    rightText(doc, `Page ${index + 1} of ${total}`, CONTENT_RIGHT, FOOTER_Y);
  }
}

export function renderAssetReportPdf(input: AssetReportPdfInput): Promise<Buffer> {
  const title = input.title ?? 'Asset Report';
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    compress: true,
    autoFirstPage: true,
    info: {
      Title: `${title} ${input.report.asset_report_id}`,
      Author: 'Plaid Sandbox emulator',
      Subject: input.report.client_report_id ?? 'Asset Report',
      CreationDate: new Date(input.report.date_generated),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    summaryPage(doc, input);
    for (const item of input.report.items) {
      for (const account of item.accounts) accountPages(doc, input, item, account);
    }
    footers(doc, input.report, title);
    doc.end();
  } catch (error) {
    doc.end();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return done;
}

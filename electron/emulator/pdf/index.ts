import type { AssetReport, AssetReportItem, AccountAssets, AssetReportTransaction, Owner } from 'plaid';
import {
  FONT,
  FONT_BOLD,
  LETTER,
  field as toolkitField,
  formatDateTimeUtc as formatDateTime,
  renderLetterPdf,
  rightText,
  sectionTitle as toolkitSectionTitle,
  stampFooters,
  type Doc,
} from '../../pdf/toolkit';

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

const PAGE = LETTER;
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

// Transactions table columns (x positions); amounts are right-aligned against their column's right edge.
const TXN_COL = {
  date: MARGIN + 4,
  description: MARGIN + 70,
  amountRight: MARGIN + 420,
  balanceRight: CONTENT_RIGHT - 4,
};
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

function userName(report: AssetReport): string {
  const { first_name, middle_name, last_name } = report.user;
  const name = [first_name, middle_name, last_name].filter((part) => part && part.trim()).join(' ');
  return name || '—';
}

/** Draws a label above a value, the report's basic "field" element. */
function field(doc: Doc, label: string, value: string, x: number, y: number): void {
  toolkitField(doc, label, value, x, y, { labelSize: 7.5, valueSize: 10, labelColour: MUTED, valueColour: INK });
}

function sectionTitle(doc: Doc, title: string, y: number): number {
  return toolkitSectionTitle(doc, title, y, {
    left: MARGIN,
    right: CONTENT_RIGHT,
    size: 11,
    colour: ACCENT,
    rule: RULE,
  });
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
    doc
      .font(FONT_BOLD)
      .fontSize(10)
      .fillColor(INK)
      .text(item.institution_name, MARGIN + 4, y, { lineBreak: false });
    doc.font(FONT).fontSize(8).fillColor(MUTED);
    rightText(
      doc,
      `Item ${item.item_id} · updated ${formatDateTime(item.date_last_updated)}`,
      CONTENT_RIGHT - 4,
      y + 1,
    );
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
      const line = [
        w.warning_code ?? 'WARNING',
        w.cause?.error_code,
        w.cause?.item_id ? `Item ${w.cause.item_id}` : null,
      ]
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
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor(MUTED)
      .text('No owner information provided by the institution.', MARGIN + 4, y, {
        lineBreak: false,
      });
    return y + 16;
  }
  for (const owner of owners) {
    doc
      .font(FONT_BOLD)
      .fontSize(9.5)
      .fillColor(INK)
      .text(clip(owner.names.join(' & ') || '—', 90), MARGIN + 4, y, {
        lineBreak: false,
      });
    y += 13;
    doc.font(FONT).fontSize(8.5).fillColor(INK);
    for (const address of owner.addresses.slice(0, 3)) {
      const a = address.data;
      const line = [a.street, a.city, [a.region, a.postal_code].filter(Boolean).join(' '), a.country]
        .filter(Boolean)
        .join(', ');
      doc.text(clip(`${address.primary ? 'Primary address' : 'Address'}: ${line}`, 110), MARGIN + 12, y, {
        lineBreak: false,
      });
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
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor(MUTED)
      .text('No daily balance history for this account type.', MARGIN + 4, y, {
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
    doc
      .moveTo(chart.x, zeroY)
      .lineTo(chart.x + chart.width, zeroY)
      .lineWidth(0.4)
      .dash(2, { space: 2 })
      .strokeColor(NEGATIVE)
      .stroke();
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
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor(MUTED)
      .text('No transactions in the requested period.', MARGIN + 4, y, {
        lineBreak: false,
      });
    return;
  }
  const withBalance = account.balances.current !== null && (account.type === 'depository' || account.type === 'credit');
  let balanceAfter = account.balances.current ?? 0;
  y = transactionsHeader(doc, y, withBalance);
  doc.font(FONT).fontSize(TABLE_FONT_SIZE);
  let table = new TableText(doc);
  let row = 0;
  for (const transaction of transactions) {
    if (y > BODY_BOTTOM) {
      table.flush();
      doc.addPage();
      y = pageHeader(doc, input, `${subtitle} · transactions (continued)`);
      y = transactionsHeader(doc, y, withBalance);
      doc.font(FONT).fontSize(TABLE_FONT_SIZE);
      table = new TableText(doc);
      row = 0;
    }
    if (row % 2 === 1) table.stripe(y - 2.5);
    table.left(transaction.date, TXN_COL.date, y, INK);
    const description = transaction.original_description ?? transaction.name ?? '—';
    table.left(
      clip(transaction.pending ? `${description} (pending)` : description, DESCRIPTION_MAX_CHARS),
      TXN_COL.description,
      y,
      INK,
    );
    // Plaid's sign: positive = money out. Show inflows as +, outflows as -, like a bank statement.
    const amountText = `${transaction.amount > 0 ? '-' : '+'}${money(Math.abs(transaction.amount), transaction.iso_currency_code)}`;
    table.right(amountText, TXN_COL.amountRight, y, transaction.amount > 0 ? INK : POSITIVE);
    if (withBalance) {
      table.right(money(balanceAfter, currency), TXN_COL.balanceRight, y, balanceAfter < 0 ? NEGATIVE : INK);
      // Walking back undoes the posting: a deposit account gets its money out back, a card's charge is taken off.
      const undo = account.type === 'credit' ? -transaction.amount : transaction.amount;
      balanceAfter = Math.round((balanceAfter + undo) * 100) / 100;
    }
    y += ROW_HEIGHT;
    row += 1;
  }
  table.flush();
}

const TABLE_FONT_SIZE = 8;

/** What TableText needs from pdfkit beyond its typed API: the current font's resource name and ascender. */
interface PdfkitFontInternals {
  _font?: { id?: unknown; ascender?: unknown; ref(): unknown };
}

/** pdfkit's own WinAnsi mapping for the characters above Latin-1's C1 range that Plaid's text can hold. */
const WIN_ANSI: Record<number, number> = {
  0x20ac: 0x80,
  0x201a: 0x82,
  0x0192: 0x83,
  0x201e: 0x84,
  0x2026: 0x85,
  0x2020: 0x86,
  0x2021: 0x87,
  0x02c6: 0x88,
  0x2030: 0x89,
  0x0160: 0x8a,
  0x2039: 0x8b,
  0x0152: 0x8c,
  0x017d: 0x8e,
  0x2018: 0x91,
  0x2019: 0x92,
  0x201c: 0x93,
  0x201d: 0x94,
  0x2022: 0x95,
  0x2013: 0x96,
  0x2014: 0x97,
  0x02dc: 0x98,
  0x2122: 0x99,
  0x0161: 0x9a,
  0x203a: 0x9b,
  0x0153: 0x9c,
  0x017e: 0x9e,
  0x0178: 0x9f,
};

/** One character as a byte of a PDF literal string in WinAnsiEncoding ('?' when the encoding has none). */
function literalByte(code: number): string {
  const byte = code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : (WIN_ANSI[code] ?? 0x3f);
  if (byte === 0x28 || byte === 0x29 || byte === 0x5c) return `\\${String.fromCharCode(byte)}`;
  if (byte < 0x20 || byte > 0x7e) return `\\${byte.toString(8).padStart(3, '0')}`;
  return String.fromCharCode(byte);
}

const pdfNumber = (value: number) => String(Math.round(value * 1000) / 1000);

function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `${pdfNumber(((n >> 16) & 255) / 255)} ${pdfNumber(((n >> 8) & 255) / 255)} ${pdfNumber((n & 255) / 255)} rg`;
}

/**
 * Per table font: each character's width and each pair's kerning (measured once through pdfkit's
 * widthOfString), and each distinct cell's encoded TJ operand (dates, descriptions and amounts repeat).
 */
interface CellMetrics {
  widths: Map<number, number>;
  kerns: Map<number, number>;
  cells: Map<string, { operand: string; width: number }>;
}
const metricsByDoc = new WeakMap<Doc, CellMetrics>();

/**
 * The transactions table of one page, written straight into the page's content stream: one path for the
 * zebra stripes, then one text object for every cell, with the glyphs, kerning, positions and colours
 * `doc.text` would produce. pdfkit's per-call work (option objects, glyph arrays, a graphics-state save,
 * transform and text object per cell) made 160,000 cells cost seconds for the heavy persona.
 * The caller selects the table font before constructing it.
 */
class TableText {
  private readonly doc: Doc;
  private readonly fontId: string;
  private readonly baseline: number;
  private readonly metrics: CellMetrics;
  private stripes: string[] = [];
  private text: string[] = [];
  private color = '';

  constructor(doc: Doc) {
    const font = (doc as unknown as PdfkitFontInternals)._font;
    if (!font || typeof font.id !== 'string' || typeof font.ascender !== 'number') {
      throw new Error('pdfkit no longer exposes the current font; the table writer needs updating');
    }
    this.doc = doc;
    this.fontId = font.id;
    this.baseline = (font.ascender / 1000) * TABLE_FONT_SIZE;
    // Same resource registration doc.text does, so the page's /Font dictionary names the font.
    const fonts = doc.page.fonts as Record<string, unknown>;
    fonts[font.id] ??= font.ref();
    let metrics = metricsByDoc.get(doc);
    if (!metrics) {
      metrics = { widths: new Map(), kerns: new Map(), cells: new Map() };
      metricsByDoc.set(doc, metrics);
    }
    this.metrics = metrics;
  }

  stripe(top: number): void {
    this.stripes.push(`${MARGIN} ${pdfNumber(top)} ${CONTENT_WIDTH} ${ROW_HEIGHT} re`);
  }

  left(text: string, x: number, y: number, color: string): void {
    this.place(this.encode(text).operand, x, y, color);
  }

  right(text: string, right: number, y: number, color: string): void {
    const cell = this.encode(text);
    this.place(cell.operand, right - cell.width, y, color);
  }

  flush(): void {
    const ops: string[] = [];
    if (this.stripes.length > 0) ops.push('q', rgb(ZEBRA), ...this.stripes, 'f', 'Q');
    if (this.text.length > 0) {
      // Text space is PDF's bottom-up one, as in pdfkit's own text fragments.
      ops.push(
        'q',
        `1 0 0 -1 0 ${PAGE.height} cm`,
        'BT',
        `/${this.fontId} ${TABLE_FONT_SIZE} Tf`,
        ...this.text,
        'ET',
        'Q',
      );
    }
    if (ops.length > 0) this.doc.addContent(Buffer.from(`${ops.join('\n')}\n`, 'latin1'));
    this.stripes = [];
    this.text = [];
    this.color = '';
  }

  private place(operand: string, x: number, y: number, color: string): void {
    if (color !== this.color) {
      this.text.push(rgb(color));
      this.color = color;
    }
    this.text.push(`1 0 0 1 ${pdfNumber(x)} ${pdfNumber(PAGE.height - y - this.baseline)} Tm ${operand} TJ`);
  }

  private encode(text: string): { operand: string; width: number } {
    const { cells } = this.metrics;
    let cell = cells.get(text);
    if (cell) return cell;
    let operand = '[(';
    let width = 0;
    let previous = -1;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (previous >= 0) {
        const kern = this.kern(previous, code);
        if (kern !== 0) {
          // TJ moves left by positive numbers in thousandths of an em; a kern tightens with a negative one.
          operand += `) ${-kern} (`;
          width += (kern * TABLE_FONT_SIZE) / 1000;
        }
      }
      operand += literalByte(code);
      width += this.width(code);
      previous = code;
    }
    cell = { operand: `${operand})]`, width };
    if (cells.size > 100_000) cells.clear();
    cells.set(text, cell);
    return cell;
  }

  private width(code: number): number {
    let width = this.metrics.widths.get(code);
    if (width === undefined) {
      width = this.doc.widthOfString(String.fromCharCode(code));
      this.metrics.widths.set(code, width);
    }
    return width;
  }

  /** Kerning of a pair in thousandths of an em (AFM units), as pdfkit applies it. */
  private kern(left: number, right: number): number {
    const key = left * 0x10000 + right;
    let kern = this.metrics.kerns.get(key);
    if (kern === undefined) {
      const pair = this.doc.widthOfString(String.fromCharCode(left, right));
      kern = Math.round(((pair - this.width(left) - this.width(right)) * 1000) / TABLE_FONT_SIZE);
      this.metrics.kerns.set(key, kern);
    }
    return kern;
  }
}

function footers(doc: Doc, report: AssetReport, title: string): void {
  stampFooters(
    doc,
    { left: MARGIN, right: CONTENT_RIGHT, y: FOOTER_Y, size: 7.5, colour: MUTED, rule: RULE },
    () => `${title} · Report ${report.asset_report_id}`,
    (index, total) => `Page ${index + 1} of ${total}`,
  );
}

export function renderAssetReportPdf(input: AssetReportPdfInput): Promise<Buffer> {
  const title = input.title ?? 'Asset Report';
  return renderLetterPdf(
    {
      margin: MARGIN,
      info: {
        Title: `${title} ${input.report.asset_report_id}`,
        Author: 'Plaid Sandbox emulator',
        Subject: input.report.client_report_id ?? 'Asset Report',
        CreationDate: new Date(input.report.date_generated),
      },
    },
    (doc) => {
      summaryPage(doc, input);
      for (const item of input.report.items) {
        for (const account of item.accounts) accountPages(doc, input, item, account);
      }
      footers(doc, input.report, title);
    },
  );
}

import type { FindingSeverity, UnderwritingAnalysis } from '../../../shared/underwriting/types';
import {
  FONT,
  FONT_BOLD,
  heightOfText,
  LETTER,
  field as toolkitField,
  sectionTitle as toolkitSectionTitle,
  writeText,
  type Doc,
} from '../../pdf/toolkit';

/** The cover page's geometry, colours and text helpers: its own look, so it never passes for Plaid's pages. */
export interface CoverPageInput {
  analysis: UnderwritingAnalysis;
  applicantName: string;
  loanNumber: string;
  reportId: string;
  /** ISO date-time the page is produced (the caller's clock). */
  generatedAt: string;
  asOf: string;
  /** A refresh or a filtered copy says so, with the report it was made from (an original says nothing more). */
  madeFrom?: MadeFrom;
}

export type MadeFrom =
  | { kind: 'refresh'; parentReportId: string }
  /** `accountsLeftOut`: the accounts the filter took out, as the officer reads them (empty when unknown). */
  | { kind: 'filter'; parentReportId: string; accountsLeftOut: string[] };

export const COVER_PAGE_HEADING = "AssetDesk underwriting analysis — not part of Plaid's Asset Report";

export const PAGE = LETTER;
export const MARGIN = 44;
export const RIGHT = PAGE.width - MARGIN;
export const WIDTH = PAGE.width - 2 * MARGIN;
export const FOOTER_Y = PAGE.height - 32;
export const BOTTOM = PAGE.height - 56;
export const MAX_PAGES = 2;

export const INK = '#1d2026';
export const MUTED = '#5d6470';
export const RULE = '#d9dce2';
export const BAND = '#2b2540';
export const BAND_TEXT = '#f4f1fb';
export const STRIPE = '#e0a526';
export const PANEL = '#f6f5f9';
export const SEVERITY: Record<FindingSeverity, { label: string; colour: string; tint: string }> = {
  attention: { label: 'ATTENTION', colour: '#b4311f', tint: '#fbeae7' },
  info: { label: 'INFO', colour: '#2f5f9e', tint: '#e8eff9' },
  ok: { label: 'OK', colour: '#2c7a3f', tint: '#e6f3ea' },
};

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const money = (value: number | null): string => (value === null ? 'n/a' : usd.format(value));

// Signs the cover page writes the Helvetica way, and control characters that have no place on a page.
export function printable(text: string): string {
  return text
    .replace(/[≥]/g, '>=')
    .replace(/[≤]/g, '<=')
    .replace(/[\u2026]/g, '...')
    .replace(/\p{Cc}/gu, '?');
}

const LABEL_SIZE = 7;
const VALUE_SIZE = 9.5;

export function field(doc: Doc, label: string, value: string, x: number, y: number, width: number): void {
  toolkitField(doc, label, printable(value), x, y, {
    labelSize: LABEL_SIZE,
    valueSize: VALUE_SIZE,
    labelColour: MUTED,
    valueColour: INK,
    labelSpacing: 0.4,
    valueWidth: width,
  });
}

/**
 * A label over a value that may take several lines (names, loan numbers: nothing the officer entered is cut);
 * answers the height it took.
 */
export function wrappedField(doc: Doc, label: string, value: string, x: number, y: number, width: number): number {
  writeText(doc.fontSize(LABEL_SIZE).fillColor(MUTED), FONT, label.toUpperCase(), x, y, {
    lineBreak: false,
    characterSpacing: 0.4,
  });
  const text = printable(value);
  doc.fontSize(VALUE_SIZE);
  const height = heightOfText(doc, FONT_BOLD, text, { width });
  writeText(doc.fillColor(INK), FONT_BOLD, text, x, y + 10, { width });
  return 10 + height;
}

export function sectionTitle(doc: Doc, title: string, y: number): number {
  return toolkitSectionTitle(doc, title, y, { left: MARGIN, right: RIGHT, size: 10.5, colour: BAND, rule: RULE });
}

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RunFace } from './text-runs';

/**
 * The faces a PDF we draw may use, in the order tried for each character: Helvetica first (the documents' own look,
 * and all of Latin-1), then bundled Noto fonts (SIL Open Font License) for the names Helvetica cannot print —
 * Latin beyond Latin-1, Greek, Cyrillic, Devanagari, Chinese, Japanese kana, Korean, Arabic, Hebrew. pdfkit embeds
 * only the glyphs a document uses, so a cover page with a Chinese name stays small.
 */
export type Weight = 'regular' | 'bold';

export interface PdfFace extends RunFace {
  /** What `doc.font()` is given: a standard font's name or a font file's path. */
  source: Record<Weight, string>;
  /** Standard fonts need no file and print WinAnsi only. */
  standard: boolean;
}

export const STANDARD_FONT: Record<Weight, string> = { regular: 'Helvetica', bold: 'Helvetica-Bold' };
/** Helvetica's ascender (per 1000 units): other faces are drawn on Helvetica's baseline so a line stays level. */
export const STANDARD_ASCENDER = 718;

// Resolved from this file (the bundle once built), so the same lookup works from source, out/ and app.asar.
const require = createRequire(import.meta.url);

interface GlyphSource {
  hasGlyphForCodePoint(codePoint: number): boolean;
}
// fontkit is the font engine pdfkit itself embeds with; loaded at run time beside pdfkit (it ships no types).
const fontkit = require('fontkit') as { openSync(path: string): GlyphSource };

// WinAnsi: what the standard fonts can print (Latin-1 and a few typographic marks).
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((char) => char.codePointAt(0)));
export function inWinAnsi(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WIN_ANSI_EXTRA.has(codePoint)
  );
}

/** A bundled face, from its package's entry file (the packages export only an index; the fonts sit beside it). */
function bundled(packageEntry: string, regular: string, bold: string, rightToLeft = false): PdfFace {
  const folder = join(dirname(packageEntry), '..', 'fonts');
  const source = { regular: join(folder, regular), bold: join(folder, bold) };
  let glyphs: GlyphSource | undefined;
  return {
    source,
    standard: false,
    rightToLeft,
    covers(codePoint) {
      // Opened on first need only: most documents never leave Helvetica. Both weights have the same coverage.
      glyphs ??= fontkit.openSync(source.regular);
      return glyphs.hasGlyphForCodePoint(codePoint);
    },
  };
}

let faces: PdfFace[] | undefined;

/** Every face in the order tried; the font files are located once per process (literal names: the packaging test reads them). */
export function pdfFaces(): readonly PdfFace[] {
  faces ??= [
    { source: STANDARD_FONT, standard: true, covers: inWinAnsi },
    bundled(require.resolve('@embedpdf/fonts-latin'), 'NotoSans-Regular.ttf', 'NotoSans-Bold.ttf'),
    // Chinese and Korean bold print in the regular weight: their bold files would add 13 MB to the app.
    bundled(require.resolve('@embedpdf/fonts-sc'), 'NotoSansHans-Regular.otf', 'NotoSansHans-Regular.otf'),
    bundled(require.resolve('@embedpdf/fonts-kr'), 'NotoSansKR-Regular.otf', 'NotoSansKR-Regular.otf'),
    bundled(require.resolve('@embedpdf/fonts-arabic'), 'NotoNaskhArabic-Regular.ttf', 'NotoNaskhArabic-Bold.ttf', true),
    bundled(require.resolve('@embedpdf/fonts-hebrew'), 'NotoSansHebrew-Regular.ttf', 'NotoSansHebrew-Bold.ttf', true),
  ];
  return faces;
}

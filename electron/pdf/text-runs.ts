/**
 * Splits a line of text into runs that one font can draw each, so a name in any script prints in a font that has
 * its letters while the Latin around it keeps the document's own look. Pure: the fonts are given as coverage tests.
 */
export interface RunFace {
  /** Whether the font has a glyph for this code point. */
  covers(codePoint: number): boolean;
  /** Right-to-left script (Arabic, Hebrew): its words are laid out in reverse order on the page. */
  rightToLeft?: boolean;
}

export interface TextRun {
  text: string;
  /** Index into the faces given; -1 when no face has the character (the caller prints a stand-in). */
  face: number;
}

// Spaces, digits and punctuation belong to no script: they stay in the run around them rather than break it.
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;
const SPACE = /^\s+$/u;

function faceFor(codePoint: number, faces: readonly RunFace[]): number {
  return faces.findIndex((face) => face.covers(codePoint));
}

/** Runs in reading order, each drawn by the first face that has its characters. */
export function splitTextRuns(text: string, faces: readonly RunFace[]): TextRun[] {
  const runs: TextRun[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const last = runs[runs.length - 1];
    // A right-to-left run ends at a space: the words are put in visual order one by one (see visualOrder).
    const staysInRun =
      last !== undefined &&
      last.face >= 0 &&
      NEUTRAL.test(char) &&
      !(faces[last.face]?.rightToLeft === true && /\s/u.test(char)) &&
      faces[last.face]?.covers(codePoint) === true;
    const face = staysInRun ? last.face : faceFor(codePoint, faces);
    if (last !== undefined && last.face === face) last.text += char;
    else runs.push({ text: char, face });
  }
  return runs;
}

/**
 * Left-to-right drawing order: a stretch of right-to-left words (and the spaces between them) is reversed, so the
 * first word of an Arabic or Hebrew name sits on the right. Each word's own letters are shaped right to left by the
 * font engine. Enough for names; numbers inside right-to-left text are not reordered.
 */
export function visualOrder(runs: readonly TextRun[], faces: readonly RunFace[]): TextRun[] {
  const rtl = (run: TextRun): boolean => run.face >= 0 && faces[run.face]?.rightToLeft === true;
  const out: TextRun[] = [];
  let index = 0;
  while (index < runs.length) {
    const run = runs[index] as TextRun;
    if (!rtl(run)) {
      out.push(run);
      index += 1;
      continue;
    }
    let end = index + 1;
    let lastRtl = index;
    while (end < runs.length) {
      const next = runs[end] as TextRun;
      if (rtl(next)) lastRtl = end;
      else if (!SPACE.test(next.text)) break;
      end += 1;
    }
    out.push(...runs.slice(index, lastRtl + 1).reverse());
    index = lastRtl + 1;
  }
  return out;
}

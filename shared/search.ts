/** How the officer's searches match: the same folding for what is stored and what is typed. */
import { parseAmountCents } from './amounts';

// Letters NFKD does not split into a base letter and a mark; each becomes its usual Latin spelling.
const LATIN_EXTRA: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
};
const LATIN_EXTRA_RE = new RegExp(`[${Object.keys(LATIN_EXTRA).join('')}]`, 'g');

/**
 * Unicode NFKD, combining marks removed, a few letters without a decomposition spelled out: "Ñúñez" →
 * "Nunez", "Łódź" → "Lodz". Letters of other scripts (CJK, Cyrillic, …) stay as they are.
 */
export function stripAccents(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(LATIN_EXTRA_RE, (c) => LATIN_EXTRA[c] ?? c);
}

/**
 * Accents taken off Latin letters only ("Ñúñez" → "Nunez", "Łódź" → "Lodz"), for names that must stay readable:
 * in other scripts a mark is part of the spelling (शर्मा's vowel signs, й), so those letters keep theirs.
 */
export function stripLatinAccents(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .replace(LATIN_EXTRA_RE, (c) => LATIN_EXTRA[c] ?? c)
    .normalize('NFC');
}

/** Search form of a text: accents removed and lower-cased in every script ("ÑÚÑEZ" and "nunez" agree). */
export function foldForSearch(text: string): string {
  return stripAccents(text).toLowerCase();
}

/** The officer's search words as typed (at most six); fold each with foldForSearch to match text. */
export function rawSearchWords(text: string | undefined): string[] {
  return (text ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 6);
}

/** The officer's search words, folded; at most six. */
export function searchWords(text: string | undefined): string[] {
  return rawSearchWords(text).map(foldForSearch);
}

/**
 * A search word read as a dollar amount — `7350`, `7,350.00`, `$7,350`, `-7,350.00`, `(7,350.00)` — as its
 * size in whole cents (a search finds the deposit and the withdrawal alike); null when it is not one.
 */
export function searchAmountCents(word: string): number | null {
  const cents = parseAmountCents(word);
  return cents === null ? null : Math.abs(cents);
}

import type { PersonName } from './types';

/**
 * Comparing the applicant's name with the names a bank prints on an account: tolerant of case, punctuation,
 * accents, middle names and initials, and "LAST, FIRST" or "LAST FIRST" order. A differing suffix, extra given
 * names, or a first name given only as an initial ("J SMITH": John or Jane?) is only a possible match, for the
 * officer to confirm.
 */

export type { PersonName };

const SUFFIXES = new Set(['JR', 'SR', 'II', 'III', 'IV']);
// Titles, and the trustee designation (a trustee controls the account); both say nothing about who it is.
const TITLES = new Set(['MR', 'MRS', 'MS', 'MISS', 'DR', 'TTEE', 'TRUSTEE']);
const DROPPED = new Set([...TITLES, ...SUFFIXES]);

/** Upper-case word tokens with punctuation and accents gone: "O'Brien-Smith, Mary A." → MARY A OBRIEN SMITH. */
export function nameTokens(name: string): string[] {
  let text = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  // "CHARLESON, ALBERTA B." → "ALBERTA B. CHARLESON" (only the first comma; "SMITH, JR." stays a suffix).
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const before = text.slice(0, comma);
    const after = text.slice(comma + 1);
    const afterWords = after
      .replace(/[^A-Z0-9\s]/g, ' ')
      .trim()
      .split(/\s+/)
      .filter((w) => w && !DROPPED.has(w));
    text = afterWords.length > 0 ? `${after} ${before}` : before;
  }
  return text
    .replace(/['’`]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((token) => token.length > 0 && !DROPPED.has(token));
}

// Between two people's names, or after the last: "AND/OR", "AND", "OR", "&", "/", "+", ";", and the joint-tenancy
// designations banks print ("JT TEN", "JTWROS", "TEN COM", "TEN ENT"), which say who holds it, not who it is.
const BETWEEN_PEOPLE =
  /\s+AND\s*\/?\s*OR\s+|\s+(?:AND|OR)\s+|\s*[&/+;]\s*|\s+(?:JT\.?\s*TEN|JTWROS|JT\s*WROS|WROS|TEN\.?\s*(?:COM|ENT))\b\.?\s*/i;

/**
 * Several people printed in one string: "JOHN & JANE SMITH", "John Smith and/or Jane Smith", "JOHN SMITH; JANE SMITH",
 * "JOHN SMITH JT TEN JANE SMITH". A lone first name borrows the surname of the last person named ("JOHN & JANE SMITH"),
 * or the first person's written surname-first ("SMITH, JOHN & JANE").
 */
export function splitPeople(name: string): string[] {
  const parts = name
    // "D/B/A" (doing business as) is one word, not three people.
    .replace(/\bD\s*\/\s*B\s*\/\s*A\b/gi, 'DBA')
    .split(BETWEEN_PEOPLE)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length <= 1) return [parts[0] ?? name.trim()];
  const lastTokens = (parts.at(-1) ?? '').split(/\s+/);
  const firstPart = parts[0] ?? '';
  const surnameFirst = firstPart.includes(',') ? firstPart.slice(0, firstPart.indexOf(',')).trim() : undefined;
  const surname = lastTokens.length > 1 ? lastTokens.at(-1) : undefined;
  return parts.map((part) => {
    if (part.split(/\s+/).length !== 1 || part.includes(',')) return part;
    if (surname) return `${part} ${surname}`;
    return surnameFirst ? `${surnameFirst}, ${part}` : part;
  });
}

function isInitialOf(short: string, long: string): boolean {
  return short.length === 1 && long.startsWith(short);
}

function sameOrInitial(a: string, b: string): boolean {
  return a === b || isInitialOf(a, b) || isInitialOf(b, a);
}

/** How many leading tokens spell `target` (allowing "DE LA CRUZ" = "DELACRUZ"); 0 when they don't. */
function spells(tokens: string[], target: string): number {
  let joined = '';
  for (let i = 0; i < tokens.length && joined.length < target.length; i += 1) {
    joined += tokens[i];
    if (joined === target) return i + 1;
  }
  return 0;
}

/**
 * Does this window of tokens read as "first [middle…] last"? null when not; else whether the first name was only an
 * initial on one side ("J SMITH" for John Smith): it may as well be Jane Smith, so only a possible match.
 */
function matchesInOrder(
  tokens: string[],
  first: string[],
  middle: string[],
  last: string[],
): { firstByInitial: boolean } | null {
  const lastJoined = last.join('');
  const firstJoined = first.join('');
  if (!lastJoined || !firstJoined) return null;
  // last name: the window's tail
  let lastLength = 0;
  for (let k = 1; k <= tokens.length - 1; k += 1) {
    if (spells(tokens.slice(tokens.length - k), lastJoined) === k) {
      lastLength = k;
      break;
    }
  }
  if (lastLength === 0) return null;
  const rest = tokens.slice(0, tokens.length - lastLength);
  const head = rest[0];
  if (!head) return null;
  let firstLength = spells(rest, firstJoined);
  const givenFirst = first[0] ?? '';
  if (firstLength === 0) {
    // "A CHARLESON" or "ALBERTA" for applicant "Alberta Mae": first token against the first given name
    if (sameOrInitial(head, givenFirst)) firstLength = 1;
    else return null;
  }
  const firstByInitial = head !== givenFirst && (head.length === 1 || givenFirst.length === 1) && firstLength === 1;
  const middleTokens = rest.slice(firstLength);
  // Middle names are optional on either side; when both are present they must agree, initials allowed.
  if (middleTokens.length === 0 || middle.length === 0) return { firstByInitial };
  return sameOrInitial(middleTokens[0] ?? '', middle[0] ?? '') ? { firstByInitial } : null;
}

function suffixesOf(name: string): string {
  return name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((token) => SUFFIXES.has(token))
    .sort()
    .join(' ');
}

/** The full owner string read as first [middle…] last, either order; counts extra middle names. */
function wholeNameMatch(
  tokens: string[],
  first: string[],
  middle: string[],
  last: string[],
): { extraGivenNames: boolean; firstByInitial: boolean } | null {
  const tryOrder = (window: string[]): { extraGivenNames: boolean; firstByInitial: boolean } | null => {
    const inOrder = matchesInOrder(window, first, middle, last);
    if (!inOrder) return null;
    const given = window.length - spellsFromEnd(window, last.join('')) - Math.max(1, spells(window, first.join('')));
    // One middle name (or initial) more than the applicant gave is tolerated; more is another person's name.
    return { extraGivenNames: given > Math.max(1, middle.length), firstByInitial: inOrder.firstByInitial };
  };
  const inOrder = tryOrder(tokens);
  if (inOrder) return inOrder;
  const lastLength = spells(tokens, last.join(''));
  if (lastLength > 0 && lastLength < tokens.length)
    return tryOrder([...tokens.slice(lastLength), ...tokens.slice(0, lastLength)]);
  return null;
}

function spellsFromEnd(tokens: string[], target: string): number {
  for (let k = 1; k <= tokens.length - 1; k += 1) {
    if (spells(tokens.slice(tokens.length - k), target) === k) return k;
  }
  return 0;
}

/**
 * One printed owner name (a single person) against a borrower: 'match' when it is them; 'possible' when the
 * borrower's name is in it but with a differing suffix ("Jr." vs "Sr.") or extra given names
 * ("Mary Alberta Charleson" for "Alberta Charleson"): the officer confirms; 'none' otherwise.
 */
export function matchName(ownerName: string, applicant: PersonName): 'match' | 'possible' | 'none' {
  const tokens = nameTokens(ownerName);
  const first = nameTokens(applicant.first);
  const middle = nameTokens(applicant.middle ?? '');
  const last = nameTokens(applicant.last);
  const sameSuffix =
    suffixesOf(ownerName) === suffixesOf([applicant.first, applicant.middle ?? '', applicant.last].join(' '));
  const whole = wholeNameMatch(tokens, first, middle, last);
  if (whole) return sameSuffix && !whole.extraGivenNames && !whole.firstByInitial ? 'match' : 'possible';
  if (nameFoundInside(tokens, first, middle, last)) return 'possible';
  // A two-part surname printed with one part ("MARIA GARCIA" for Maria Garcia Lopez, "MARY JONES" for Mary
  // Smith-Jones): banks often keep one; the officer confirms.
  const oneSurname = last.length > 1 && last.some((part) => wholeNameMatch(tokens, first, middle, [part]) !== null);
  return oneSurname ? 'possible' : 'none';
}

/** True when one printed owner name (a single person) is the applicant, with nothing for the officer to confirm. */
export function nameMatches(ownerName: string, applicant: PersonName): boolean {
  return matchName(ownerName, applicant) === 'match';
}

/** The applicant's name anywhere inside the owner string: "POD JOHN SMITH", "MARY ALBERTA CHARLESON". */
function nameFoundInside(tokens: string[], first: string[], middle: string[], last: string[]): boolean {
  for (let start = 0; start < tokens.length; start += 1) {
    for (let end = tokens.length; end > start + 1; end -= 1) {
      const window = tokens.slice(start, end);
      if (matchesInOrder(window, first, middle, last)) return true;
      // "CHARLESON ALBERTA B" without a comma: surname first
      const lastLength = spells(window, last.join(''));
      if (lastLength > 0 && lastLength < window.length) {
        const reordered = [...window.slice(lastLength), ...window.slice(0, lastLength)];
        if (matchesInOrder(reordered, first, middle, last)) return true;
      }
    }
  }
  return false;
}

export function formatPersonName(name: PersonName): string {
  return [name.first, name.middle, name.last].filter((part) => part && part.trim()).join(' ');
}

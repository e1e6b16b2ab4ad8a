/**
 * Comparing the applicant's name with the names a bank prints on an account: tolerant of case, punctuation,
 * accents, middle names and initials, suffixes, and "LAST, FIRST" or "LAST FIRST" order.
 */

export interface PersonName {
  first: string;
  middle?: string | null;
  last: string;
}

const DROPPED = new Set(['MR', 'MRS', 'MS', 'MISS', 'DR', 'JR', 'SR', 'II', 'III', 'IV']);

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

/**
 * Several people printed in one string: "JOHN & JANE SMITH", "John Smith and Jane Smith".
 * A lone first name borrows the surname of the last person named.
 */
export function splitPeople(name: string): string[] {
  const parts = name
    .split(/\s+(?:AND|OR)\s+|\s*[&/+]\s*/i)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length <= 1) return [name.trim()];
  const lastTokens = (parts.at(-1) ?? '').split(/\s+/);
  const surname = lastTokens.length > 1 ? lastTokens.at(-1) : undefined;
  return parts.map((part) =>
    part.split(/\s+/).length === 1 && surname && !part.includes(',') ? `${part} ${surname}` : part,
  );
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

/** Does this window of tokens read as "first [middle…] last"? */
function matchesInOrder(tokens: string[], first: string[], middle: string[], last: string[]): boolean {
  const lastJoined = last.join('');
  const firstJoined = first.join('');
  if (!lastJoined || !firstJoined) return false;
  // last name: the window's tail
  let lastLength = 0;
  for (let k = 1; k <= tokens.length - 1; k += 1) {
    if (spells(tokens.slice(tokens.length - k), lastJoined) === k) {
      lastLength = k;
      break;
    }
  }
  if (lastLength === 0) return false;
  const rest = tokens.slice(0, tokens.length - lastLength);
  const head = rest[0];
  if (!head) return false;
  let firstLength = spells(rest, firstJoined);
  if (firstLength === 0) {
    // "A CHARLESON" or "ALBERTA" for applicant "Alberta Mae": first token against the first given name
    if (sameOrInitial(head, first[0] ?? '')) firstLength = 1;
    else return false;
  }
  const middleTokens = rest.slice(firstLength);
  // Middle names are optional on either side; when both are present they must agree, initials allowed.
  if (middleTokens.length === 0 || middle.length === 0) return true;
  return sameOrInitial(middleTokens[0] ?? '', middle[0] ?? '');
}

/** True when one printed owner name (a single person) is the applicant. */
export function nameMatches(ownerName: string, applicant: PersonName): boolean {
  const tokens = nameTokens(ownerName);
  const first = nameTokens(applicant.first);
  const middle = nameTokens(applicant.middle ?? '');
  const last = nameTokens(applicant.last);
  // Look for the applicant anywhere in the string: "ALBERTA CHARLESON TTEE", "POD JOHN SMITH".
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

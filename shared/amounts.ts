/**
 * Dollar amounts as an officer types or pastes them, read one way on every side (the transactions
 * table's filters and search, the main side's reports and applicants search).
 */

// One sign before or after the dollar sign; thousands grouped by commas in threes, or not at all; up to two decimals.
// "−" (U+2212) is the minus the screen itself shows, so a copied amount reads back.
const SIGNED_AMOUNT = /^([-+−])?\s*(\$)?\s*([-+−])?((?:\d{1,3}(?:,\d{3})+)|\d+)?(?:\.(\d{1,2}))?$/;
const IN_PARENTHESES = /^\((.*)\)$/;

/**
 * An amount in whole cents, signed: `7350`, `7350.00`, `7,350.00`, `$7,350`, `-7,350.00`, `−$7,350.00`,
 * `$-7,350` and the accountant's `(7,350.00)` (negative). Null for anything else — `abc`, `73,50`,
 * European `7.350,00`, three decimals, two signs — so a typo is reported, never read as another number.
 */
export function parseAmountCents(text: string): number | null {
  let body = text.trim();
  let negative = false;
  const parenthesized = IN_PARENTHESES.exec(body);
  if (parenthesized) {
    body = parenthesized[1]!.trim();
    negative = true;
  }
  const m = SIGNED_AMOUNT.exec(body);
  if (!m) return null;
  const [, signBefore, , signAfter, whole, fraction] = m;
  if (whole === undefined && fraction === undefined) return null;
  const sign = signBefore ?? signAfter;
  if (signBefore !== undefined && signAfter !== undefined) return null;
  // "(-7,350)" says negative twice: refuse it rather than guess.
  if (parenthesized && sign !== undefined) return null;
  const cents = Number((whole ?? '0').replace(/,/g, '')) * 100 + (fraction ? Number(fraction.padEnd(2, '0')) : 0);
  if (!Number.isSafeInteger(cents)) return null;
  if (sign === '-' || sign === '−') negative = true;
  return negative && cents !== 0 ? -cents : cents;
}

/** The same amount in dollars (7,350.5 → 7350.5); null when it is not an amount. */
export function parseAmountDollars(text: string): number | null {
  const cents = parseAmountCents(text);
  return cents === null ? null : cents / 100;
}

/** A money value (as Plaid or the store keep it, in dollars) in whole cents, for exact comparison. */
export function dollarsToCents(amount: number): number {
  return Math.round(amount * 100);
}

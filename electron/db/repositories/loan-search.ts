import { searchAmountCents } from '../../../shared/search';
import { likePattern } from '../context';

/**
 * SQL for one search word against a loan (all words must match): in the loan number or a borrower's name
 * or e-mail (the loan's folded search text), or, when it reads as an amount (7350, 7,350.00, $7350),
 * equal to the funds to close, income or reserves. `prefix` qualifies the loans table's columns.
 */
export function loanWordSql(i: number, word: string, prefix = ''): string {
  const text = `${prefix}search_text LIKE @t${i} ESCAPE '\\'`;
  if (searchAmountCents(word) === null) return text;
  const amounts = ['funds_to_close', 'qualifying_monthly_income', 'reserves_needed']
    .map((c) => `round(${prefix}${c} * 100) = @a${i}`)
    .join(' OR ');
  return `(${text} OR ${amounts})`;
}

/** Fills @t{i} (and @a{i} for amounts) for the words of loanWordSql. */
export function wordParams(words: string[], params: Record<string, unknown>): void {
  words.forEach((w, i) => {
    params[`t${i}`] = likePattern(w);
    const cents = searchAmountCents(w);
    if (cents !== null) params[`a${i}`] = cents;
  });
}

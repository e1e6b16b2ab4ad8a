import { dollarsToCents, parseAmountCents, parseAmountDollars } from '../../shared/amounts';
import { searchAmountCents } from '../../shared/search';

/** One reading of a typed dollar amount for the transactions table and the main-side searches. */

describe('parseAmountCents', () => {
  it.each([
    ['7350', 735_000],
    ['7350.00', 735_000],
    ['7,350.00', 735_000],
    ['$7,350', 735_000],
    ['$7350', 735_000],
    [' 7,350.5 ', 735_050],
    ['1,234,567.89', 123_456_789],
    ['.5', 50],
    ['0.05', 5],
    ['+7,350', 735_000],
    ['-7,350.00', -735_000],
    ['−$7,350.00', -735_000],
    ['-$7,350', -735_000],
    ['$-7,350', -735_000],
    ['(7,350.00)', -735_000],
    ['($7,350)', -735_000],
    ['-0', 0],
  ])('%s reads as %i cents', (text, cents) => {
    expect(parseAmountCents(text)).toBe(cents);
  });

  it.each([
    ['', 'empty'],
    ['abc', 'letters'],
    ['$', 'a dollar sign alone'],
    ['-', 'a sign alone'],
    ['()', 'empty parentheses'],
    ['73,50', 'a comma not grouping thousands'],
    ['7,35,000', 'Indian grouping'],
    ['7.350,00', 'European decimals'],
    ['1.234', 'three decimals'],
    ['--7350', 'two signs'],
    ['-$-7350', 'a sign on both sides of $'],
    ['(-7,350)', 'negative twice'],
    ['7350$', 'a trailing dollar sign'],
    ['LN-7350', 'a loan number'],
    ['7 350', 'a space inside the number'],
    ['1e3', 'scientific notation'],
    ['99999999999999999999', 'more cents than a number holds exactly'],
  ])('%s is not an amount (%s)', (text) => {
    expect(parseAmountCents(text)).toBeNull();
  });

  it('gives dollars and compares stored dollars in cents without float drift', () => {
    expect(parseAmountDollars('(1,250.10)')).toBe(-1250.1);
    expect(parseAmountDollars('x')).toBeNull();
    expect(dollarsToCents(0.1 + 0.2)).toBe(30);
    expect(dollarsToCents(-7350)).toBe(-735_000);
  });
});

describe('searchAmountCents (the reports and applicants search)', () => {
  it('reads every common way of writing the 7,350 deposit as the same size', () => {
    for (const word of ['7,350.00', '$7,350', '7350', '7350.00', '-7,350.00', '(7,350.00)'])
      expect(searchAmountCents(word)).toBe(735_000);
  });
});

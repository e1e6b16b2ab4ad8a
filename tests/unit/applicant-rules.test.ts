import { describe, expect, it } from 'vitest';
import {
  borrowerInputSchema,
  checkSsn,
  DEFAULT_APPLICANT_LIMITS,
  loanTermsSchema,
  NewLoanInput,
  type ApplicantLimits,
  formatPhone,
  localToday,
  normalizePhone,
} from '../../shared/domain';
import { foldForSearch, searchAmountCents, searchWords, stripAccents } from '../../shared/search';

/** A borrower's fields and the loan's terms checked together: the two schemas the loan form sends. */
const applicantInputSchema = (limits: ApplicantLimits = DEFAULT_APPLICANT_LIMITS) =>
  borrowerInputSchema().extend(loanTermsSchema(limits).shape);
const ApplicantInput = applicantInputSchema();

const daysAgo = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return localToday(d);
};
const valid = {
  firstName: 'Alberta',
  lastName: 'Charleson',
  email: 'alberta@example.com',
  phone: '(415) 555-0134',
  loanNumber: 'LN-2026-0001',
  loanPurpose: 'purchase',
  applicationDate: daysAgo(10),
  qualifyingMonthlyIncome: 8000,
  fundsToClose: 20000,
};
/** The one message the schema gives for `field` set to `value`, or null when accepted. */
function messageFor(field: string, value: unknown, schema = ApplicantInput): string | null {
  const result = schema.safeParse({ ...valid, [field]: value });
  if (result.success) return null;
  expect(result.error.issues[0]!.path).toEqual([field]);
  return result.error.issues[0]!.message;
}

describe('phone numbers as officers type them', () => {
  it.each([
    ['(415) 555-0134', '+14155550134'],
    ['415-555-0134', '+14155550134'],
    ['415.555.0134', '+14155550134'],
    ['4155550134', '+14155550134'],
    ['+1 415 555 0134', '+14155550134'],
    ['1-415-555-0134', '+14155550134'],
    ['+14155550134', '+14155550134'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s is accepted and saved as %s', (typed, saved) => {
    expect(normalizePhone(typed)).toBe(saved);
    expect(ApplicantInput.parse({ ...valid, phone: typed }).phone).toBe(saved);
  });
  it.each(['555-0100', '5550100', '(115) 555-0134', '(415) 155-0134', 'call me', '+1 415 555 0134 ext 9', '12'])(
    '%s is refused with a message naming Phone',
    (typed) => {
      expect(normalizePhone(typed)).toBeNull();
      expect(messageFor('phone', typed)).toMatch(/^Enter the phone number with its area code/);
    },
  );
  it('a saved number shows as people write it', () => {
    expect(formatPhone('+14155550134')).toBe('(415) 555-0134');
    expect(formatPhone('+442079460958')).toBe('+442079460958');
  });
});

describe('application dates that could be true', () => {
  it('today and last month are accepted', () => {
    expect(messageFor('applicationDate', localToday())).toBeNull();
    expect(messageFor('applicationDate', daysAgo(30))).toBeNull();
  });
  it('a date in the future is refused', () => {
    expect(messageFor('applicationDate', '2030-01-01')).toBe('Application date can’t be in the future');
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    expect(messageFor('applicationDate', localToday(tomorrow))).toBe('Application date can’t be in the future');
  });
  it('a date over a year ago is refused (a mistyped year); the limit is the lender’s', () => {
    expect(messageFor('applicationDate', daysAgo(400))).toMatch(/^Application date is more than 12 months ago/);
    const lenient = applicantInputSchema({ ...DEFAULT_APPLICANT_LIMITS, applicationDateMaxAgeDays: 800 });
    expect(messageFor('applicationDate', daysAgo(400), lenient)).toBeNull();
  });
  it('a date that is not on the calendar is refused', () => {
    expect(messageFor('applicationDate', '2026-02-30')).toBe('Application date is not a real calendar date');
    expect(messageFor('applicationDate', '11/07/2026')).toMatch(/^Application date must be a date/);
  });
});

describe('amounts with a lender’s limits', () => {
  it('funds to close above $50M is refused in plain words', () => {
    expect(messageFor('fundsToClose', 1e9)).toBe('Funds to close can’t be more than $50,000,000; check the amount');
    expect(messageFor('fundsToClose', 50_000_000)).toBeNull();
  });
  it('negative, text and NaN amounts name the field', () => {
    expect(messageFor('qualifyingMonthlyIncome', -1)).toBe('Qualifying monthly income can’t be negative');
    expect(messageFor('reservesNeeded', '100')).toBe('Reserves needed must be an amount in dollars, like 5250');
    expect(messageFor('fundsToClose', Number.NaN)).toBe('Funds to close must be an amount in dollars, like 5250');
  });
  it('the limits can be the lender’s own', () => {
    const strict = applicantInputSchema({ ...DEFAULT_APPLICANT_LIMITS, maxFundsToClose: 2_000_000 });
    expect(messageFor('fundsToClose', 2_500_000, strict)).toBe(
      'Funds to close can’t be more than $2,000,000; check the amount',
    );
  });
});

describe('Social Security numbers the SSA could have issued', () => {
  it.each(['123-45-6789', '123456789', '899-99-9999'])('%s is accepted as 123-45-6789 style', (ssn) => {
    expect(checkSsn(ssn)).toEqual({
      ssn: `${ssn.replace(/-/g, '').slice(0, 3)}-${ssn.replace(/-/g, '').slice(3, 5)}-${ssn.replace(/-/g, '').slice(5)}`,
    });
  });
  it.each([
    ['000-12-3456', /can’t start with 000/],
    ['666-12-3456', /can’t start with 666/],
    ['912-34-5678', /can’t start with 912/],
    ['123-00-4567', /can’t have 00 in the middle/],
    ['123-45-0000', /can’t end in 0000/],
    ['12-345-6789', /must have 9 digits/],
  ])('%s is refused: %s', (ssn, problem) => {
    expect(messageFor('ssn', ssn)).toMatch(problem);
    expect(messageFor('ssn', ssn)).toMatch(/^Social Security number/);
  });
});

describe('text fields: lengths and messages in the form’s words', () => {
  it('a too-long loan number is told it is too long, not that it has the wrong characters', () => {
    expect(messageFor('loanNumber', 'L'.repeat(41))).toBe('Loan number is too long (40 characters at most)');
    expect(messageFor('loanNumber', 'LN 1')).toBe('Loan number may use only letters, digits and dashes');
  });
  it('no message is the validation library’s or names an internal field', () => {
    const bad = {
      firstName: 'x'.repeat(101),
      middleName: 'x'.repeat(101),
      lastName: '',
      email: 'a@',
      phone: '555-0100',
      loanNumber: '',
      loanPurpose: 'cash-out',
      applicationDate: '2030-01-01',
      qualifyingMonthlyIncome: 'lots',
      fundsToClose: 1e9,
      reservesNeeded: -5,
      ssn: '000-00-0000',
    };
    const result = ApplicantInput.safeParse(bad);
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message);
    expect(messages).toHaveLength(Object.keys(bad).length);
    for (const m of messages) {
      expect(m).not.toMatch(/Too (big|small)|expected|Invalid|firstName|loanNumber|fundsToClose|applicationDate/);
      expect(m).toMatch(/^(First|Middle|Last|E-mail|Enter|Loan|Choose|Application|Qualifying|Funds|Reserves|Social)/);
    }
  });
});

describe('search folding and amounts', () => {
  it('accents and capitals of any script fold the same way', () => {
    expect(foldForSearch('Ñúñez')).toBe('nunez');
    expect(foldForSearch('ÑÚÑEZ')).toBe('nunez');
    expect(foldForSearch('Łódź Straße')).toBe('lodz strasse');
    expect(foldForSearch('王小明')).toBe('王小明');
    expect(stripAccents("Ñúñez-O'Brien")).toBe("Nunez-O'Brien");
    expect(searchWords('  Ñúñez   LN-7 ')).toEqual(['nunez', 'ln-7']);
  });
  it.each([
    ['7350', 735_000],
    ['7,350.00', 735_000],
    ['$7350', 735_000],
    ['$7,350.5', 735_050],
    ['7350.25', 735_025],
  ])('%s reads as %i cents', (word, cents) => {
    expect(searchAmountCents(word)).toBe(cents);
  });
  it.each(['LN-7350', '73,50', '7.350,00', 'abc', '$', '1.234'])('%s is not an amount', (word) => {
    expect(searchAmountCents(word)).toBeNull();
  });
});

describe('a new loan file as the form sends it', () => {
  const { firstName, lastName, email, phone, ...loan } = valid;
  const borrower = { firstName, lastName, email, phone };
  it('takes one to four borrowers, in the officer’s words otherwise', () => {
    for (const n of [1, 4])
      expect(NewLoanInput.safeParse({ loan, borrowers: Array(n).fill(borrower) }).success).toBe(true);
    const none = NewLoanInput.safeParse({ loan, borrowers: [] });
    expect(none.error?.issues[0]?.message).toBe('Add at least one borrower');
    const five = NewLoanInput.safeParse({ loan, borrowers: Array(5).fill(borrower) });
    expect(five.error?.issues[0]?.message).toBe('A loan file has at most 4 borrowers');
  });
  it('refuses a note date before the application date, naming the field', () => {
    const result = NewLoanInput.safeParse({
      loan: { ...loan, expectedNoteDate: daysAgo(11) },
      borrowers: [borrower],
    });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['loan', 'expectedNoteDate'],
      message: 'Expected note date can’t be before the application date',
    });
    expect(
      NewLoanInput.safeParse({ loan: { ...loan, expectedNoteDate: daysAgo(10) }, borrowers: [borrower] }).success,
    ).toBe(true);
  });
  it('tells a note date before the application date in the same pass as the other fields’ problems', () => {
    const result = NewLoanInput.safeParse({
      loan: { ...loan, loanNumber: 'no spaces!', fundsToClose: Number.NaN, expectedNoteDate: daysAgo(11) },
      borrowers: [{ ...borrower, email: 'not-an-email' }],
    });
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['loan.loanNumber', 'loan.fundsToClose', 'borrowers.0.email']));
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({
        path: ['loan', 'expectedNoteDate'],
        message: 'Expected note date can’t be before the application date',
      }),
    );
  });
  it('compares the dates only when both are themselves valid', () => {
    const badNote = NewLoanInput.safeParse({
      loan: { ...loan, expectedNoteDate: '2026-13-45' },
      borrowers: [borrower],
    });
    expect(badNote.error?.issues.filter((i) => i.path.join('.') === 'loan.expectedNoteDate')).toHaveLength(1);
    expect(badNote.error?.issues.map((i) => i.message)).not.toContain(
      'Expected note date can’t be before the application date',
    );
    const badApp = NewLoanInput.safeParse({
      loan: { ...loan, applicationDate: 'soon', expectedNoteDate: daysAgo(11) },
      borrowers: [borrower],
    });
    expect(badApp.error?.issues.map((i) => i.message)).not.toContain(
      'Expected note date can’t be before the application date',
    );
    const noLoan = NewLoanInput.safeParse({ loan: null, borrowers: [borrower] });
    expect(noLoan.success).toBe(false);
  });
  it('a cash-out refinance is a purpose of its own', () => {
    expect(messageFor('loanPurpose', 'cash_out_refinance')).toBeNull();
  });
});

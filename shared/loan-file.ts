import { z } from 'zod';

/**
 * A loan file: the loan's terms and its borrowers, with the rules an officer's entries must meet. The
 * renderer's forms and the main process's contract use the same schemas, so the bridge cannot bypass them.
 */

export const LoanPurpose = z.enum(['purchase', 'refinance', 'cash_out_refinance']);
export type LoanPurpose = z.infer<typeof LoanPurpose>;

/** Open while the officer works it; closed (funded) or withdrawn starts the retention clock. */
export const LoanStatus = z.enum(['open', 'closed', 'withdrawn']);
export type LoanStatus = z.infer<typeof LoanStatus>;

/** A loan file has at most this many borrowers (the application form's own limit is four). */
export const MAX_BORROWERS = 4;

/**
 * The lender's limits on what an officer may type. Defaults a lender would set;
 * `loanTermsSchema(limits)` builds the same rules around other numbers.
 */
export interface ApplicantLimits {
  /** How far back an application date may lie, in days (a typo like 2016 for 2026 is caught). */
  applicationDateMaxAgeDays: number;
  /** How far ahead an expected note date may lie, in days. */
  noteDateMaxAheadDays: number;
  maxMonthlyIncome: number;
  maxFundsToClose: number;
  maxReserves: number;
}
export const DEFAULT_APPLICANT_LIMITS: ApplicantLimits = {
  applicationDateMaxAgeDays: 366,
  noteDateMaxAheadDays: 366,
  maxMonthlyIncome: 5_000_000,
  maxFundsToClose: 50_000_000,
  maxReserves: 50_000_000,
};

/** Longest text each field takes; the forms' inputs carry the same maxLength. */
export const APPLICANT_MAX_LENGTH = {
  firstName: 100,
  middleName: 100,
  lastName: 100,
  email: 254,
  phone: 30,
  loanNumber: 40,
  ssn: 11,
  street: 120,
  unit: 30,
  city: 80,
  state: 2,
  zip: 10,
} as const;

/** The labels the forms show; every message names the field this way. */
export const APPLICANT_LABELS = {
  firstName: 'First name',
  middleName: 'Middle name',
  lastName: 'Last name',
  email: 'E-mail',
  phone: 'Phone',
  loanNumber: 'Loan number',
  loanPurpose: 'Loan purpose',
  applicationDate: 'Application date',
  expectedNoteDate: 'Expected note date',
  qualifyingMonthlyIncome: 'Qualifying monthly income',
  fundsToClose: 'Funds to close',
  reservesNeeded: 'Reserves needed',
  ssn: 'Social Security number',
  street: 'Property street address',
  unit: 'Unit',
  city: 'City',
  state: 'State',
  zip: 'ZIP code',
} as const;

/** USPS codes of the states, DC and the territories a US mortgage can be on. */
export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH',
  'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'PR', 'GU', 'VI',
  'AS', 'MP',
] as const; // prettier-ignore

/**
 * A US number as people write it — (415) 555-0134, 415-555-0134, 415.555.0134, +1 415 555 0134,
 * 1-415-555-0134 — or any E.164 number (+ and 8 to 15 digits), as E.164 (`+14155550134`); null if
 * it is not a callable number (7 digits without an area code, a 0/1 area code or exchange).
 */
export function normalizePhone(text: string): string | null {
  const trimmed = text.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  const international = trimmed.startsWith('+');
  let national: string | null = null;
  if (!international && digits.length === 10) national = digits;
  else if (digits.length === 11 && digits.startsWith('1')) national = digits.slice(1);
  if (national !== null) return /^[2-9]\d{2}[2-9]\d{6}$/.test(national) ? `+1${national}` : null;
  if (international && /^[2-9]\d{7,14}$/.test(digits)) return `+${digits}`;
  return null;
}

/** A stored phone number for display: US numbers as (415) 555-0134, others as stored. */
export function formatPhone(phone: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : phone;
}

/**
 * 123-45-6789 or 123456789, as 123-45-6789; a reason otherwise. The SSA never issues area 000, 666 or
 * 900–999, group 00 or serial 0000.
 */
export function checkSsn(text: string): { ssn: string } | { problem: string } {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(text.trim());
  if (!m) return { problem: 'Social Security number must have 9 digits, like 123-45-6789' };
  const [, area, group, serial] = m as unknown as [string, string, string, string];
  if (area === '000' || area === '666' || area.startsWith('9'))
    return { problem: `Social Security number can’t start with ${area}; check the number` };
  if (group === '00') return { problem: 'Social Security number can’t have 00 in the middle; check the number' };
  if (serial === '0000') return { problem: 'Social Security number can’t end in 0000; check the number' };
  return { ssn: `${area}-${group}-${serial}` };
}

/** The key under which loan numbers are unique: case and surrounding spaces do not make a new loan. */
export function loanNumberKey(loanNumber: string): string {
  return loanNumber.trim().toUpperCase();
}

/** Today in this computer's time zone, YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function shiftDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function isRealDate(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

const dollars = (n: number) => `$${n.toLocaleString('en-US')}`;
const L = APPLICANT_LABELS;
const M = APPLICANT_MAX_LENGTH;

function requiredText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is too long (${max} characters at most)`);
}

function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} is too long (${max} characters at most)`)
    .optional();
}

function amount(label: string, max: number) {
  return z
    .number({ error: `${label} must be an amount in dollars, like 5250` })
    .finite(`${label} must be an amount in dollars, like 5250`)
    .min(0, `${label} can’t be negative`)
    .max(max, `${label} can’t be more than ${dollars(max)}; check the amount`);
}

function calendarDay(label: string) {
  return z
    .string({ error: `${label} is required` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date, like 2026-11-07`)
    .refine(isRealDate, `${label} is not a real calendar date`);
}

/** One borrower's details: who they are and how to reach them. */
export function borrowerInputSchema() {
  return z.strictObject({
    firstName: requiredText(L.firstName, M.firstName),
    middleName: optionalText(L.middleName, M.middleName),
    lastName: requiredText(L.lastName, M.lastName),
    email: z
      .string({ error: 'E-mail is required' })
      .trim()
      .min(1, 'E-mail is required')
      .max(M.email, `E-mail is too long (${M.email} characters at most)`)
      .pipe(z.email('Enter the e-mail address like name@example.com')),
    phone: z
      .string({ error: 'Phone is required' })
      .trim()
      .min(1, 'Phone is required')
      .max(M.phone, `Phone is too long (${M.phone} characters at most)`)
      .transform((text, ctx) => {
        const phone = normalizePhone(text);
        if (phone === null) {
          ctx.addIssue({
            code: 'custom',
            message: 'Enter the phone number with its area code, like (415) 555-0134 or +1 415 555 0134',
          });
          return z.NEVER;
        }
        return phone;
      }),
    ssn: z
      .string({ error: 'Social Security number must be text, like 123-45-6789' })
      .max(M.ssn, 'Social Security number is too long; it has 9 digits, like 123-45-6789')
      .transform((text, ctx) => {
        const checked = checkSsn(text);
        if ('problem' in checked) {
          ctx.addIssue({ code: 'custom', message: checked.problem });
          return z.NEVER;
        }
        return checked.ssn;
      })
      .optional(),
  });
}
export const BorrowerInput = borrowerInputSchema();
export type BorrowerInput = z.input<typeof BorrowerInput>;

export const PropertyAddress = z.strictObject({
  street: requiredText(L.street, M.street),
  unit: optionalText(L.unit, M.unit),
  city: requiredText(L.city, M.city),
  state: z
    .string({ error: 'State must be text' })
    // Room for spaces around the code; longer text is no state code, and is refused before it is worked on.
    .max(20, 'State must be a two-letter US state code, like CA')
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(
      z.enum(US_STATES, {
        // The form's State dropdown left on its empty choice: ask for the state, not for a code.
        error: (issue) =>
          issue.input === '' ? 'Choose the property’s state' : 'State must be a two-letter US state code, like CA',
      }),
    ),
  zip: z
    .string({ error: 'ZIP code must be text' })
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, 'ZIP code must be 5 digits (or ZIP+4, like 94107-1234)'),
});
export type PropertyAddress = z.output<typeof PropertyAddress>;

/**
 * The loan's terms with the lender's limits. `checkDateWindow: false` keeps every rule but the dates'
 * windows around today (the store re-checks saved rows, which age).
 */
export function loanTermsSchema(limits: ApplicantLimits = DEFAULT_APPLICANT_LIMITS, checkDateWindow = true) {
  let applicationDate = calendarDay(L.applicationDate);
  let expectedNoteDate = calendarDay(L.expectedNoteDate);
  if (checkDateWindow) {
    applicationDate = applicationDate
      .refine((day) => day <= localToday(), 'Application date can’t be in the future')
      .refine(
        (day) => day >= shiftDays(localToday(), -limits.applicationDateMaxAgeDays),
        `Application date is more than ${Math.round(limits.applicationDateMaxAgeDays / 30.4)} months ago; check the year`,
      );
    expectedNoteDate = expectedNoteDate.refine(
      (day) => day <= shiftDays(localToday(), limits.noteDateMaxAheadDays),
      `Expected note date is more than ${Math.round(limits.noteDateMaxAheadDays / 30.4)} months ahead; check the year`,
    );
  }
  return z.strictObject({
    loanNumber: requiredText(L.loanNumber, M.loanNumber).regex(
      /^[A-Za-z0-9-]*$/,
      'Loan number may use only letters, digits and dashes',
    ),
    loanPurpose: z.enum(LoanPurpose.options, {
      error: 'Choose the loan purpose: purchase, refinance or cash-out refinance',
    }),
    applicationDate,
    expectedNoteDate: expectedNoteDate.nullable().optional(),
    property: PropertyAddress.nullable().optional(),
    qualifyingMonthlyIncome: amount(L.qualifyingMonthlyIncome, limits.maxMonthlyIncome),
    fundsToClose: amount(L.fundsToClose, limits.maxFundsToClose),
    reservesNeeded: amount(L.reservesNeeded, limits.maxReserves).default(0),
  });
}

/** A note date before the application is a typo; the message names the field as the form does. */
export function noteDateProblem(terms: { applicationDate: string; expectedNoteDate?: string | null }): string | null {
  return terms.expectedNoteDate && terms.expectedNoteDate < terms.applicationDate
    ? 'Expected note date can’t be before the application date'
    : null;
}

export const LoanTermsInput = loanTermsSchema();
export type LoanTermsInput = z.input<typeof LoanTermsInput>;
/** The same rules for a row already saved: its dates may have aged past the windows. */
export const SavedLoanTerms = loanTermsSchema(DEFAULT_APPLICANT_LIMITS, false);

/** What the officer sends to open a loan file: its terms and its borrowers, the first being the primary. */
export const NewLoanInput = z
  .strictObject({
    loan: LoanTermsInput,
    borrowers: z
      .array(BorrowerInput)
      .min(1, 'Add at least one borrower')
      .max(MAX_BORROWERS, `A loan file has at most ${MAX_BORROWERS} borrowers`),
  })
  .superRefine(
    (input, ctx) => {
      const problem = noteDateProblem(input.loan);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['loan', 'expectedNoteDate'] });
    },
    // Told in the same pass as every other field's problem, whenever the two dates are themselves valid
    // (by default a refinement is skipped once any field, a borrower's or an amount, has failed).
    { when: (payload) => bothDatesValid(payload.value, payload.issues) },
  );

const DATE_FIELDS: readonly PropertyKey[] = ['applicationDate', 'expectedNoteDate'];
/** Whether the loan's two dates parsed: no issue at the loan itself or at either date, and both are text. */
function bothDatesValid(value: unknown, issues: readonly { path?: readonly PropertyKey[] }[]): boolean {
  const loan = (value as { loan?: unknown } | null)?.loan as Record<string, unknown> | null | undefined;
  if (!loan || typeof loan !== 'object' || typeof loan.applicationDate !== 'string') return false;
  if (loan.expectedNoteDate != null && typeof loan.expectedNoteDate !== 'string') return false;
  return !issues.some(
    ({ path = [] }) => path[0] === 'loan' && (path.length === 1 || DATE_FIELDS.includes(path[1] as PropertyKey)),
  );
}
export type NewLoanInput = z.input<typeof NewLoanInput>;

/** The days of history an Asset Report may ask Plaid for (Plaid's days_requested range). */
export const DAYS_REQUESTED_MIN = 1;
export const DAYS_REQUESTED_MAX = 731;

/** How many days of history Plaid should be asked for, at least, by purpose (Day 1 Certainty). */
export const MIN_DAYS_FOR_PURPOSE: Record<LoanPurpose, number> = {
  purchase: 61,
  refinance: 31,
  cash_out_refinance: 31,
};

import {
  APPLICANT_LABELS,
  BorrowerInput,
  LoanTermsInput,
  NewLoanInput,
  formatPhone,
  localToday,
  noteDateProblem,
  type Applicant,
  type Loan,
} from '../../../shared/domain';

/**
 * The loan form's values as typed (strings), and their conversion to what the contract takes. The
 * rules are the contract's own schemas (shared/loan-file.ts), so the form and the main process agree.
 */

export const TERM_FIELDS = [
  'loanNumber',
  'loanPurpose',
  'applicationDate',
  'expectedNoteDate',
  'street',
  'unit',
  'city',
  'state',
  'zip',
  'qualifyingMonthlyIncome',
  'fundsToClose',
  'reservesNeeded',
] as const;
export type TermField = (typeof TERM_FIELDS)[number];
export type TermValues = Record<TermField, string>;
export type TermErrors = Partial<Record<TermField, string>>;

export const BORROWER_FIELDS = ['firstName', 'middleName', 'lastName', 'email', 'phone', 'ssn'] as const;
export type BorrowerField = (typeof BORROWER_FIELDS)[number];
export type BorrowerValues = Record<BorrowerField, string>;
export type BorrowerErrors = Partial<Record<BorrowerField, string>>;

const MONEY_FIELDS = ['qualifyingMonthlyIncome', 'fundsToClose', 'reservesNeeded'] as const;
const ADDRESS_FIELDS = ['street', 'unit', 'city', 'state', 'zip'] as const;

export function termValues(loan?: Loan): TermValues {
  return {
    loanNumber: loan?.loanNumber ?? '',
    loanPurpose: loan?.loanPurpose ?? 'purchase',
    applicationDate: loan?.applicationDate ?? localToday(),
    expectedNoteDate: loan?.expectedNoteDate ?? '',
    street: loan?.property?.street ?? '',
    unit: loan?.property?.unit ?? '',
    city: loan?.property?.city ?? '',
    state: loan?.property?.state ?? '',
    zip: loan?.property?.zip ?? '',
    qualifyingMonthlyIncome: loan ? String(loan.qualifyingMonthlyIncome) : '',
    fundsToClose: loan ? String(loan.fundsToClose) : '',
    reservesNeeded: loan ? String(loan.reservesNeeded) : '0',
  };
}

export function borrowerValues(borrower?: Applicant): BorrowerValues {
  return {
    firstName: borrower?.firstName ?? '',
    middleName: borrower?.middleName ?? '',
    lastName: borrower?.lastName ?? '',
    email: borrower?.email ?? '',
    phone: borrower ? formatPhone(borrower.phone) : '',
    // The full SSN never comes back from the main process; an edit only replaces it.
    ssn: '',
  };
}

/** "$5,250.00" → 5250; anything else that is not a number stays NaN for the error message. */
export function parseMoney(text: string): number {
  const cleaned = text.replace(/[$,\s]/g, '');
  return cleaned === '' ? Number.NaN : Number(cleaned);
}

/** Keeps only digits and places the dashes, so the officer can type 123456789. */
export function formatSsnInput(text: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 9);
  if (digits.length <= 3) return digits;
  if (digits.length <= 5) return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

/** What the contract's terms take, from the typed values; money that is not a number is told here. */
export function termsInput(values: TermValues): { input: Record<string, unknown>; errors: TermErrors } {
  const errors: TermErrors = {};
  const input: Record<string, unknown> = {
    loanNumber: values.loanNumber,
    loanPurpose: values.loanPurpose,
    applicationDate: values.applicationDate,
    expectedNoteDate: values.expectedNoteDate === '' ? null : values.expectedNoteDate,
  };
  const anyAddress = ADDRESS_FIELDS.some((f) => values[f].trim() !== '');
  input.property = anyAddress
    ? {
        street: values.street,
        ...(values.unit.trim() ? { unit: values.unit } : {}),
        city: values.city,
        state: values.state,
        zip: values.zip,
      }
    : null;
  for (const field of MONEY_FIELDS) {
    const amount = parseMoney(values[field]);
    if (Number.isNaN(amount)) errors[field] = `${APPLICANT_LABELS[field]} must be an amount in dollars, like 5250`;
    input[field] = amount;
  }
  return { input, errors };
}

export function borrowerInput(values: BorrowerValues, editing: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {
    firstName: values.firstName,
    lastName: values.lastName,
    email: values.email.trim(),
    phone: values.phone,
  };
  if (values.middleName.trim() || editing) input.middleName = values.middleName;
  if (values.ssn) input.ssn = values.ssn;
  return input;
}

/** How a borrower's messages begin: the primary borrower's fields are named plainly, others by their place. */
export function borrowerPrefix(index: number): string {
  return index === 0 ? '' : `Co-borrower ${index}: `;
}

type Issue = { path: readonly PropertyKey[]; message: string };

function termFieldOf(path: readonly PropertyKey[]): TermField | null {
  const last = path[path.length - 1];
  // A problem with the address as a whole is shown at its first line.
  if (last === 'property') return 'street';
  return typeof last === 'string' && (TERM_FIELDS as readonly string[]).includes(last) ? (last as TermField) : null;
}

export function termErrorsFromIssues(issues: readonly Issue[]): TermErrors {
  const errors: TermErrors = {};
  for (const issue of issues) {
    const field = termFieldOf(issue.path);
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

export function borrowerErrorsFromIssues(issues: readonly Issue[], index: number): BorrowerErrors {
  const errors: BorrowerErrors = {};
  for (const issue of issues) {
    const field = issue.path[issue.path.length - 1];
    if (typeof field === 'string' && (BORROWER_FIELDS as readonly string[]).includes(field)) {
      const name = field as BorrowerField;
      errors[name] ??= `${borrowerPrefix(index)}${issue.message}`;
    }
  }
  return errors;
}

/** The whole new loan, checked by NewLoanInput: per-field messages for the terms and for each borrower. */
export function checkNewLoan(
  terms: TermValues,
  borrowers: BorrowerValues[],
): { input: NewLoanInput | null; termErrors: TermErrors; borrowerErrors: BorrowerErrors[] } {
  const { input: loan, errors: moneyErrors } = termsInput(terms);
  const candidate = { loan, borrowers: borrowers.map((b) => borrowerInput(b, false)) };
  const parsed = NewLoanInput.safeParse(candidate);
  const issues = parsed.success ? [] : parsed.error.issues;
  const termErrors = {
    ...termErrorsFromIssues(issues.filter((i) => i.path[0] === 'loan')),
    ...moneyErrors,
  };
  const borrowerErrors = borrowers.map((_, index) =>
    borrowerErrorsFromIssues(
      issues.filter((i) => i.path[0] === 'borrowers' && i.path[1] === index),
      index,
    ),
  );
  const ok = parsed.success && Object.keys(moneyErrors).length === 0;
  return { input: ok ? (candidate as NewLoanInput) : null, termErrors, borrowerErrors };
}

/** An edit of the terms sends only what changed, so a saved value a newer rule would refuse does not block it. */
export function checkTermChanges(
  values: TermValues,
  pristine: TermValues,
): { changes: Partial<LoanTermsInput> | null; errors: TermErrors } {
  const { input, errors: moneyErrors } = termsInput(values);
  const changed = new Set(TERM_FIELDS.filter((f) => values[f] !== pristine[f]));
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const touched = key === 'property' ? ADDRESS_FIELDS.some((f) => changed.has(f)) : changed.has(key as TermField);
    if (touched) changes[key] = value;
  }
  const errors: TermErrors = {};
  for (const [field, message] of Object.entries(moneyErrors))
    if (changed.has(field as TermField)) errors[field as TermField] = message;
  const parsed = LoanTermsInput.partial().safeParse(changes);
  if (!parsed.success) Object.assign(errors, termErrorsFromIssues(parsed.error.issues), errors);
  const noteProblem = noteDateProblem({
    applicationDate: values.applicationDate,
    expectedNoteDate: values.expectedNoteDate || null,
  });
  if (noteProblem && (changed.has('expectedNoteDate') || changed.has('applicationDate')))
    errors.expectedNoteDate ??= noteProblem;
  return { changes: Object.keys(errors).length === 0 ? (changes as Partial<LoanTermsInput>) : null, errors };
}

/** One borrower, new or edited; an edit sends only the changed fields (and a new SSN when typed). */
export function checkBorrower(
  values: BorrowerValues,
  pristine: BorrowerValues | null,
  index: number,
): { input: BorrowerInput | null; errors: BorrowerErrors } {
  const input = borrowerInput(values, pristine !== null);
  if (pristine) {
    for (const field of BORROWER_FIELDS) if (field !== 'ssn' && values[field] === pristine[field]) delete input[field];
  }
  const parsed = pristine ? BorrowerInput.partial().safeParse(input) : BorrowerInput.safeParse(input);
  // Checked by the contract's schema: what is sent is what it accepted (an edit's fields are all optional).
  if (parsed.success) return { input: input as BorrowerInput, errors: {} };
  return { input: null, errors: borrowerErrorsFromIssues(parsed.error.issues, index) };
}

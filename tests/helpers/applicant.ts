import type { Applicant, BorrowerInput, Loan, LoanTermsInput, NewLoanInput } from '../../shared/domain';

/** A borrower's fields and the loan's terms in one flat object: how most tests describe a one-borrower loan. */
export type ApplicantInput = BorrowerInput & LoanTermsInput;

let serial = 0;

/**
 * A complete, valid one-borrower loan for tests, fixtures and benchmarks; override what the test is about.
 * Optional fields stay unset unless overridden (the store's defaults are under test too). Loan numbers are
 * unique per call unless given, since a loan number belongs to one file.
 */
export function applicantInput<O extends Partial<ApplicantInput>>(overrides: O = {} as O): ApplicantInput & O {
  serial += 1;
  return {
    firstName: 'Maria',
    lastName: 'Lopez',
    email: 'maria.lopez@example.com',
    phone: '+1 415 555 0134',
    loanNumber: `LN-2026-${String(serial).padStart(4, '0')}`,
    loanPurpose: 'purchase',
    applicationDate: '2026-10-20',
    qualifyingMonthlyIncome: 9_500,
    fundsToClose: 62_000,
    ...overrides,
  };
}

const BORROWER_FIELDS = ['firstName', 'middleName', 'lastName', 'email', 'phone', 'ssn'] as const;

/** Splits a flat applicantInput into the loan's terms and its one borrower. */
export function splitApplicantInput(flat: ApplicantInput): NewLoanInput {
  const borrower: Record<string, unknown> = {};
  const loan: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    if ((BORROWER_FIELDS as readonly string[]).includes(key)) borrower[key] = value;
    else loan[key] = value;
  }
  return { loan: loan as LoanTermsInput, borrowers: [borrower as BorrowerInput] };
}

/** A one-borrower loan request, as `loans:create` takes it. */
export function newLoanInput(overrides: Partial<ApplicantInput> = {}): NewLoanInput {
  return splitApplicantInput(applicantInput(overrides));
}

/** The borrower's own fields of a flat input, for `borrowers:add`. */
export function borrowerInput(overrides: Partial<BorrowerInput> = {}): BorrowerInput {
  return {
    firstName: 'Ana',
    lastName: 'Lopez',
    email: 'ana.lopez@example.com',
    phone: '+1 415 555 0177',
    ...overrides,
  };
}

/** What the store offers for making loans (the real repository, not a stand-in). */
interface LoanMaker {
  loans: { create(input: NewLoanInput): Promise<Loan> };
}

/** Creates a one-borrower loan in the store and answers its borrower (the applicant of old tests). */
export async function addApplicant(store: LoanMaker, overrides: Partial<ApplicantInput> = {}): Promise<Applicant> {
  return (await store.loans.create(newLoanInput(overrides))).borrowers[0]!;
}

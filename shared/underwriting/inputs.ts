import type { Applicant, Loan } from '../domain';
import type { LoanInputs, PersonName } from './types';

/** What the analysis needs of a loan: its terms and every borrower on it, the primary first. */
export type LoanForAnalysis = Pick<
  Loan,
  'loanPurpose' | 'applicationDate' | 'expectedNoteDate' | 'qualifyingMonthlyIncome' | 'fundsToClose' | 'reservesNeeded'
> &
  Partial<Pick<Loan, 'status'>> & { borrowers: readonly Pick<Applicant, 'firstName' | 'middleName' | 'lastName'>[] };

const nameOf = (b: Pick<Applicant, 'firstName' | 'middleName' | 'lastName'>): PersonName => ({
  first: b.firstName,
  middle: b.middleName,
  last: b.lastName,
});

/** The loan inputs the analysis needs: ownership and funds to close count every borrower on the loan. */
export function loanInputsFromLoan(loan: LoanForAnalysis): LoanInputs {
  const [primary, ...others] = loan.borrowers;
  return {
    purpose: loan.loanPurpose,
    applicationDate: loan.applicationDate,
    qualifyingMonthlyIncome: loan.qualifyingMonthlyIncome,
    fundsToClose: loan.fundsToClose,
    reservesNeeded: loan.reservesNeeded,
    applicantName: primary ? nameOf(primary) : { first: '', last: '' },
    coBorrowerNames: others.map(nameOf),
    expectedNoteDate: loan.expectedNoteDate,
    ...(loan.status ? { status: loan.status } : {}),
  };
}

import type { Applicant } from '../domain';
import type { LoanInputs } from './types';

/** The loan inputs the analysis needs, from the applicant the officer entered. */
export function loanInputsFromApplicant(
  applicant: Pick<
    Applicant,
    | 'firstName'
    | 'middleName'
    | 'lastName'
    | 'loanPurpose'
    | 'applicationDate'
    | 'qualifyingMonthlyIncome'
    | 'fundsToClose'
    | 'reservesNeeded'
  >,
): LoanInputs {
  return {
    purpose: applicant.loanPurpose,
    applicationDate: applicant.applicationDate,
    qualifyingMonthlyIncome: applicant.qualifyingMonthlyIncome,
    fundsToClose: applicant.fundsToClose,
    reservesNeeded: applicant.reservesNeeded,
    applicantName: { first: applicant.firstName, middle: applicant.middleName, last: applicant.lastName },
  };
}

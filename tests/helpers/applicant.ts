import type { ApplicantInput } from '../../shared/domain';

/**
 * A complete, valid applicant for tests, fixtures and benchmarks; override what the test is about.
 * Optional fields stay unset unless overridden (the store's defaults are under test too).
 */
export function applicantInput<O extends Partial<ApplicantInput>>(overrides: O = {} as O): ApplicantInput & O {
  return {
    firstName: 'Maria',
    lastName: 'Lopez',
    email: 'maria.lopez@example.com',
    phone: '+1 415 555 0134',
    loanNumber: 'LN-2026-0001',
    loanPurpose: 'purchase',
    applicationDate: '2026-10-20',
    qualifyingMonthlyIncome: 9_500,
    fundsToClose: 62_000,
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import { localToday } from '../../shared/domain';
import { borrowerValues, checkNewLoan, termValues } from '../../renderer/src/loans/loan-form-values';

const daysAgo = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return localToday(d);
};

describe('the new-loan form', () => {
  it('shows a note date before the application date next to the note date, with the other fields’ errors', () => {
    const terms = {
      ...termValues(),
      loanNumber: 'no spaces!',
      applicationDate: daysAgo(10),
      expectedNoteDate: daysAgo(20),
      fundsToClose: '',
      qualifyingMonthlyIncome: '8000',
      state: '',
      city: 'Oakland',
    };
    const borrower = { ...borrowerValues(), firstName: 'Ada', lastName: '', email: 'x', phone: '' };
    const { input, termErrors, borrowerErrors } = checkNewLoan(terms, [borrower]);
    expect(input).toBeNull();
    expect(termErrors.loanNumber).toBeTruthy();
    expect(termErrors.fundsToClose).toBeTruthy();
    expect(borrowerErrors[0]?.lastName).toBeTruthy();
    expect(termErrors.expectedNoteDate).toBe('Expected note date can’t be before the application date');
  });
  it('asks for the state when the dropdown is left empty', () => {
    const terms = { ...termValues(), street: '1 Main St', city: 'Oakland', state: '', zip: '94607' };
    expect(checkNewLoan(terms, [borrowerValues()]).termErrors.state).toBe('Choose the property’s state');
    const typo = { ...terms, state: 'XX' };
    expect(checkNewLoan(typo, [borrowerValues()]).termErrors.state).toBe(
      'State must be a two-letter US state code, like CA',
    );
  });
});

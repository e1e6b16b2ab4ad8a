import { formatDays, parseDaysRequested } from '../../renderer/src/ui/format';

/** The new-report dialog's custom "Days": whole days written as digits, within Plaid's 1–731. */

test('whole days written as digits are taken as typed', () => {
  expect(parseDaysRequested('1')).toEqual({ days: 1 });
  expect(parseDaysRequested(' 120 ')).toEqual({ days: 120 });
  expect(parseDaysRequested('731')).toEqual({ days: 731 });
  expect(parseDaysRequested('090')).toEqual({ days: 90 });
});

test('anything else is refused with a message that says why, never read as another number', () => {
  const wholeDays = 'Enter whole days in digits, like 90.';
  expect(parseDaysRequested('1e3')).toEqual({ error: wholeDays });
  expect(parseDaysRequested('90.7')).toEqual({ error: 'Enter whole days: 90.7 is not a whole number of days.' });
  expect(parseDaysRequested('90.')).toEqual({ error: wholeDays });
  expect(parseDaysRequested('-5')).toEqual({ error: wholeDays });
  expect(parseDaysRequested('+5')).toEqual({ error: wholeDays });
  expect(parseDaysRequested('0x10')).toEqual({ error: wholeDays });
  expect(parseDaysRequested('ninety')).toEqual({ error: wholeDays });
  expect(parseDaysRequested('')).toEqual({ error: 'Enter the number of days of history, from 1 to 731.' });
  expect(parseDaysRequested('0')).toEqual({ error: 'Enter a number of days from 1 to 731 (Plaid’s range).' });
  expect(parseDaysRequested('732')).toEqual({ error: 'Enter a number of days from 1 to 731 (Plaid’s range).' });
  expect(parseDaysRequested('99999999999999999999')).toEqual({
    error: 'Enter a number of days from 1 to 731 (Plaid’s range).',
  });
});

test('a day count reads in good English', () => {
  expect(formatDays(1)).toBe('1 day');
  expect(formatDays(2)).toBe('2 days');
  expect(formatDays(61)).toBe('61 days');
  expect(formatDays(365)).toBe('12 months (365 days)');
});

import { formatDate, formatDateTime, formatDatesInText } from '../../renderer/src/ui/format';

/** The one date format on screen: "Nov 7, 2026", and date-times in the officer's own clock. */

test('a calendar date or a timestamp shows its day as "Nov 7, 2026", without time-zone drift', () => {
  expect(formatDate('2026-11-07')).toBe('Nov 7, 2026');
  expect(formatDate('2026-11-07T23:30:00.000Z')).toBe('Nov 7, 2026');
  expect(formatDate(null)).toBe('—');
});

test('a date-time reads in the officer’s local time, never as ISO', () => {
  const shown = formatDateTime('2026-11-07T15:04:00.000Z');
  const local = new Date('2026-11-07T15:04:00.000Z');
  expect(shown).toContain(`${local.getDate()}, 2026`);
  expect(shown).toContain(`:04`);
  expect(shown).not.toMatch(/\d{4}-\d{2}-\d{2}/);
});

test('dates inside a sentence made elsewhere are shown the same way', () => {
  expect(formatDatesInText('Refresh due: the report expired on 2026-07-28')).toBe(
    'Refresh due: the report expired on Jul 28, 2026',
  );
  expect(formatDatesInText('Report dated 2026-03-30 (Fannie Mae 2026-07-28, Freddie Mac 2026-07-30).')).toBe(
    'Report dated Mar 30, 2026 (Fannie Mae Jul 28, 2026, Freddie Mac Jul 30, 2026).',
  );
  // Loan numbers and references that only contain digits and dashes are left alone.
  expect(formatDatesInText('LN-2026-0001 ref 12026-11-07x')).toBe('LN-2026-0001 ref 12026-11-07x');
});

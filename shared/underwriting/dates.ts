/**
 * Calendar arithmetic on YYYY-MM-DD strings, in UTC so a report reads the same in every time zone.
 * Nothing here looks at the clock: callers pass the dates.
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

function parts(date: string): [number, number, number] {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

// A report repeats the same few hundred dates across tens of thousands of transactions.
const dayCache = new Map<string, number>();

/** Days since 1970-01-01 for a YYYY-MM-DD (or an ISO date-time: its date part). */
export function dayNumber(date: string): number {
  const cached = dayCache.get(date);
  if (cached !== undefined) return cached;
  const [y, m, d] = parts(date);
  const day = Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
  if (dayCache.size > 20_000) dayCache.clear();
  dayCache.set(date, day);
  return day;
}

/**
 * A day number as `YYYY-MM-DD`, by integer arithmetic (the proleptic Gregorian calendar, as Date uses): the report
 * screen runs it for every distinct date of a report as it opens, where a Date and its ISO string cost a few µs.
 */
export function fromDayNumber(day: number): string {
  // Days into 400-year eras starting 0000-03-01 (March first: the leap day ends each year of the era).
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const date = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return new Date(day * DAY_MS).toISOString().slice(0, 10); // Date's own form
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${date < 10 ? '0' : ''}${date}`;
}

/** The date part of an ISO date or date-time. */
export function toIsoDate(dateOrDateTime: string): string {
  return fromDayNumber(dayNumber(dateOrDateTime));
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Calendar months; the day is clamped to the month's end (Oct 31 + 4 months = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromDayNumber(Math.round(Date.UTC(year, month, Math.min(d, lastDay)) / DAY_MS));
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

/** 0 = Sunday … 6 = Saturday. Day 0 (1970-01-01) was a Thursday. */
export function weekday(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** Business days (Mon–Fri, holidays not known) after the earlier date up to and including the later: Fri → Mon is 1. */
export function businessDaysBetween(a: string, b: string): number {
  const [from, to] = dayNumber(a) <= dayNumber(b) ? [dayNumber(a), dayNumber(b)] : [dayNumber(b), dayNumber(a)];
  let count = 0;
  for (let day = from + 1; day <= to; day += 1) {
    const w = (((day + 4) % 7) + 7) % 7;
    if (w !== 0 && w !== 6) count += 1;
  }
  return count;
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build-output';

/**
 * Dates on screen read "Nov 7, 2026" everywhere: components go through renderer/src/ui/format.ts.
 * This catches the ways a raw YYYY-MM-DD slipped onto a screen before (a date field rendered bare,
 * an ISO timestamp cut to its day, a locale call of its own). Inputs of type=date keep ISO values,
 * so attribute values (`value={from}`) are not flagged. tests/browser/first-day-edges.test.ts
 * checks the screens themselves.
 */

// A date-like value rendered as it is: `{report.createdAt}`, `{t.date}`, `${applicant.applicationDate}`
// (not when the template goes on with a time, `${day}T12:00:00Z`, which parses rather than shows).
const BARE_DATE = /(?<![=\w])\$?\{\s*[\w.?!]*(?:\.date|At|Date|_date|date_generated|expiration)\s*\}(?!T\d)/g;
const RAW_DAY = /toISOString\(\)\s*\.\s*(?:slice|substring|split)\(|\.slice\(0,\s*10\)/g;
const OWN_LOCALE_DATE = /\.toLocale(?:Date|Time)String\(|new Intl\.DateTimeFormat\(/g;

function rawDates(source: string, file: string): string[] {
  // Import and export lists name formatters (`{ formatDate }`), not values.
  const code = source.replace(/^(?:import|export)\s[^;]*;/gm, '');
  const patterns = file.endsWith('ui/format.ts') ? [BARE_DATE, RAW_DAY] : [BARE_DATE, RAW_DAY, OWN_LOCALE_DATE];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => `${file}: ${m[0]}`));
}

function rendererFiles(dir = 'renderer/src', out: string[] = []): string[] {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) rendererFiles(path, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

test('no renderer file shows a date without the display formatter', () => {
  const files = rendererFiles();
  expect(files.length).toBeGreaterThan(30);
  const found = files.flatMap((file) => rawDates(readFileSync(join(ROOT, file), 'utf8'), file));
  expect(found).toEqual([]);
});

test('the check catches the ways a raw date reached the screen', () => {
  const planted = [
    '<td>{report.createdAt}</td>',
    '<span>{row.date}</span>',
    '<dd>{applicant.applicationDate}</dd>',
    'const label = `ready ${report.readyAt}`;',
    'const day = new Date().toISOString().slice(0, 10);',
    '<p>{report.date_generated}</p>',
    'const shown = new Date(value).toLocaleDateString();',
  ];
  for (const line of planted) expect(rawDates(line, 'renderer/src/x.tsx'), line).toHaveLength(1);
  // Formatted dates, ISO values of date inputs and counts are fine.
  for (const line of [
    '<td>{formatDate(report.createdAt)}</td>',
    '<input type="date" value={from} min={minApplicationDate} />',
    "{count.toLocaleString('en-US')}",
  ])
    expect(rawDates(line, 'renderer/src/x.tsx'), line).toEqual([]);
});

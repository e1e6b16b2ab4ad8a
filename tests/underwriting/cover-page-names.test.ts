import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCoverPage } from '../../electron/services/cover-page';
import { pdfFaces } from '../../electron/pdf/fonts';
import { splitTextRuns, visualOrder, type RunFace } from '../../electron/pdf/text-runs';
import { pdfPageTexts } from '../helpers/pdf-text';
import { coverInput } from './cover-fixture';

/**
 * Names in any script print on the cover page: checked with poppler's pdftotext (an independent reader) and
 * pdffonts (the faces are embedded and subset, so the page stays small).
 */
const NAMES = ['王小明', "Ñúñez-O'Brien", 'Алексеева', 'Παπαδόπουλος', 'محمد', '김민준', 'כהן', 'देवनागरी'];

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'cover-names-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function poppler(tool: 'pdftotext' | 'pdffonts', pdf: Uint8Array, name: string): string {
  const file = join(folder, `${name}.pdf`);
  writeFileSync(file, pdf);
  const args = tool === 'pdftotext' ? ['-enc', 'UTF-8', '-l', '1', file, '-'] : [file];
  return execFileSync(tool, args, { encoding: 'utf8' });
}

// pdftotext marks right-to-left stretches with Unicode embedding controls; they are not part of the name.
const withoutBidiMarks = (text: string): string => text.replace(/[\u202a-\u202e\u200e\u200f]/g, '');

describe('cover page names in every script', () => {
  it.each(NAMES.map((name, index) => [name, index]))(
    '%s comes back exactly, in embedded fonts, on a small page',
    async (name, index) => {
      const pdf = await buildCoverPage({ ...coverInput(), applicantName: String(name) });
      const text = withoutBidiMarks(poppler('pdftotext', pdf, `name-${index}`));
      const lines = text.split('\n');
      // The applicant field's value line and the heading's "name · Loan …" line both carry it.
      expect(lines.filter((line) => line.includes(String(name))).length, text).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain('?');

      const fonts = poppler('pdffonts', pdf, `fonts-${index}`);
      const rows = fonts.split('\n').slice(2).filter(Boolean);
      const embedded = rows.filter((row) => / yes +yes +yes +/.test(row));
      if (/^[\u0020-\u00ff']+$/u.test(String(name))) {
        // Latin-1 keeps the page's own look: Helvetica only.
        expect(embedded, fonts).toEqual([]);
      } else {
        expect(embedded.length, fonts).toBeGreaterThanOrEqual(1);
        for (const row of embedded) expect(row).toMatch(/^[A-Z]{6}\+Noto/);
      }
      expect(pdf.byteLength).toBeLessThan(200_000);
    },
  );

  it('pdf.js reads the same names (what an underwriter’s viewer shows)', async () => {
    for (const name of ['王小明', 'Алексеева', 'Παπαδόπουλος']) {
      const [first] = await pdfPageTexts(await buildCoverPage({ ...coverInput(), applicantName: name }));
      expect(first).toContain(name);
    }
  });

  it('a name mixing scripts keeps Latin in Helvetica and the rest in a covering face', async () => {
    const pdf = await buildCoverPage({ ...coverInput(), applicantName: 'Wang 王小明 Алексеева' });
    const text = poppler('pdftotext', pdf, 'mixed');
    expect(text).toContain('Wang 王小明 Алексеева');
    const fonts = poppler('pdffonts', pdf, 'mixed-fonts');
    expect(fonts).toMatch(/NotoSansHans/);
    expect(fonts).toMatch(/NotoSans-Bold|NotoSans-Regular/);
    expect(fonts).toMatch(/Helvetica/);
  });

  it('prints a character no bundled face has as "?" rather than an empty box', async () => {
    const pdf = await buildCoverPage({ ...coverInput(), applicantName: 'Ann \u{1F600} Lee' });
    expect(poppler('pdftotext', pdf, 'emoji')).toContain('Ann ? Lee');
  });
});

describe('text runs', () => {
  const latin: RunFace = { covers: (cp) => cp < 0x100 };
  const han: RunFace = { covers: (cp) => (cp >= 0x4e00 && cp <= 0x9fff) || cp === 0x20 || cp === 0xb7 };
  const arabic: RunFace = { covers: (cp) => (cp >= 0x600 && cp <= 0x6ff) || cp === 0x20, rightToLeft: true };
  const faces = [latin, han, arabic];

  it('keeps spaces and punctuation in the run around them and starts a run per script', () => {
    expect(splitTextRuns('王小明 · Loan 7', faces)).toEqual([
      { text: '王小明 · ', face: 1 },
      { text: 'Loan 7', face: 0 },
    ]);
    expect(splitTextRuns('Ann Lee', faces)).toEqual([{ text: 'Ann Lee', face: 0 }]);
  });

  it('marks characters no face has', () => {
    expect(splitTextRuns('a\u{1F600}', faces)).toEqual([
      { text: 'a', face: 0 },
      { text: '\u{1F600}', face: -1 },
    ]);
  });

  it('puts right-to-left words in visual order, the first word on the right', () => {
    const runs = visualOrder(splitTextRuns('Name محمد علي end', faces), faces);
    expect(runs.map((run) => run.text)).toEqual(['Name ', 'علي', ' ', 'محمد', ' end']);
  });

  it('the bundled faces are found and cover the scripts they are there for', () => {
    const [helvetica, ...bundled] = pdfFaces();
    expect(helvetica?.standard).toBe(true);
    const covered = (text: string) =>
      [...text].every((char) => bundled.some((face) => face.covers(char.codePointAt(0) ?? 0)));
    for (const name of NAMES) expect(covered(name), name).toBe(true);
  });
});

import { fakeAccessToken } from '../helpers/fake-tokens';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openAssetDeskStore, type AssetDeskStore } from '../../electron/db';
import type { PipelineQuery } from '../../electron/db/repositories/loans';
import { PipelineSort } from '../../shared/domain';
import { medianOf, timed } from './measure';
import type { BenchFigure } from './types';

const DAY = 86_400_000;
const TODAY = '2026-11-02';
const FIRST = ['Maria', 'Kwame', 'Ana', 'Wei', 'Fatima', 'John', 'Priya', 'Lucas', 'José', 'Анна'];
const LAST = ['Lopez', 'Mensah', 'Ruiz', 'Chen', 'Haddad', 'Smith', 'Patel', 'Silva', 'Ñúñez', 'Жукова', 'Nowak'];
const BANKS = [
  'First Platypus Bank',
  'Tattersall Federal Credit Union',
  'Houndstooth Bank',
  'Tartan Bank',
  'First Gingham Credit Union',
  'Caixa Geral de Depósitos',
  'Banco Económico',
  'Second Platypus Bank',
];

/** An officer's pipeline: `loans` loan files, a third with a co-borrower, each with one bank per borrower. */
export interface SeededPipeline {
  store: AssetDeskStore;
  /** The SQLite file and its data key (to move the same history into a team database). */
  file: string;
  dataKey: Buffer;
  loans: { loanId: string; applicantId: string; itemIds: string[] }[];
  reports: number;
}

/**
 * Seeds through the repositories (the same validation, encryption and summary triggers as the app), in one
 * transaction: loans in every status, note dates, consent expiries, banks needing relinking, and
 * `reportsPerLoan` reports each (ready with findings, a few pending or removed) over the last 200 days.
 */
export async function seedPipeline(dir: string, loanCount: number, reportsPerLoan: number): Promise<SeededPipeline> {
  let now = Date.parse(`${TODAY}T12:00:00.000Z`) - 400 * DAY;
  const dataKey = randomBytes(32);
  const file = join(dir, `pipeline-${loanCount}.sqlite`);
  const open = () => openAssetDeskStore({ file, dataKey, clock: () => new Date(now) });
  const seeded: SeededPipeline = { store: await open(), file, dataKey, loans: [], reports: 0 };
  for (let start = 0; start < loanCount; start += 1000) {
    await seeded.store.transaction(async () => {
      for (let n = start; n < Math.min(loanCount, start + 1000); n += 1) {
        now += (200 * DAY) / loanCount;
        await seedLoan(seeded, n, reportsPerLoan, now);
      }
    });
    // As at the end of an officer's day: closing refreshes the planner's statistics (PRAGMA optimize).
    await seeded.store.close();
    seeded.store = await open();
  }
  return seeded;
}

async function seedLoan(seeded: SeededPipeline, n: number, reportsPerLoan: number, now: number): Promise<void> {
  const { store } = seeded;
  const borrower = (k: number) => ({
    firstName: FIRST[(n + k) % FIRST.length]!,
    lastName: LAST[Math.floor(n / FIRST.length + k) % LAST.length]!,
    email: `borrower${n}-${k}@example.com`,
    phone: '+1 415 555 0134',
  });
  const loan = await store.loans.create({
    loan: {
      loanNumber: `LN-${String(200_000 + n)}`,
      loanPurpose: (['purchase', 'refinance', 'cash_out_refinance'] as const)[n % 3]!,
      applicationDate: new Date(now).toISOString().slice(0, 10),
      expectedNoteDate: n % 2 === 0 ? new Date(now + 60 * DAY).toISOString().slice(0, 10) : null,
      qualifyingMonthlyIncome: 6000 + (n % 500) * 10,
      fundsToClose: 40_000 + n,
      reservesNeeded: 0,
    },
    borrowers: n % 3 === 0 ? [borrower(0), borrower(1)] : [borrower(0)],
  });
  if (n % 20 === 1) await store.loans.setStatus(loan.id, 'closed');
  if (n % 20 === 2) await store.loans.setStatus(loan.id, 'withdrawn');
  const itemIds: string[] = [];
  for (const [k, b] of loan.borrowers.entries()) {
    const item = await store.items.add({
      applicantId: b.id,
      environment: 'sandbox',
      plaidItemId: `item-${n}-${k}`,
      accessToken: fakeAccessToken(n * 2 + k),
      institutionId: `ins_${(n + k) % BANKS.length}`,
      institutionName: BANKS[(n + k) % BANKS.length]!,
      accounts: [
        { accountId: `acc-${n}-${k}`, name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking' },
      ],
      consentExpiresAt: n % 7 === 0 ? new Date(now + 300 * DAY).toISOString() : null,
    });
    if (n % 50 === 3)
      await store.items.setStatus(item.id, 'needs_relink', { code: 'ITEM_LOGIN_REQUIRED', message: 'x' });
    itemIds.push(item.id);
  }
  seeded.loans.push({ loanId: loan.id, applicantId: loan.borrowers[0]!.id, itemIds });
  await addReports(store, seeded, seeded.loans.length - 1, reportsPerLoan, (k) => now - (reportsPerLoan - k) * DAY);
}

/** `count` more reports on loan `index`, made at the times `at(k)` gives. */
async function addReports(
  store: AssetDeskStore,
  seeded: SeededPipeline,
  index: number,
  count: number,
  at: (k: number) => number,
): Promise<void> {
  const { loanId, applicantId, itemIds } = seeded.loans[index]!;
  for (let k = 0; k < count; k += 1) {
    const pending = await store.reports.createPending({
      loanId,
      applicantId,
      environment: 'sandbox',
      kind: k === 0 ? 'create' : 'refresh',
      parentId: null,
      daysRequested: 61,
      itemIds,
      includeApplicantDetails: false,
    });
    seeded.reports += 1;
    const roll = (seeded.reports * 7) % 40;
    if (roll === 0) continue; // still pending
    await store.reports.attachPlaid(pending.id, {
      plaidReportId: `plaid-${pending.id}`,
      reportToken: `assets-sandbox-00000000-0000-4000-8000-${String(seeded.reports).padStart(12, '0')}`,
    });
    const readyAt = new Date(at(k)).toISOString();
    await store.reports.markReady(pending.id, {
      reportJson: '{"report":{"items":[]},"warnings":[]}',
      pdf: new Uint8Array(16),
      summary: { totalBalance: 1000 + (seeded.reports % 9000), accountCount: 2, earliestHistoryDate: '2026-01-01' },
      readyAt,
      generatedOn: readyAt.slice(0, 10),
    });
    // The pipeline shows the latest ready report's counts: earlier ones need none.
    if (k === count - 1)
      await store.reports.setFindingCounts(pending.id, { attention: seeded.reports % 3, info: seeded.reports % 5 });
    if (roll === 1) await store.reports.markRemoved(pending.id);
  }
}

/** Adds reports to every loan (spread over its last days) until the store holds `total`. */
export async function growReports(seeded: SeededPipeline, total: number): Promise<void> {
  const perLoan = Math.ceil((total - seeded.reports) / seeded.loans.length);
  await seeded.store.transaction(async () => {
    for (let i = 0; i < seeded.loans.length && seeded.reports < total; i += 1)
      await addReports(
        seeded.store,
        seeded,
        i,
        Math.min(perLoan, total - seeded.reports),
        (k) => Date.parse(`${TODAY}T09:00:00.000Z`) - (150 - k * 10) * DAY,
      );
  });
}

/** The pipeline queries the screen runs, by name. */
export function pipelineQueries(store: AssetDeskStore): [string, () => unknown][] {
  const list = (q: Partial<PipelineQuery>) =>
    store.loans.pipeline({ environment: 'sandbox', documentAgeRule: 'fannie_4_months', today: TODAY, limit: 50, ...q });
  const sorts = PipelineSort.options;
  return [
    ['first page (latest activity first)', () => list({})],
    ['keystroke: a name prefix ("lop")', () => list({ query: 'lop' })],
    ['keystroke: a folded name ("nunez")', () => list({ query: 'nunez' })],
    ['keystroke: an amount ("40,123.00")', () => list({ query: '40,123.00' })],
    ['keystroke: a bank ("tattersall")', () => list({ query: 'tattersall' })],
    ['keystroke: a loan number ("LN-20512")', () => list({ query: 'LN-20512' })],
    ...sorts.flatMap((sort): [string, () => unknown][] => [
      [`sort by ${sort} ascending`, () => list({ sort, direction: 'asc' })],
      [`sort by ${sort} descending`, () => list({ sort, direction: 'desc' })],
    ]),
    ['needs attention', () => list({ needsAttention: true })],
    ['refresh due within 14 days', () => list({ refreshDueWithinDays: 14 })],
  ];
}

/** Median of `runs` timings of each query (after one run that prepares its statement). */
export async function measurePipeline(
  store: AssetDeskStore,
  label: string,
  target: (name: string) => number | undefined,
  runs = 7,
): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const [name, run] of pipelineQueries(store)) {
    await run();
    const value = await medianOf(runs, () => timed(run));
    const goal = target(name);
    figures.push({
      name: `pipeline: ${label} — ${name}`,
      value,
      unit: 'ms',
      ...(goal === undefined ? {} : { target: goal }),
    });
  }
  return figures;
}

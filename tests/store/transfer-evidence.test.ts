import { analyzeInContext } from '../../shared/underwriting';
import type { AssetReportGetResult } from '../../shared/asset-report';
import {
  analysisContextFor,
  otherReportsFor,
  underwritingConfirmationHandlers,
} from '../../electron/services/features/underwriting';
import { applicantInput, tempStore } from './helpers';
import { personaReport } from '../underwriting/persona-report';
import { addApplicant } from '../helpers/applicant';
import { storeReadyContent } from '../helpers/ready-report';
import type { Applicant } from '../../shared/domain';

/**
 * A large deposit whose other leg is in another of the applicant's reports (a second bank linked
 * and reported separately) is an own transfer on the desk too, not only in the lens CLI: the main
 * process hands the analysis the applicant's other ready reports, trimmed to accounts and withdrawals.
 */
describe("a transfer's other leg in another of the applicant's reports", () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());

  /** user_large_deposit has one unsourced $7,350.00 deposit on 2026-03-07 (income 4,900 → threshold 2,450). */
  const deposit = { amount: 7350, date: '2026-03-07' };

  /** A second bank's report for the same applicant: user_good's accounts under new ids, with the withdrawal. */
  function secondBank(withWithdrawal: boolean): AssetReportGetResult {
    const other = personaReport('user_good');
    const item = other.report.items[0]!;
    item.item_id = 'item-second-bank';
    // Another bank: its own institution id, or its checking would be the first report's (same accountKey) re-linked.
    item.institution_id = 'ins_second_platypus';
    item.institution_name = 'Second Platypus Bank';
    item.accounts = item.accounts.filter((a) => a.type === 'depository').slice(0, 1);
    const account = item.accounts[0]!;
    account.account_id = 'acc-second-bank';
    if (withWithdrawal) {
      account.transactions.push({
        ...account.transactions[0]!,
        transaction_id: 'txn-to-platypus',
        account_id: account.account_id,
        amount: deposit.amount, // Plaid's sign: positive is money out
        date: '2026-03-06',
        original_description: 'ONLINE TRANSFER TO FIRST PLATYPUS',
      });
    }
    return other;
  }

  let saved = 0;
  const stored = (applicantId: string, content: AssetReportGetResult) =>
    storeReadyContent(t.store, {
      applicantId,
      content,
      plaidItemId: `${content.report.items[0]!.item_id}-${(saved += 1)}`,
      institutionName: content.report.items[0]!.institution_name,
      readyAt: '2026-03-30T18:30:00.000Z',
    });

  async function unsourcedAmounts(reportId: string, applicant: Applicant, now: Date) {
    const content = personaReport('user_large_deposit');
    const loan = (await t.store.loans.get(applicant.loanId))!;
    const analysis = analyzeInContext(content, await analysisContextFor(t.store, loan, reportId, now));
    return {
      flagged: analysis.largeDeposits.deposits.filter((d) => !d.sourced).map((d) => [d.date, d.amount]),
      ownTransfers: analysis.largeDeposits.excluded.filter((d) => d.reason === 'own_transfer').map((d) => d.amount),
    };
  }

  const alberta = () =>
    addApplicant(
      t.store,
      applicantInput({
        firstName: 'Alberta',
        lastName: 'Charleson',
        applicationDate: '2026-03-20',
        qualifyingMonthlyIncome: 4900,
        fundsToClose: 20000,
      }),
    );
  const now = new Date('2026-03-31T12:00:00');

  it('with the withdrawal in the second bank the deposit is an own transfer; without it, it stays flagged', async () => {
    const applicant = await alberta();
    const first = await stored(applicant.id, personaReport('user_large_deposit'));
    expect((await unsourcedAmounts(first, applicant, now)).flagged).toEqual([[deposit.date, deposit.amount]]);

    await stored(applicant.id, secondBank(false));
    expect((await unsourcedAmounts(first, applicant, now)).flagged).toEqual([[deposit.date, deposit.amount]]);

    await stored(applicant.id, secondBank(true));
    expect(await unsourcedAmounts(first, applicant, now)).toEqual({ flagged: [], ownTransfers: [deposit.amount] });
  });

  it('hands over only accounts and withdrawals, never this report itself nor another loan’s', async () => {
    const applicant = await alberta();
    const someoneElse = await addApplicant(t.store, applicantInput({ loanNumber: 'LN-2026-0002' }));
    const first = await stored(applicant.id, personaReport('user_large_deposit'));
    await stored(applicant.id, secondBank(true));
    await stored(someoneElse.id, secondBank(true));

    const others = await otherReportsFor(t.store, first);
    expect(others.map((o) => o.report.items[0]!.institution_name)).toEqual(['Second Platypus Bank']);
    const accounts = others.flatMap((o) => o.report.items.flatMap((i) => i.accounts));
    expect(accounts.every((a) => a.historical_balances.length === 0)).toBe(true);
    expect(accounts.flatMap((a) => a.transactions).every((tx) => tx.amount > 0)).toBe(true);

    const handlers = underwritingConfirmationHandlers({ store: () => t.store, clock: () => now });
    const { reportsJson } = await handlers['underwriting:otherReports']({ reportId: first });
    expect(JSON.parse(reportsJson)).toEqual(JSON.parse(JSON.stringify(others)));
  });
});

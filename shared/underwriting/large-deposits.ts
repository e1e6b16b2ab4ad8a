import type { AssetReportTransaction } from '../asset-report';
import type { ReportAccount } from './accounts';
import {
  accountKey,
  convertCents,
  currencyOf,
  describeAccount,
  describeTransaction,
  formatMoney,
  formatShare,
  isDebt,
  isDepository,
  shareOfCents,
  toCents,
  transactionText,
} from './accounts';
import { businessDaysBetween, daysBetween } from './dates';
import { NOT_COUNTED } from './funds-to-close';
import { DepositGroups, giftFindings } from './large-deposit-findings';
import { GIFT, isPayrollByInsights, payerKey, payrollPattern } from './payroll';
import { CITATIONS } from './types';
import type {
  DepositEvidence,
  ExcludedDeposit,
  Finding,
  LargeDeposit,
  LargeDepositResult,
  LoanInputs,
  NotCountedReason,
  OwnershipResult,
  PossibleGift,
  SourcedDeposit,
  SplitDeposit,
  UnderwritingSettings,
} from './types';

const BORROWED = /CASH_ADVANCES|LOANS?$|_LOAN/;

/**
 * The deposit threshold in whole cents, rounded down. Exact, whatever the share's decimals (8,000.01 × 50% =
 * 4,000.005 → 400,000; 10,000 × 12.345% = 123,450): a deposit D cents is large iff D > it. An income of 0 is the
 * officer's figure, and half of it is 0: every deposit is large (the conservative reading; null would check none).
 * Null only for a figure that is no income at all (negative, not a number).
 */
export function largeDepositThresholdCents(qualifyingMonthlyIncome: number, share: number): number | null {
  if (!Number.isFinite(qualifyingMonthlyIncome) || qualifyingMonthlyIncome < 0) return null;
  return shareOfCents(toCents(qualifyingMonthlyIncome), share).whole;
}

/** The deposit threshold in dollars (whole cents, rounded down), or null without a usable income figure. */
export function largeDepositThreshold(qualifyingMonthlyIncome: number, share: number): number | null {
  const thresholdCents = largeDepositThresholdCents(qualifyingMonthlyIncome, share);
  return thresholdCents === null ? null : thresholdCents / 100;
}

interface Withdrawal {
  transaction: AssetReportTransaction;
  entry: ReportAccount;
  /** The account's accountKey: a re-linked copy of the same account has another account id but the same key. */
  accountKey: string;
  /**
   * own: a counted account the borrowers own; own_not_counted: theirs but held back from funds to close (a
   * business account before its review, …), so money from it needs sourcing like any other; borrowed: a credit
   * card or loan; third_party: someone else's account.
   */
  from: 'own' | 'own_not_counted' | 'borrowed' | 'third_party';
}

// Banks post the two legs of one transfer on their own days: the withdrawal may show a business day after.
const POSTING_SKEW_BUSINESS_DAYS = 1;

/** Money must leave before it arrives: the withdrawal on or up to `window` business days before the deposit. */
function withdrawalCouldFund(withdrawalDate: string, depositDate: string, window: number): boolean {
  const apart = businessDaysBetween(withdrawalDate, depositDate);
  return withdrawalDate <= depositDate ? apart <= window : apart <= POSTING_SKEW_BUSINESS_DAYS;
}

const PREFERENCE: Record<Withdrawal['from'], number> = { own: 0, own_not_counted: 1, borrowed: 2, third_party: 3 };

export interface LargeDepositInputs {
  accounts: ReportAccount[];
  reportDate: string;
  loan: Pick<LoanInputs, 'purpose' | 'qualifyingMonthlyIncome'>;
  settings: Pick<
    UnderwritingSettings,
    | 'largeDepositShare'
    | 'largeDepositLookbackDays'
    | 'transferMatchBusinessDays'
    | 'sourcedDeposits'
    | 'accountConfirmations'
  >;
  /** Ownership of every asset account in `accounts` and in `otherAccounts`. */
  ownership: OwnershipResult[];
  /** Account ids whose balance counts in funds to close, in `accounts` and in `otherAccounts`. */
  countedAccountIds: Set<string>;
  /** Why the accounts that do not count are held back, by account id (named in a deposit's explanation). */
  notCountedReasons?: Map<string, NotCountedReason[]>;
  /** US dollars per unit for accounts in another currency that the officer converted, by account id. */
  usdRates: Map<string, number>;
  /** Accounts from the borrowers' other reports, where the other leg of a transfer may be. */
  otherAccounts?: ReportAccount[];
}

/**
 * Single deposits exceeding a share of qualifying monthly income. A deposit is an own transfer only when a
 * withdrawal of the same amount, within the business-day window before it (or a business day after), exists in
 * another account the borrowers own and that counts in funds to close (this report or another of theirs); the
 * same withdrawal from someone else's account is third-party money (a gift or loan to document), from a credit
 * card or loan it is borrowed funds. Payroll needs wage evidence (see payroll.ts): never a gift, a wire or a P2P
 * service. Pending deposits wait until they post. Unsourced deposits count against funds on a purchase (only
 * those in counted accounts: the others are not in funds at all).
 */
export function checkLargeDeposits(input: LargeDepositInputs): {
  largeDeposits: LargeDepositResult;
  findings: Finding[];
} {
  const { accounts, reportDate, loan, settings, ownership, countedAccountIds, usdRates } = input;
  const thresholdCents = largeDepositThresholdCents(loan.qualifyingMonthlyIncome, settings.largeDepositShare);
  const sharePercent = formatShare(settings.largeDepositShare);
  const sourcingOf = sourcingNotes(settings.sourcedDeposits);
  const notJudgedAccountIds = accounts
    .filter((e) => isDepository(e.account) && currencyOf(e.account) !== 'USD' && !usdRates.has(e.account.account_id))
    .map((e) => e.account.account_id);
  const inLookback = (t: AssetReportTransaction) =>
    settings.largeDepositLookbackDays === null || daysBetween(t.date, reportDate) <= settings.largeDepositLookbackDays;
  const judged = accounts.filter(
    (entry) => isDepository(entry.account) && !notJudgedAccountIds.includes(entry.account.account_id),
  );
  const usd = (entry: ReportAccount, amount: number) =>
    convertCents(
      toCents(amount),
      currencyOf(entry.account) === 'USD' ? 1 : (usdRates.get(entry.account.account_id) ?? 0),
    );

  // Deposits whose text reads like a gift need the gift documentation whatever their size.
  const possibleGifts: PossibleGift[] = judged.flatMap((entry) =>
    entry.account.transactions
      .filter((t) => t.amount < 0 && !t.pending && inLookback(t) && GIFT.test(transactionText(t)))
      .map((t) => ({
        ...entry.label,
        transactionId: t.transaction_id,
        date: t.date,
        amount: usd(entry, -t.amount) / 100,
        description: describeTransaction(t),
        why: 'gift_text' as const,
        ...noteOf(sourcingOf(t)),
      })),
  );

  if (thresholdCents === null) {
    return {
      largeDeposits: {
        threshold: null,
        notJudgedAccountIds,
        deposits: [],
        excluded: [],
        possibleGifts,
        splitDeposits: [],
        totalUnsourced: 0,
        totalSourced: 0,
      },
      findings: [
        {
          id: 'large-deposit:no-income',
          rule: 'large_deposit',
          severity: 'info',
          title: 'Large deposits not checked: no usable qualifying income',
          detail: `A large deposit is one above ${sharePercent} of qualifying monthly income. Enter the income on the applicant to check deposits.`,
          citation: CITATIONS.large_deposit,
          transactionIds: [],
          dates: [],
        },
        ...giftFindings(possibleGifts, []),
      ],
    };
  }
  const threshold = thresholdCents / 100;

  const owned = new Map(ownership.map((o) => [o.accountId, o.owned]));
  const recurringPayer = payrollPattern();
  // Withdrawals anywhere in the borrowers' reports, indexed by cents: a heavy report has tens of thousands.
  const withdrawalsByCents = new Map<number, Withdrawal[]>();
  for (const entry of [...accounts, ...(input.otherAccounts ?? [])]) {
    const key = accountKey(entry.item, entry.account);
    const id = entry.account.account_id;
    const from: Withdrawal['from'] = isDebt(entry.account)
      ? 'borrowed'
      : !owned.get(id)
        ? 'third_party'
        : countedAccountIds.has(id)
          ? 'own'
          : 'own_not_counted';
    for (const transaction of entry.account.transactions) {
      if (transaction.amount <= 0) continue;
      const cents = usd(entry, transaction.amount);
      const list = withdrawalsByCents.get(cents) ?? [];
      list.push({ transaction, entry, accountKey: key, from });
      withdrawalsByCents.set(cents, list);
    }
  }
  const usedWithdrawals = new Set<string>();

  const deposits: LargeDeposit[] = [];
  const excluded: ExcludedDeposit[] = [];
  const findings: Finding[] = [];
  const groups = new DepositGroups();

  const candidates = judged
    .flatMap((entry) => entry.account.transactions.map((transaction) => ({ transaction, entry })))
    // Pending deposits are not in the current balance yet (nor in funds): they are judged once posted.
    .filter(({ transaction }) => transaction.amount < 0 && !transaction.pending)
    .filter(({ transaction, entry }) => usd(entry, -transaction.amount) > thresholdCents)
    .filter(({ transaction }) => inLookback(transaction))
    .sort((a, b) => (a.transaction.date < b.transaction.date ? -1 : a.transaction.date > b.transaction.date ? 1 : 0));

  for (const { transaction, entry } of candidates) {
    const amountCents = usd(entry, -transaction.amount);
    const amount = amountCents / 100;
    const description = describeTransaction(transaction);
    const common = {
      ...entry.label,
      transactionId: transaction.transaction_id,
      date: transaction.date,
      amount,
      description,
    };

    const intoKey = accountKey(entry.item, entry.account);
    const match = (withdrawalsByCents.get(amountCents) ?? [])
      .filter(
        ({ transaction: out, accountKey: fromKey }) =>
          fromKey !== intoKey &&
          !usedWithdrawals.has(out.transaction_id) &&
          withdrawalCouldFund(out.date, transaction.date, settings.transferMatchBusinessDays),
      )
      .sort(
        (a, b) =>
          PREFERENCE[a.from] - PREFERENCE[b.from] ||
          Math.abs(daysBetween(a.transaction.date, transaction.date)) -
            Math.abs(daysBetween(b.transaction.date, transaction.date)),
      )[0];
    if (match) usedWithdrawals.add(match.transaction.transaction_id);

    const payrollBy = isPayrollByInsights(transaction)
      ? ('insights' as const)
      : recurringPayer(entry, transaction)
        ? ('pattern' as const)
        : null;

    if (match?.from === 'own' || (!match && payrollBy)) {
      const reason: ExcludedDeposit['reason'] = match ? 'own_transfer' : 'payroll';
      const why =
        match !== undefined
          ? `matches a withdrawal of the same amount from the borrower's ${describeAccount(match.entry.label)} on ${match.transaction.date}`
          : payrollBy === 'insights'
            ? "is wages by Plaid's income category"
            : 'is named as pay and recurs from the same payer at a wage interval';
      excluded.push({
        ...common,
        reason,
        matchedTransactionId: match?.transaction.transaction_id ?? null,
        payrollBy: match ? null : payrollBy,
      });
      groups.add(reason === 'payroll' ? 'payroll' : 'own_transfer', {
        title: `${formatMoney(amount)} deposit on ${transaction.date} is ${reason === 'payroll' ? 'payroll' : 'a transfer between own accounts'}`,
        detail: `"${description}" ${why}, so it needs no sourcing.`,
        line: `${formatMoney(amount)} on ${transaction.date} into ${describeAccount(entry.label)} ("${description}")`,
        account: describeAccount(entry.label),
        accountIds: match ? [entry.account.account_id, match.entry.account.account_id] : [entry.account.account_id],
        transactionIds: match
          ? [transaction.transaction_id, match.transaction.transaction_id]
          : [transaction.transaction_id],
        date: transaction.date,
        cents: amountCents,
        inCountedAccount: true,
      });
      continue;
    }

    let evidence: DepositEvidence = 'none';
    if (match?.from === 'borrowed' || BORROWED.test(transaction.credit_category?.detailed ?? '')) evidence = 'borrowed';
    else if (match?.from === 'third_party') evidence = 'third_party';
    else if (GIFT.test(transactionText(transaction))) evidence = 'gift_text';
    const sourcing = noteOf(sourcingOf(transaction));
    const { sourced, note } = sourcing;
    const inCountedAccount = countedAccountIds.has(entry.account.account_id);
    deposits.push({
      ...common,
      ...sourcing,
      evidence,
      matchedTransactionId: match?.transaction.transaction_id ?? null,
      matchedAccountId: match?.entry.account.account_id ?? null,
      inCountedAccount,
    });
    if (evidence === 'third_party' && !possibleGifts.some((g) => g.transactionId === transaction.transaction_id))
      possibleGifts.push({ ...common, why: 'third_party', ...sourcing });

    let detail = `"${description}" exceeds ${sharePercent} of qualifying monthly income (more than ${formatMoney(threshold)}).`;
    if (match?.from === 'third_party')
      detail += ` It matches a withdrawal from ${describeAccount(match.entry.label)}, an account the borrower does not own: third-party money (a gift or a loan) to document.`;
    else if (evidence === 'borrowed')
      detail +=
        match?.from === 'borrowed'
          ? ` It matches a withdrawal from ${describeAccount(match.entry.label)}, a credit or loan account: borrowed funds must be investigated.`
          : ' Plaid categorises it as a loan or cash advance: borrowed funds must be investigated.';
    if (match?.from === 'own_not_counted')
      detail += ` It ${fromNotCounted(match, input.notCountedReasons)}: until that account counts, money from it needs sourcing like any other.`;
    if (!inCountedAccount) detail += ' Its account is not counted in funds to close, so nothing is deducted for it.';
    if (sourced) detail += ` Sourced: ${note}`;
    else if (loan.purpose === 'purchase')
      detail +=
        ' Document its source (gift letter, sale of an asset, …) or the amount is subtracted from verified funds.';
    else detail += ' A refinance needs no documentation of large deposits.';
    groups.add(sourced ? 'sourced' : evidence === 'none' ? 'unsourced' : evidence, {
      title: `${sourced ? 'Sourced large deposit' : 'Large deposit'} of ${formatMoney(amount)} into ${describeAccount(entry.label)} on ${transaction.date}`,
      detail,
      line: `${formatMoney(amount)} on ${transaction.date} into ${describeAccount(entry.label)} ("${description}"${match?.from === 'own_not_counted' ? `; it ${fromNotCounted(match, input.notCountedReasons)}` : ''}${sourced ? `, sourced: ${note}` : ''})`,
      account: describeAccount(entry.label),
      accountIds: [entry.account.account_id],
      transactionIds: match
        ? [transaction.transaction_id, match.transaction.transaction_id]
        : [transaction.transaction_id],
      date: transaction.date,
      cents: amountCents,
      inCountedAccount,
    });
  }
  findings.push(...groups.findings(loan.purpose, sharePercent, threshold));
  if (thresholdCents === 0)
    findings.push({
      id: 'large-deposit:zero-income',
      rule: 'large_deposit',
      severity: 'info',
      title: 'Qualifying monthly income is $0.00: every deposit counts as large',
      detail: `${sharePercent} of $0.00 is $0.00, so every deposit that is not payroll or a transfer between the borrower's accounts is large${loan.purpose === 'purchase' ? ' and must be sourced or subtracted' : ''}. If the income is not zero, enter it on the loan.`,
      citation: CITATIONS.large_deposit,
      transactionIds: [],
      dates: [],
    });

  // Smaller deposits from one payer that add up past the threshold within a week: one large deposit split up. Only
  // in accounts that count (the others add nothing to funds to close).
  const splitDeposits = findSplitDeposits(
    judged
      .filter((entry) => countedAccountIds.has(entry.account.account_id))
      .flatMap((entry) =>
        entry.account.transactions
          .filter((t) => t.amount < 0 && !t.pending && inLookback(t) && usd(entry, -t.amount) <= thresholdCents)
          .filter((t) => !isPayrollByInsights(t) && !recurringPayer(entry, t))
          .filter((t) => {
            const cents = usd(entry, -t.amount);
            const intoKey = accountKey(entry.item, entry.account);
            const own = (withdrawalsByCents.get(cents) ?? []).find(
              (w) =>
                w.from === 'own' &&
                w.accountKey !== intoKey &&
                !usedWithdrawals.has(w.transaction.transaction_id) &&
                withdrawalCouldFund(w.transaction.date, t.date, settings.transferMatchBusinessDays),
            );
            if (own) usedWithdrawals.add(own.transaction.transaction_id);
            return !own;
          })
          .map((t) => ({ entry, transaction: t, cents: usd(entry, -t.amount), sourcing: sourcingOf(t) })),
      ),
    thresholdCents,
    reportDate,
  );
  if (splitDeposits.length > 0) {
    const open = splitDeposits.filter((d) => !d.sourced);
    const count = splitDeposits.length;
    findings.push({
      id: 'large-deposit:split',
      rule: 'large_deposit',
      severity: open.length === 0 ? 'ok' : loan.purpose === 'purchase' ? 'attention' : 'info',
      title: `${count} group${count === 1 ? '' : 's'} of smaller deposits from one payer within a week, together above ${formatMoney(threshold)}${open.length === 0 ? ', sourced' : ''}`,
      detail: `${splitDeposits.map((d) => `${formatMoney(d.total)} into ${describeAccount(d)} from "${d.payer}" in ${d.transactionIds.length} deposits, ${d.dates[0]} to ${d.dates.at(-1)}${splitSourcing(d)}`).join('; ')}. None is above ${sharePercent} of qualifying monthly income alone, so nothing is subtracted for them, but together they read like one large deposit split up: ${loan.purpose === 'purchase' ? 'document where the money came from.' : 'a refinance needs no documentation, but ask if the pattern matters.'}`,
      citation: CITATIONS.large_deposit,
      accountIds: [...new Set(splitDeposits.map((d) => d.accountId))],
      transactionIds: splitDeposits.flatMap((d) => d.transactionIds),
      dates: [...new Set(splitDeposits.flatMap((d) => d.dates))],
      amount: splitDeposits.reduce((sum, d) => sum + toCents(d.total), 0) / 100,
    });
  }

  const sumCents = (list: LargeDeposit[]) => list.reduce((sum, d) => sum + toCents(d.amount), 0);
  const totalUnsourced = sumCents(deposits.filter((d) => !d.sourced && d.inCountedAccount)) / 100;
  const totalSourced = sumCents(deposits.filter((d) => d.sourced)) / 100;
  findings.push(
    ...giftFindings(
      possibleGifts,
      deposits.filter((d) => d.evidence === 'borrowed'),
    ),
  );
  if (notJudgedAccountIds.length > 0) {
    findings.push({
      id: 'large-deposit:other-currency',
      rule: 'large_deposit',
      severity: 'info',
      title: `Deposits not checked in ${notJudgedAccountIds.length} account${notJudgedAccountIds.length === 1 ? '' : 's'} in another currency`,
      detail:
        'Their deposits are not compared with the US-dollar threshold until a conversion is entered for the account.',
      citation: CITATIONS.large_deposit,
      accountIds: notJudgedAccountIds,
      transactionIds: [],
      dates: [],
    });
  }
  return {
    largeDeposits: {
      threshold,
      notJudgedAccountIds,
      deposits,
      excluded,
      possibleGifts,
      splitDeposits,
      totalUnsourced,
      totalSourced,
    },
    findings,
  };
}

/** " (sourced: note)" for a group whose every deposit is sourced, " (2 of 3 deposits sourced)" for one half done. */
function splitSourcing(group: SplitDeposit): string {
  const notes = group.deposits.flatMap((d) => (d.note === null ? [] : [d.note]));
  if (group.sourced) return ` (sourced: ${[...new Set(notes)].join('; ')})`;
  return notes.length > 0 ? ` (${notes.length} of ${group.deposits.length} deposits sourced)` : '';
}

/**
 * Every deposit the officer has documented, each once: large deposits, the deposits of split groups and possible
 * gifts below the threshold (a gift or a group member may be a large deposit too).
 */
export function documentedDeposits(
  result: LargeDepositResult,
): Pick<LargeDeposit, 'accountId' | 'transactionId' | 'date' | 'amount' | 'sourced'>[] {
  const all = [
    ...result.deposits,
    ...result.possibleGifts,
    ...result.splitDeposits.flatMap((group) =>
      group.deposits.map((d) => ({ ...d, accountId: group.accountId, sourced: d.note !== null })),
    ),
  ];
  const byId = new Map(all.filter((d) => d.sourced).map((d) => [d.transactionId, d]));
  return [...byId.values()].map(({ accountId, transactionId, date, amount, sourced }) => ({
    accountId,
    transactionId,
    date,
    amount,
    sourced,
  }));
}

// A calendar week: deposits closer than this from one payer are read together.
const SPLIT_WINDOW_DAYS = 7;
// A payer whose deposits come in this many different weeks is a stream (sales payouts, tips banked weekly), not one
// sum split up.
const RECURRING_WEEKS = 4;

/**
 * Per account and payer, runs of deposits within SPLIT_WINDOW_DAYS of the run's first whose sum exceeds the
 * threshold (each alone does not). A run found is not reused; the search goes on after it. A payer who deposits
 * week after week is left out.
 */
function findSplitDeposits(
  deposits: {
    entry: ReportAccount;
    transaction: AssetReportTransaction;
    cents: number;
    sourcing: SourcedDeposit | null;
  }[],
  thresholdCents: number,
  reportDate: string,
): SplitDeposit[] {
  const byPayer = new Map<string, typeof deposits>();
  for (const deposit of deposits) {
    const payer = payerKey(deposit.transaction) || describeTransaction(deposit.transaction).toUpperCase();
    const key = `${deposit.entry.account.account_id}|${payer}`;
    byPayer.set(key, [...(byPayer.get(key) ?? []), deposit]);
  }
  const found: SplitDeposit[] = [];
  for (const [key, list] of byPayer) {
    // Weeks counted back from the report date, the way the statements are read.
    const weeks = new Set(list.map((d) => Math.floor(daysBetween(d.transaction.date, reportDate) / SPLIT_WINDOW_DAYS)));
    if (weeks.size >= RECURRING_WEEKS) continue;
    const sorted = [...list].sort((a, b) => (a.transaction.date < b.transaction.date ? -1 : 1));
    let start = 0;
    while (start < sorted.length) {
      const first = sorted[start];
      if (!first) break;
      const run = sorted
        .slice(start)
        .filter((d) => daysBetween(first.transaction.date, d.transaction.date) < SPLIT_WINDOW_DAYS);
      const cents = run.reduce((sum, d) => sum + d.cents, 0);
      if (run.length > 1 && cents > thresholdCents) {
        found.push({
          ...first.entry.label,
          payer: key.slice(key.indexOf('|') + 1),
          transactionIds: run.map((d) => d.transaction.transaction_id),
          dates: run.map((d) => d.transaction.date),
          total: cents / 100,
          sourced: run.every((d) => d.sourcing !== null),
          deposits: run.map((d) => ({
            transactionId: d.transaction.transaction_id,
            date: d.transaction.date,
            amount: d.cents / 100,
            description: describeTransaction(d.transaction),
            ...noteOf(d.sourcing),
          })),
        });
        start += run.length;
      } else start += 1;
    }
  }
  return found.sort((a, b) => ((a.dates[0] ?? '') < (b.dates[0] ?? '') ? -1 : 1));
}

/** "matches a withdrawal from the borrower's X on D, an account not counted in funds to close (it is a business account)" */
function fromNotCounted(match: Withdrawal, reasons: Map<string, NotCountedReason[]> | undefined): string {
  const why = (reasons?.get(match.entry.account.account_id) ?? []).map((r) => NOT_COUNTED[r].why).join('; ');
  return `matches a withdrawal from the borrower's ${describeAccount(match.entry.label)} on ${match.transaction.date}, an account not counted in funds to close${why ? ` (${why})` : ''}`;
}

/** A deposit's sourced state as every list of deposits carries it: the note and the id it is recorded under. */
function noteOf(sourcing: SourcedDeposit | null): {
  sourced: boolean;
  note: string | null;
  noteTransactionId: string | null;
} {
  return sourcing
    ? { sourced: true, note: sourcing.note, noteTransactionId: sourcing.transactionId }
    : { sourced: false, note: null, noteTransactionId: null };
}

/**
 * The officer's note for a deposit, by its id, or by the id it had while pending (a deposit sourced while
 * pending posts under a new id that points back at the pending one), with the id the note is recorded under.
 */
function sourcingNotes(sourced: SourcedDeposit[]): (transaction: AssetReportTransaction) => SourcedDeposit | null {
  const notes = new Map(sourced.map((deposit) => [deposit.transactionId, deposit]));
  return (transaction) =>
    notes.get(transaction.transaction_id) ??
    (transaction.pending_transaction_id ? notes.get(transaction.pending_transaction_id) : undefined) ??
    null;
}

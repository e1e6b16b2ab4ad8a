import type { AssetReportTransaction } from '../asset-report';
import type { ReportAccount } from './accounts';
import {
  cents,
  describeAccount,
  describeTransaction,
  formatMoney,
  isAssetAccount,
  isDepository,
  transactionText,
} from './accounts';
import { daysBetween } from './dates';
import { CITATIONS } from './types';
import type {
  ExcludedDeposit,
  Finding,
  LargeDeposit,
  LargeDepositResult,
  LoanInputs,
  UnderwritingSettings,
} from './types';

// Employers' payroll as banks print it ("ACH Electronic CreditGUSTO PAY 123456", "ACME DIRECT DEP").
const PAYROLL = /PAYROLL|DIRECT DEP|DIR DEP|DIRECTDEP|GUSTO|\bADP\b|PAYCHEX|SALARY|\bPAY\s|INCOME_WAGES/;
// Person-to-person apps: "ZELLE PAY FROM …" is somebody's money, not wages.
const PERSON_TO_PERSON = /ZELLE|VENMO|CASH ?APP|PAYPAL/;
const TRANSFER = /TRANSFER|XFER|TFR|TRNSFR/;
const BORROWED = /CASH_ADVANCES|LOANS?$|_LOAN/;
// The other account's mask as banks print it: XXXXXX1111, ****1111, #1111, ENDING IN 1111, ACCT 1111.
const MASK_REFERENCE = /(?:X{2,}|\*{2,}|#|•+|ENDING(?: IN)?\s*|ACCT\.?\s*|ACCOUNT\s*)(\d{2,4})\b/g;

export function isPayroll(transaction: AssetReportTransaction): boolean {
  const text = transactionText(transaction);
  return PAYROLL.test(text) && !PERSON_TO_PERSON.test(text);
}

/** The masks a transfer description names, e.g. "ONLINE TRANSFER FROM SAV XXXXXX1111" → ['1111']. */
export function maskReferences(transaction: AssetReportTransaction): string[] {
  const text = transactionText(transaction);
  if (!TRANSFER.test(text)) return [];
  return [...text.matchAll(MASK_REFERENCE)].map((match) => match[1] ?? '').filter(Boolean);
}

/** The deposit threshold, or null when no qualifying income was entered (the rule cannot apply). */
export function largeDepositThreshold(qualifyingMonthlyIncome: number, share: number): number | null {
  return qualifyingMonthlyIncome > 0 ? cents(qualifyingMonthlyIncome * share) : null;
}

/**
 * Single deposits exceeding a share of qualifying monthly income, except transfers between the applicant's own
 * accounts in this report and recognised payroll. Unsourced ones count against funds on a purchase.
 */
export function checkLargeDeposits(
  accounts: ReportAccount[],
  reportDate: string,
  loan: Pick<LoanInputs, 'purpose' | 'qualifyingMonthlyIncome'>,
  settings: Pick<
    UnderwritingSettings,
    'largeDepositShare' | 'largeDepositLookbackDays' | 'transferMatchDays' | 'sourcedDeposits'
  >,
): { largeDeposits: LargeDepositResult; findings: Finding[] } {
  const threshold = largeDepositThreshold(loan.qualifyingMonthlyIncome, settings.largeDepositShare);
  const sharePercent = `${Math.round(settings.largeDepositShare * 1000) / 10}%`;
  if (threshold === null) {
    return {
      largeDeposits: { threshold, deposits: [], excluded: [], totalUnsourced: 0, totalSourced: 0 },
      findings: [
        {
          id: 'large-deposit:no-income',
          rule: 'large_deposit',
          severity: 'info',
          title: 'Large deposits not checked: no qualifying income entered',
          detail: `A large deposit is one above ${sharePercent} of qualifying monthly income. Enter the income on the applicant to check deposits.`,
          citation: CITATIONS.large_deposit,
          transactionIds: [],
          dates: [],
        },
      ],
    };
  }

  const sourcedNotes = new Map(settings.sourcedDeposits.map((sourced) => [sourced.transactionId, sourced.note]));
  const assetAccounts = accounts.filter((entry) => isAssetAccount(entry.account));
  // Withdrawals from the applicant's other asset accounts, each usable to explain one deposit only.
  // Indexed by amount in cents: a heavy report has tens of thousands of withdrawals.
  const withdrawalsByCents = new Map<number, { transaction: AssetReportTransaction; entry: ReportAccount }[]>();
  for (const entry of assetAccounts) {
    for (const transaction of entry.account.transactions) {
      if (transaction.amount <= 0) continue;
      const key = Math.round(transaction.amount * 100);
      const list = withdrawalsByCents.get(key) ?? [];
      list.push({ transaction, entry });
      withdrawalsByCents.set(key, list);
    }
  }
  const usedWithdrawals = new Set<string>();

  const deposits: LargeDeposit[] = [];
  const excluded: ExcludedDeposit[] = [];
  const findings: Finding[] = [];

  const candidates = accounts
    .filter((entry) => isDepository(entry.account))
    .flatMap((entry) => entry.account.transactions.map((transaction) => ({ transaction, entry })))
    .filter(({ transaction }) => transaction.amount < 0 && -transaction.amount > threshold)
    .filter(({ transaction }) => {
      const age = daysBetween(transaction.date, reportDate);
      return settings.largeDepositLookbackDays === null || age <= settings.largeDepositLookbackDays;
    })
    .sort((a, b) => (a.transaction.date < b.transaction.date ? -1 : a.transaction.date > b.transaction.date ? 1 : 0));

  for (const { transaction, entry } of candidates) {
    const amount = cents(-transaction.amount);
    const description = describeTransaction(transaction);
    const common = {
      ...entry.label,
      transactionId: transaction.transaction_id,
      date: transaction.date,
      amount,
      description,
    };

    const match = (withdrawalsByCents.get(Math.round(amount * 100)) ?? []).find(
      ({ transaction: out, entry: from }) =>
        from.account.account_id !== entry.account.account_id &&
        !usedWithdrawals.has(out.transaction_id) &&
        Math.abs(daysBetween(out.date, transaction.date)) <= settings.transferMatchDays,
    );
    const otherMasks = new Set(
      assetAccounts
        .filter((other) => other.account.account_id !== entry.account.account_id && other.account.mask)
        .map((other) => other.account.mask as string),
    );
    const namedMask = maskReferences(transaction).find((mask) => otherMasks.has(mask));

    let reason: ExcludedDeposit['reason'] | null = null;
    let matchedTransactionId: string | null = null;
    let why = '';
    if (match) {
      usedWithdrawals.add(match.transaction.transaction_id);
      reason = 'own_transfer';
      matchedTransactionId = match.transaction.transaction_id;
      why = `matches a withdrawal of the same amount from ${describeAccount(match.entry.label)} on ${match.transaction.date}`;
    } else if (namedMask) {
      reason = 'own_transfer';
      why = `names the applicant's own account ••${namedMask}`;
    } else if (isPayroll(transaction)) {
      reason = 'payroll';
      why = 'is recognised payroll';
    }

    if (reason) {
      excluded.push({ ...common, reason, matchedTransactionId });
      findings.push({
        id: `large-deposit:${transaction.transaction_id}`,
        rule: 'large_deposit',
        severity: 'ok',
        title: `${formatMoney(amount)} deposit on ${transaction.date} is ${reason === 'payroll' ? 'payroll' : 'a transfer between own accounts'}`,
        detail: `"${description}" ${why}, so it needs no sourcing.`,
        citation: CITATIONS.large_deposit,
        accountId: entry.account.account_id,
        transactionIds: matchedTransactionId
          ? [transaction.transaction_id, matchedTransactionId]
          : [transaction.transaction_id],
        dates: [transaction.date],
        amount,
      });
      continue;
    }

    const note = sourcedNotes.get(transaction.transaction_id) ?? null;
    const sourced = note !== null;
    deposits.push({ ...common, sourced, note });
    const account = describeAccount(entry.label);
    let detail = `"${description}" exceeds ${sharePercent} of qualifying monthly income (threshold ${formatMoney(threshold)}).`;
    // Plaid's insights sometimes see a loan or cash advance behind a deposit: borrowed funds need investigating.
    if (BORROWED.test(transaction.credit_category?.detailed ?? ''))
      detail += ' Plaid categorises it as a loan or cash advance: borrowed funds must be investigated.';
    if (sourced) detail += ` Sourced: ${note}`;
    else if (loan.purpose === 'purchase')
      detail +=
        ' Document its source (gift letter, sale of an asset, …) or the amount is subtracted from verified funds.';
    else detail += ' A refinance needs no documentation of large deposits.';
    findings.push({
      id: `large-deposit:${transaction.transaction_id}`,
      rule: 'large_deposit',
      severity: sourced ? 'ok' : loan.purpose === 'purchase' ? 'attention' : 'info',
      title: `${sourced ? 'Sourced large deposit' : 'Large deposit'} of ${formatMoney(amount)} into ${account} on ${transaction.date}`,
      detail,
      citation: CITATIONS.large_deposit,
      accountId: entry.account.account_id,
      transactionIds: [transaction.transaction_id],
      dates: [transaction.date],
      amount,
    });
  }

  const totalUnsourced = cents(deposits.filter((d) => !d.sourced).reduce((sum, d) => sum + d.amount, 0));
  const totalSourced = cents(deposits.filter((d) => d.sourced).reduce((sum, d) => sum + d.amount, 0));
  return { largeDeposits: { threshold, deposits, excluded, totalUnsourced, totalSourced }, findings };
}

import { describeAccount, formatMoney, toCents } from './accounts';
import { CITATIONS } from './types';
import type { DepositEvidence, Finding, LargeDeposit, LoanInputs, PossibleGift } from './types';

/** The large-deposit rule's findings: one per cause, listing its deposits, and the gift and borrowed-funds ones. */

export type DepositCause = 'unsourced' | Exclude<DepositEvidence, 'none'> | 'sourced' | 'own_transfer' | 'payroll';

/** One deposit's part in its cause's finding; a group of one keeps the deposit's own title and detail. */
interface GroupedDeposit {
  title: string;
  detail: string;
  /** The deposit in one line, for a group's detail. */
  line: string;
  /** The account it went into, as the officer reads it. */
  account: string;
  accountIds: string[];
  transactionIds: string[];
  date: string;
  cents: number;
  inCountedAccount: boolean;
}

// Findings in this order; every cause says what it needs in its own words.
const CAUSES: Record<DepositCause, { title: string; needs: string }> = {
  unsourced: { title: 'large deposits to source', needs: '' },
  third_party: {
    title: "large deposits from someone else's account",
    needs:
      'Each matches a withdrawal from an account the borrower does not own: third-party money (a gift or a loan) to document.',
  },
  borrowed: {
    title: 'large deposits of borrowed money',
    needs:
      'Each comes from a credit or loan account or is categorised as a loan or cash advance: borrowed funds must be investigated.',
  },
  gift_text: { title: 'large deposits that look like gifts', needs: 'Their text suggests a gift.' },
  sourced: { title: 'sourced large deposits', needs: '' },
  own_transfer: {
    title: 'deposits above the threshold are transfers between own accounts',
    needs:
      "Each matches a withdrawal of the same amount from another of the borrower's accounts, so none needs sourcing.",
  },
  payroll: {
    title: 'deposits above the threshold are payroll',
    needs:
      "Each is named as pay (payroll, direct deposit, salary) and recurs from the same payer at a wage interval, or is wages by Plaid's income category, so none needs sourcing.",
  },
};

/** Large deposits gathered by cause: one finding per cause listing its accounts and deposits, not one per deposit. */
export class DepositGroups {
  private readonly byCause = new Map<DepositCause, GroupedDeposit[]>();

  add(cause: DepositCause, deposit: GroupedDeposit): void {
    const list = this.byCause.get(cause) ?? [];
    list.push(deposit);
    this.byCause.set(cause, list);
  }

  findings(purpose: LoanInputs['purpose'], sharePercent: string, threshold: number): Finding[] {
    return (Object.keys(CAUSES) as DepositCause[]).flatMap((cause) => {
      const list = this.byCause.get(cause);
      if (!list) return [];
      const excluded = cause === 'own_transfer' || cause === 'payroll';
      const severity =
        excluded || cause === 'sourced' ? 'ok' : purpose === 'purchase' ? ('attention' as const) : ('info' as const);
      const cents = list.reduce((sum, d) => sum + d.cents, 0);
      const accountIds = [...new Set(list.flatMap((d) => d.accountIds))];
      const single = list.length === 1 ? list[0] : undefined;
      let detail = single?.detail;
      if (!detail) {
        const notCounted = list.filter((d) => !d.inCountedAccount).length;
        const accounts = [...new Set(list.map((d) => d.account))].join(', ');
        detail = `${list.length} deposits into ${accounts}, ${formatMoney(cents / 100)} in total, each above ${excluded ? 'the large-deposit threshold' : `${sharePercent} of qualifying monthly income`} (more than ${formatMoney(threshold)}).`;
        if (CAUSES[cause].needs) detail += ` ${CAUSES[cause].needs}`;
        if (notCounted > 0)
          detail += ` ${notCounted} of them ${notCounted === 1 ? 'is' : 'are'} in accounts not counted in funds to close, so nothing is deducted for ${notCounted === 1 ? 'it' : 'them'}.`;
        if (!excluded && cause !== 'sourced')
          detail +=
            purpose === 'purchase'
              ? ' Document the source of each (gift letter, sale of an asset, …) or its amount is subtracted from verified funds.'
              : ' A refinance needs no documentation of large deposits.';
        detail += ` ${list.map((d) => d.line).join('; ')}.`;
      }
      return [
        {
          id: `large-deposit:${cause.replace('_', '-')}`,
          rule: 'large_deposit' as const,
          severity,
          title: single?.title ?? `${list.length.toLocaleString('en-US')} ${CAUSES[cause].title}`,
          detail,
          citation: CITATIONS.large_deposit,
          ...(accountIds.length === 1 ? { accountId: accountIds[0] } : {}),
          accountIds,
          transactionIds: list.flatMap((d) => d.transactionIds),
          dates: [...new Set(list.map((d) => d.date))],
          amount: cents / 100,
        },
      ];
    });
  }
}

/** One gift finding and one borrowed-funds finding, each listing its deposits and what the guide requires. */
export function giftFindings(gifts: PossibleGift[], borrowed: LargeDeposit[]): Finding[] {
  const findings: Finding[] = [];
  const openGifts = gifts.filter((g) => !g.sourced);
  if (gifts.length > 0) {
    findings.push({
      id: 'gift',
      rule: 'gift',
      severity: openGifts.length > 0 ? 'attention' : 'ok',
      title: `Possible gift${gifts.length === 1 ? '' : 's'}: ${gifts.length} deposit${gifts.length === 1 ? '' : 's'} ${openGifts.length > 0 ? 'to document' : 'documented'}`,
      detail: `${gifts.map((g) => `${formatMoney(g.amount)} on ${g.date} into ${describeAccount(g)} ("${g.description}", ${g.why === 'third_party' ? 'from an account the borrower does not own' : 'its text suggests a gift'}${g.note === null ? '' : `; sourced: ${g.note}`})`).join('; ')}. A gift needs a signed gift letter (donor, relationship, amount, no repayment expected), evidence of the donor's ability (the donor's statement) and of the transfer to the borrower.`,
      citation: CITATIONS.gift,
      accountIds: [...new Set(gifts.map((g) => g.accountId))],
      transactionIds: gifts.map((g) => g.transactionId),
      dates: gifts.map((g) => g.date),
      amount: gifts.reduce((sum, g) => sum + toCents(g.amount), 0) / 100,
    });
  }
  if (borrowed.length > 0) {
    findings.push({
      id: 'borrowed-funds',
      rule: 'borrowed_funds',
      severity: borrowed.every((d) => d.sourced) ? 'ok' : 'attention',
      title: `Possible borrowed funds: ${borrowed.length} deposit${borrowed.length === 1 ? '' : 's'}`,
      detail: `${borrowed.map((d) => `${formatMoney(d.amount)} on ${d.date} into ${describeAccount(d)}`).join('; ')}. Money from a credit card or loan is borrowed: document the terms and count the new debt, or leave it out of funds to close.`,
      citation: CITATIONS.borrowed_funds,
      accountIds: [...new Set(borrowed.map((d) => d.accountId))],
      transactionIds: borrowed.flatMap((d) => [
        d.transactionId,
        ...(d.matchedTransactionId ? [d.matchedTransactionId] : []),
      ]),
      dates: borrowed.map((d) => d.date),
      amount: borrowed.reduce((sum, d) => sum + toCents(d.amount), 0) / 100,
    });
  }
  return findings;
}

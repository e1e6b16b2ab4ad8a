import type { ReportAccount } from './accounts';
import {
  accountKey,
  assetClassOf,
  balanceOf,
  borrowedAgainst,
  classShare,
  convertCents,
  currencyOf,
  describeAccount,
  formatMoney,
  formatShare,
  isDebt,
  restrictedReason,
  shareOfCents,
  toCents,
} from './accounts';
import { combineLoanFunds, fundsParts, loanFundsSentence, withOthers } from './loan-funds';
import { CITATIONS } from './types';
import type {
  AccountConfirmation,
  CountedAccount,
  Finding,
  FundsToCloseResult,
  LargeDeposit,
  LoanInputs,
  NotCountedAccount,
  NotCountedReason,
  OwnershipResult,
  ReportFunds,
  UnderwritingSettings,
} from './types';

type EligibilitySettings = Pick<
  UnderwritingSettings,
  'retirementDiscount' | 'brokerageShare' | 'hsaTreatment' | 'accountConfirmations'
>;

/** What the officer does to count an account held back for each reason. */
export const NOT_COUNTED: Record<NotCountedReason, { why: string; action: string }> = {
  name_mismatch: {
    why: 'the borrower is not among its owners',
    action: 'Confirm ownership with a note (a statement naming the borrower).',
  },
  possible_match: {
    why: 'the owner name only possibly matches the borrower',
    action: 'Confirm ownership with a note once the name is checked.',
  },
  owners_unavailable: {
    why: 'its owners are unknown',
    action: 'Confirm ownership with a note from a statement.',
  },
  business: {
    why: 'it is a business account',
    action: "Count it only after the lender's business-asset review; record the review.",
  },
  trust: {
    why: 'it is held in trust',
    action:
      "Count it only once the trust documents (from the trustee) show the account's value and that the borrower can withdraw the funds; record them as an ownership confirmation with a note.",
  },
  foreign_currency: {
    why: 'it is not in US dollars',
    action: 'Enter a conversion to US dollars (rate and source).',
  },
  crypto: {
    why: 'it holds crypto-currency',
    action: 'Count it only once converted to US dollars and documented; enter the conversion.',
  },
  hsa_excluded: {
    why: 'HSA balances are excluded by the lender settings',
    action: 'Change the HSA setting if the lender counts health savings accounts.',
  },
  custodial: {
    why: 'it is a custodial account held for a minor (UGMA/UTMA)',
    action: "The money is the minor's: it counts only once it is the borrower's, deposited and sourced.",
  },
  education: {
    why: 'it is an education savings account (529, Coverdell, RESP)',
    action: 'Withdrawals are meant for education: money taken out counts once deposited and sourced.',
  },
  annuity_insurance: {
    why: 'it is an annuity or an insurance policy',
    action: "Only its cash (surrender) value, from the insurer's statement, can count: withdraw it and source it.",
  },
  needs_review: {
    why: 'AssetDesk does not count this kind of investment account without review',
    action: 'Read a statement for what the borrower owns outright and can withdraw; that money counts once withdrawn.',
  },
  limited_use: {
    why: 'its money cannot be brought to closing as it is (benefits, a limited-purpose account, or a kind Plaid calls other)',
    action:
      'Read a statement for what the borrower can withdraw; money moved to a checking or savings account counts once sourced.',
  },
  no_balance: { why: 'Plaid sent no balance', action: 'Obtain a current statement.' },
};

// Held back by a setting, or money that is not the borrower's to spend: worth knowing, nothing to do.
const WORTH_KNOWING = new Set<NotCountedReason>(['hsa_excluded', 'custodial', 'education']);

/** Splits asset accounts into what counts towards funds to close (in US dollars) and what does not, and why. */
export function classifyAccounts(
  accounts: ReportAccount[],
  ownership: OwnershipResult[],
  settings: EligibilitySettings,
): { counted: CountedAccount[]; notCounted: NotCountedAccount[]; debtsCents: number } {
  const counted: CountedAccount[] = [];
  const notCounted: NotCountedAccount[] = [];
  let debtsCents = 0;
  for (const { item, account, label } of accounts) {
    const balance = balanceOf(account);
    if (isDebt(account)) {
      // What is owed; a card paid beyond its balance holds a credit, which is owed to the borrower, not by them.
      debtsCents += Math.max(0, toCents(balance ?? 0));
      continue;
    }
    const assetClass = assetClassOf(account);
    if (assetClass === 'debt') continue;
    const key = accountKey(item, account);
    const currency = currencyOf(account);
    const confirmation = (kind: AccountConfirmation['kind']) =>
      settings.accountConfirmations.find((c) => c.kind === kind && c.accountKey === key);
    const owner = ownership.find((o) => o.accountId === account.account_id);
    const reasons: NotCountedReason[] = [];
    if (owner && !owner.owned) {
      if (owner.badges.includes('possible_match')) reasons.push('possible_match');
      else if (owner.badges.includes('name_mismatch')) reasons.push('name_mismatch');
      else reasons.push('owners_unavailable');
    }
    if (owner?.badges.includes('business') && !confirmation('business_review')) reasons.push('business');
    // Held in trust, in the borrower's name: the trust documents are what shows the money can be withdrawn. (In
    // someone else's name, the ownership confirmation asked for above is the same record.)
    if (owner?.owned && owner.badges.includes('trust') && !confirmation('ownership')) reasons.push('trust');
    const conversion = confirmation('conversion');
    const usdRate = currency === 'USD' ? 1 : (conversion?.usdRate ?? null);
    if (assetClass === 'crypto' && !conversion?.usdRate) reasons.push('crypto');
    else if (usdRate === null) reasons.push('foreign_currency');
    const share = classShare(assetClass, settings);
    if (assetClass === 'hsa' && share === 0) reasons.push('hsa_excluded');
    if (assetClass === 'restricted') reasons.push(restrictedReason(account));
    if (assetClass === 'other') reasons.push('limited_use');
    if (balance === null) reasons.push('no_balance');
    if (reasons.length > 0 || balance === null || usdRate === null) {
      notCounted.push({
        ...label,
        accountKey: key,
        assetClass,
        currency,
        balance,
        reasons,
        actions: reasons.map((reason) => NOT_COUNTED[reason].action),
      });
      continue;
    }
    counted.push({
      ...label,
      accountKey: key,
      assetClass,
      currency: currency ?? 'USD',
      balance,
      borrowedAgainst: borrowedAgainst(account),
      counted: 0, // set by countAtShares, across the class
      share,
      usdRate: currency === 'USD' ? null : usdRate,
    });
  }
  countAtShares(counted);
  return { counted, notCounted, debtsCents };
}

/**
 * The account's balance in US cents before its class share. An overdrawn cash account counts below zero: what it
 * owes the bank comes out of the borrower's other cash. An investment counts what is left after the money borrowed
 * against it (margin, a plan loan), never below zero.
 */
function grossCents(account: Pick<CountedAccount, 'assetClass' | 'balance' | 'borrowedAgainst' | 'usdRate'>): number {
  const own = toCents(account.balance) - toCents(account.borrowedAgainst);
  return convertCents(account.assetClass === 'cash' ? own : Math.max(0, own), account.usdRate ?? 1);
}

/**
 * Each class counts its share of the class's total, rounded down to the cent (never more than the share), and
 * its accounts show that total split between them: each its own share rounded down, the cents left over going to
 * the largest remainders (the first account on a tie). Rounding each account alone could add cents: 60% of two
 * 1,000.01 accounts is 1,200.012, not 2 × 600.01.
 */
function countAtShares(counted: CountedAccount[]): void {
  const byClass = new Map<CountedAccount['assetClass'], CountedAccount[]>();
  for (const account of counted) {
    const list = byClass.get(account.assetClass) ?? [];
    list.push(account);
    byClass.set(account.assetClass, list);
  }
  for (const accounts of byClass.values()) {
    const share = accounts[0]?.share ?? 0;
    const parts = accounts.map((account) => shareOfCents(grossCents(account), share));
    const totalCents = shareOfCents(
      accounts.reduce((sum, account) => sum + grossCents(account), 0),
      share,
    ).whole;
    let left = totalCents - parts.reduce((sum, part) => sum + part.whole, 0);
    const byRemainder = parts
      .map((part, index) => ({ part, index }))
      .sort((a, b) =>
        a.part.remainder === b.part.remainder ? a.index - b.index : a.part.remainder > b.part.remainder ? -1 : 1,
      );
    for (const { part } of byRemainder) {
      if (left <= 0) break;
      part.whole += 1;
      left -= 1;
    }
    accounts.forEach((account, i) => (account.counted = (parts[i]?.whole ?? 0) / 100));
  }
}

/**
 * Verified funds: only accounts the borrowers own and can use, in US dollars, each class at its share (cash,
 * brokerage in full; retirement at the lender's discount; HSA per setting), less unsourced large deposits in
 * counted accounts on a purchase, against funds to close plus reserves. All sums in integer cents. With the loan's
 * other current reports (`loanReports`), the finding says its figures are this report's alone and adds the loan's.
 */
export function checkFundsToClose(
  accounts: ReportAccount[],
  largeDeposits: {
    deposits: Pick<LargeDeposit, 'sourced' | 'amount' | 'inCountedAccount' | 'transactionId' | 'date' | 'accountId'>[];
  },
  loan: Pick<LoanInputs, 'purpose' | 'fundsToClose' | 'reservesNeeded'>,
  settings: EligibilitySettings,
  ownership: OwnershipResult[],
  loanReports?: { reportId: string; reportDate: string; others: readonly ReportFunds[] },
): { fundsToClose: FundsToCloseResult; findings: Finding[] } {
  const { counted, notCounted, debtsCents } = classifyAccounts(accounts, ownership, settings);
  const sumCents = (classes: string[]) =>
    counted.filter((a) => classes.includes(a.assetClass)).reduce((sum, a) => sum + toCents(a.counted), 0);
  const cashCents = sumCents(['cash']);
  const retirementCents = sumCents(['retirement']);
  const retirementGrossCents = counted
    .filter((a) => a.assetClass === 'retirement')
    .reduce((sum, a) => sum + grossCents(a), 0);
  const brokerageCents = sumCents(['brokerage', 'crypto']);
  const hsaCents = sumCents(['hsa']);
  const verifiedCents = cashCents + retirementCents + brokerageCents + hsaCents;
  const deducted =
    loan.purpose === 'purchase' ? largeDeposits.deposits.filter((d) => !d.sourced && d.inCountedAccount) : [];
  const unsourcedCents = deducted.reduce((sum, d) => sum + toCents(d.amount), 0);
  const availableCents = verifiedCents - unsourcedCents;
  const fundsToCloseCents = toCents(loan.fundsToClose);
  const requiredCents = fundsToCloseCents + toCents(loan.reservesNeeded);
  const surplusCents = availableCents - requiredCents;
  // Closing is paid in cash; the other classes count for reserves as they stand but reach closing only once withdrawn
  // or sold. Funds to close come out of cash first (the unsourced deposits in it do not count), the rest from them.
  const cashForClosingCents = cashCents - unsourcedCents;
  const otherAssetsCents = verifiedCents - cashCents;
  const neededFromOtherCents = Math.min(
    otherAssetsCents,
    Math.max(0, fundsToCloseCents - Math.max(0, cashForClosingCents)),
  );
  const borrowedAgainstCents = counted.reduce(
    (sum, a) => sum + convertCents(toCents(a.borrowedAgainst), a.usdRate ?? 1),
    0,
  );
  const result: FundsToCloseResult = {
    depositoryAssets: cashCents / 100,
    retirementAssetsGross: retirementGrossCents / 100,
    retirementAssets: retirementCents / 100,
    retirementDiscount: settings.retirementDiscount,
    brokerageAssets: brokerageCents / 100,
    hsaAssets: hsaCents / 100,
    counted,
    notCounted,
    verifiedLiquidAssets: verifiedCents / 100,
    unsourcedDeducted: unsourcedCents / 100,
    availableFunds: availableCents / 100,
    fundsToClose: loan.fundsToClose,
    cashForClosing: cashForClosingCents / 100,
    neededFromOtherAssets: neededFromOtherCents / 100,
    reservesNeeded: loan.reservesNeeded,
    required: requiredCents / 100,
    surplus: surplusCents / 100,
    shortfall: surplusCents < 0 ? -surplusCents / 100 : 0,
    debtsExcluded: debtsCents / 100,
    loan: loanReports
      ? combineLoanFunds(
          {
            reportId: loanReports.reportId,
            reportDate: loanReports.reportDate,
            accounts: fundsParts(counted, largeDeposits.deposits, loan.purpose),
          },
          loanReports.others,
          loan,
        )
      : null,
  };
  const together = result.loan ?? null;

  const parts = [`Cash accounts ${formatMoney(result.depositoryAssets)}`];
  if (retirementGrossCents > 0)
    parts.push(
      `retirement ${formatMoney(result.retirementAssets)} (${formatShare(settings.retirementDiscount)} of ${formatMoney(result.retirementAssetsGross)})`,
    );
  if (brokerageCents > 0) parts.push(`brokerage ${formatMoney(result.brokerageAssets)}`);
  if (hsaCents > 0) parts.push(`HSA ${formatMoney(result.hsaAssets)}`);
  if (unsourcedCents > 0) parts.push(`less unsourced large deposits ${formatMoney(result.unsourcedDeducted)}`);
  let detail = `${parts.join(', ')} = ${formatMoney(result.availableFunds)} available, against ${formatMoney(loan.fundsToClose)} to close + ${formatMoney(loan.reservesNeeded)} reserves = ${formatMoney(result.required)}. Credit and loan balances (${formatMoney(result.debtsExcluded)}) are debts and not counted.`;
  const overdrawn = counted.filter((a) => a.assetClass === 'cash' && a.balance < 0);
  if (overdrawn.length > 0)
    detail += ` Overdrawn, and taken off the cash: ${overdrawn.map((a) => `${describeAccount(a)} ${formatMoney(a.balance)}`).join(', ')}.`;
  if (borrowedAgainstCents > 0)
    detail += ` Counted net of ${formatMoney(borrowedAgainstCents / 100)} borrowed against investment accounts (margin or plan loans): ${counted
      .filter((a) => a.borrowedAgainst > 0)
      .map((a) => `${describeAccount(a)} ${formatMoney(a.balance)} less ${formatMoney(a.borrowedAgainst)}`)
      .join(', ')}.`;
  if (notCounted.length > 0)
    detail += ` Not counted until confirmed: ${notCounted.map((a) => `${describeAccount(a)} (${a.reasons.map((r) => NOT_COUNTED[r].why).join('; ')})`).join(', ')}.`;
  if (result.shortfall > 0 && deducted.length > 0)
    detail += ' Sourcing the large deposits would add their amounts back.';
  // Each borrower's report alone may fall short where the loan's reports together cover it: say whose figure is which.
  if (together) detail = `This report's accounts alone: ${detail} ${loanFundsSentence(together)}`;
  // The loan's figure decides the loan: the title gives it too, not only the larger shortfall of this report alone.
  const alone = together ? ' with this report alone' : '';
  // A report that covers the loan alone can still leave it short: the others' unsourced deposits come off the loan's
  // figure, and a joint account counts at its newest (maybe lower) balance.
  const loanShort = together !== null && together.shortfall > 0;
  const findings: Finding[] = [
    {
      id: 'funds-to-close',
      rule: 'funds_to_close',
      severity:
        result.shortfall > 0
          ? together && together.shortfall === 0
            ? 'info'
            : 'attention'
          : loanShort
            ? 'attention'
            : 'ok',
      title:
        result.shortfall > 0
          ? `Short ${formatMoney(result.shortfall)} for funds to close and reserves${alone}${together ? (together.shortfall === 0 ? '; covered with the loan’s other reports' : `; short ${formatMoney(together.shortfall)} with the loan’s other reports`) : ''}`
          : `Funds to close and reserves covered${alone}, ${formatMoney(result.surplus)} to spare${loanShort ? `; short ${formatMoney(together.shortfall)} with the loan’s other reports` : ''}`,
      detail,
      citation: CITATIONS.funds_to_close,
      accountIds: counted.map((a) => a.accountId),
      transactionIds: deducted.map((d) => d.transactionId),
      dates: deducted.map((d) => d.date),
      amount: result.shortfall > 0 ? result.shortfall : loanShort ? together.shortfall : result.surplus,
    },
  ];
  if (neededFromOtherCents > 0) {
    const sources = counted.filter((a) => a.assetClass !== 'cash' && a.counted > 0);
    findings.push({
      id: 'funds-to-close:from-other-assets',
      rule: 'funds_to_close',
      severity: 'attention',
      title: `${formatMoney(result.neededFromOtherAssets)} of funds to close must come from investment or retirement accounts${alone}`,
      detail: `Cash accounts hold ${formatMoney(result.cashForClosing)}${unsourcedCents > 0 ? ' after the unsourced large deposits' : ''} against ${formatMoney(loan.fundsToClose)} to close. The rest must come from ${sources.map((a) => describeAccount(a)).join(', ')}: document the withdrawal or sale and the borrower's receipt of the money before closing. Counted for reserves, they need no withdrawal.`,
      citation: CITATIONS.funds_to_close,
      accountIds: sources.map((a) => a.accountId),
      transactionIds: [],
      dates: [],
      amount: result.neededFromOtherAssets,
    });
  }
  // One finding per reason an account is held back, listing the accounts and the action that counts them.
  for (const reason of Object.keys(NOT_COUNTED) as NotCountedReason[]) {
    const held = notCounted.filter((a) => a.reasons.includes(reason));
    if (held.length === 0) continue;
    findings.push({
      id: `funds-not-counted:${reason}`,
      rule: 'funds_to_close',
      severity: WORTH_KNOWING.has(reason) ? 'info' : 'attention',
      title: `Not counted in funds to close: ${held.length} account${held.length === 1 ? '' : 's'} because ${NOT_COUNTED[reason].why}`,
      detail: `${held.map((a) => `${describeAccount(a)}${a.balance !== null ? ` ${a.currency && a.currency !== 'USD' ? `${a.balance.toFixed(2)} ${a.currency}` : formatMoney(a.balance)}` : ''}`).join(', ')}. ${NOT_COUNTED[reason].action}`,
      citation: CITATIONS.funds_to_close,
      accountIds: held.map((a) => a.accountId),
      transactionIds: [],
      dates: [],
    });
  }
  return { fundsToClose: result, findings };
}

/**
 * A purchase whose unsourced large deposits are subtracted and what is left (the loan's reports together, if it has
 * several) still covers funds to close and reserves: their source need not be documented.
 */
export function unsourcedNotNeeded(
  loan: Pick<LoanInputs, 'purpose'>,
  funds: Pick<FundsToCloseResult, 'shortfall' | 'unsourcedDeducted' | 'loan'>,
): boolean {
  const covered = funds.loan ?? funds;
  return loan.purpose === 'purchase' && funds.unsourcedDeducted > 0 && covered.shortfall === 0;
}

/**
 * On a purchase an unsourced large deposit needs documenting only when its money is needed to close: its amount is
 * subtracted from verified funds, and when what is left (the loan's reports together, if it has several) still covers
 * funds to close and reserves, its source need not be documented. The deposits without any sign of where they came
 * from then read as worth knowing; gifts and borrowed money still need the officer (a gift letter, a new debt).
 */
export function notNeededToClose(
  findings: Finding[],
  loan: Pick<LoanInputs, 'purpose'>,
  funds: Pick<FundsToCloseResult, 'shortfall' | 'surplus' | 'unsourcedDeducted' | 'loan'>,
): Finding[] {
  if (!unsourcedNotNeeded(loan, funds)) return findings;
  const covered = funds.loan ?? funds;
  const whose = funds.loan
    ? `${withOthers(funds.loan).replace('This report', 'this report')} together`
    : 'verified funds';
  return findings.map((finding) =>
    finding.id === 'large-deposit:unsourced' && finding.severity === 'attention'
      ? {
          ...finding,
          severity: 'info',
          detail: `${finding.detail} Not needed to close: with the unsourced large deposits subtracted, ${whose} still cover funds to close and reserves (${formatMoney(covered.surplus)} to spare), so their source need not be documented.`,
        }
      : finding,
  );
}

import type { ReportAccount } from './accounts';
import { balanceOf, cents, formatMoney, isDebt, isDepository, isInvestment } from './accounts';
import { CITATIONS } from './types';
import type { Finding, FundsToCloseResult, LargeDepositResult, LoanInputs, UnderwritingSettings } from './types';

/**
 * Verified liquid assets (deposit accounts in full, retirement and investment at the lender's discount)
 * minus unsourced large deposits on a purchase, against funds to close plus reserves.
 * Credit and loan balances are debts and never count.
 */
export function checkFundsToClose(
  accounts: ReportAccount[],
  largeDeposits: Pick<LargeDepositResult, 'deposits' | 'totalUnsourced'>,
  loan: Pick<LoanInputs, 'purpose' | 'fundsToClose' | 'reservesNeeded'>,
  settings: Pick<UnderwritingSettings, 'retirementDiscount'>,
): { fundsToClose: FundsToCloseResult; findings: Finding[] } {
  let depository = 0;
  let retirementGross = 0;
  let debts = 0;
  for (const { account } of accounts) {
    const balance = balanceOf(account) ?? 0;
    // An overdrawn account holds nothing to close with.
    if (isDepository(account)) depository += Math.max(0, balance);
    else if (isInvestment(account)) retirementGross += Math.max(0, balance);
    else if (isDebt(account)) debts += Math.abs(balance);
  }
  const retirementAssets = cents(retirementGross * settings.retirementDiscount);
  const verifiedLiquidAssets = cents(depository + retirementAssets);
  const unsourcedDeducted = loan.purpose === 'purchase' ? largeDeposits.totalUnsourced : 0;
  const availableFunds = cents(verifiedLiquidAssets - unsourcedDeducted);
  const required = cents(loan.fundsToClose + loan.reservesNeeded);
  const surplus = cents(availableFunds - required);
  const result: FundsToCloseResult = {
    depositoryAssets: cents(depository),
    retirementAssetsGross: cents(retirementGross),
    retirementAssets,
    retirementDiscount: settings.retirementDiscount,
    verifiedLiquidAssets,
    unsourcedDeducted,
    availableFunds,
    fundsToClose: loan.fundsToClose,
    reservesNeeded: loan.reservesNeeded,
    required,
    surplus,
    shortfall: surplus < 0 ? -surplus : 0,
    debtsExcluded: cents(debts),
  };

  const deducted = loan.purpose === 'purchase' ? largeDeposits.deposits.filter((d) => !d.sourced) : [];
  const parts = [
    `Deposit accounts ${formatMoney(result.depositoryAssets)}`,
    `retirement/investment ${formatMoney(retirementAssets)} (${Math.round(settings.retirementDiscount * 100)}% of ${formatMoney(result.retirementAssetsGross)})`,
  ];
  if (unsourcedDeducted > 0) parts.push(`less unsourced large deposits ${formatMoney(unsourcedDeducted)}`);
  const detail = `${parts.join(', ')} = ${formatMoney(availableFunds)} available, against ${formatMoney(loan.fundsToClose)} to close + ${formatMoney(loan.reservesNeeded)} reserves = ${formatMoney(required)}. Credit and loan balances (${formatMoney(result.debtsExcluded)}) are debts and not counted.`;
  const finding: Finding = {
    id: 'funds-to-close',
    rule: 'funds_to_close',
    severity: result.shortfall > 0 ? 'attention' : 'ok',
    title:
      result.shortfall > 0
        ? `Short ${formatMoney(result.shortfall)} for funds to close and reserves`
        : `Funds to close and reserves covered, ${formatMoney(surplus)} to spare`,
    detail:
      result.shortfall > 0 && deducted.length > 0
        ? `${detail} Sourcing the large deposits would add their amounts back.`
        : detail,
    citation: CITATIONS.funds_to_close,
    transactionIds: deducted.map((d) => d.transactionId),
    dates: deducted.map((d) => d.date),
    amount: result.shortfall > 0 ? result.shortfall : surplus,
  };
  return { fundsToClose: result, findings: [finding] };
}

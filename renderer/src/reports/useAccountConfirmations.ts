import { useState } from 'react';
import { api } from '../api';
import type { StoredAccountConfirmation } from '../../../shared/domain';
import type { AccountConfirmation } from '../../../shared/underwriting/types';

/** The loan's account confirmations, saved at once and reflected in the analysis without a reload. */
export function useAccountConfirmations(loanId: string | null, initial: StoredAccountConfirmation[]) {
  const [confirmations, setConfirmations] = useState<StoredAccountConfirmation[]>(initial);
  const same = (
    a: Pick<AccountConfirmation, 'accountKey' | 'kind'>,
    b: Pick<AccountConfirmation, 'accountKey' | 'kind'>,
  ) => a.accountKey === b.accountKey && a.kind === b.kind;

  async function confirm(confirmation: AccountConfirmation): Promise<void> {
    if (!loanId) return;
    await api.underwritingConfirmAccount({
      loanId,
      accountKey: confirmation.accountKey,
      kind: confirmation.kind,
      note: confirmation.note,
      usdRate: confirmation.usdRate ?? null,
    });
    const saved: StoredAccountConfirmation = {
      ...confirmation,
      usdRate: confirmation.usdRate ?? null,
      confirmedAt: new Date().toISOString(),
    };
    setConfirmations((list) => [...list.filter((c) => !same(c, confirmation)), saved]);
  }

  async function withdraw(confirmation: Pick<AccountConfirmation, 'accountKey' | 'kind'>): Promise<void> {
    if (!loanId) return;
    await api.underwritingWithdrawConfirmation({ loanId, ...confirmation });
    setConfirmations((list) => list.filter((c) => !same(c, confirmation)));
  }

  return { confirmations, confirm, withdraw };
}

import { useState } from 'react';
import { api } from '../api';
import type { StoredAccountConfirmation } from '../../../shared/domain';
import type { AccountConfirmation } from '../../../shared/underwriting/types';

/**
 * The loan's account confirmations, saved at once and reflected in the analysis without a reload. `loaded` is
 * what the store holds (null until it has arrived: the report screen paints before the loan's records).
 */
export function useAccountConfirmations(loanId: string | null, loaded: StoredAccountConfirmation[] | null) {
  // Null until the officer confirms or withdraws one here: until then, what the store holds.
  const [changed, setChanged] = useState<StoredAccountConfirmation[] | null>(null);
  const confirmations = changed ?? loaded ?? [];
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
    setChanged((list) => [...(list ?? loaded ?? []).filter((c) => !same(c, confirmation)), saved]);
  }

  async function withdraw(confirmation: Pick<AccountConfirmation, 'accountKey' | 'kind'>): Promise<void> {
    if (!loanId) return;
    await api.underwritingWithdrawConfirmation({ loanId, ...confirmation });
    setChanged((list) => (list ?? loaded ?? []).filter((c) => !same(c, confirmation)));
  }

  return { confirmations, confirm, withdraw };
}

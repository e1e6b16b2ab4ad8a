import { useState } from 'react';
import { type Loan, type LoanStatus } from '../../../shared/domain';
import { api } from '../api';
import { Button, loanStatusLabel, toAppError, useConfirm, useToast } from '../ui';

/** The chip colour of each loan status. */
export const STATUS_TONE: Record<LoanStatus, 'success' | 'neutral' | 'warning'> = {
  open: 'success',
  closed: 'neutral',
  withdrawn: 'warning',
};

/** Close loan / Withdraw / Reopen, each confirmed: closing or withdrawing starts the retention clock. */
export function LoanStatusControl({ loan, onChanged }: { loan: Loan; onChanged(loan: Loan): void }) {
  const confirm = useConfirm();
  const toast = useToast();
  const [busy, setBusy] = useState<LoanStatus | null>(null);
  const change = async (status: LoanStatus) => {
    const texts: Record<LoanStatus, { title: string; message: string; label: string }> = {
      closed: {
        title: `Close loan ${loan.loanNumber}?`,
        message:
          'Closing the loan (it funded) starts its retention clock: once the retention period set in Settings has passed, AssetDesk removes its reports and bank links at Plaid. Reopen it to stop the clock.',
        label: 'Close loan',
      },
      withdrawn: {
        title: `Withdraw loan ${loan.loanNumber}?`,
        message:
          'Withdrawing the loan starts its retention clock: once the retention period set in Settings has passed, AssetDesk removes its reports and bank links at Plaid. Reopen it to stop the clock.',
        label: 'Withdraw',
      },
      open: {
        title: `Reopen loan ${loan.loanNumber}?`,
        message: 'The loan is worked again and its retention clock stops.',
        label: 'Reopen',
      },
    };
    const text = texts[status];
    if (!(await confirm({ title: text.title, message: text.message, confirmLabel: text.label }))) return;
    setBusy(status);
    try {
      const updated = await api.loansSetStatus({ loanId: loan.id, status });
      toast.show({ message: `Loan ${updated.loanNumber} is ${loanStatusLabel[updated.status].toLowerCase()}.` });
      onChanged(updated);
    } catch (error) {
      toast.show({ message: toAppError(error).message, tone: 'error' });
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="detail-actions" data-testid="loan-status-control">
      {loan.status === 'open' ? (
        <>
          <Button onClick={() => void change('closed')} busy={busy === 'closed'} data-testid="close-loan">
            Close loan
          </Button>
          <Button onClick={() => void change('withdrawn')} busy={busy === 'withdrawn'} data-testid="withdraw-loan">
            Withdraw
          </Button>
        </>
      ) : (
        <Button onClick={() => void change('open')} busy={busy === 'open'} data-testid="reopen-loan">
          Reopen
        </Button>
      )}
    </div>
  );
}

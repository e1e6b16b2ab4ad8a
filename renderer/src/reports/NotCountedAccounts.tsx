import { useId, useState } from 'react';
import type { StoredAccountConfirmation } from '../../../shared/domain';
import { useCan } from '../team/TeamContext';
import type { AccountConfirmation, NotCountedAccount, NotCountedReason } from '../../../shared/underwriting/types';
import { Button, Chip, ErrorAlert, FieldError } from '../ui';
import { formatMoney } from './format';
import { NoteDialog } from './NoteDialog';

/** Why an account is held back, in the officer's words, and the confirmation that counts it (if the officer can). */
const REASONS: Record<NotCountedReason, { label: string; kind: AccountConfirmation['kind'] | null; action: string }> = {
  name_mismatch: { label: 'Borrower not among the owners', kind: 'ownership', action: 'Confirm ownership' },
  possible_match: { label: 'Possible name match', kind: 'ownership', action: 'Confirm ownership' },
  owners_unavailable: { label: 'Owners unknown', kind: 'ownership', action: 'Confirm ownership' },
  business: { label: 'Business account', kind: 'business_review', action: 'Record business-asset review' },
  trust: { label: 'Held in trust', kind: 'ownership', action: 'Record trust documents' },
  foreign_currency: { label: 'Not in US dollars', kind: 'conversion', action: 'Enter conversion' },
  crypto: { label: 'Crypto-currency', kind: 'conversion', action: 'Enter conversion' },
  hsa_excluded: { label: 'HSA excluded by settings', kind: null, action: '' },
  custodial: { label: 'Custodial, for a minor', kind: null, action: '' },
  education: { label: 'Education savings', kind: null, action: '' },
  annuity_insurance: { label: 'Annuity or insurance', kind: null, action: '' },
  needs_review: { label: 'Kind of account to review', kind: null, action: '' },
  limited_use: { label: 'Not money for closing as it is', kind: null, action: '' },
  no_balance: { label: 'No balance from Plaid', kind: null, action: '' },
};

const KIND_LABEL: Record<AccountConfirmation['kind'], string> = {
  ownership: 'Ownership confirmed',
  business_review: 'Business-asset review',
  conversion: 'Converted to US dollars',
};

function balanceText(account: NotCountedAccount): string {
  if (account.balance === null) return '—';
  return account.currency && account.currency !== 'USD'
    ? `${account.balance.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${account.currency}`
    : formatMoney(account.balance);
}

interface Props {
  notCounted: NotCountedAccount[];
  confirmations: StoredAccountConfirmation[];
  /** Labels for the confirmed accounts (by account key) present in this report. */
  accountNames: Map<string, string>;
  onConfirm(confirmation: AccountConfirmation): Promise<void>;
  onWithdraw(confirmation: Pick<AccountConfirmation, 'accountKey' | 'kind'>): Promise<void>;
}

/**
 * The accounts whose money is not in funds to close, why, and the one action that counts each; then the
 * confirmations already recorded (they carry to refreshed and filtered reports), each of which can be withdrawn.
 */
export function NotCountedAccounts({ notCounted, confirmations, accountNames, onConfirm, onWithdraw }: Props) {
  const headingId = useId();
  // A processor reads the findings; recording or withdrawing a confirmation is an officer's (team mode).
  const canConfirm = useCan('underwriting:confirmAccount').allowed;
  const canWithdraw = useCan('underwriting:withdrawConfirmation').allowed;
  const [confirming, setConfirming] = useState<{ account: NotCountedAccount; reason: NotCountedReason } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const recorded = confirmations.filter((c) => accountNames.has(c.accountKey));
  if (notCounted.length === 0 && recorded.length === 0) return null;
  return (
    <div className="rp-deposits" data-testid="not-counted" aria-labelledby={headingId}>
      <h3 id={headingId}>Accounts not counted in funds to close</h3>
      <ErrorAlert error={error} />
      {notCounted.length === 0 ? (
        <p className="muted" data-testid="not-counted-none">
          Every asset account counts.
        </p>
      ) : (
        <table className="data-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col" className="num">
                Balance
              </th>
              <th scope="col">Why it is not counted</th>
              <th scope="col">To count it</th>
            </tr>
          </thead>
          <tbody>
            {notCounted.map((account) => (
              <tr key={account.accountId} data-testid="not-counted-account" data-account-key={account.accountKey}>
                <td>
                  {account.institutionName} · {account.name}
                  {account.mask ? ` ••${account.mask}` : ''}
                </td>
                <td className="num">{balanceText(account)}</td>
                <td>
                  {account.reasons.map((reason) => (
                    <Chip key={reason} tone="warning">
                      {REASONS[reason].label}
                    </Chip>
                  ))}
                </td>
                <td>
                  {account.reasons.map((reason, i) =>
                    REASONS[reason].kind && canConfirm ? (
                      <Button
                        key={reason}
                        size="small"
                        onClick={() => setConfirming({ account, reason })}
                        data-testid={`confirm-${REASONS[reason].kind}`}
                      >
                        {REASONS[reason].action}
                      </Button>
                    ) : (
                      <span key={reason} className="muted">
                        {account.actions[i]}
                      </span>
                    ),
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {recorded.length > 0 && (
        <ul className="rp-confirmations" data-testid="confirmations">
          {recorded.map((c) => (
            <li key={`${c.accountKey}/${c.kind}`} data-testid="confirmation">
              <Chip tone="success">{KIND_LABEL[c.kind]}</Chip> {accountNames.get(c.accountKey)}: {c.note}
              {c.usdRate ? ` (1 = ${c.usdRate} USD)` : ''}{' '}
              {canWithdraw && (
                <Button
                  size="small"
                  variant="ghost"
                  onClick={async () => {
                    setError(null);
                    try {
                      await onWithdraw(c);
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  Withdraw
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {confirming && (
        <ConfirmAccountDialog
          account={confirming.account}
          kind={REASONS[confirming.reason].kind ?? 'ownership'}
          trust={confirming.reason === 'trust'}
          onClose={() => setConfirming(null)}
          onSave={async (note, usdRate) => {
            await onConfirm({
              accountKey: confirming.account.accountKey,
              kind: REASONS[confirming.reason].kind ?? 'ownership',
              note,
              usdRate,
            });
            setConfirming(null);
          }}
        />
      )}
    </div>
  );
}

function ConfirmAccountDialog({
  account,
  kind,
  trust,
  onClose,
  onSave,
}: {
  account: NotCountedAccount;
  kind: AccountConfirmation['kind'];
  /** An account held in trust: the ownership confirmation records its trust documents. */
  trust: boolean;
  onClose(): void;
  onSave(note: string, usdRate: number | null): Promise<void>;
}) {
  const [rate, setRate] = useState('');
  const rateId = useId();
  const parsedRate = Number(rate);
  const rateInvalid = kind === 'conversion' && !(parsedRate > 0);
  const prompt: Record<AccountConfirmation['kind'], string> = {
    ownership: 'How was ownership confirmed?',
    business_review: "The lender's business-asset review",
    conversion: 'Source of the conversion',
  };
  return (
    <NoteDialog
      title={`${trust ? 'Trust documents' : KIND_LABEL[kind]}: ${account.name}${account.mask ? ` ••${account.mask}` : ''}`}
      testId="confirm-account-dialog"
      saveLabel="Save"
      saveTestId="confirm-account-save"
      noteLabel={
        trust ? "Which trust documents show the account's value and that the borrower can withdraw it?" : prompt[kind]
      }
      notePlaceholder={
        trust
          ? 'e.g. Certification of trust: the borrower is trustee with full withdrawal rights'
          : 'e.g. March statement names the borrower as owner'
      }
      noteTestId="confirm-account-note"
      noteRequired="A note is required: underwriting needs to know how it was confirmed."
      extraInvalid={rateInvalid}
      extraFields={(touched) =>
        kind === 'conversion' && (
          <div className="field">
            <label htmlFor={rateId}>US dollars per 1 {account.currency ?? 'unit'}</label>
            <input
              id={rateId}
              inputMode="decimal"
              value={rate}
              data-testid="confirm-account-rate"
              aria-invalid={touched && rateInvalid ? true : undefined}
              aria-describedby={touched && rateInvalid ? `${rateId}-error` : undefined}
              onChange={(e) => setRate(e.target.value)}
            />
            {touched && rateInvalid && <FieldError id={`${rateId}-error`} error="Enter a rate above zero." />}
          </div>
        )
      }
      onClose={onClose}
      onSave={(note) => onSave(note, kind === 'conversion' ? parsedRate : null)}
    />
  );
}

import { useState, type ReactNode } from 'react';
import {
  APPLICANT_LABELS,
  APPLICANT_MAX_LENGTH,
  DEFAULT_APPLICANT_LIMITS,
  US_STATES,
  localToday,
  type Applicant,
} from '../../../shared/domain';
import { Button, SelectField, TextField, loanPurposeLabel } from '../ui';
import {
  formatSsnInput,
  type BorrowerErrors,
  type BorrowerField,
  type BorrowerValues,
  type TermErrors,
  type TermField,
  type TermValues,
} from './loan-form-values';

// A paste longer than a field can hold is cut at the input, not refused only on submit.
const MONEY_MAX_LENGTH = 20;

/** The loan's terms: number, purpose, dates, property and amounts (new loan and edit share it). */
export function LoanTermsFields({
  values,
  errors,
  onChange,
  onLoanNumberBlur,
  after,
  autoFocus,
}: {
  /** The new loan starts at its number (the duplicate check follows it). */
  autoFocus?: boolean;
  values: TermValues;
  errors: TermErrors;
  onChange(field: TermField, value: string): void;
  onLoanNumberBlur?(): void;
  /** Shown under the loan number (the duplicate notice). */
  after?: ReactNode;
}) {
  const minApplicationDate = (() => {
    const d = new Date();
    d.setDate(d.getDate() - DEFAULT_APPLICANT_LIMITS.applicationDateMaxAgeDays);
    return localToday(d);
  })();
  const maxNoteDate = (() => {
    const d = new Date();
    d.setDate(d.getDate() + DEFAULT_APPLICANT_LIMITS.noteDateMaxAheadDays);
    return localToday(d);
  })();
  const common = (field: TermField) => ({
    name: field,
    value: values[field],
    onChange: (event: { target: { value: string } }) => onChange(field, event.target.value),
    error: errors[field],
    'data-testid': `field-${field}`,
  });
  const money = (field: 'qualifyingMonthlyIncome' | 'fundsToClose' | 'reservesNeeded') => ({
    ...common(field),
    inputMode: 'decimal' as const,
    autoComplete: 'off',
    maxLength: MONEY_MAX_LENGTH,
  });
  return (
    <fieldset className="form-section" data-testid="loan-terms">
      <legend>Loan terms</legend>
      <div className="grid-2">
        <div>
          <TextField
            label={APPLICANT_LABELS.loanNumber}
            autoComplete="off"
            required
            autoFocus={autoFocus}
            maxLength={APPLICANT_MAX_LENGTH.loanNumber}
            onBlur={onLoanNumberBlur}
            {...common('loanNumber')}
          />
          {after}
        </div>
        <SelectField label={APPLICANT_LABELS.loanPurpose} {...common('loanPurpose')}>
          {Object.entries(loanPurposeLabel).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField
          label={APPLICANT_LABELS.applicationDate}
          type="date"
          required
          min={minApplicationDate}
          max={localToday()}
          {...common('applicationDate')}
        />
        <TextField
          label={APPLICANT_LABELS.expectedNoteDate}
          type="date"
          optional
          max={maxNoteDate}
          hint="Document age is measured against it once known"
          {...common('expectedNoteDate')}
        />
        <TextField
          label={APPLICANT_LABELS.street}
          optional
          autoComplete="off"
          maxLength={APPLICANT_MAX_LENGTH.street}
          className="span-all"
          {...common('street')}
        />
      </div>
      <div className="grid-address">
        <TextField
          label={APPLICANT_LABELS.unit}
          optional
          autoComplete="off"
          maxLength={APPLICANT_MAX_LENGTH.unit}
          {...common('unit')}
        />
        <TextField
          label={APPLICANT_LABELS.city}
          autoComplete="off"
          maxLength={APPLICANT_MAX_LENGTH.city}
          {...common('city')}
        />
        <SelectField label={APPLICANT_LABELS.state} {...common('state')}>
          <option value="">—</option>
          {US_STATES.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </SelectField>
        <TextField
          label={APPLICANT_LABELS.zip}
          inputMode="numeric"
          autoComplete="off"
          maxLength={APPLICANT_MAX_LENGTH.zip}
          {...common('zip')}
        />
      </div>
      <div className="grid-3">
        <TextField
          label={APPLICANT_LABELS.qualifyingMonthlyIncome}
          hint="Gross, in dollars"
          required
          {...money('qualifyingMonthlyIncome')}
        />
        <TextField label={APPLICANT_LABELS.fundsToClose} hint="In dollars" required {...money('fundsToClose')} />
        <TextField label={APPLICANT_LABELS.reservesNeeded} hint="In dollars; 0 if none" {...money('reservesNeeded')} />
      </div>
    </fieldset>
  );
}

/** One borrower's details; co-borrowers are numbered as the messages name them. */
export function BorrowerFields({
  index,
  values,
  errors,
  onChange,
  onRemove,
  existing,
  autoFocus,
}: {
  autoFocus?: boolean;
  index: number;
  values: BorrowerValues;
  errors: BorrowerErrors;
  onChange(field: BorrowerField, value: string): void;
  onRemove?(): void;
  /** The saved borrower when editing: the SSN hint says what is on file. */
  existing?: Applicant;
}) {
  const [showSsn, setShowSsn] = useState(false);
  const common = (field: BorrowerField) => ({
    name: field,
    value: values[field],
    onChange: (event: { target: { value: string } }) =>
      onChange(field, field === 'ssn' ? formatSsnInput(event.target.value) : event.target.value),
    error: errors[field],
    maxLength: APPLICANT_MAX_LENGTH[field],
    autoComplete: 'off',
    'data-testid': `field-${field}`,
  });
  const title = index === 0 ? 'Borrower' : `Co-borrower ${index}`;
  return (
    <fieldset className="form-section" data-testid={`borrower-${index}`} data-form-scope={`borrower-${index}`}>
      <legend>{title}</legend>
      {onRemove && (
        <Button size="small" className="remove-borrower" onClick={onRemove} data-testid="remove-borrower-fields">
          Remove {title.toLowerCase()}
        </Button>
      )}
      <div className="grid-3">
        <TextField label={APPLICANT_LABELS.firstName} required autoFocus={autoFocus} {...common('firstName')} />
        <TextField label={APPLICANT_LABELS.middleName} optional {...common('middleName')} />
        <TextField label={APPLICANT_LABELS.lastName} required {...common('lastName')} />
      </div>
      <div className="grid-3">
        <TextField label={APPLICANT_LABELS.email} type="email" required {...common('email')} />
        <TextField label={APPLICANT_LABELS.phone} type="tel" required hint="Like (415) 555-0134" {...common('phone')} />
        <TextField
          label={APPLICANT_LABELS.ssn}
          optional
          type={showSsn ? 'text' : 'password'}
          inputMode="numeric"
          spellCheck={false}
          placeholder="123-45-6789"
          hint={
            existing?.ssnUnreadable
              ? 'The saved SSN is damaged and can’t be read. Enter it again to replace it.'
              : existing?.ssnMasked
                ? `On file: ${existing.ssnMasked}. Leave blank to keep it.`
                : 'Only the last four digits are shown after saving.'
          }
          after={
            <Button
              size="small"
              onClick={() => setShowSsn((s) => !s)}
              aria-pressed={showSsn}
              aria-label={showSsn ? `Hide ${title.toLowerCase()}’s SSN` : `Show ${title.toLowerCase()}’s SSN`}
              data-testid="toggle-ssn"
            >
              {showSsn ? 'Hide' : 'Show'}
            </Button>
          }
          {...common('ssn')}
        />
      </div>
    </fieldset>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { APPLICANT_MAX_LENGTH, MAX_BORROWERS, type Applicant, type Loan } from '../../../shared/domain';
import { ErrorCodes } from '../../../shared/errors';
import { api } from '../api';
import { BorrowerFields, LoanTermsFields } from './LoanFields';
import { href, navigate } from '../shell/router';
import { Button, Dialog, ErrorAlert, toAppError, useConfirm } from '../ui';
import {
  BORROWER_FIELDS,
  TERM_FIELDS,
  borrowerValues,
  checkBorrower,
  checkNewLoan,
  checkTermChanges,
  termValues,
  type BorrowerErrors,
  type BorrowerValues,
  type TermErrors,
  type TermValues,
} from './loan-form-values';

/** The file that already holds a loan number, offered instead of a duplicate. */
interface ExistingLoan {
  loanId: string;
  loanNumber: string;
  borrowerNames: string;
}

function DuplicateLoanNotice({ existing }: { existing: ExistingLoan }) {
  return (
    <div className="alert alert-warning duplicate-loan" role="alert" data-testid="duplicate-loan">
      <span>
        Loan {existing.loanNumber} already exists ({existing.borrowerNames}).
      </span>{' '}
      <Button size="small" onClick={() => navigate(href.loan(existing.loanId))} data-testid="open-existing-loan">
        Open that loan
      </Button>
    </div>
  );
}

function focusField(scope: string, field: string): void {
  document.querySelector<HTMLElement>(`[data-form-scope="${scope}"] [name="${field}"]`)?.focus();
}

/** Asks before dropping what the officer typed. */
function useDiscardGuard(dirty: boolean, message: string) {
  const confirm = useConfirm();
  return async (close: () => void) => {
    if (
      dirty &&
      !(await confirm({
        title: 'Discard changes?',
        message,
        confirmLabel: 'Discard',
        cancelLabel: 'Keep editing',
        danger: true,
      }))
    )
      return;
    close();
  };
}

/** The new loan file: its terms and one to four borrowers, checked by the contract's own rules before sending. */
export function NewLoanForm({ onClose, onSaved }: { onClose(): void; onSaved(loan: Loan): void }) {
  const formId = useId();
  const [terms, setTerms] = useState<TermValues>(() => termValues());
  const [borrowers, setBorrowers] = useState<BorrowerValues[]>(() => [borrowerValues()]);
  const [termErrors, setTermErrors] = useState<TermErrors>({});
  const [borrowerErrors, setBorrowerErrors] = useState<BorrowerErrors[]>([{}]);
  const [formError, setFormError] = useState<unknown>(null);
  const [existing, setExisting] = useState<ExistingLoan | null>(null);
  const [saving, setSaving] = useState(false);
  const [pristine] = useState(() => JSON.stringify([termValues(), [borrowerValues()]]));
  const dirty = JSON.stringify([terms, borrowers]) !== pristine;
  const guard = useDiscardGuard(dirty, 'This loan has not been added yet; what you typed will be lost.');

  const lookUpLoanNumber = async (loanNumber: string) => {
    const trimmed = loanNumber.trim();
    if (!trimmed || trimmed.length > APPLICANT_MAX_LENGTH.loanNumber) return setExisting(null);
    try {
      setExisting(await api.loansFindByNumber({ loanNumber: trimmed }));
    } catch {
      // The check is a courtesy: creating the loan checks again and says so.
      setExisting(null);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const checked = checkNewLoan(terms, borrowers);
    setTermErrors(checked.termErrors);
    setBorrowerErrors(checked.borrowerErrors);
    if (!checked.input) {
      const firstTerm = TERM_FIELDS.find((f) => checked.termErrors[f]);
      if (firstTerm) return focusField('loan-terms', firstTerm);
      const index = checked.borrowerErrors.findIndex((e) => Object.keys(e).length > 0);
      const field = BORROWER_FIELDS.find((f) => checked.borrowerErrors[index]?.[f]);
      if (field) focusField(`borrower-${index}`, field);
      return;
    }
    setSaving(true);
    try {
      const loan = await api.loansCreate(checked.input);
      onSaved(loan);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === ErrorCodes.loanNumberTaken) {
        await lookUpLoanNumber(terms.loanNumber);
        setTermErrors((e) => ({ ...e, loanNumber: appError.message }));
        focusField('loan-terms', 'loanNumber');
      } else {
        const path = appError.field?.split('.') ?? [];
        const last = path[path.length - 1];
        if (path[0] === 'borrowers' && last && (BORROWER_FIELDS as readonly string[]).includes(last)) {
          const index = Number(path[1] ?? 0);
          setBorrowerErrors((all) =>
            all.map((e, i) =>
              i === index ? { ...e, [last]: `${index === 0 ? '' : `Co-borrower ${index}: `}${appError.message}` } : e,
            ),
          );
        } else if (last && (TERM_FIELDS as readonly string[]).includes(last)) {
          setTermErrors((e) => ({ ...e, [last]: appError.message }));
        } else setFormError(appError);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      title="New loan"
      onClose={() => void guard(onClose)}
      testId="loan-form"
      footer={
        <>
          <Button onClick={() => void guard(onClose)} data-testid="cancel-loan">
            Cancel
          </Button>
          <Button variant="primary" type="submit" form={formId} busy={saving} data-testid="save-loan">
            Add loan
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate data-form-scope="loan-terms">
        <ErrorAlert error={formError} />
        <LoanTermsFields
          values={terms}
          errors={termErrors}
          onChange={(field, value) => {
            setTerms((t) => ({ ...t, [field]: value }));
            if (termErrors[field]) setTermErrors((e) => ({ ...e, [field]: undefined }));
            if (field === 'loanNumber') setExisting(null);
          }}
          onLoanNumberBlur={() => void lookUpLoanNumber(terms.loanNumber)}
          autoFocus
          after={existing && <DuplicateLoanNotice existing={existing} />}
        />
        {borrowers.map((values, index) => (
          <BorrowerFields
            key={index}
            index={index}
            values={values}
            errors={borrowerErrors[index] ?? {}}
            onChange={(field, value) => {
              setBorrowers((all) => all.map((b, i) => (i === index ? { ...b, [field]: value } : b)));
              if (borrowerErrors[index]?.[field])
                setBorrowerErrors((all) => all.map((e, i) => (i === index ? { ...e, [field]: undefined } : e)));
            }}
            // A co-borrower added by the button starts at their first name.
            autoFocus={index > 0}
            onRemove={
              index === 0
                ? undefined
                : () => {
                    setBorrowers((all) => all.filter((_, i) => i !== index));
                    setBorrowerErrors((all) => all.filter((_, i) => i !== index));
                  }
            }
          />
        ))}
        {borrowers.length < MAX_BORROWERS ? (
          <Button
            onClick={() => {
              setBorrowers((all) => [...all, borrowerValues()]);
              setBorrowerErrors((all) => [...all, {}]);
            }}
            data-testid="add-co-borrower"
          >
            Add co-borrower
          </Button>
        ) : (
          <p className="muted">A loan file has at most {MAX_BORROWERS} borrowers.</p>
        )}
      </form>
    </Dialog>
  );
}

/** Edits the loan's terms on the loan screen; only the changed fields are sent. */
export function LoanTermsDialog({
  loan,
  onClose,
  onSaved,
}: {
  loan: Loan;
  onClose(): void;
  onSaved(loan: Loan): void;
}) {
  const formId = useId();
  const [pristine] = useState(() => termValues(loan));
  const [values, setValues] = useState<TermValues>(pristine);
  const [errors, setErrors] = useState<TermErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [existing, setExisting] = useState<ExistingLoan | null>(null);
  const [saving, setSaving] = useState(false);
  const dirty = TERM_FIELDS.some((f) => values[f] !== pristine[f]);
  const guard = useDiscardGuard(dirty, 'Your changes to the loan terms have not been saved.');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const checked = checkTermChanges(values, pristine);
    setErrors(checked.errors);
    if (!checked.changes) {
      const first = TERM_FIELDS.find((f) => checked.errors[f]);
      if (first) focusField('loan-terms-edit', first);
      return;
    }
    if (Object.keys(checked.changes).length === 0) return onClose();
    setSaving(true);
    try {
      onSaved(await api.loansUpdate({ loanId: loan.id, changes: checked.changes }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === ErrorCodes.loanNumberTaken) {
        const found = await api.loansFindByNumber({ loanNumber: values.loanNumber.trim() }).catch(() => null);
        setExisting(found && found.loanId !== loan.id ? found : null);
      }
      const last = appError.field?.split('.').pop();
      if (last && (TERM_FIELDS as readonly string[]).includes(last))
        setErrors((e) => ({ ...e, [last]: appError.message }));
      else setFormError(appError);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      title="Edit loan terms"
      onClose={() => void guard(onClose)}
      testId="loan-terms-dialog"
      footer={
        <>
          <Button onClick={() => void guard(onClose)}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} busy={saving} data-testid="save-loan-terms">
            Save changes
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate data-form-scope="loan-terms-edit">
        <ErrorAlert error={formError} />
        <LoanTermsFields
          values={values}
          errors={errors}
          onChange={(field, value) => {
            setValues((v) => ({ ...v, [field]: value }));
            if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
            if (field === 'loanNumber') setExisting(null);
          }}
          onLoanNumberBlur={() => {
            const trimmed = values.loanNumber.trim();
            if (!trimmed || trimmed === pristine.loanNumber.trim()) return;
            // A courtesy check: saving checks again and says so.
            api.loansFindByNumber({ loanNumber: trimmed }).then(
              (found) => setExisting(found && found.loanId !== loan.id ? found : null),
              () => setExisting(null),
            );
          }}
          after={existing && <DuplicateLoanNotice existing={existing} />}
        />
      </form>
    </Dialog>
  );
}

/** Adds a co-borrower to the loan, or edits one borrower (only the changed fields are sent). */
export function BorrowerDialog({
  loan,
  borrower,
  onClose,
  onSaved,
}: {
  loan: Loan;
  /** Present when editing. */
  borrower?: Applicant;
  onClose(): void;
  onSaved(loan: Loan): void;
}) {
  const formId = useId();
  const index = borrower ? loan.borrowers.findIndex((b) => b.id === borrower.id) : loan.borrowers.length;
  const [pristine] = useState(() => borrowerValues(borrower));
  const [values, setValues] = useState<BorrowerValues>(pristine);
  const [errors, setErrors] = useState<BorrowerErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const dirty = BORROWER_FIELDS.some((f) => values[f] !== pristine[f]);
  const guard = useDiscardGuard(
    dirty,
    borrower ? 'Your changes to this borrower have not been saved.' : 'This co-borrower has not been added yet.',
  );
  const scope = `borrower-${index}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const checked = checkBorrower(values, borrower ? pristine : null, index);
    setErrors(checked.errors);
    if (!checked.input) {
      const first = BORROWER_FIELDS.find((f) => checked.errors[f]);
      if (first) focusField(scope, first);
      return;
    }
    setSaving(true);
    try {
      const saved = borrower
        ? await api.borrowersUpdate({ applicantId: borrower.id, changes: checked.input })
        : await api.borrowersAdd({ loanId: loan.id, borrower: checked.input });
      onSaved(saved);
    } catch (error) {
      const appError = toAppError(error);
      const last = appError.field?.split('.').pop();
      if (last && (BORROWER_FIELDS as readonly string[]).includes(last))
        setErrors((e) => ({ ...e, [last]: `${index === 0 ? '' : `Co-borrower ${index}: `}${appError.message}` }));
      else setFormError(appError);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      title={borrower ? 'Edit borrower' : 'Add co-borrower'}
      onClose={() => void guard(onClose)}
      testId="borrower-dialog"
      footer={
        <>
          <Button onClick={() => void guard(onClose)}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} busy={saving} data-testid="save-borrower">
            {borrower ? 'Save changes' : 'Add co-borrower'}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <ErrorAlert error={formError} />
        <BorrowerFields
          index={index}
          values={values}
          errors={errors}
          existing={borrower}
          onChange={(field, value) => {
            setValues((v) => ({ ...v, [field]: value }));
            if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
          }}
        />
      </form>
    </Dialog>
  );
}

import { useId, useState, type FormEvent } from 'react';
import {
  APPLICANT_LABELS,
  APPLICANT_MAX_LENGTH,
  ApplicantInput,
  DEFAULT_APPLICANT_LIMITS,
  formatPhone,
  localToday,
  type Applicant,
} from '../../../shared/domain';
import { api } from '../api';
import { Button, Dialog, ErrorAlert, SelectField, TextField, toAppError, useConfirm } from '../ui';

type FieldName =
  | 'firstName'
  | 'middleName'
  | 'lastName'
  | 'email'
  | 'phone'
  | 'loanNumber'
  | 'loanPurpose'
  | 'applicationDate'
  | 'qualifyingMonthlyIncome'
  | 'fundsToClose'
  | 'reservesNeeded'
  | 'ssn';
type FormValues = Record<FieldName, string>;
type FieldErrors = Partial<Record<FieldName, string>>;
const fieldNames: FieldName[] = [
  'firstName',
  'middleName',
  'lastName',
  'email',
  'phone',
  'loanNumber',
  'loanPurpose',
  'applicationDate',
  'qualifyingMonthlyIncome',
  'fundsToClose',
  'reservesNeeded',
  'ssn',
];
const moneyFields = ['qualifyingMonthlyIncome', 'fundsToClose', 'reservesNeeded'] as const;
// A paste longer than a field can hold is cut at the input, not refused only on submit.
const FIELD_MAX_LENGTH = {
  ...APPLICANT_MAX_LENGTH,
  qualifyingMonthlyIncome: 20,
  fundsToClose: 20,
  reservesNeeded: 20,
} as const;

function initialValues(applicant: Applicant | undefined): FormValues {
  return {
    firstName: applicant?.firstName ?? '',
    middleName: applicant?.middleName ?? '',
    lastName: applicant?.lastName ?? '',
    email: applicant?.email ?? '',
    phone: applicant ? formatPhone(applicant.phone) : '',
    loanNumber: applicant?.loanNumber ?? '',
    loanPurpose: applicant?.loanPurpose ?? 'purchase',
    applicationDate: applicant?.applicationDate ?? localToday(),
    qualifyingMonthlyIncome: applicant ? String(applicant.qualifyingMonthlyIncome) : '',
    fundsToClose: applicant ? String(applicant.fundsToClose) : '',
    reservesNeeded: applicant ? String(applicant.reservesNeeded) : '0',
    // The full SSN never comes back from the main process; an edit only replaces it.
    ssn: '',
  };
}

/** "$5,250.00" → 5250; anything else that is not a number stays NaN for the error message. */
function parseMoney(text: string): number {
  const cleaned = text.replace(/[$,\s]/g, '');
  return cleaned === '' ? Number.NaN : Number(cleaned);
}

/** Keeps only digits and places the dashes, so the officer can type 123456789. */
export function formatSsnInput(text: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 9);
  if (digits.length <= 3) return digits;
  if (digits.length <= 5) return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

/** An edit sends only what the officer changed, so a saved value a newer rule would refuse does not block it. */
function toInput(
  values: FormValues,
  pristine: FormValues | null,
): { input: Record<string, unknown>; moneyErrors: FieldErrors } {
  const editing = pristine !== null;
  const moneyErrors: FieldErrors = {};
  const input: Record<string, unknown> = {
    firstName: values.firstName,
    lastName: values.lastName,
    email: values.email.trim(),
    phone: values.phone,
    loanNumber: values.loanNumber,
    loanPurpose: values.loanPurpose,
    applicationDate: values.applicationDate,
  };
  if (values.middleName.trim() || editing) input.middleName = values.middleName;
  for (const field of moneyFields) {
    const amount = parseMoney(values[field]);
    if (Number.isNaN(amount)) moneyErrors[field] = `${APPLICANT_LABELS[field]} must be an amount in dollars, like 5250`;
    input[field] = amount;
  }
  if (values.ssn) input.ssn = values.ssn;
  if (pristine) {
    for (const field of fieldNames) {
      if (values[field] === pristine[field] && field !== 'ssn') {
        delete input[field];
        delete moneyErrors[field];
      }
    }
  }
  return { input, moneyErrors };
}

function errorsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path[issue.path.length - 1];
    if (typeof field === 'string' && (fieldNames as string[]).includes(field) && !errors[field as FieldName]) {
      errors[field as FieldName] = issue.message;
    }
  }
  return errors;
}

export interface ApplicantFormProps {
  /** Present when editing; the form then sends only an update. */
  applicant?: Applicant;
  onClose(): void;
  onSaved(applicant: Applicant): void;
}

export function ApplicantForm({ applicant, onClose, onSaved }: ApplicantFormProps) {
  const editing = applicant !== undefined;
  const formId = useId();
  const [values, setValues] = useState<FormValues>(() => initialValues(applicant));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [showSsn, setShowSsn] = useState(false);
  const confirm = useConfirm();
  const [pristine] = useState<FormValues>(() => initialValues(applicant));
  const dirty = fieldNames.some((f) => values[f] !== pristine[f]);
  const minApplicationDate = (() => {
    const d = new Date();
    d.setDate(d.getDate() - DEFAULT_APPLICANT_LIMITS.applicationDateMaxAgeDays);
    return localToday(d);
  })();

  // Cancel, Escape and the close button all come here: typed-in details are never dropped without asking.
  const requestClose = async () => {
    if (
      dirty &&
      !(await confirm({
        title: 'Discard changes?',
        message: editing
          ? 'Your changes to this applicant have not been saved.'
          : 'This applicant has not been added yet; what you typed will be lost.',
        confirmLabel: 'Discard',
        cancelLabel: 'Keep editing',
        danger: true,
      }))
    ) {
      return;
    }
    onClose();
  };

  const set = (field: FieldName) => (event: { target: { value: string } }) => {
    const value = field === 'ssn' ? formatSsnInput(event.target.value) : event.target.value;
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const common = (field: FieldName) => ({
    name: field,
    value: values[field],
    onChange: set(field),
    error: errors[field],
    'data-testid': `field-${field}`,
    ...(field in FIELD_MAX_LENGTH ? { maxLength: FIELD_MAX_LENGTH[field as keyof typeof FIELD_MAX_LENGTH] } : {}),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const { input, moneyErrors } = toInput(values, editing ? pristine : null);
    // The same schema the main process uses, so the officer sees the same rules before sending.
    const parsed = editing ? ApplicantInput.partial().safeParse(input) : ApplicantInput.safeParse(input);
    const clientErrors = { ...(parsed.success ? {} : errorsFromIssues(parsed.error.issues)), ...moneyErrors };
    if (Object.values(clientErrors).some(Boolean)) {
      setErrors(clientErrors);
      const first = fieldNames.find((f) => clientErrors[f]);
      if (first) document.querySelector<HTMLElement>(`[data-testid="field-${first}"]`)?.focus();
      return;
    }
    setSaving(true);
    try {
      const saved = editing
        ? await api.applicantsUpdate({ applicantId: applicant.id, changes: input as Partial<ApplicantInput> })
        : await api.applicantsCreate(input as ApplicantInput);
      setValues((v) => ({ ...v, ssn: '' }));
      onSaved(saved);
    } catch (error) {
      const appError = toAppError(error);
      const field = appError.field?.split('.').pop();
      if (field && (fieldNames as string[]).includes(field)) {
        setErrors((e) => ({ ...e, [field]: appError.message }));
        document.querySelector<HTMLElement>(`[data-testid="field-${field}"]`)?.focus();
      } else {
        setFormError(appError);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      title={editing ? 'Edit applicant' : 'New applicant'}
      onClose={() => void requestClose()}
      testId="applicant-form"
      footer={
        <>
          <Button onClick={() => void requestClose()} data-testid="cancel-applicant">
            Cancel
          </Button>
          <Button variant="primary" type="submit" form={formId} busy={saving} data-testid="save-applicant">
            {editing ? 'Save changes' : 'Add applicant'}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <ErrorAlert error={formError} />
        <div className="grid-3">
          <TextField
            label={APPLICANT_LABELS.firstName}
            autoComplete="off"
            autoFocus
            required
            {...common('firstName')}
          />
          <TextField label={APPLICANT_LABELS.middleName} optional autoComplete="off" {...common('middleName')} />
          <TextField label={APPLICANT_LABELS.lastName} autoComplete="off" required {...common('lastName')} />
        </div>
        <div className="grid-2" style={{ marginTop: 12 }}>
          <TextField label={APPLICANT_LABELS.email} type="email" autoComplete="off" required {...common('email')} />
          <TextField label={APPLICANT_LABELS.phone} type="tel" autoComplete="off" required {...common('phone')} />
          <TextField label={APPLICANT_LABELS.loanNumber} autoComplete="off" required {...common('loanNumber')} />
          <SelectField label={APPLICANT_LABELS.loanPurpose} {...common('loanPurpose')}>
            <option value="purchase">Purchase</option>
            <option value="refinance">Refinance</option>
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
            label={APPLICANT_LABELS.qualifyingMonthlyIncome}
            inputMode="decimal"
            autoComplete="off"
            hint="Gross, in dollars"
            required
            {...common('qualifyingMonthlyIncome')}
          />
          <TextField
            label={APPLICANT_LABELS.fundsToClose}
            inputMode="decimal"
            autoComplete="off"
            hint="In dollars"
            required
            {...common('fundsToClose')}
          />
          <TextField
            label={APPLICANT_LABELS.reservesNeeded}
            inputMode="decimal"
            autoComplete="off"
            hint="In dollars; 0 if none"
            {...common('reservesNeeded')}
          />
          <TextField
            label={APPLICANT_LABELS.ssn}
            optional
            type={showSsn ? 'text' : 'password'}
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            placeholder="123-45-6789"
            hint={
              editing && applicant.ssnUnreadable
                ? 'The saved SSN is damaged and can’t be read. Enter it again to replace it.'
                : editing && applicant.ssnMasked
                  ? `On file: ${applicant.ssnMasked}. Leave blank to keep it.`
                  : 'Only the last four digits are shown after saving.'
            }
            after={
              <Button
                size="small"
                onClick={() => setShowSsn((s) => !s)}
                aria-pressed={showSsn}
                aria-label={showSsn ? 'Hide SSN' : 'Show SSN'}
                data-testid="toggle-ssn"
              >
                {showSsn ? 'Hide' : 'Show'}
              </Button>
            }
            className="span-all"
            {...common('ssn')}
          />
        </div>
      </form>
    </Dialog>
  );
}

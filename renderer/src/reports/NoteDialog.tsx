import { useId, useState, type ReactNode } from 'react';
import { Button, Dialog, ErrorAlert, FieldError, useFocusFirstInvalid } from '../ui';

/**
 * A small dialog that records why the officer did something (a deposit sourced, an account confirmed):
 * a required note, optional extra fields above it, and the save that keeps the dialog open with the
 * error if the main process refuses.
 */
export function NoteDialog({
  title,
  testId,
  saveLabel,
  saveTestId,
  noteLabel,
  notePlaceholder,
  noteTestId,
  noteRequired,
  extraInvalid = false,
  extraFields,
  children,
  onClose,
  onSave,
}: {
  title: string;
  testId: string;
  saveLabel: string;
  saveTestId: string;
  noteLabel: string;
  notePlaceholder: string;
  noteTestId: string;
  /** Shown when the note is left empty: why underwriting needs it. */
  noteRequired: string;
  /** True while an extra field is not acceptable (the note's own rule is checked here). */
  extraInvalid?: boolean;
  /** Fields above the note; told whether the officer has tried to save, to show their own errors. */
  extraFields?: (touched: boolean) => ReactNode;
  /** Shown above the fields. */
  children?: ReactNode;
  onClose(): void;
  onSave(note: string): Promise<void>;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const { formRef, refused } = useFocusFirstInvalid();
  const noteId = useId();
  const formId = `${noteId}-form`;
  const empty = note.trim() === '';
  return (
    <Dialog
      title={title}
      onClose={onClose}
      size="small"
      testId={testId}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid={saveTestId}>
            {saveLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        ref={formRef}
        onSubmit={async (event) => {
          event.preventDefault();
          setTouched(true);
          if (empty || extraInvalid) return refused();
          setBusy(true);
          setError(null);
          try {
            await onSave(note.trim());
          } catch (err) {
            setError(err);
            setBusy(false);
          }
        }}
      >
        {children}
        {extraFields?.(touched)}
        <div className="field">
          <label htmlFor={noteId}>{noteLabel}</label>
          <textarea
            id={noteId}
            rows={3}
            maxLength={1000}
            value={note}
            autoFocus
            data-testid={noteTestId}
            aria-invalid={touched && empty ? true : undefined}
            aria-describedby={touched && empty ? `${noteId}-error` : undefined}
            placeholder={notePlaceholder}
            onChange={(e) => setNote(e.target.value)}
          />
          {touched && empty && <FieldError id={`${noteId}-error`} error={noteRequired} />}
        </div>
        <ErrorAlert error={error} />
      </form>
    </Dialog>
  );
}

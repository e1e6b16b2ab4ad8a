import { useId, useState, type FormEvent } from 'react';
import { Button, ErrorAlert } from '../ui';

/**
 * The loan's expected note (closing) date: document age is measured against it once known (else against today),
 * so a report that will be too old at closing shows now.
 */
export function NoteDateField({ value, onSave }: { value: string | null; onSave(date: string | null): Promise<void> }) {
  const inputId = useId();
  const [draft, setDraft] = useState(value ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async (date: string | null) => {
    setBusy(true);
    setError(null);
    try {
      await onSave(date);
      if (date === null) setDraft('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(draft === '' ? null : draft);
  };
  return (
    <form className="rp-note-date" onSubmit={submit} data-testid="note-date-form">
      <label htmlFor={inputId}>Expected note date</label>{' '}
      <input
        id={inputId}
        type="date"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        data-testid="note-date-input"
      />{' '}
      <Button type="submit" size="small" busy={busy} disabled={draft === (value ?? '')} data-testid="note-date-save">
        Save
      </Button>
      {value !== null && (
        <Button size="small" variant="ghost" onClick={() => void save(null)} data-testid="note-date-clear">
          Clear
        </Button>
      )}
      {value === null && <span className="muted"> not known yet: document age is measured against today</span>}
      <ErrorAlert error={error} />
    </form>
  );
}

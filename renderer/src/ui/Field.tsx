import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from 'react';

interface FieldFrameProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  className?: string;
}

function describedBy(hintId: string, errorId: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/**
 * A field's error, also read out as it appears: the field's description says it only when the field is reached,
 * and an officer who pressed Enter in the first wrong field (focus already there) would otherwise hear nothing.
 */
export function FieldError({ id, error, testId }: { id: string; error: string; testId?: string }) {
  return (
    <span className="error" id={id} role="alert" data-testid={testId}>
      {error}
    </span>
  );
}

/**
 * A refused submit moves the focus to the form's first field marked invalid. The fields are marked on the render
 * that follows the refusal, so the focus moves after it: put `formRef` on the form and call `refused()`.
 */
export function useFocusFirstInvalid() {
  const formRef = useRef<HTMLFormElement>(null);
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);
  const refused = useCallback(() => setRefusals((n) => n + 1), []);
  return { formRef, refused };
}

const DEFAULT_MAX_LENGTH = 200;
const TEXT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', 'password']);

export type TextFieldProps = FieldFrameProps & InputHTMLAttributes<HTMLInputElement> & { after?: ReactNode };

/** A labelled input with its hint and error wired up for screen readers. */
export function TextField({ label, error, hint, optional, className, after, id, ...input }: TextFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={inputId}>
        {label} {optional && <span className="optional">(optional)</span>}
      </label>
      <div className={after ? 'field-inline' : undefined}>
        <input
          id={inputId}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(hintId, errorId, hint, error)}
          // Every text input has a limit; the contract refuses longer text anyway (200 is its search limit).
          maxLength={TEXT_TYPES.has(input.type ?? 'text') ? (input.maxLength ?? DEFAULT_MAX_LENGTH) : undefined}
          {...input}
        />
        {after}
      </div>
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {error && <FieldError id={errorId} testId={`error-${input.name ?? inputId}`} error={error} />}
    </div>
  );
}

export type SelectFieldProps = FieldFrameProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode };

export function SelectField({ label, error, hint, optional, className, id, children, ...select }: SelectFieldProps) {
  const generated = useId();
  const selectId = id ?? generated;
  const hintId = `${selectId}-hint`;
  const errorId = `${selectId}-error`;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={selectId}>
        {label} {optional && <span className="optional">(optional)</span>}
      </label>
      <select
        id={selectId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, error)}
        {...select}
      >
        {children}
      </select>
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {error && <FieldError id={errorId} error={error} />}
    </div>
  );
}

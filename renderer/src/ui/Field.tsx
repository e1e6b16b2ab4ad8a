import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

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
      {error && (
        <span className="error" id={errorId} data-testid={`error-${input.name ?? inputId}`}>
          {error}
        </span>
      )}
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
      {error && (
        <span className="error" id={errorId}>
          {error}
        </span>
      )}
    </div>
  );
}

import type { ReactNode } from 'react';
import { AppError } from '../../../shared/errors';
import { Button } from './Button';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <span
      className="spinner"
      role={label ? 'status' : undefined}
      aria-label={label || undefined}
      aria-hidden={label ? undefined : true}
    />
  );
}

/** Placeholder lines shaped like the content that is loading. */
export function Skeleton({ lines = 4, label = 'Loading' }: { lines?: number; label?: string }) {
  return (
    <div role="status" aria-live="polite" data-testid="loading">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state" data-testid="empty-state">
      <h2>{title}</h2>
      {children && <div>{children}</div>}
      {action}
    </div>
  );
}

/** Turns anything thrown into the officer-facing shape (AppError carries its own message). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError({ code: 'INTERNAL_ERROR', message: message || 'Something went wrong.', retryable: true });
}

export function ErrorState({
  error,
  onRetry,
  title = 'This could not be loaded',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const appError = toAppError(error);
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <h2>{title}</h2>
      <p>{appError.message}</p>
      <p className="code">
        {appError.code}
        {appError.requestId ? ` · request ${appError.requestId}` : ''}
      </p>
      {appError.retryable && onRetry && (
        <Button variant="primary" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/** An inline error line for forms and panels. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const appError = toAppError(error);
  return (
    <div className="alert alert-error" role="alert">
      {appError.message}
      {appError.requestId && <span className="muted"> (request {appError.requestId})</span>}
    </div>
  );
}
